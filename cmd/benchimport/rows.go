package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
)

// seedOrganizations creates the 50 organizations the contacts link to.
func seedOrganizations(ctx context.Context, a *app.App) ([]uuid.UUID, error) {
	ctx = domain.WithActor(ctx, domain.Actor{Kind: domain.ActorSystem})
	out := make([]uuid.UUID, 50)
	for i := range out {
		o, err := a.Directory.CreateOrganization(ctx, domain.Organization{Name: fmt.Sprintf("Org %d", i), Kind: domain.OrgPartner, Status: domain.OrgActive})
		if err != nil {
			return nil, err
		}
		out[i] = o.ID
	}
	return out, nil
}

// contact is the i-th contact of the benchmark, as both sides write it.
func contact(i int, orgs []uuid.UUID) (first, last, email, title, phone, locale string, org uuid.UUID) {
	return fmt.Sprintf("First%d", i), fmt.Sprintf("Last%d", i), fmt.Sprintf("person%d@bench.example", i),
		"Buyer", fmt.Sprintf("+49 30 %07d", i), "de", orgs[i%len(orgs)]
}

// writeCSV writes n contacts to a temporary file and returns its path and size.
func writeCSV(n int, orgs []uuid.UUID) (string, int64, error) {
	f, err := os.CreateTemp("", "benchimport-*.csv")
	if err != nil {
		return "", 0, err
	}
	defer func() { _ = f.Close() }()
	w := bufio.NewWriter(f)
	_, _ = fmt.Fprint(w, "first_name,last_name,email,title,phone,locale,organization_id\r\n")
	for i := range n {
		first, last, email, title, phone, locale, org := contact(i, orgs)
		_, _ = fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s\r\n", first, last, email, title, phone, locale, org) // Flush reports a write error
	}
	if err := w.Flush(); err != nil {
		return "", 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return "", 0, err
	}
	return f.Name(), st.Size(), nil
}

// copyFloor migrates dsn, seeds the organizations, then times one COPY of
// the same n people rows in one transaction: the floor of this machine.
func copyFloor(ctx context.Context, dsn string, n int) (time.Duration, error) {
	db, err := store.Open(ctx, store.Options{URL: dsn})
	if err != nil {
		return 0, err
	}
	defer func() { _ = db.Close() }()
	if _, err := db.Migrate(ctx); err != nil {
		return 0, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer func() { _ = conn.Close(ctx) }()
	now := time.Now().UTC()
	orgs := make([]uuid.UUID, 50)
	for i := range orgs {
		orgs[i] = uuid.New()
		if _, err := conn.Exec(ctx, `INSERT INTO organizations (id, name, kind, status, version, created_at, updated_at)
			VALUES ($1, $2, 'partner', 'active', 1, $3, $3)`, orgs[i], fmt.Sprintf("Org %d", i), now); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	cols := []string{"id", "kind", "first_name", "last_name", "email", "email_key", "phone", "title", "organization_id",
		"locale", "role", "version", "created_at", "updated_at"}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"people"}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		first, last, email, title, phone, locale, org := contact(i, orgs)
		return []any{uuid.New(), "contact", first, last, email, domain.EmailKey(email), phone, title, org, locale, "member", 1, now, now}, nil
	}))
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
