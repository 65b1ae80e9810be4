package directory

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// ContactStore persists contacts.
type ContactStore interface {
	CreateContact(ctx context.Context, c domain.Contact) error
	GetContact(ctx context.Context, id uuid.UUID, lock bool) (domain.Contact, error)
	ListContacts(ctx context.Context, f domain.ContactFilter, p domain.Page) ([]domain.Contact, bool, error)
	UpdateContact(ctx context.Context, c domain.Contact, prev int64) error
	DeleteContact(ctx context.Context, id uuid.UUID, prev int64) error
}

// CreateContact checks the email and links and stores c. A contact may share
// its email with other contacts and with a user.
func (s *Service) CreateContact(ctx context.Context, c domain.Contact) (domain.Contact, error) {
	email, err := domain.NormalizeEmail(c.Email)
	if err != nil {
		return domain.Contact{}, err
	}
	c.Email = email
	if c.ExternalID, err = domain.NormalizeExternalID(c.ExternalID); err != nil {
		return domain.Contact{}, err
	}
	if c.Locale, err = domain.ParseLocale(c.Locale, "locale"); err != nil {
		return domain.Contact{}, err
	}
	if err := checkNamed(c); err != nil {
		return domain.Contact{}, err
	}
	now := s.now()
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = domain.NewID(), 1, now, now
	return c, s.create(ctx, subject{"contact", c.ID.String(), c.OrganizationID}, func(ctx context.Context) error {
		if err := s.checkLinks(ctx, c); err != nil {
			return err
		}
		return s.db.CreateContact(ctx, c)
	})
}

// canonicalLocale checks a patch's locale and writes it in canonical form.
func canonicalLocale(l **string) error {
	if *l == nil {
		return nil
	}
	tag, err := domain.ParseLocale(**l, "locale")
	*l = &tag
	return err
}

// checkNamed requires a last name or an email. The request validator sees
// the raw body, where a blank email still counts as given; this checks the
// contact as stored, after trimming and after a patch.
func checkNamed(c domain.Contact) error {
	if strings.TrimSpace(c.LastName) != "" || c.Email != "" {
		return nil
	}
	return invalid([]domain.FieldError{{Field: "last_name", Code: "required",
		Message: "last_name is required when the contact has no email"}})
}

// checkLinks answers 422 naming the field when a linked organization or
// account does not exist (the foreign keys back this up).
func (s *Service) checkLinks(ctx context.Context, c domain.Contact) error {
	var errs []domain.FieldError
	if c.OrganizationID != nil {
		if _, err := s.db.GetOrganization(ctx, *c.OrganizationID, false); err != nil {
			if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindNotFound {
				return err
			}
			errs = append(errs, domain.FieldError{Field: "organization_id", Code: "not_found", Message: "organization " + c.OrganizationID.String() + " does not exist"})
		}
	}
	if c.AccountID != nil {
		if _, err := s.db.GetAccount(ctx, *c.AccountID, false); err != nil {
			if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindNotFound {
				return err
			}
			errs = append(errs, domain.FieldError{Field: "account_id", Code: "not_found", Message: "account " + c.AccountID.String() + " does not exist"})
		}
	}
	return invalid(errs)
}

// GetContact reads one contact; a promoted person is not a contact.
func (s *Service) GetContact(ctx context.Context, id uuid.UUID) (domain.Contact, error) {
	return s.db.GetContact(ctx, id, false)
}

// ListContacts returns a page of contacts and whether more follow.
func (s *Service) ListContacts(ctx context.Context, f domain.ContactFilter, p domain.Page) ([]domain.Contact, bool, error) {
	return s.db.ListContacts(ctx, f, pageOf(p))
}

// UpdateContact applies patch if ifMatch (0: any) is the current version.
func (s *Service) UpdateContact(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.ContactPatch) (domain.Contact, error) {
	if patch.Email != nil {
		email, err := domain.NormalizeEmail(*patch.Email)
		if err != nil {
			return domain.Contact{}, err
		}
		patch.Email = &email
	}
	if err := canonicalLocale(&patch.Locale); err != nil {
		return domain.Contact{}, err
	}
	if err := externalIDPatch(&patch.ExternalID); err != nil {
		return domain.Contact{}, err
	}
	return mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.Contact, error) { return s.db.GetContact(ctx, id, true) },
		func(c *domain.Contact) (*int64, *time.Time) { return &c.Version, &c.UpdatedAt },
		func(ctx context.Context, c *domain.Contact) error {
			patch.Apply(c)
			if err := checkNamed(*c); err != nil {
				return err
			}
			return s.checkLinks(ctx, *c)
		},
		s.db.UpdateContact, func(c domain.Contact) subject { return subject{"contact", c.ID.String(), c.OrganizationID} })
}

// DeleteContact removes a contact.
func (s *Service) DeleteContact(ctx context.Context, id uuid.UUID, ifMatch int64) error {
	return s.remove(ctx, ifMatch, func(ctx context.Context) (int64, subject, error) {
		c, err := s.db.GetContact(ctx, id, true)
		return c.Version, subject{"contact", id.String(), c.OrganizationID}, err
	}, func(ctx context.Context, prev int64) error { return s.db.DeleteContact(ctx, id, prev) })
}
