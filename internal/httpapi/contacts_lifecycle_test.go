package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// step is one request of a scripted exchange on a single resource.
type step struct {
	name, method, ifMatch, body string
	status                      int
	code                        string // problem code when status is an error
	etag                        string // ETag expected on success ("" for 204)
}

// runSteps sends each step to path in order; later steps depend on earlier ones.
func runSteps(t *testing.T, a *api, path string, steps []step) {
	t.Helper()
	for _, st := range steps {
		var header []string
		if st.ifMatch != "" {
			header = []string{"If-Match", st.ifMatch}
		}
		var body any
		if st.body != "" {
			body = st.body
		}
		resp := a.do(st.method, path, body, header...)
		if st.code != "" {
			resp.problem(t, st.status, st.code)
		} else {
			resp.ok(t, st.status, nil)
		}
		if got := resp.Header.Get("ETag"); st.code == "" && got != st.etag {
			t.Fatalf("%s: ETag %q, want %q", st.name, got, st.etag)
		}
	}
}

func TestContactIfMatch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		c := s.contact(map[string]any{"last_name": "Doe", "email": "jane@example.com"})
		path := "/api/v1/contacts/" + c.ID.String()
		runSteps(t, a, path, []step{
			{"read", "GET", "", "", 200, "", `"1"`},
			{"future version", "PATCH", `"2"`, `{"first_name":"A"}`, 412, "precondition_failed", ""},
			{"weak etag", "PATCH", `W/"1"`, `{"first_name":"A"}`, 412, "precondition_failed", ""},
			{"garbage", "PATCH", `one`, `{"first_name":"A"}`, 412, "precondition_failed", ""},
			{"unchanged", "GET", "", "", 200, "", `"1"`},
			{"current", "PATCH", `"1"`, `{"first_name":"B"}`, 200, "", `"2"`},
			{"now stale", "PATCH", `"1"`, `{"first_name":"C"}`, 412, "precondition_failed", ""},
			{"any", "PATCH", `*`, `{"title":"CTO"}`, 200, "", `"3"`},
			{"none", "PATCH", "", `{"phone":"5"}`, 200, "", `"4"`},
			{"stale delete", "DELETE", `"3"`, "", 412, "precondition_failed", ""},
			{"still there", "GET", "", "", 200, "", `"4"`},
			{"delete", "DELETE", `"4"`, "", 204, "", ""},
			{"gone", "GET", "", "", 404, "not_found", ""},
			{"patch gone", "PATCH", `*`, `{"first_name":"D"}`, 404, "not_found", ""},
			{"delete gone", "DELETE", "", "", 404, "not_found", ""},
		})
		other := s.contact(map[string]any{"last_name": "Roe"})
		runSteps(t, a, "/api/v1/contacts/"+other.ID.String(), []step{
			{"delete any", "DELETE", `*`, "", 204, "", ""},
			{"gone", "GET", "", "", 404, "not_found", ""},
		})
	})
}

func TestContactIfMatchKeepsData(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		c := seeder{t, a}.contact(map[string]any{"first_name": "Jane", "last_name": "Doe"})
		path := "/api/v1/contacts/" + c.ID.String()
		a.do("PATCH", path, `{"first_name":"Janet"}`, "If-Match", `"1"`).ok(t, 200, nil)
		a.do("PATCH", path, `{"first_name":"Lost","last_name":"Update"}`, "If-Match", `"1"`).problem(t, 412, "precondition_failed")
		a.do("DELETE", path, nil, "If-Match", `"1"`).problem(t, 412, "precondition_failed")
		got := getContact(t, a, c.ID)
		if got.FirstName != "Janet" || got.LastName != "Doe" || got.Version != 2 {
			t.Fatalf("after a stale write: %s v%d, want Janet Doe v2", contactData(got), got.Version)
		}
	})
}

func TestContactPathID(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		seeder{t, a}.contact(map[string]any{"last_name": "Doe"})
		for _, id := range []string{"not-a-uuid", "123", uuid.NewString(), strings.Repeat("0", 32) + "x"} {
			for _, method := range []string{"GET", "PATCH", "DELETE"} {
				t.Run(method+" "+id, func(t *testing.T) {
					var body any
					if method == "PATCH" {
						body = `{"first_name":"X"}`
					}
					p := a.do(method, "/api/v1/contacts/"+id, body).problem(t, 404, "not_found")
					if !strings.Contains(p.Detail, "contact") {
						t.Errorf("detail %q does not name the resource", p.Detail)
					}
				})
			}
		}
	})
}

func TestOrganizationInUseByContacts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		org := s.org("Acme", "partner", "active", "", "")
		acc := s.account("Acme CRM")
		first := s.contact(map[string]any{"last_name": "One", "organization_id": org.ID})
		second := s.contact(map[string]any{"last_name": "Two", "organization_id": org.ID, "account_id": acc.ID})
		bystander := s.contact(map[string]any{"last_name": "Elsewhere", "account_id": acc.ID})
		orgPath := "/api/v1/organizations/" + org.ID.String()

		p := a.do("DELETE", orgPath, nil).problem(t, 409, "organization_in_use")
		if !strings.Contains(p.Detail, "2 contacts") {
			t.Errorf("detail %q does not give the count of 2 contacts", p.Detail)
		}
		a.do("GET", orgPath, nil).ok(t, 200, nil)

		a.do("DELETE", "/api/v1/contacts/"+first.ID.String(), nil).ok(t, 204, nil)
		p = a.do("DELETE", orgPath, nil).problem(t, 409, "organization_in_use")
		if !strings.Contains(p.Detail, "1 contact") {
			t.Errorf("detail %q does not give the count of 1 contact", p.Detail)
		}

		a.do("DELETE", "/api/v1/contacts/"+second.ID.String(), nil).ok(t, 204, nil)
		a.do("DELETE", orgPath, nil).ok(t, 204, nil)
		a.do("GET", orgPath, nil).problem(t, 404, "not_found")
		if got := getContact(t, a, bystander.ID); got.AccountID == nil || *got.AccountID != acc.ID {
			t.Errorf("contact of the account only: %s", contactData(got))
		}
	})
}

func TestOrganizationFreedByUnlinking(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		org := s.org("Acme", "customer", "inactive", "", "")
		c := s.contact(map[string]any{"last_name": "One", "organization_id": org.ID})
		orgPath := "/api/v1/organizations/" + org.ID.String()
		a.do("DELETE", orgPath, nil).problem(t, 409, "organization_in_use")
		a.do("PATCH", "/api/v1/contacts/"+c.ID.String(), `{"organization_id":null}`).ok(t, 200, nil)
		a.do("DELETE", orgPath, nil).ok(t, 204, nil)
		if got := getContact(t, a, c.ID); got.OrganizationID != nil || got.LastName != "One" {
			t.Errorf("unlinked contact after its organization went: %s", contactData(got))
		}
	})
}
