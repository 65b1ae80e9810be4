package httpapi_test

import (
	"net/url"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// External ids on each kind of record: trimmed, validated, unique per
// kind, filterable, cleared by PATCH, and kept by a contact through
// promotion and demotion.
func TestExternalIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		var org Organization
		a.do("POST", "/api/v1/organizations", map[string]any{"name": "Acme", "kind": "partner", "external_id": "  ORG-1 \u00a0"}).ok(t, 201, &org)
		if org.ExternalID == nil || *org.ExternalID != "ORG-1" {
			t.Fatalf("organization external_id %v, want trimmed ORG-1", org.ExternalID)
		}
		var acc Account
		a.do("POST", "/api/v1/accounts", map[string]any{"name": "Acme Corp", "external_id": "ORG-1"}).ok(t, 201, &acc)
		if acc.ExternalID == nil || *acc.ExternalID != "ORG-1" {
			t.Fatalf("account external_id %v: the same id is free in another kind", acc.ExternalID)
		}
		var none Account
		a.do("POST", "/api/v1/accounts", map[string]any{"name": "No id"}).ok(t, 201, &none)
		a.do("POST", "/api/v1/accounts", map[string]any{"name": "No id either", "external_id": "   "}).ok(t, 201, nil)
		if none.ExternalID != nil {
			t.Fatalf("account without external_id shows %q", *none.ExternalID)
		}
		var c Contact
		a.do("POST", "/api/v1/contacts", map[string]any{"last_name": "Doe", "email": "jane@acme.example", "organization_id": org.ID,
			"external_id": "C-1"}).ok(t, 201, &c)

		// one external id per kind: organizations, accounts, people
		for _, tc := range []struct{ path, body string }{
			{"/api/v1/organizations", `{"name":"Twin","kind":"customer","external_id":"ORG-1"}`},
			{"/api/v1/accounts", `{"name":"Twin","external_id":" ORG-1"}`},
			{"/api/v1/contacts", `{"last_name":"Twin","external_id":"C-1"}`},
		} {
			p := a.do("POST", tc.path, tc.body).problem(t, 409, "external_id_taken")
			if !strings.Contains(p.Detail, "external_id") || p.Resolution == "" {
				t.Errorf("%s: problem %+v", tc.path, p)
			}
		}
		a.do("PATCH", "/api/v1/accounts/"+none.ID.String(), map[string]any{"external_id": "ORG-1"}).problem(t, 409, "external_id_taken")

		// bad values name the field
		for name, v := range map[string]string{
			"too long":      strings.Repeat("x", 256),
			"line break":    "A\nB",
			"tab":           "A\tB",
			"control chars": "A\u0085B",
		} {
			for _, path := range []string{"/api/v1/organizations", "/api/v1/accounts", "/api/v1/contacts"} {
				body := map[string]any{"name": "N", "kind": "partner", "external_id": v}
				switch path {
				case "/api/v1/contacts":
					body = map[string]any{"last_name": "N", "external_id": v}
				case "/api/v1/accounts":
					delete(body, "kind")
				}
				p := a.do("POST", path, body).problem(t, 422, "validation_failed")
				if len(p.Errors) != 1 || p.Errors[0].Field != "external_id" {
					t.Errorf("%s %s: errors %+v, want one on external_id", name, path, p.Errors)
				}
			}
		}
		a.do("POST", "/api/v1/accounts", map[string]any{"name": "Max", "external_id": strings.Repeat("é", 255)}).ok(t, 201, nil)

		// filters: exact match after trimming, on every list
		for path, want := range map[string]string{
			"/api/v1/organizations?external_id=ORG-1": org.ID.String(),
			"/api/v1/accounts?external_id=%20ORG-1":   acc.ID.String(),
			"/api/v1/contacts?external_id=C-1":        c.ID.String(),
		} {
			var list struct {
				Data []struct{ ID string }
			}
			a.do("GET", path, nil).ok(t, 200, &list)
			if len(list.Data) != 1 || list.Data[0].ID != want {
				t.Errorf("%s: %+v, want only %s", path, list.Data, want)
			}
		}
		var empty ContactList
		a.do("GET", "/api/v1/contacts?external_id=c-1", nil).ok(t, 200, &empty)
		if len(empty.Data) != 0 {
			t.Errorf("external_id filter is case-sensitive, found %+v", empty.Data)
		}

		// kept through promotion and demotion, and visible on the user
		g := a.group(t, map[string]any{"name": "G"})
		a.do("POST", "/api/v1/contacts/"+c.ID.String()+"/promote", map[string]any{"group_ids": []string{g}}).ok(t, 201, nil)
		var users UserList
		a.do("GET", "/api/v1/users?external_id=C-1", nil).ok(t, 200, &users)
		if len(users.Data) != 1 || users.Data[0].ID != c.ID || users.Data[0].ExternalID == nil || *users.Data[0].ExternalID != "C-1" {
			t.Fatalf("users by external_id: %+v", users.Data)
		}
		// a user's external id is still taken for new contacts
		a.do("POST", "/api/v1/contacts", map[string]any{"last_name": "Late", "external_id": "C-1"}).problem(t, 409, "external_id_taken")
		a.do("POST", "/api/v1/users/"+c.ID.String()+"/demote", nil).ok(t, 200, nil)
		var back Contact
		a.do("GET", "/api/v1/contacts/"+c.ID.String(), nil).ok(t, 200, &back)
		if back.ExternalID == nil || *back.ExternalID != "C-1" {
			t.Fatalf("demoted contact lost its external_id: %v", back.ExternalID)
		}

		// PATCH: a value sets (trimmed), "" and null clear, a cleared id is free again
		var patched Contact
		a.do("PATCH", "/api/v1/contacts/"+c.ID.String(), map[string]any{"external_id": " C-2 "}).ok(t, 200, &patched)
		if patched.ExternalID == nil || *patched.ExternalID != "C-2" {
			t.Fatalf("patched external_id %v", patched.ExternalID)
		}
		a.do("PATCH", "/api/v1/contacts/"+c.ID.String(), map[string]any{"external_id": ""}).ok(t, 200, &patched)
		if patched.ExternalID != nil {
			t.Fatalf("\"\" kept external_id %q", *patched.ExternalID)
		}
		a.do("PATCH", "/api/v1/organizations/"+org.ID.String(), `{"external_id":null}`).ok(t, 200, &org)
		if org.ExternalID != nil {
			t.Fatalf("null kept external_id %q", *org.ExternalID)
		}
		a.do("POST", "/api/v1/organizations", map[string]any{"name": "Reuse", "kind": "customer", "external_id": "ORG-1"}).ok(t, 201, nil)
		p := a.do("PATCH", "/api/v1/accounts/"+acc.ID.String(), map[string]any{"external_id": "bad\x00"}).problem(t, 422, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "external_id" {
			t.Fatalf("PATCH with a NUL: %+v", p.Errors)
		}
	})
}

