package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

func toGroup(r groupRow, orgIDs []uuid.UUID) domain.Group {
	g := domain.Group{
		ID: r.ID, Name: r.Name, Description: r.Description, PartnerAssignable: r.PartnerAssignable,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.SmartRule != nil {
		kinds := make([]domain.OrgKind, len(r.SmartRule.OrganizationKinds))
		for i, k := range r.SmartRule.OrganizationKinds {
			kinds[i] = domain.OrgKind(k)
		}
		g.SmartRule = &domain.SmartRule{OrganizationKinds: kinds, PartnerTypes: r.SmartRule.PartnerTypes,
			Regions: r.SmartRule.Regions, OrganizationIDs: orgIDs}
	}
	return g
}

func fromGroup(g domain.Group) groupRow {
	row := groupRow{
		ID: g.ID, Name: g.Name, NameKey: strings.ToLower(strings.TrimSpace(g.Name)), Description: g.Description,
		PartnerAssignable: g.PartnerAssignable, Version: g.Version, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt,
	}
	if r := g.SmartRule; r != nil {
		kinds := make([]string, len(r.OrganizationKinds))
		for i, k := range r.OrganizationKinds {
			kinds[i] = string(k)
		}
		row.SmartRule = &jsonRule{OrganizationKinds: kinds, PartnerTypes: r.PartnerTypes, Regions: r.Regions}
	}
	return row
}

func ruleOrgs(g domain.Group) []uuid.UUID {
	if g.SmartRule == nil {
		return nil
	}
	return g.SmartRule.OrganizationIDs
}

// CreateGroup inserts g and its rule's organization ids.
func (d *DB) CreateGroup(ctx context.Context, g domain.Group) error {
	row := fromGroup(g)
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		return groupWriteError(err, g.Name)
	}
	return d.setRuleOrgs(ctx, g.ID, ruleOrgs(g))
}

// GetGroup reads one group; lock takes a row lock.
func (d *DB) GetGroup(ctx context.Context, id uuid.UUID, lock bool) (domain.Group, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var row groupRow
	if err := q.Take(&row, "id = ?", id).Error; err != nil {
		return domain.Group{}, notFound(err, "group", id.String())
	}
	orgs, err := d.ruleOrgsOf(ctx, []uuid.UUID{id})
	return toGroup(row, orgs[id]), err
}

// ListGroups returns one page of groups in id order.
func (d *DB) ListGroups(ctx context.Context, f domain.GroupFilter, p domain.Page) ([]domain.Group, bool, error) {
	q := d.conn(ctx).Model(&groupRow{})
	if f.Smart != nil {
		if *f.Smart {
			q = q.Where("smart_rule IS NOT NULL")
		} else {
			q = q.Where("smart_rule IS NULL")
		}
	}
	if f.PartnerAssignable != nil {
		q = q.Where("partner_assignable = ?", *f.PartnerAssignable)
	}
	var rows []groupRow
	if err := page(q, "groups", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	return d.withRuleOrgs(ctx, rows, more)
}

// SmartGroups returns every group with a rule (there are few), in one
// statement.
func (d *DB) SmartGroups(ctx context.Context) ([]domain.Group, error) {
	var rows []struct {
		Group   groupRow `gorm:"embedded"`
		RuleOrg *uuid.UUID
	}
	err := d.conn(ctx).Table("groups").Select("groups.*, r.organization_id AS rule_org").
		Joins("LEFT JOIN group_rule_organizations r ON r.group_id = groups.id").
		Where("groups.smart_rule IS NOT NULL").Order("groups.id, r.organization_id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []domain.Group
	var orgs []uuid.UUID
	for i, r := range rows {
		if r.RuleOrg != nil {
			orgs = append(orgs, *r.RuleOrg)
		}
		if i == len(rows)-1 || rows[i+1].Group.ID != r.Group.ID {
			out = append(out, toGroup(r.Group, orgs))
			orgs = nil
		}
	}
	return out, nil
}

func (d *DB) withRuleOrgs(ctx context.Context, rows []groupRow, more bool) ([]domain.Group, bool, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	orgs, err := d.ruleOrgsOf(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]domain.Group, len(rows))
	for i, r := range rows {
		out[i] = toGroup(r, orgs[r.ID])
	}
	return out, more, nil
}

// UpdateGroup writes g if its stored version is still prev.
func (d *DB) UpdateGroup(ctx context.Context, g domain.Group, prev int64) error {
	row := fromGroup(g)
	res := d.conn(ctx).Model(&groupRow{}).Where("id = ? AND version = ?", g.ID, prev).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return groupWriteError(res.Error, g.Name)
	}
	if err := affected(nil, res.RowsAffected); err != nil {
		return err
	}
	return d.setRuleOrgs(ctx, g.ID, ruleOrgs(g))
}

