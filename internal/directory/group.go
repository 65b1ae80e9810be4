package directory

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// GroupStore persists groups and their smart rules.
type GroupStore interface {
	CreateGroup(ctx context.Context, g domain.Group) error
	GetGroup(ctx context.Context, id uuid.UUID, lock bool) (domain.Group, error)
	ListGroups(ctx context.Context, f domain.GroupFilter, p domain.Page) ([]domain.Group, bool, error)
	UpdateGroup(ctx context.Context, g domain.Group, prev int64) error
	DeleteGroup(ctx context.Context, id uuid.UUID, prev int64) error
	MissingGroups(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error)
	SmartGroups(ctx context.Context) ([]domain.Group, error)
	RefreshSmartMemberships(ctx context.Context, orgID uuid.UUID, groupIDs []uuid.UUID) ([]domain.UserRef, error)
	LockGroups(ctx context.Context, ids []uuid.UUID) (missing []uuid.UUID, err error)
}

// CreateGroup stores g; a smart rule must set at least one condition.
func (s *Service) CreateGroup(ctx context.Context, g domain.Group) (domain.Group, error) {
	name, err := groupName(g.Name)
	if err != nil {
		return domain.Group{}, err
	}
	g.Name = name
	if err := checkRule(g.SmartRule); err != nil {
		return domain.Group{}, err
	}
	now := s.now()
	g.ID, g.Version, g.CreatedAt, g.UpdatedAt = domain.NewID(), 1, now, now
	return g, s.create(ctx, subject{"group", g.ID.String(), nil}, func(ctx context.Context) error { return s.db.CreateGroup(ctx, g) })
}

// groupName trims a name; uniqueness compares trimmed names, so a blank
// one would be a single shared, invisible name.
func groupName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	if name == "" {
		return "", domain.Invalid("validation_failed", "the request body has invalid fields",
			domain.FieldError{Field: "name", Code: "required", Message: "name is required"})
	}
	return name, nil
}

func checkRule(r *domain.SmartRule) error {
	if r != nil {
		r.Normalize()
	}
	if r != nil && r.Empty() {
		return domain.Invalid("validation_failed", "a smart rule needs at least one condition; send null to make the group manual",
			domain.FieldError{Field: "smart_rule", Code: "empty", Message: "set organization_kinds, partner_types, regions or organization_ids"})
	}
	return nil
}

// GetGroup reads one group.
func (s *Service) GetGroup(ctx context.Context, id uuid.UUID) (domain.Group, error) {
	return s.db.GetGroup(ctx, id, false)
}

// ListGroups returns a page of groups and whether more follow.
func (s *Service) ListGroups(ctx context.Context, f domain.GroupFilter, p domain.Page) ([]domain.Group, bool, error) {
	return s.db.ListGroups(ctx, f, pageOf(p))
}

// UpdateGroup applies patch if ifMatch (0: any) is the current version.
// Existing memberships stay; smart rules apply at promotion and when an
// organization changes.
func (s *Service) UpdateGroup(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.GroupPatch) (domain.Group, error) {
	if patch.Name != nil {
		name, err := groupName(*patch.Name)
		if err != nil {
			return domain.Group{}, err
		}
		patch.Name = &name
	}
	if patch.SmartRule != nil {
		if err := checkRule(*patch.SmartRule); err != nil {
			return domain.Group{}, err
		}
	}
	return mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.Group, error) { return s.db.GetGroup(ctx, id, true) },
		func(g *domain.Group) (*int64, *time.Time) { return &g.Version, &g.UpdatedAt },
		func(_ context.Context, g *domain.Group) error { patch.Apply(g); return nil },
		s.db.UpdateGroup, func(g domain.Group) subject { return subject{"group", g.ID.String(), nil} })
}

// DeleteGroup removes a group that is no user's only group (group_in_use
// names those users).
func (s *Service) DeleteGroup(ctx context.Context, id uuid.UUID, ifMatch int64) error {
	return s.remove(ctx, ifMatch, func(ctx context.Context) (int64, subject, error) {
		g, err := s.db.GetGroup(ctx, id, true)
		return g.Version, subject{"group", id.String(), nil}, err
	}, func(ctx context.Context, prev int64) error { return s.db.DeleteGroup(ctx, id, prev) })
}
