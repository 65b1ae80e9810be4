package directory

import (
	"context"

	"github.com/portico/portico/internal/domain"
)

// externalIDPatch checks a patch's external id and writes it trimmed; ""
// (also null, which the HTTP layer turns into "") clears it.
func externalIDPatch(p **string) error {
	if *p == nil {
		return nil
	}
	s, err := domain.NormalizeExternalID(**p)
	*p = &s
	return err
}

// byExternalID returns the only record list finds for a filter on one
// external id (the unique index allows at most one), or nil.
func byExternalID[T any](ctx context.Context, list func(context.Context, domain.Page) ([]T, bool, error)) (*T, error) {
	found, _, err := list(ctx, domain.Page{Limit: 1})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return &found[0], nil
}

// OrganizationByExternalID returns the organization with the external id, or nil.
func (s *Service) OrganizationByExternalID(ctx context.Context, externalID string) (*domain.Organization, error) {
	return byExternalID(ctx, func(ctx context.Context, p domain.Page) ([]domain.Organization, bool, error) {
		return s.db.ListOrganizations(ctx, domain.OrganizationFilter{ExternalID: externalID}, p)
	})
}

// AccountByExternalID returns the account with the external id, or nil.
func (s *Service) AccountByExternalID(ctx context.Context, externalID string) (*domain.Account, error) {
	return byExternalID(ctx, func(ctx context.Context, p domain.Page) ([]domain.Account, bool, error) {
		return s.db.ListAccounts(ctx, domain.AccountFilter{ExternalID: externalID}, p)
	})
}

// ContactByExternalID returns the contact with the external id, or nil. A
// user holding it is no contact: the caller's create then answers 409.
func (s *Service) ContactByExternalID(ctx context.Context, externalID string) (*domain.Contact, error) {
	return byExternalID(ctx, func(ctx context.Context, p domain.Page) ([]domain.Contact, bool, error) {
		return s.db.ListContacts(ctx, domain.ContactFilter{ExternalID: externalID}, p)
	})
}
