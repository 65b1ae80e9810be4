package promotion

import (
	"context"
	"time"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/letter"
)

// RequestPasswordReset asks for a reset link for email and returns at once:
// it only enqueues a background job, for any email, so the caller's answer
// is the same, in content and in time, whether or not an active user has
// this email. The job (IssuePasswordReset) looks the user up, issues the
// token and queues the mail.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	return s.db.InsertJob(ctx, domain.PasswordResetRequest{Email: email})
}

// IssuePasswordReset mails a reset link to an active user with this email,
// and does nothing for any other email.
func (s *Service) IssuePasswordReset(ctx context.Context, email string) error {
	cred, err := s.db.UserCredentials(ctx, email)
	if err != nil || cred == nil || cred.User.Status != domain.UserActive {
		return err
	}
	u := cred.User
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		token, hash := domain.NewSecret()
		expires := s.now().Add(s.cfg.ResetTTL)
		if err := s.db.IssueToken(ctx, u.ID, domain.PurposePasswordReset, hash, expires); err != nil {
			return err
		}
		mail, err := s.resetMail(ctx, u, token, expires)
		if err != nil {
			return err
		}
		if err := s.outbox.EnqueueEmail(ctx, mail); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: "anonymous", Action: "user.password_reset_requested",
			SubjectType: "user", SubjectID: u.ID.String(), OrganizationID: u.OrganizationID})
	})
}

// resetMail writes the reset email in the user's language.
func (s *Service) resetMail(ctx context.Context, u domain.User, token string, expires time.Time) (domain.Email, error) {
	w, err := s.writer(ctx, domain.EmailPasswordReset, "")
	if err != nil {
		return domain.Email{}, err
	}
	org := ""
	if u.OrganizationID != nil {
		o, err := s.db.GetOrganization(ctx, *u.OrganizationID, false)
		if err != nil {
			return domain.Email{}, err
		}
		org = o.Name
	}
	locale := u.Locale
	if locale == "" {
		locale = s.cfg.DefaultLocale
	}
	mail, _, err := w.book.Write(locale, letter.Facts{FirstName: u.FirstName, LastName: u.LastName, Email: u.Email,
		Organization: org, Link: s.link("/reset-password", token), ExpiresAt: expires, ValidFor: s.cfg.ResetTTL})
	if err != nil {
		return mail, domain.Internal(err)
	}
	return mail, nil
}
