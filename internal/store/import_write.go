package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// InsertContacts inserts checked contacts in multi-row statements, in the
// caller's transaction. A unique or foreign key violation (a concurrent
// change since the batch was checked) is domain.ErrBatchRace: the caller
// retries row by row.
func (d *DB) InsertContacts(ctx context.Context, contacts []domain.Contact) error {
	if len(contacts) == 0 {
		return nil
	}
	if d.Dialect == Postgres {
		err := d.insertContactsPG(ctx, contacts)
		if isUniqueViolation(err) || isForeignKeyViolation(err) {
			return domain.ErrBatchRace
		}
		return err
	}
	rows := make([]personRow, len(contacts))
	for i, c := range contacts {
		rows[i] = personRow{Kind: kindContact, Role: string(domain.RoleMember)}
		fromContact(&rows[i], c)
	}
	// 19 columns: 1,000 rows stay under PostgreSQL's 65,535 parameters
	err := d.conn(ctx).CreateInBatches(&rows, 1000).Error
	if isUniqueViolation(err) || isForeignKeyViolation(err) {
		return domain.ErrBatchRace
	}
	return err
}

// ExistingIDs returns which of ids name a row of table (organizations or
// accounts), in one query.
func (d *DB) ExistingIDs(ctx context.Context, table string, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	found := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return found, nil
	}
	if table != "organizations" && table != "accounts" {
		table = "organizations"
	}
	var rows []struct{ ID uuid.UUID }
	if err := d.conn(ctx).Table(table).Select("id").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		found[r.ID] = true
	}
	return found, nil
}
