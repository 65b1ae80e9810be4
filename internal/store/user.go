package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm/clause"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

func toUser(r personRow, groups []uuid.UUID) domain.User {
	if groups == nil {
		groups = []uuid.UUID{}
	}
	return domain.User{
		Contact: toContact(r), Status: domain.UserStatus(r.Status), Role: domain.Role(r.Role),
		PrimaryContact: r.PrimaryContact, GroupIDs: groups, ActivatedAt: r.ActivatedAt,
	}
}

// GetUser reads one user with its groups; lock takes a row lock.
func (d *DB) GetUser(ctx context.Context, id uuid.UUID, lock bool) (domain.User, error) {
	row, err := d.getPerson(ctx, id, kindUser, lock)
	if err != nil {
		return domain.User{}, notFound(err, "user", id.String())
	}
	groups, err := d.groupsOf(ctx, []uuid.UUID{id})
	return toUser(row, groups[id]), err
}

// ListUsers returns one page of users in id order.
func (d *DB) ListUsers(ctx context.Context, f domain.UserFilter, p domain.Page) ([]domain.User, bool, error) {
	q := d.conn(ctx).Model(&personRow{}).Where("people.kind = ?", kindUser)
	if f.OrganizationID != nil {
		q = q.Where("people.organization_id = ?", *f.OrganizationID)
	}
	if f.Status != "" {
		q = q.Where("people.status = ?", f.Status)
	}
	if f.GroupID != nil {
		q = q.Where("EXISTS (SELECT 1 FROM group_memberships m WHERE m.person_id = people.id AND m.group_id = ?)", *f.GroupID)
	}
	if f.Query != "" {
		q = q.Where(containsText(searchExpr, f.Query))
	}
	if f.ExternalID != "" {
		q = q.Where("people.external_id = ?", f.ExternalID)
	}
	var rows []personRow
	if err := page(q, "people", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	groups, err := d.groupsOf(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]domain.User, len(rows))
	for i, r := range rows {
		out[i] = toUser(r, groups[r.ID])
	}
	return out, more, nil
}

// UpdateUser writes the user's profile, status, role and flag if its stored
// version is still prev.
func (d *DB) UpdateUser(ctx context.Context, u domain.User, prev int64) error {
	var row personRow
	fromContact(&row, u.Contact)
	row.Status, row.Role, row.PrimaryContact, row.ActivatedAt = string(u.Status), string(u.Role), u.PrimaryContact, u.ActivatedAt
	res := d.conn(ctx).Model(&personRow{}).Where("id = ? AND kind = ? AND version = ?", u.ID, kindUser, prev).
		Select("first_name", "last_name", "phone", "title", "status", "role", "primary_contact",
			"activated_at", "locale", "version", "updated_at").Updates(&row)
	return affected(res.Error, res.RowsAffected)
}

// SetMemberships replaces a person's groups of the given source.
func (d *DB) SetMemberships(ctx context.Context, personID uuid.UUID, source string, groupIDs []uuid.UUID) error {
	if err := d.conn(ctx).Where("person_id = ? AND source = ?", personID, source).Delete(&groupMembershipRow{}).Error; err != nil {
		return err
	}
	if len(groupIDs) == 0 {
		return nil
	}
	var rows []groupMembershipRow
	for _, g := range groupIDs {
		if !slices.ContainsFunc(rows, func(r groupMembershipRow) bool { return r.GroupID == g }) {
			rows = append(rows, groupMembershipRow{PersonID: personID, GroupID: g, Source: source, CreatedAt: d.now()})
		}
	}
	// a group the person already holds by another source stays as it is
	err := d.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
	switch {
	case isForeignKeyViolation(err):
		return domain.Invalid("group_not_found", "a given group does not exist")
	case isUniqueViolation(err):
		return domain.Conflict("membership_conflict", fmt.Sprintf("person %s is already in one of these groups", personID))
	}
	return err
}

// AddMemberships adds manual and smart groups to a person that holds only
// the groups in kept, in one statement.
func (d *DB) AddMemberships(ctx context.Context, personID uuid.UUID, kept, manual, smart []uuid.UUID) error {
	rows := make([]groupMembershipRow, 0, len(manual)+len(smart))
	now := d.now()
	for _, g := range manual {
		if !slices.Contains(kept, g) {
			rows = append(rows, groupMembershipRow{PersonID: personID, GroupID: g, Source: domain.SourceManual, CreatedAt: now})
		}
	}
	for _, g := range smart {
		if !slices.Contains(manual, g) && !slices.Contains(kept, g) {
			rows = append(rows, groupMembershipRow{PersonID: personID, GroupID: g, Source: domain.SourceSmart, CreatedAt: now})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	err := d.conn(ctx).Create(&rows).Error
	if isForeignKeyViolation(err) {
		return domain.Invalid("group_not_found", "a given group does not exist")
	}
	return err
}

// groupsOf returns each person's group ids, manual and smart, in id order.
func (d *DB) groupsOf(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	out := map[uuid.UUID][]uuid.UUID{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []groupMembershipRow
	err := d.conn(ctx).Where("person_id IN ?", ids).Order("group_id").Find(&rows).Error
	for _, r := range rows {
		out[r.PersonID] = append(out[r.PersonID], r.GroupID)
	}
	return out, err
}
