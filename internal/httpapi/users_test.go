package httpapi_test

import (
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// Users exist only through promotion, which is not served yet; these tests
// cover what the API answers without any.

func TestUsersEmpty(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		org := s.org("Acme", "partner", "active", "", "")
		// Contacts are people too, but never users.
		contact := s.contact(map[string]any{"last_name": "Doe", "email": "jane@acme.example", "organization_id": org.ID})

		for _, query := range []string{"", "?limit=1", "?status=pending", "?organization_id=" + org.ID.String(), "?q=doe"} {
			t.Run("list "+query, func(t *testing.T) {
				resp := a.do("GET", "/api/v1/users"+query, nil).ok(t, 200, nil)
				if got := strings.TrimSpace(string(resp.Body)); got != `{"data":[]}` {
					t.Fatalf("body %s, want {\"data\":[]}", got)
				}
			})
		}
		for _, tc := range []struct{ name, id string }{
			{"random id", uuid.NewString()},
			{"a contact's id", contact.ID.String()},
			{"malformed id", "not-a-uuid"},
		} {
			t.Run("get "+tc.name, func(t *testing.T) {
				p := a.do("GET", "/api/v1/users/"+tc.id, nil).problem(t, 404, "not_found")
				if !strings.Contains(p.Detail, "user") {
					t.Errorf("detail %q does not name the resource", p.Detail)
				}
			})
			t.Run("patch "+tc.name, func(t *testing.T) {
				a.do("PATCH", "/api/v1/users/"+tc.id, `{"title":"x"}`).problem(t, 404, "not_found")
			})
		}
		t.Run("the contact stays a contact", func(t *testing.T) {
			if got := getContact(t, a, contact.ID); got.LastName != "Doe" || got.Version != 1 {
				t.Errorf("contact after user lookups: %s v%d", contactData(got), got.Version)
			}
		})
	})
}

func TestUsersListInvalidQuery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		for _, tc := range []struct{ query, fields string }{
			{"status=banned", "status"},
			{"status=Active", "status"},
			{"organization_id=acme", "organization_id"},
			{"group_id=7", "group_id"},
			{"limit=1000", "limit"},
			{"status=x&group_id=y", "status,group_id"},
		} {
			t.Run(tc.query, func(t *testing.T) {
				p := a.do("GET", "/api/v1/users?"+tc.query, nil).problem(t, 422, "validation_failed")
				if got := strings.Join(fields(p), ","); got != tc.fields {
					t.Errorf("fields %s, want %s", got, tc.fields)
				}
			})
		}
	})
}

func TestDeletedContactIsGone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		gone := s.contact(map[string]any{"last_name": "Gone", "email": "same@example.com"})
		kept := s.contact(map[string]any{"last_name": "Kept", "email": "SAME@example.com"})
		a.do("DELETE", "/api/v1/contacts/"+gone.ID.String(), nil).ok(t, 204, nil)

		for _, method := range []string{"GET", "PATCH", "DELETE"} {
			t.Run(method, func(t *testing.T) {
				var body any
				if method == "PATCH" {
					body = `{"last_name":"Back"}`
				}
				a.do(method, "/api/v1/contacts/"+gone.ID.String(), body).problem(t, 404, "not_found")
			})
		}
		t.Run("not a user either", func(t *testing.T) {
			a.do("GET", "/api/v1/users/"+gone.ID.String(), nil).problem(t, 404, "not_found")
		})
		t.Run("the contact sharing its email stays", func(t *testing.T) {
			if got := getContact(t, a, kept.ID); got.Email != "SAME@example.com" {
				t.Errorf("kept contact: %s", contactData(got))
			}
			all, _ := collectPages[Contact](t, a, "/api/v1/contacts?q=same@example.com")
			if lastNames(all) != "Kept" {
				t.Errorf("search lists %q, want only Kept", lastNames(all))
			}
		})
	})
}
