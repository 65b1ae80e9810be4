package directory

import (
	"context"

	"github.com/portico/portico/internal/domain"
)

// IgnoredDomainStore persists the ignored email domains.
type IgnoredDomainStore interface {
	IgnoredDomains(ctx context.Context) ([]domain.IgnoredDomain, error)
	AddIgnoredDomain(ctx context.Context, dom string) (domain.IgnoredDomain, error)
	RemoveIgnoredDomain(ctx context.Context, dom string) error
}

// IgnoredDomains lists the ignored email domains.
func (s *Service) IgnoredDomains(ctx context.Context) ([]domain.IgnoredDomain, error) {
	return s.db.IgnoredDomains(ctx)
}

// AddIgnoredDomain normalizes and ignores a domain; an owned domain is 409.
func (s *Service) AddIgnoredDomain(ctx context.Context, raw string) (domain.IgnoredDomain, error) {
	dom, err := domain.NormalizeDomain(raw)
	if err != nil {
		return domain.IgnoredDomain{}, domain.Invalid("validation_failed", err.Error(),
			domain.FieldError{Field: "domain", Code: "domain", Message: err.Error()})
	}
	var out domain.IgnoredDomain
	err = s.create(ctx, subject{"ignored_email_domain", dom, nil}, func(ctx context.Context) error {
		out, err = s.db.AddIgnoredDomain(ctx, dom)
		return err
	})
	return out, err
}

// RemoveIgnoredDomain takes a domain off the list.
func (s *Service) RemoveIgnoredDomain(ctx context.Context, raw string) error {
	dom, err := domain.NormalizeDomain(raw)
	if err != nil {
		return domain.NotFound("ignored email domain", raw)
	}
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.RemoveIgnoredDomain(ctx, dom); err != nil {
			return err
		}
		return s.record(ctx, "ignored_email_domain.deleted", "ignored_email_domain", dom, nil, nil)
	})
}
