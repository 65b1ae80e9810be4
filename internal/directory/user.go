package directory

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// UserStore persists users and their group memberships.
type UserStore interface {
	GetUser(ctx context.Context, id uuid.UUID, lock bool) (domain.User, error)
	ListUsers(ctx context.Context, f domain.UserFilter, p domain.Page) ([]domain.User, bool, error)
	UpdateUser(ctx context.Context, u domain.User, prev int64) error
	SetMemberships(ctx context.Context, personID uuid.UUID, source string, groupIDs []uuid.UUID) error
	EndSessions(ctx context.Context, personID uuid.UUID) error
}

// GetUser reads one user.
func (s *Service) GetUser(ctx context.Context, id uuid.UUID) (domain.User, error) {
	return s.db.GetUser(ctx, id, false)
}

// ListUsers returns a page of users and whether more follow.
func (s *Service) ListUsers(ctx context.Context, f domain.UserFilter, p domain.Page) ([]domain.User, bool, error) {
	return s.db.ListUsers(ctx, f, pageOf(p))
}

// UpdateUser applies patch if ifMatch (0: any) is the current version. A
// user keeps at least one group; a user set to any status but active loses
// its sessions.
func (s *Service) UpdateUser(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.UserPatch) (domain.User, error) {
	if err := canonicalLocale(&patch.Locale); err != nil {
		return domain.User{}, err
	}
	return mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.User, error) {
			// the groups to be given are locked before the user (the order
			// every membership change keeps): a concurrent delete of one of
			// them finishes first, or waits for this change
			if patch.GroupIDs != nil {
				if err := s.lockGroups(ctx, *patch.GroupIDs); err != nil {
					return domain.User{}, err
				}
			}
			return s.db.GetUser(ctx, id, true)
		},
		func(u *domain.User) (*int64, *time.Time) { return &u.Version, &u.UpdatedAt },
		func(ctx context.Context, u *domain.User) error {
			patch.Apply(u)
			if patch.Status != nil {
				if err := u.SetStatus(*patch.Status); err != nil {
					return err
				}
				// sessions end with the status, so that enabling the user
				// again does not revive tokens issued before
				if u.Status != domain.UserActive {
					if err := s.db.EndSessions(ctx, u.ID); err != nil {
						return err
					}
				}
			}
			if patch.GroupIDs == nil {
				return nil
			}
			if err := s.db.SetMemberships(ctx, u.ID, domain.SourceManual, *patch.GroupIDs); err != nil {
				return err
			}
			fresh, err := s.db.GetUser(ctx, u.ID, false)
			if err != nil {
				return err
			}
			if len(fresh.GroupIDs) == 0 {
				return domain.Invalid("group_required", "every user belongs to at least one group; give at least one group_id",
					domain.FieldError{Field: "group_ids", Code: "required", Message: "at least one group is required"})
			}
			u.GroupIDs = fresh.GroupIDs
			return nil
		},
		s.db.UpdateUser, func(u domain.User) subject { return subject{"user", u.ID.String(), u.OrganizationID} })
}

// lockGroups share-locks the groups and answers group_not_found naming
// every missing one.
func (s *Service) lockGroups(ctx context.Context, ids []uuid.UUID) error {
	missing, err := s.db.LockGroups(ctx, ids)
	if err != nil || len(missing) == 0 {
		return err
	}
	return domain.ErrGroupNotFound(missing)
}
