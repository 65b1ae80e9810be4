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
	var before domain.UserStatus
	var out domain.User
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.updateUser(ctx, id, ifMatch, patch, &before); err != nil {
			return err
		}
		return s.emitStatus(ctx, before, out)
	})
	return out, err
}

// emitStatus sends user.disabled when a user stops being able to sign in
// (disabled or inactive) and user.enabled when one is active again.
func (s *Service) emitStatus(ctx context.Context, before domain.UserStatus, u domain.User) error {
	stopped := func(st domain.UserStatus) bool { return st == domain.UserDisabled || st == domain.UserInactive }
	switch {
	case before == u.Status:
		return nil
	case stopped(u.Status) && !stopped(before):
		return s.emit(ctx, domain.EventUserDisabled, u)
	case u.Status == domain.UserActive && stopped(before):
		return s.emit(ctx, domain.EventUserEnabled, u)
	}
	return nil
}

func (s *Service) updateUser(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.UserPatch, before *domain.UserStatus) (domain.User, error) {
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
			*before = u.Status
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
