package main

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/portico/portico/internal/domain"
)

const orgCount = 50

// world is what the shapes page through.
type world struct {
	org, group uuid.UUID
	middle     uuid.UUID // a contact id half-way through the id order
}

// seed writes 50 organizations, a group, n contacts and n/10 users (each
// in the group) with COPY, then ANALYZE, as a live database has statistics.
func seed(ctx context.Context, dsn string, n int) (world, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return world{}, err
	}
	defer func() { _ = conn.Close(ctx) }()
	now := time.Now().UTC()
	orgs := make([]uuid.UUID, orgCount)
	var orgRows, domainRows [][]any
	for i := range orgs {
		orgs[i] = domain.NewID()
		orgRows = append(orgRows, []any{orgs[i], fmt.Sprint("Org ", i), "partner", "active", []string{"EMEA", "AMER"}[i%2], "{}", int64(1), now, now})
		domainRows = append(domainRows, []any{fmt.Sprintf("org%d.example", i), orgs[i], now})
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"organizations"},
		[]string{"id", "name", "kind", "status", "region", "custom_fields", "version", "created_at", "updated_at"}, pgx.CopyFromRows(orgRows)); err != nil {
		return world{}, fmt.Errorf("organizations: %w", err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"email_domains"}, []string{"domain", "organization_id", "created_at"}, pgx.CopyFromRows(domainRows)); err != nil {
		return world{}, fmt.Errorf("domains: %w", err)
	}
	w := world{org: orgs[7], group: domain.NewID()}
	if _, err := conn.Exec(ctx, `INSERT INTO groups (id, name, name_key, version, created_at, updated_at) VALUES ($1, 'Resellers', 'resellers', 1, $2, $2)`, w.group, now); err != nil {
		return world{}, fmt.Errorf("group: %w", err)
	}
	users := n / 10
	ids := make([]uuid.UUID, n+users)
	i := 0
	people := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(ids) {
			return nil, nil
		}
		kind, status := "contact", ""
		if i >= n {
			kind, status = "user", "active"
		}
		ids[i] = domain.NewID()
		email := fmt.Sprintf("%s%d@org%d.example", kind, i, i%orgCount)
		row := []any{ids[i], kind, "Person", fmt.Sprint("No. ", i), email, email, orgs[i%orgCount], status, "member", int64(1), now, now}
		i++
		return row, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"people"},
		[]string{"id", "kind", "first_name", "last_name", "email", "email_key", "organization_id", "status", "role", "version", "created_at", "updated_at"},
		people); err != nil {
		return world{}, fmt.Errorf("people: %w", err)
	}
	j := n
	members := pgx.CopyFromFunc(func() ([]any, error) {
		if j == len(ids) {
			return nil, nil
		}
		j++
		return []any{ids[j-1], w.group, "manual", now}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"group_memberships"}, []string{"person_id", "group_id", "source", "created_at"}, members); err != nil {
		return world{}, fmt.Errorf("memberships: %w", err)
	}
	if err := conn.QueryRow(ctx, "SELECT id FROM people WHERE kind = 'contact' ORDER BY id OFFSET $1 LIMIT 1", n/2).Scan(&w.middle); err != nil {
		return world{}, err
	}
	_, err = conn.Exec(ctx, "ANALYZE")
	return w, err
}
