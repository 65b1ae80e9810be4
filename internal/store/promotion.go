package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

// GetPerson reads a contact or a user: isUser tells which. For a contact,
// GroupIDs are the groups kept from an earlier demotion.
// It reads the person and its groups in one statement.
func (d *DB) GetPerson(ctx context.Context, id uuid.UUID, lock bool) (p domain.User, isUser bool, err error) {
	q := d.conn(ctx).Table("people").Select("people.*, m.group_id AS member_of").
		Joins("LEFT JOIN group_memberships m ON m.person_id = people.id").
		Where("people.id = ?", id).Order("m.group_id")
	if lock && d.Dialect == Postgres {
		q = q.Clauses(lockOf("people"))
	}
	var rows []struct {
		Person   personRow `gorm:"embedded"`
		MemberOf *uuid.UUID
	}
	if err := q.Find(&rows).Error; err != nil {
		return domain.User{}, false, err
	}
	if len(rows) == 0 {
		return domain.User{}, false, domain.NotFound("contact", id.String())
	}
	var groups []uuid.UUID
	for _, r := range rows {
		if r.MemberOf != nil {
			groups = append(groups, *r.MemberOf)
		}
	}
	return toUser(rows[0].Person, groups), rows[0].Person.Kind == kindUser, nil
}

// EmailHolders answers, in one statement, which user has this email and
// which organization owns its domain (nil when none).
func (d *DB) EmailHolders(ctx context.Context, email, dom string) (user, org *uuid.UUID, err error) {
	var row struct {
		UserID *uuid.UUID
		OrgID  *uuid.UUID
	}
	err = d.conn(ctx).Raw(`SELECT
		(SELECT id FROM people WHERE email_key = ? AND kind = ?) AS user_id,
		(SELECT organization_id FROM email_domains WHERE domain = ?) AS org_id`,
		domain.EmailKey(email), kindUser, dom).Find(&row).Error // Find, not Scan: the rows close inside the bound
	return row.UserID, row.OrgID, err
}

// ContactWithEmail returns another contact with this email, if any.
func (d *DB) ContactWithEmail(ctx context.Context, email string, except uuid.UUID) (*uuid.UUID, error) {
	var ids []uuid.UUID
	err := d.conn(ctx).Model(&personRow{}).Where("email_key = ? AND kind = ? AND id <> ?", domain.EmailKey(email), kindContact, except).
		Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return &ids[0], nil
}

// OrganizationOfAccount returns the organization created from the account, if any.
func (d *DB) OrganizationOfAccount(ctx context.Context, accountID uuid.UUID) (*domain.Organization, error) {
	var ids []uuid.UUID
	if err := d.conn(ctx).Model(&organizationRow{}).Where("account_id = ?", accountID).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return nil, err
	}
	o, err := d.GetOrganization(ctx, ids[0], false)
	return &o, err
}

// ConvertAccount inserts o, the organization for its account, unless a
// concurrent promotion created one first; either way it returns the
// account's organization and whether this call created it. The unique
// account_id settles the race.
func (d *DB) ConvertAccount(ctx context.Context, o domain.Organization) (domain.Organization, bool, error) {
	row := fromOrganization(o)
	res := d.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "account_id"}}, DoNothing: true}).Create(&row)
	if res.Error != nil {
		return domain.Organization{}, false, res.Error
	}
	if res.RowsAffected == 1 {
		return o, true, nil
	}
	existing, err := d.OrganizationOfAccount(ctx, *o.AccountID)
	if err != nil || existing == nil {
		return domain.Organization{}, false, errors.Join(err, fmt.Errorf("account %s: organization vanished", o.AccountID))
	}
	return *existing, false, nil
}

// PromoteContact turns the contact into the user u. It fails with
// already_user when the person stopped being a contact meanwhile, and with
// email_taken when another user has the email (the unique index decides).
func (d *DB) PromoteContact(ctx context.Context, u domain.User) error {
	res := d.conn(ctx).Model(&personRow{}).Where("id = ? AND kind = ?", u.ID, kindContact).Updates(map[string]any{
		"kind": kindUser, "status": string(u.Status), "role": string(u.Role), "email": u.Email,
		"email_key": domain.EmailKey(u.Email), "organization_id": u.OrganizationID, "primary_contact": u.PrimaryContact,
		"password_hash": "", "activated_at": nil, "version": u.Version, "updated_at": u.UpdatedAt,
	})
	switch {
	case isUniqueViolation(res.Error):
		return domain.ErrEmailTaken(u.Email, nil)
	case res.Error != nil:
		return res.Error
	case res.RowsAffected == 0:
		return domain.ErrAlreadyUser(u.ID, "")
	}
	return nil
}

// DemoteUser turns a user back into a contact, keeping organization, role,
// manual groups and data; smart memberships go (they follow the rules).
func (d *DB) DemoteUser(ctx context.Context, id uuid.UUID, version int64) error {
	res := d.conn(ctx).Model(&personRow{}).Where("id = ? AND kind = ?", id, kindUser).Updates(map[string]any{
		"kind": kindContact, "status": "", "password_hash": "", "primary_contact": false,
		"version": version, "updated_at": d.now(),
	})
	if err := affected(res.Error, res.RowsAffected); err != nil {
		return err
	}
	return d.conn(ctx).Where("person_id = ? AND source = ?", id, domain.SourceSmart).Delete(&groupMembershipRow{}).Error
}
