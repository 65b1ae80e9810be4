package store

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

// Every user belongs to at least one group. On PostgreSQL two locks keep
// that true under concurrency, always taken in this order:
//
//  1. groups: a group being deleted is locked FOR UPDATE; a transaction
//     that gives or keeps memberships of groups takes them FOR KEY SHARE
//     (LockGroups) before anything else, so it waits for a delete to finish
//     (and then sees the group gone) or makes the delete wait;
//  2. users: every change that removes a user's memberships holds the
//     user's row (FOR UPDATE), and a group delete locks its users before it
//     counts who would be left without a group.
//
// Taking groups before users everywhere is what keeps a delete and a
// change of memberships from deadlocking. SQLite runs one writer at a time.

// LockGroups takes a share lock on the groups among ids that exist and
// returns the ids that name no group (or one deleted meanwhile).
func (d *DB) LockGroups(ctx context.Context, ids []uuid.UUID) (missing []uuid.UUID, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := d.conn(ctx).Model(&groupRow{}).Where("id IN ?", ids).Order("id")
	if d.Dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
	}
	var found []uuid.UUID
	if err := q.Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.Contains(found, id) && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// lockUsers locks, in id order, the users that where selects.
func (d *DB) lockUsers(ctx context.Context, where func(*gorm.DB) *gorm.DB) error {
	if d.Dialect != Postgres {
		return nil
	}
	var locked []uuid.UUID
	q := where(d.conn(ctx).Model(&personRow{}).Where("people.kind = ?", kindUser))
	return q.Order("people.id").Clauses(clause.Locking{Strength: "UPDATE"}).Pluck("people.id", &locked).Error
}

// usersWithout names the users that where selects which have no
// membership other than those that keep selects (the memberships about to
// go), in id order.
func (d *DB) usersWithout(ctx context.Context, where func(*gorm.DB) *gorm.DB, keep string, args ...any) ([]domain.UserRef, error) {
	var rows []struct {
		ID    uuid.UUID
		Email string
	}
	q := where(d.conn(ctx).Model(&personRow{}).Select("people.id, people.email").Where("people.kind = ?", kindUser)).
		Where("NOT EXISTS (SELECT 1 FROM group_memberships o WHERE o.person_id = people.id AND "+keep+")", args...)
	if err := q.Order("people.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.UserRef, len(rows))
	for i, r := range rows {
		out[i] = domain.UserRef{ID: r.ID, Email: r.Email}
	}
	return out, nil
}

// RefreshSmartMemberships re-places the users of an organization in exactly
// the smart groups given (those whose rule matches it now); manual
// memberships are untouched. When no given group exists (any more) and
// some users hold only smart memberships, it writes nothing and returns
// them: they would be left without a group.
func (d *DB) RefreshSmartMemberships(ctx context.Context, orgID uuid.UUID, groupIDs []uuid.UUID) ([]domain.UserRef, error) {
	missing, err := d.LockGroups(ctx, groupIDs)
	if err != nil {
		return nil, err
	}
	groupIDs = slices.DeleteFunc(slices.Clone(groupIDs), func(g uuid.UUID) bool { return slices.Contains(missing, g) })
	ofOrg := func(q *gorm.DB) *gorm.DB { return q.Where("people.organization_id = ?", orgID) }
	if err := d.lockUsers(ctx, ofOrg); err != nil {
		return nil, err
	}
	if len(groupIDs) == 0 {
		orphans, err := d.usersWithout(ctx, ofOrg, "o.source <> ?", domain.SourceSmart)
		if err != nil || len(orphans) > 0 {
			return orphans, err
		}
	}
	users := d.conn(ctx).Model(&personRow{}).Select("id").Where("organization_id = ? AND kind = ?", orgID, kindUser)
	if err := d.conn(ctx).Where("source = ? AND person_id IN (?)", domain.SourceSmart, users).Delete(&groupMembershipRow{}).Error; err != nil {
		return nil, err
	}
	for _, g := range groupIDs {
		err := d.conn(ctx).Exec(`INSERT INTO group_memberships (person_id, group_id, source, created_at)
			SELECT p.id, ?, 'smart', ? FROM people p
			WHERE p.organization_id = ? AND p.kind = ?
			AND NOT EXISTS (SELECT 1 FROM group_memberships m WHERE m.person_id = p.id AND m.group_id = ?)`,
			g, d.now(), orgID, kindUser, g).Error
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}
