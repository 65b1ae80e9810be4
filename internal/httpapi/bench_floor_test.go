package httpapi_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/portico/portico/internal/domain"
)

// promotionFloor promotes a contact with the reads and writes a single
// promotion issues (docs/benchmarks.md lists them), straight through pgx
// in one transaction and with no rule evaluated in Go beyond what picks
// the values: what this machine's PostgreSQL costs for one promotion, the
// floor BenchmarkPromoteHTTP measures Portico against.
type promotionFloor struct {
	pool  *pgxpool.Pool
	jobs  *river.Client[pgx.Tx] // insert-only: the service's workers send the mail
	group uuid.UUID             // the manual group every promotion joins
}

func newPromotionFloor(ctx context.Context, url string, conns int, group uuid.UUID) (*promotionFloor, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MinConns, cfg.MaxConns = int32(conns), int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &promotionFloor{pool: pool, jobs: jobs, group: group}, nil
}

func (f *promotionFloor) Close() { f.pool.Close() }

// promote turns contact id into a pending user.
func (f *promotionFloor) promote(ctx context.Context, id uuid.UUID) error {
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	person, err := values(ctx, tx, `SELECT people.*, m.group_id AS member_of FROM "people" LEFT JOIN group_memberships m ON m.person_id = people.id WHERE people.id = $1 ORDER BY m.group_id FOR UPDATE OF "people"`, id)
	if err != nil || len(person) == 0 {
		return fmt.Errorf("person: %d rows, %w", len(person), err)
	}
	email, orgID, version := person[0]["email"].(string), uuid.UUID(person[0]["organization_id"].([16]byte)), person[0]["version"].(int64)
	org, err := values(ctx, tx, `SELECT organizations.*, email_domains.domain AS owned_domain FROM "organizations" LEFT JOIN email_domains ON email_domains.organization_id = organizations.id WHERE organizations.id = $1`, orgID)
	if err != nil || len(org) == 0 {
		return fmt.Errorf("organization: %d rows, %w", len(org), err)
	}
	_, domainName, _ := strings.Cut(email, "@")
	if _, err := values(ctx, tx, `SELECT
			(SELECT id FROM people WHERE email_key = $1 AND kind = $2) AS user_id,
			(SELECT organization_id FROM email_domains WHERE domain = $3) AS org_id`, email, "user", domainName); err != nil {
		return err
	}
	smart, err := values(ctx, tx, `SELECT groups.*, r.organization_id AS rule_org FROM "groups" LEFT JOIN group_rule_organizations r ON r.group_id = groups.id WHERE groups.smart_rule IS NOT NULL ORDER BY groups.id, r.organization_id`)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if _, err := tx.Exec(ctx, `UPDATE "people" SET "activated_at"=$1,"email"=$2,"email_key"=$3,"kind"=$4,"organization_id"=$5,"password_hash"=$6,"primary_contact"=$7,"role"=$8,"status"=$9,"updated_at"=$10,"version"=$11 WHERE id = $12 AND kind = $13`,
		nil, email, email, "user", orgID, "", false, "member", "pending", now, version+1, id, "contact"); err != nil {
		return err
	}
	// the benchmark's one smart group holds the EMEA organizations
	memberships, args := `INSERT INTO "group_memberships" ("person_id","group_id","source","created_at") VALUES ($1,$2,$3,$4)`, []any{id, f.group, "manual", now}
	if org[0]["region"] == "EMEA" && len(smart) > 0 {
		memberships += ",($5,$6,$7,$8)"
		args = append(args, id, uuid.UUID(smart[0]["id"].([16]byte)), "smart", now)
	}
	if _, err := tx.Exec(ctx, memberships, args...); err != nil {
		return err
	}
	if _, err := values(ctx, tx, `SELECT * FROM "email_templates" WHERE kind = $1`, "invitation"); err != nil {
		return err
	}
	tokenID, emailID := domain.NewID(), domain.NewID()
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	hash := sha256.Sum256(secret)
	expires := now.Add(72 * time.Hour)
	if _, err := tx.Exec(ctx, `WITH token AS (
				INSERT INTO user_tokens (id, person_id, purpose, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6))
			INSERT INTO outbox_emails (id, recipient, subject, body, html, attempts, last_error, created_at)
			VALUES ($7, $8, $9, $10, $11, 0, '', $12)`,
		tokenID, id, domain.PurposeActivation, hex.EncodeToString(hash[:]), expires, now,
		emailID, email, "You are invited to the partner portal", floorMailText(secret), floorMailHTML(secret), now); err != nil {
		return err
	}
	if _, err := f.jobs.InsertTx(ctx, tx, domain.SendEmail{EmailID: emailID}, &river.InsertOpts{Queue: "mail", MaxAttempts: 10}); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO "invitations" ("id","user_id","organization_id","token_id","email_id","status","locale","message","expires_at","sent_at","accepted_at","revoked_at","delivery_status","delivery_attempts","delivery_error","created_by","created_at") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
		domain.NewID(), id, orgID, tokenID, emailID, "pending", "", "", expires, nil, nil, nil, "queued", 0, "", "admin", now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO "audit_events" ("id","occurred_at","actor","action","subject_type","subject_id","organization_id","details") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		domain.NewID(), now, "admin", "user.promoted", "user", id.String(), orgID, `{"groups":2,"organization_created":false}`); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// values runs a query and decodes every column of every row, as the
// service's scan into its row structs does.
func values(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]map[string]any, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		row := make(map[string]any, len(vals))
		for i, fd := range rows.FieldDescriptions() {
			row[fd.Name] = vals[i]
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func floorMailText(secret []byte) string {
	return "Hello,\n\nyou have been invited to the partner portal. Set your password here:\nhttp://portal.test/activate?token=" +
		hex.EncodeToString(secret) + "\n\nThe link works once and expires in 72 hours.\n"
}

func floorMailHTML(secret []byte) string {
	return `<!doctype html><html><body><p>Hello,</p><p>you have been invited to the partner portal.</p><p><a href="http://portal.test/activate?token=` +
		hex.EncodeToString(secret) + `">Set your password</a></p><p>The link works once and expires in 72 hours.</p></body></html>`
}
