package main

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
)

// copyFloor seeds dsn like run does, then times writing the rows a bulk
// promotion writes — user update, memberships, token, outbox email and its
// delivery job, audit event — set-based with COPY in one transaction: the
// floor of this machine for the same work.
func copyFloor(ctx context.Context, dsn string, n int) (time.Duration, error) {
	db, err := store.Open(ctx, store.Options{URL: dsn})
	if err != nil {
		return 0, err
	}
	defer func() { _ = db.Close() }()
	if _, err := db.Migrate(ctx); err != nil {
		return 0, err
	}
	f, err := seedFixture(ctx, db, dsn, n)
	if err != nil {
		return 0, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer func() { _ = conn.Close(ctx) }()

	start := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "CREATE TEMP TABLE promote_ids (id uuid PRIMARY KEY) ON COMMIT DROP"); err != nil {
		return 0, err
	}
	if err := copyRows(ctx, tx, "promote_ids", []string{"id"}, n, func(i int) []any { return []any{f.contacts[i]} }); err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	if _, err := tx.Exec(ctx, `UPDATE people p SET kind = 'user', status = 'pending', version = p.version + 1, updated_at = $1
		FROM promote_ids t WHERE p.id = t.id`, now); err != nil {
		return 0, err
	}
	eu := map[any]bool{}
	for _, o := range f.orgs {
		eu[o.ID] = o.Region == "EMEA"
	}
	var members [][]any
	for i, id := range f.contacts {
		members = append(members, []any{id, f.manual, "manual", now}, []any{id, f.smartAll, "smart", now})
		if eu[f.orgOf[i]] {
			members = append(members, []any{id, f.smartEU, "smart", now})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"group_memberships"}, []string{"person_id", "group_id", "source", "created_at"}, pgx.CopyFromRows(members)); err != nil {
		return 0, err
	}
	hashes := make([]string, n)
	if err := copyRows(ctx, tx, "user_tokens", []string{"id", "person_id", "purpose", "token_hash", "expires_at", "created_at"}, n, func(i int) []any {
		token, hash := domain.NewSecret()
		hashes[i] = token
		return []any{domain.NewID(), f.contacts[i], "activation", hash, now.Add(7 * 24 * time.Hour), now}
	}); err != nil {
		return 0, err
	}
	emails := make([]uuid.UUID, n)
	if err := copyRows(ctx, tx, "outbox_emails", []string{"id", "recipient", "subject", "body", "attempts", "last_error", "created_at"}, n, func(i int) []any {
		body := fmt.Sprintf("Hello Contact No. %d,\n\nyou have been invited to the portal as a member of Org %d.\nOpen this link (it works once, for 7 days):\n\nhttp://portal.test/activate?token=%s\n\nIf you did not expect this invitation, ignore this email.\n", i, i%orgCount, hashes[i])
		emails[i] = domain.NewID()
		return []any{emails[i], fmt.Sprintf("contact%d@org%d.example", i, i%orgCount), "Your portal invitation", body, 0, "", now}
	}); err != nil {
		return 0, err
	}
	if err := copyRows(ctx, tx, "river_job", []string{"args", "kind", "max_attempts", "queue", "state", "scheduled_at", "priority"}, n, func(i int) []any {
		return []any{`{"email_id":"` + emails[i].String() + `"}`, "send_email", 8, "mail", "available", now, 1}
	}); err != nil {
		return 0, err
	}
	if err := copyRows(ctx, tx, "audit_events", []string{"id", "occurred_at", "actor", "action", "subject_type", "subject_id", "organization_id", "details"}, n, func(i int) []any {
		return []any{domain.NewID(), now, "benchmark", "user.promoted", "user", f.contacts[i].String(), f.orgOf[i], `{"organization_created":false}`}
	}); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, n int, row func(int) []any) error {
	i := 0
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return row(i - 1), nil
	}))
	return err
}
