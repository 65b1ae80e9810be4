package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"
)

// Fixture builders: each creates one record over HTTP and returns its id.

func (a *api) org(t testing.TB, body map[string]any) string {
	t.Helper()
	if body["kind"] == nil {
		body["kind"] = "partner"
	}
	if body["name"] == nil {
		body["name"] = "Org"
	}
	var o Organization
	a.do("POST", "/api/v1/organizations", body).ok(t, 201, &o)
	return o.ID.String()
}

func (a *api) contact(t testing.TB, body map[string]any) string {
	t.Helper()
	if body["last_name"] == nil {
		body["last_name"] = "Doe"
	}
	var c Contact
	a.do("POST", "/api/v1/contacts", body).ok(t, 201, &c)
	return c.ID.String()
}

func (a *api) group(t testing.TB, body map[string]any) string {
	t.Helper()
	var g Group
	a.do("POST", "/api/v1/groups", body).ok(t, 201, &g)
	return g.ID.String()
}

func (a *api) account(t testing.TB, body map[string]any) string {
	t.Helper()
	var acc Account
	a.do("POST", "/api/v1/accounts", body).ok(t, 201, &acc)
	return acc.ID.String()
}

// count returns the number of rows of a table matching where.
func (a *api) count(t testing.TB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := a.db.Gorm.Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