// DeleteGroup removes a group unless it is the only group of some user
// (group_in_use names them). The group's row and then its users' rows are
// locked first (see membership.go), so no concurrent change can add a
// member or take a member's other groups between the count and the delete.
func (d *DB) DeleteGroup(ctx context.Context, id uuid.UUID, prev int64) error {
	var g groupRow
	if err := d.forUpdate(d.conn(ctx)).Select("id").Take(&g, "id = ?", id).Error; err != nil {
		return notFound(err, "group", id.String())
	}
	members := func(q *gorm.DB) *gorm.DB {
		return q.Where("people.id IN (?)", d.conn(ctx).Model(&groupMembershipRow{}).Select("person_id").Where("group_id = ?", id))
	}
	if err := d.lockUsers(ctx, members); err != nil {
		return err
	}
	sole, err := d.usersWithout(ctx, members, "o.group_id <> ?", id)
	if err != nil {
		return err
	}
	if len(sole) > 0 {
		return domain.ErrGroupInUse(id, sole)
	}
	q := d.conn(ctx).Where("id = ?", id)
	if prev != 0 {
		q = q.Where("version = ?", prev)
	}
	res := q.Delete(&groupRow{})
	return affected(res.Error, res.RowsAffected)
}

func (d *DB) setRuleOrgs(ctx context.Context, groupID uuid.UUID, orgIDs []uuid.UUID) error {
	if err := d.conn(ctx).Where("group_id = ?", groupID).Delete(&groupRuleOrganizationRow{}).Error; err != nil {
		return err
	}
	if len(orgIDs) == 0 {
		return nil
	}
	rows := make([]groupRuleOrganizationRow, len(orgIDs))
	for i, o := range orgIDs {
		rows[i] = groupRuleOrganizationRow{GroupID: groupID, OrganizationID: o}
	}
	err := d.conn(ctx).Create(&rows).Error
	if isForeignKeyViolation(err) {
		return domain.Invalid("validation_failed", "the smart rule names an organization that does not exist",
			domain.FieldError{Field: "smart_rule.organization_ids", Code: "not_found", Message: "every organization id must exist"})
	}
	return err
}

func (d *DB) ruleOrgsOf(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	out := map[uuid.UUID][]uuid.UUID{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []groupRuleOrganizationRow
	err := d.conn(ctx).Where("group_id IN ?", ids).Order("organization_id").Find(&rows).Error
	for _, r := range rows {
		out[r.GroupID] = append(out[r.GroupID], r.OrganizationID)
	}
	return out, err
}

func groupWriteError(err error, name string) error {
	if isUniqueViolation(err) {
		return domain.Conflict("group_name_taken", fmt.Sprintf("a group named %q exists already (names compare case-insensitively)", name))
	}
	return err
}

// MissingGroups returns the ids among ids that name no group.
func (d *DB) MissingGroups(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var found []uuid.UUID
	if err := d.conn(ctx).Model(&groupRow{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	var missing []uuid.UUID
	for _, id := range ids {
		if !slices.Contains(found, id) {
			missing = append(missing, id)
		}
	}
	return missing, nil
}
