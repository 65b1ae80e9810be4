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

const orgCount = 50

// fixture is what seed creates; the floor needs it to write the same rows.
type fixture struct {
	orgs     []domain.Organization
	manual   uuid.UUID
	smartAll uuid.UUID // partner organizations
	smartEU  uuid.UUID // region EMEA
	contacts []uuid.UUID
	orgOf    []uuid.UUID // per contact
}

// seed creates the organizations, groups, fields and mapping through the
// store, and the contacts with one COPY.
func seed(ctx context.Context, db *store.DB, dsn string, n int) (uuid.UUID, []uuid.UUID, error) {
	f, err := seedFixture(ctx, db, dsn, n)
	if err != nil {
		return uuid.Nil, nil, err
	}
	return f.manual, f.contacts, nil
}

func seedFixture(ctx context.Context, db *store.DB, dsn string, n int) (*fixture, error) {
	now := time.Now().UTC()
	f := &fixture{}
	for i := range orgCount {
		o := domain.Organization{ID: domain.NewID(), Name: fmt.Sprint("Org ", i), Kind: domain.OrgPartner, Status: domain.OrgActive,
			Region: []string{"EMEA", "AMER"}[i%2], EmailDomains: []string{fmt.Sprintf("org%d.example", i)},
			CustomFields: map[string]any{}, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := db.CreateOrganization(ctx, o); err != nil {
			return nil, err
		}
		f.orgs = append(f.orgs, o)
	}
	groups := []struct {
		id   *uuid.UUID
		name string
		rule *domain.SmartRule
	}{
		{&f.manual, "Resellers", nil},
		{&f.smartAll, "All partners", &domain.SmartRule{OrganizationKinds: []domain.OrgKind{domain.OrgPartner}}},
		{&f.smartEU, "EMEA", &domain.SmartRule{Regions: []string{"EMEA"}}},
	}
	for _, g := range groups {
		*g.id = domain.NewID()
		if err := db.CreateGroup(ctx, domain.Group{ID: *g.id, Name: g.name, SmartRule: g.rule, Version: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
			return nil, err
		}
	}
	for _, entity := range []domain.FieldEntity{domain.EntityAccount, domain.EntityOrganization} {
		limit := 200
		if err := db.CreateFieldDefinition(ctx, domain.FieldDefinition{ID: domain.NewID(), Entity: entity, Key: "tier", Label: "Tier",
			Type: domain.FieldText, MaxLength: &limit, Options: []string{}, Version: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
			return nil, err
		}
	}
	if err := db.CreateFieldMapping(ctx, domain.FieldMapping{ID: domain.NewID(), AccountField: "tier", OrganizationField: "tier",
		Version: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
		return nil, err
	}
	return f, copyContacts(ctx, dsn, f, n, now)
}

func copyContacts(ctx context.Context, dsn string, f *fixture, n int, now time.Time) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(ctx) }()
	rows := make([][]any, n)
	for i := range n {
		org := f.orgs[i%orgCount]
		id := domain.NewID()
		email := fmt.Sprintf("contact%d@org%d.example", i, i%orgCount)
		rows[i] = []any{id, "contact", "Contact", fmt.Sprint("No. ", i), email, email, org.ID, "", "member", int64(1), now, now}
		f.contacts, f.orgOf = append(f.contacts, id), append(f.orgOf, org.ID)
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"people"},
		[]string{"id", "kind", "first_name", "last_name", "email", "email_key", "organization_id", "status", "role", "version", "created_at", "updated_at"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return err
	}
	// a live database has statistics; a table just filled by COPY has none
	// until autovacuum comes by, and the planner would scan it whole
	_, err = conn.Exec(ctx, "ANALYZE")
	return err
}
