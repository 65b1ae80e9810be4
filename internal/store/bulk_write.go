package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

// ApplyPromotions writes a checked batch in a few multi-row statements, in
// the caller's transaction. It returns each converted account's
// organization (a concurrent promotion may have created it first).
func (d *DB) ApplyPromotions(ctx context.Context, b domain.PromotionBatch) (map[uuid.UUID]uuid.UUID, error) {
	orgs, err := d.insertConverted(ctx, b.NewOrganizations)
	if err != nil {
		return nil, err
	}
	res := d.conn(ctx).Exec(`UPDATE people SET kind = ?, status = ?,
		role = CASE WHEN ? = '' THEN role ELSE ? END,
		password_hash = '', activated_at = NULL, primary_contact = ?, version = version + 1, updated_at = ?,
		organization_id = COALESCE(organization_id, (SELECT o.id FROM organizations o WHERE o.account_id = people.account_id))
		WHERE id IN ? AND kind = ?`,
		kindUser, string(domain.UserPending), string(b.Role), string(b.Role), false, b.At, b.UserIDs, kindContact)
	switch {
	case isUniqueViolation(res.Error):
		return nil, domain.ErrBatchRace
	case res.Error != nil:
		return nil, res.Error
	case res.RowsAffected != int64(len(b.UserIDs)):
		return nil, domain.ErrBatchRace
	}
	if err := insertAll(ctx, d, memberships(b)); err != nil {
		return nil, err
	}
	if err := insertAll(ctx, d, tokens(b)); err != nil {
		return nil, err
	}
	if err := d.enqueueEmails(ctx, b.Emails, b.At); err != nil {
		return nil, err
	}
	if err := d.AddInvitations(ctx, b.Invitations); err != nil {
		return nil, err
	}
	return orgs, insertAll(ctx, d, audits(b))
}

func (d *DB) insertConverted(ctx context.Context, orgs []domain.Organization) (map[uuid.UUID]uuid.UUID, error) {
	if len(orgs) == 0 {
		return map[uuid.UUID]uuid.UUID{}, nil
	}
	rows := make([]organizationRow, len(orgs))
	accounts := make([]uuid.UUID, len(orgs))
	for i, o := range orgs {
		rows[i], accounts[i] = fromOrganization(o), *o.AccountID
	}
	err := d.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "account_id"}}, DoNothing: true}).
		CreateInBatches(&rows, 500).Error
	if err != nil {
		return nil, err
	}
	return d.OrganizationsOfAccounts(ctx, accounts)
}

// insertAll inserts rows in statements of at most 1000 rows, which keeps
// every statement under PostgreSQL's 65535 parameters.
func insertAll[T any](ctx context.Context, d *DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	err := d.conn(ctx).CreateInBatches(rows, 1000).Error
	if isForeignKeyViolation(err) {
		return domain.Invalid("group_not_found", "a given group does not exist")
	}
	return err
}

func memberships(b domain.PromotionBatch) []groupMembershipRow {
	out := make([]groupMembershipRow, len(b.Memberships))
	for i, m := range b.Memberships {
		out[i] = groupMembershipRow{PersonID: m.PersonID, GroupID: m.GroupID, Source: m.Source, CreatedAt: b.At}
	}
	return out
}

func tokens(b domain.PromotionBatch) []userTokenRow {
	out := make([]userTokenRow, len(b.Tokens))
	for i, t := range b.Tokens {
		id := t.ID
		if id == uuid.Nil {
			id = domain.NewID()
		}
		out[i] = userTokenRow{ID: id, PersonID: t.PersonID, Purpose: t.Purpose, TokenHash: t.Hash, ExpiresAt: t.Expires, CreatedAt: b.At}
	}
	return out
}

func audits(b domain.PromotionBatch) []auditEventRow {
	out := make([]auditEventRow, len(b.Audits))
	for i, e := range b.Audits {
		out[i] = auditEventRow{ID: domain.NewID(), OccurredAt: b.At, Actor: e.Actor, Action: e.Action, SubjectType: e.SubjectType,
			SubjectID: e.SubjectID, OrganizationID: e.OrganizationID, Details: jsonMap(e.Details)}
	}
	return out
}