// Two creates with one external id at once: one 201, the rest 409, and one
// record in the database.
func TestExternalIDCreateRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		for _, tc := range []struct {
			path, table string
			body        map[string]any
		}{
			{"/api/v1/organizations", "organizations", map[string]any{"name": "Race", "kind": "partner", "external_id": "R-1"}},
			{"/api/v1/accounts", "accounts", map[string]any{"name": "Race", "external_id": "R-1"}},
			{"/api/v1/contacts", "people", map[string]any{"last_name": "Race", "external_id": "R-1"}},
		} {
			got := a.race(8, "POST", func(int) string { return tc.path }, tc.body)
			if got["ok"] != 1 || got["external_id_taken"] != 7 {
				t.Errorf("%s: answers %v, want 1 ok and 7 external_id_taken", tc.path, got)
			}
			if n := a.count(t, tc.table, "external_id = ?", "R-1"); n != 1 {
				t.Errorf("%s: %d rows with the external id", tc.table, n)
			}
		}
	})
}

// PUT by external id creates (201), merges (200) as PATCH does, honours
// If-Match, refuses a body with another external id, and is for admins.
func TestPutByExternalID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		f := newForeignWorld(t, a)
		path := "/api/v1/organizations/by-external-id/" + url.PathEscape("CRM/42 %")
		var org Organization
		r := a.do("PUT", path, map[string]any{"name": "Acme", "kind": "partner", "region": "EMEA"}).ok(t, 201, &org)
		if org.ExternalID == nil || *org.ExternalID != "CRM/42 %" || r.Header.Get("Location") != "/api/v1/organizations/"+org.ID.String() {
			t.Fatalf("created %+v at %q", org, r.Header.Get("Location"))
		}
		// a create needs what POST needs
		p := a.do("PUT", "/api/v1/organizations/by-external-id/NEW", map[string]any{"region": "EMEA"}).problem(t, 422, "validation_failed")
		if len(p.Errors) != 2 {
			t.Fatalf("create without name and kind: %+v", p.Errors)
		}
		// merge: members left out keep their value, null clears
		var merged Organization
		r = a.do("PUT", path, `{"name":"Acme 2","region":null,"external_id":"CRM/42 %"}`).ok(t, 200, &merged)
		if merged.ID != org.ID || merged.Name != "Acme 2" || merged.Region != "" || merged.Kind != "partner" || merged.Version != org.Version+1 {
			t.Fatalf("merged %+v from %+v", merged, org)
		}
		if r.Header.Get("ETag") != `"2"` {
			t.Fatalf("ETag %q", r.Header.Get("ETag"))
		}
		a.do("PUT", path, map[string]any{"name": "Stale"}, "If-Match", `"1"`).problem(t, 412, "precondition_failed")
		a.do("PUT", path, map[string]any{"name": "Fresh"}, "If-Match", `"2"`).ok(t, 200, &merged)
		if merged.Name != "Fresh" {
			t.Fatalf("If-Match merge: %+v", merged)
		}
		a.do("PUT", "/api/v1/organizations/by-external-id/NONE", map[string]any{"name": "X", "kind": "partner"}, "If-Match", `"1"`).
			problem(t, 412, "precondition_failed")
		a.do("PUT", "/api/v1/organizations/by-external-id/NONE", map[string]any{"name": "X", "kind": "partner"}, "If-Match", "*").
			problem(t, 412, "precondition_failed")
		if n := a.count(t, "organizations", "external_id = ?", "NONE"); n != 0 {
			t.Fatalf("If-Match create wrote %d organizations", n)
		}
		for _, body := range []string{`{"name":"X","external_id":"OTHER"}`, `{"name":"X","external_id":null}`, `{"name":"X","external_id":""}`} {
			p := a.do("PUT", path, body).problem(t, 422, "external_id_mismatch")
			if len(p.Errors) != 1 || p.Errors[0].Field != "external_id" {
				t.Errorf("%s: %+v", body, p.Errors)
			}
		}
		a.do("PUT", "/api/v1/organizations/by-external-id/%20%20", map[string]any{"name": "X", "kind": "partner"}).problem(t, 422, "validation_failed")

		// accounts and contacts the same way; a contact merge keeps unsent links
		var acc Account
		a.do("PUT", "/api/v1/accounts/by-external-id/A-1", map[string]any{"name": "Acc", "city": "Oslo"}).ok(t, 201, &acc)
		a.do("PUT", "/api/v1/accounts/by-external-id/A-1", map[string]any{"name": "Acc 2"}).ok(t, 200, &acc)
		if acc.Name != "Acc 2" || acc.City != "Oslo" {
			t.Fatalf("account merge %+v", acc)
		}
		var c Contact
		a.do("PUT", "/api/v1/contacts/by-external-id/C-1", map[string]any{"last_name": "Doe", "email": "ext@a.example", "organization_id": f.orgA}).ok(t, 201, &c)
		a.do("PUT", "/api/v1/contacts/by-external-id/C-1", map[string]any{"title": "CTO"}).ok(t, 200, &c)
		if c.Title != "CTO" || c.LastName != "Doe" || c.OrganizationID == nil || c.OrganizationID.String() != f.orgA {
			t.Fatalf("contact merge %+v", c)
		}
		if n := a.count(t, "people", "external_id = ?", "C-1"); n != 1 {
			t.Fatalf("%d people with C-1", n)
		}
		// a user holds its contact's external id: a PUT cannot make a second person with it
		a.do("POST", "/api/v1/contacts/"+c.ID.String()+"/promote", map[string]any{"group_ids": []string{f.group}}).ok(t, 201, nil)
		a.do("PUT", "/api/v1/contacts/by-external-id/C-1", map[string]any{"last_name": "Again"}).problem(t, 409, "external_id_taken")

		// the rules of create and update: admins only, also for a primary contact's own organization
		as := func(path string, body any) response { return a.do("PUT", path, body, "Authorization", f.primaryA) }
		as("/api/v1/contacts/by-external-id/P-1", map[string]any{"last_name": "Mine", "organization_id": f.orgA}).problem(t, 403, "insufficient_rights")
		as("/api/v1/organizations/by-external-id/CRM%2F42%20%25", map[string]any{"name": "Mine"}).problem(t, 403, "insufficient_rights")
		if n := a.count(t, "people", "external_id = ?", "P-1"); n != 0 {
			t.Fatalf("a primary contact created %d contacts", n)
		}
	})
}

// Two PUTs creating one external id at once end as one create and merges.
func TestPutByExternalIDRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		got := a.race(6, "PUT", func(int) string { return "/api/v1/accounts/by-external-id/RACE" }, map[string]any{"name": "Race"})
		if got["ok"] != 6 {
			t.Fatalf("answers %v, want 6 ok", got)
		}
		if n := a.count(t, "accounts", "external_id = ?", "RACE"); n != 1 {
			t.Fatalf("%d accounts", n)
		}
	})
}
