package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// On PostgreSQL the import's large writes are one statement per batch
// over unnest()ed arrays: a handful of parameters instead of one per cell,
// which keeps an import of many rows close to the cost of COPY.

// sqlTx is the database/sql transaction under the context's GORM one; the
// arrays go to pgx as they are, past GORM's expansion of slices.
func sqlTx(ctx context.Context) (*sql.Tx, error) {
	g, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil, fmt.Errorf("store: an import write runs in a transaction")
	}
	tx, ok := g.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("store: the transaction is not a database/sql one")
	}
	return tx, nil
}

func idText(id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

func (d *DB) insertContactsPG(ctx context.Context, contacts []domain.Contact) error {
	tx, err := sqlTx(ctx)
	if err != nil {
		return err
	}
	n := len(contacts)
	ids, first, last, email, key, phone, title, locale := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	orgs, accounts, externals := make([]*string, n), make([]*string, n), make([]*string, n)
	versions := make([]int64, n)
	created, updated := make([]string, n), make([]string, n)
	for i, c := range contacts {
		ids[i], first[i], last[i], email[i], key[i] = c.ID.String(), c.FirstName, c.LastName, c.Email, domain.EmailKey(c.Email)
		phone[i], title[i], locale[i], versions[i] = c.Phone, c.Title, c.Locale, c.Version
		orgs[i], accounts[i], externals[i] = idText(c.OrganizationID), idText(c.AccountID), nullable(c.ExternalID)
		created[i], updated[i] = c.CreatedAt.UTC().Format("2006-01-02T15:04:05.999999Z"), c.UpdatedAt.UTC().Format("2006-01-02T15:04:05.999999Z")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO people (id, kind, role, first_name, last_name, email, email_key, phone, title,
		organization_id, account_id, locale, external_id, version, created_at, updated_at)
		SELECT u.id, 'contact', 'member', u.first_name, u.last_name, u.email, u.email_key, u.phone, u.title,
			u.organization_id, u.account_id, u.locale, u.external_id, u.version, u.created_at, u.updated_at
		FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[],
			$10::text[], $11::text[], $12::bigint[], $13::timestamptz[], $14::timestamptz[])
			AS u(id, first_name, last_name, email, email_key, phone, title, organization_id, account_id, locale, external_id,
				version, created_at, updated_at)`,
		ids, first, last, email, key, phone, title, orgs, accounts, locale, externals, versions, created, updated)
	return err
}

func (d *DB) insertImportItemsPG(ctx context.Context, rows []importJobItemRow) error {
	tx, err := sqlTx(ctx)
	if err != nil {
		return err
	}
	n := len(rows)
	seqs := make([]int64, n)
	status, codes, details, fields := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	records := make([]*string, n)
	for i, r := range rows {
		seqs[i], status[i], codes[i], details[i], records[i] = int64(r.Seq), r.Status, r.ErrorCode, r.ErrorDetail, idText(r.RecordID)
		if fields[i], err = fieldsJSON(r.ErrorFields); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO import_job_items (job_id, seq, status, record_id, error_code, error_detail, error_fields)
		SELECT $1, u.seq, u.status, u.record_id, u.error_code, u.error_detail, u.error_fields::jsonb
		FROM unnest($2::int[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[])
			AS u(seq, status, record_id, error_code, error_detail, error_fields)`,
		rows[0].JobID.String(), seqs, status, records, codes, details, fields)
	return err
}

func fieldsJSON(l jsonList) (string, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal([]map[string]any(l))
	return string(b), err
}
