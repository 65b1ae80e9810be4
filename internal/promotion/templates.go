package promotion

import (
	"context"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/letter"
)

// EmailTemplate returns the template recipients of locale get for kind:
// an override along the locale's fallback chain, else a built-in one.
func (s *Service) EmailTemplate(ctx context.Context, kind domain.EmailKind, locale string) (domain.EmailTemplate, bool, error) {
	overrides, err := s.db.EmailTemplates(ctx, kind)
	if err != nil {
		return domain.EmailTemplate{}, false, err
	}
	t, override := letter.Book{Kind: kind, Overrides: overrides, Default: s.cfg.DefaultLocale}.Pick(locale)
	return t, override, nil
}

// PutEmailTemplate checks and stores an override; created tells whether
// there was none for its kind and locale.
func (s *Service) PutEmailTemplate(ctx context.Context, t domain.EmailTemplate, actor string) (domain.EmailTemplate, bool, error) {
	if err := letter.Check(t); err != nil {
		return t, false, err
	}
	t.UpdatedBy, t.UpdatedAt = actor, s.now()
	var created bool
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if created, err = s.db.PutEmailTemplate(ctx, t); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "email_template.updated", SubjectType: "email_template",
			SubjectID: string(t.Kind) + "/" + t.Locale, Details: map[string]any{"created": created}})
	})
	return t, created, err
}

// DeleteEmailTemplate removes an override: the built-in template (or a
// parent locale's override) applies again.
func (s *Service) DeleteEmailTemplate(ctx context.Context, kind domain.EmailKind, locale, actor string) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.DeleteEmailTemplate(ctx, kind, locale); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "email_template.deleted", SubjectType: "email_template",
			SubjectID: string(kind) + "/" + locale})
	})
}

// PreviewEmail renders t with sample data, sending nothing; a draft is
// checked as a PUT would check it.
func (s *Service) PreviewEmail(t domain.EmailTemplate, override bool) (domain.Email, error) {
	if override {
		if err := letter.Check(t); err != nil {
			return domain.Email{}, err
		}
	}
	m, err := letter.Preview(t, s.cfg.DefaultLocale, override, s.now())
	if err != nil {
		return m, domain.Internal(err)
	}
	return m, nil
}
