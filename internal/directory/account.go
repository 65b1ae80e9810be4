package directory

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// AccountStore persists accounts.
type AccountStore interface {
	CreateAccount(ctx context.Context, a domain.Account) error
	GetAccount(ctx context.Context, id uuid.UUID, lock bool) (domain.Account, error)
	ListAccounts(ctx context.Context, f domain.AccountFilter, p domain.Page) ([]domain.Account, bool, error)
	UpdateAccount(ctx context.Context, a domain.Account, prev int64) error
	DeleteAccount(ctx context.Context, id uuid.UUID, prev int64) error
}

// CreateAccount validates a's custom fields and stores it.
func (s *Service) CreateAccount(ctx context.Context, a domain.Account) (domain.Account, error) {
	var err error
	if a.ExternalID, err = domain.NormalizeExternalID(a.ExternalID); err != nil {
		return domain.Account{}, err
	}
	defs, err := s.db.FieldDefinitions(ctx, domain.EntityAccount)
	if err != nil {
		return domain.Account{}, err
	}
	var errs []domain.FieldError
	if a.CustomFields, errs = domain.ApplyCustomFields(defs, nil, a.CustomFields, true); len(errs) > 0 {
		return domain.Account{}, invalid(errs)
	}
	now := s.now()
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt, a.OrganizationID = domain.NewID(), 1, now, now, nil
	return a, s.create(ctx, subject{"account", a.ID.String(), nil}, func(ctx context.Context) error { return s.db.CreateAccount(ctx, a) })
}

// GetAccount reads one account.
func (s *Service) GetAccount(ctx context.Context, id uuid.UUID) (domain.Account, error) {
	return s.db.GetAccount(ctx, id, false)
}

// ListAccounts returns a page of accounts and whether more follow.
func (s *Service) ListAccounts(ctx context.Context, f domain.AccountFilter, p domain.Page) ([]domain.Account, bool, error) {
	return s.db.ListAccounts(ctx, f, pageOf(p))
}

// UpdateAccount applies patch if ifMatch (0: any) is the current version.
func (s *Service) UpdateAccount(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.AccountPatch) (domain.Account, error) {
	if err := externalIDPatch(&patch.ExternalID); err != nil {
		return domain.Account{}, err
	}
	defs, err := s.db.FieldDefinitions(ctx, domain.EntityAccount)
	if err != nil {
		return domain.Account{}, err
	}
	return mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.Account, error) { return s.db.GetAccount(ctx, id, true) },
		func(a *domain.Account) (*int64, *time.Time) { return &a.Version, &a.UpdatedAt },
		func(_ context.Context, a *domain.Account) error {
			if patch.Name != nil {
				a.Name = *patch.Name
			}
			patch.Address.Apply(&a.Address)
			if patch.ExternalID != nil {
				a.ExternalID = *patch.ExternalID
			}
			var errs []domain.FieldError
			a.CustomFields, errs = domain.ApplyCustomFields(defs, a.CustomFields, patch.CustomFields, false)
			return invalid(errs)
		},
		s.db.UpdateAccount, func(a domain.Account) subject { return subject{"account", a.ID.String(), a.OrganizationID} })
}

// DeleteAccount removes an account no contact refers to.
func (s *Service) DeleteAccount(ctx context.Context, id uuid.UUID, ifMatch int64) error {
	return s.remove(ctx, ifMatch, func(ctx context.Context) (int64, subject, error) {
		a, err := s.db.GetAccount(ctx, id, true)
		return a.Version, subject{"account", id.String(), a.OrganizationID}, err
	}, func(ctx context.Context, prev int64) error { return s.db.DeleteAccount(ctx, id, prev) })
}
