package directory

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// OrganizationStore persists organizations and their owned domains.
type OrganizationStore interface {
	CreateOrganization(ctx context.Context, o domain.Organization) error
	GetOrganization(ctx context.Context, id uuid.UUID, lock bool) (domain.Organization, error)
	ListOrganizations(ctx context.Context, f domain.OrganizationFilter, p domain.Page) ([]domain.Organization, bool, error)
	UpdateOrganization(ctx context.Context, o domain.Organization, prev int64, replaceDomains bool) error
	DeleteOrganization(ctx context.Context, id uuid.UUID, prev int64) error
	EndOrganizationSessions(ctx context.Context, orgID uuid.UUID) error
}

// CreateOrganization validates o's custom fields and domains and stores it.
func (s *Service) CreateOrganization(ctx context.Context, o domain.Organization) (domain.Organization, error) {
	var err error
	if o.ExternalID, err = domain.NormalizeExternalID(o.ExternalID); err != nil {
		return domain.Organization{}, err
	}
	defs, err := s.db.FieldDefinitions(ctx, domain.EntityOrganization)
	if err != nil {
		return domain.Organization{}, err
	}
	var errs []domain.FieldError
	o.CustomFields, errs = domain.ApplyCustomFields(defs, nil, o.CustomFields, true)
	domains, derrs := domain.NormalizeDomains("email_domains", o.EmailDomains)
	o.EmailDomains = domains
	if err := invalid(append(errs, derrs...)); err != nil {
		return domain.Organization{}, err
	}
	now := s.now()
	o.ID, o.Version, o.CreatedAt, o.UpdatedAt = domain.NewID(), 1, now, now
	err = s.create(ctx, subject{"organization", o.ID.String(), &o.ID}, func(ctx context.Context) error {
		if err := s.db.CreateOrganization(ctx, o); err != nil {
			return err
		}
		return s.emit(ctx, domain.EventOrganizationCreated, o)
	})
	return o, err
}

// GetOrganization reads one organization.
func (s *Service) GetOrganization(ctx context.Context, id uuid.UUID) (domain.Organization, error) {
	return s.db.GetOrganization(ctx, id, false)
}

// ListOrganizations returns a page of organizations and whether more follow.
func (s *Service) ListOrganizations(ctx context.Context, f domain.OrganizationFilter, p domain.Page) ([]domain.Organization, bool, error) {
	p = pageOf(p)
	return s.db.ListOrganizations(ctx, f, p)
}

// UpdateOrganization applies patch if ifMatch (0: any) is the current version.
func (s *Service) UpdateOrganization(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.OrganizationPatch) (domain.Organization, error) {
	if err := externalIDPatch(&patch.ExternalID); err != nil {
		return domain.Organization{}, err
	}
	defs, err := s.db.FieldDefinitions(ctx, domain.EntityOrganization)
	if err != nil {
		return domain.Organization{}, err
	}
	var domains []string
	if patch.EmailDomains != nil {
		var derrs []domain.FieldError
		if domains, derrs = domain.NormalizeDomains("email_domains", *patch.EmailDomains); len(derrs) > 0 {
			return domain.Organization{}, invalid(derrs)
		}
	}
	return mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.Organization, error) { return s.db.GetOrganization(ctx, id, true) },
		func(o *domain.Organization) (*int64, *time.Time) { return &o.Version, &o.UpdatedAt },
		func(_ context.Context, o *domain.Organization) error {
			patch.Apply(o)
			if patch.EmailDomains != nil {
				o.EmailDomains = domains
			}
			var errs []domain.FieldError
			o.CustomFields, errs = domain.ApplyCustomFields(defs, o.CustomFields, patch.CustomFields, false)
			return invalid(errs)
		},
		func(ctx context.Context, o domain.Organization, prev int64) error {
			if err := s.db.UpdateOrganization(ctx, o, prev, patch.EmailDomains != nil); err != nil {
				return err
			}
			// only active organizations sign in; their sessions end with the
			// status, so that reactivating does not revive old tokens
			if patch.Status != nil && o.Status != domain.OrgActive {
				if err := s.db.EndOrganizationSessions(ctx, o.ID); err != nil {
					return err
				}
			}
			if patch.Kind == nil && patch.PartnerType == nil && patch.Region == nil {
				return nil
			}
			return s.refreshSmartGroups(ctx, o)
		}, func(o domain.Organization) subject { return subject{"organization", o.ID.String(), &o.ID} })
}

// DeleteOrganization removes an organization nobody belongs to.
func (s *Service) DeleteOrganization(ctx context.Context, id uuid.UUID, ifMatch int64) error {
	return s.remove(ctx, ifMatch, func(ctx context.Context) (int64, subject, error) {
		o, err := s.db.GetOrganization(ctx, id, true)
		return o.Version, subject{"organization", id.String(), &id}, err
	}, func(ctx context.Context, prev int64) error { return s.db.DeleteOrganization(ctx, id, prev) })
}

// refreshSmartGroups re-places the organization's users in the smart
// groups its changed attributes now match. A change that would leave some
// users with no group at all is refused (users_without_group): an admin
// decides where they go, rather than the service keeping them in groups
// whose rule no longer describes them.
func (s *Service) refreshSmartGroups(ctx context.Context, o domain.Organization) error {
	groups, err := s.db.SmartGroups(ctx)
	if err != nil {
		return err
	}
	var matching []uuid.UUID
	for _, g := range groups {
		if g.SmartRule.Matches(o) {
			matching = append(matching, g.ID)
		}
	}
	orphans, err := s.db.RefreshSmartMemberships(ctx, o.ID, matching)
	if err != nil {
		return err
	}
	if len(orphans) > 0 {
		return domain.ErrUsersWithoutGroup(o, orphans)
	}
	return nil
}
