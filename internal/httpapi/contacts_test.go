package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// seeder creates the records a test needs over the API and fails the test
// on any answer but 201.
type seeder struct {
	t *testing.T
	a *api
}

func (s seeder) org(name, kind, status, partnerType, region string) Organization {
	s.t.Helper()
	var o Organization
	s.a.do("POST", "/api/v1/organizations", map[string]any{"name": name, "kind": kind, "status": status,
		"partner_type": partnerType, "region": region}).ok(s.t, 201, &o)
	return o
}

func (s seeder) account(name string) Account {
	s.t.Helper()
	var a Account
	s.a.do("POST", "/api/v1/accounts", map[string]any{"name": name}).ok(s.t, 201, &a)
	return a
}

func (s seeder) contact(body map[string]any) Contact {
	s.t.Helper()
	var c Contact
	s.a.do("POST", "/api/v1/contacts", body).ok(s.t, 201, &c)
	return c
}

// getContact reads a contact back and checks its ETag against its version.
func getContact(t *testing.T, a *api, id uuid.UUID) Contact {
	t.Helper()
	var c Contact
	resp := a.do("GET", "/api/v1/contacts/"+id.String(), nil).ok(t, 200, &c)
	if etag := resp.Header.Get("ETag"); etag != fmt.Sprintf(`"%d"`, c.Version) {
		t.Fatalf("ETag %q for version %d", etag, c.Version)
	}
	return c
}

// contactData is the stored data of c, comparable and readable in failures.
func contactData(c Contact) string {
	return fmt.Sprintf("first=%q last=%q email=%q phone=%q title=%q org=%s account=%s",
		c.FirstName, c.LastName, c.Email, c.Phone, c.Title, idOrNone(c.OrganizationID), idOrNone(c.AccountID))
}

func idOrNone(id *uuid.UUID) string {
	if id == nil {
		return "none"
	}
	return id.String()
}

func TestContactCreate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		org := s.org("Acme", "partner", "active", "gold", "EMEA")
		acc := s.account("Acme CRM")
		cases := []struct {
			name string
			body map[string]any
			want Contact
		}{
			{"email trimmed, case kept", map[string]any{"first_name": "Jane", "last_name": "Doe", "email": "  Jane.Doe@Example.COM \t",
				"phone": "+1 555", "title": "CTO"},
				Contact{FirstName: "Jane", LastName: "Doe", Email: "Jane.Doe@Example.COM", Phone: "+1 555", Title: "CTO"}},
			{"same email as another contact, other case", map[string]any{"last_name": "Twin", "email": "jane.doe@example.com"},
				Contact{LastName: "Twin", Email: "jane.doe@example.com"}},
			{"organization only", map[string]any{"last_name": "Org", "organization_id": org.ID},
				Contact{LastName: "Org", OrganizationID: &org.ID}},
			{"account only", map[string]any{"last_name": "Acc", "account_id": acc.ID},
				Contact{LastName: "Acc", AccountID: &acc.ID}},
			{"organization and account", map[string]any{"last_name": "Both", "organization_id": org.ID, "account_id": acc.ID},
				Contact{LastName: "Both", OrganizationID: &org.ID, AccountID: &acc.ID}},
			{"explicit null links", map[string]any{"last_name": "Nulls", "organization_id": nil, "account_id": nil},
				Contact{LastName: "Nulls"}},
			{"email without last name", map[string]any{"email": "solo@example.com"}, Contact{Email: "solo@example.com"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var c Contact
				resp := a.do("POST", "/api/v1/contacts", tc.body).ok(t, 201, &c)
				if loc := resp.Header.Get("Location"); loc != "/api/v1/contacts/"+c.ID.String() {
					t.Errorf("Location %q for id %s", loc, c.ID)
				}
				if etag := resp.Header.Get("ETag"); etag != `"1"` || c.Version != 1 {
					t.Errorf("ETag %q version %d, want \"1\" and 1", etag, c.Version)
				}
				if c.CreatedAt.IsZero() || c.CreatedAt.Location().String() != "UTC" || !c.UpdatedAt.Equal(c.CreatedAt) {
					t.Errorf("created_at %v updated_at %v", c.CreatedAt, c.UpdatedAt)
				}
				if got, want := contactData(c), contactData(tc.want); got != want {
					t.Errorf("created %s\nwant    %s", got, want)
				}
				if got, want := contactData(getContact(t, a, c.ID)), contactData(tc.want); got != want {
					t.Errorf("stored %s\nwant   %s", got, want)
				}
			})
		}
	})
}

func TestContactCreateInvalid(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		missing := uuid.New()
		cases := []struct {
			name   string
			body   any
			code   string // of the one field error, when fields has one
			fields []string
		}{
			{"no email", map[string]any{"last_name": "X", "email": "not an email"}, "email", []string{"email"}},
			{"display name form", map[string]any{"last_name": "X", "email": "Jane <j@x.com>"}, "email", []string{"email"}},
			{"no domain", map[string]any{"last_name": "X", "email": "a@"}, "email", []string{"email"}},
			{"neither last name nor email", map[string]any{"first_name": "Jane"}, "required", []string{"last_name"}},
			{"blank email, no last name", map[string]any{"first_name": "Jane", "email": "   "}, "required", []string{"last_name"}},
			{"blank last name, no email", map[string]any{"first_name": "Jane", "last_name": "  "}, "required", []string{"last_name"}},
			{"missing organization", map[string]any{"last_name": "X", "organization_id": missing}, "not_found", []string{"organization_id"}},
			{"missing account", map[string]any{"last_name": "X", "account_id": missing}, "not_found", []string{"account_id"}},
			{"both links missing", map[string]any{"last_name": "X", "organization_id": missing, "account_id": uuid.New()},
				"", []string{"organization_id", "account_id"}},
			{"unknown field", `{"last_name":"X","nickname":"Jay"}`, "unknown_field", []string{"nickname"}},
			{"first name too long", map[string]any{"last_name": "X", "first_name": strings.Repeat("a", 101)}, "max_length", []string{"first_name"}},
			{"wrong type", `{"last_name":5}`, "type", []string{"last_name"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := a.do("POST", "/api/v1/contacts", tc.body).problem(t, 422, "validation_failed")
				if got := strings.Join(fields(p), ","); got != strings.Join(tc.fields, ",") {
					t.Fatalf("fields %s, want %v: %+v", got, tc.fields, p)
				}
				if len(p.Errors) == 1 && p.Errors[0].Code != tc.code {
					t.Errorf("field code %q, want %q", p.Errors[0].Code, tc.code)
				}
			})
		}
		// A refused create stores nothing.
		resp := a.do("GET", "/api/v1/contacts", nil).ok(t, 200, nil)
		if got := strings.TrimSpace(string(resp.Body)); got != `{"data":[]}` {
			t.Fatalf("contacts after refused creates: %s", got)
		}
	})
}

func TestContactUpdate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		org := s.org("Acme", "partner", "active", "", "")
		org2 := s.org("Bolt", "customer", "active", "", "")
		acc := s.account("Acme CRM")
		missing := uuid.New()
		base := map[string]any{"first_name": "Jane", "last_name": "Doe", "email": "Jane@Example.com",
			"phone": "1", "title": "CTO", "organization_id": org.ID, "account_id": acc.ID}
		cases := []struct {
			name   string
			patch  string
			change func(c *Contact) // nil: the patch is refused
			fields []string         // of the refusal
		}{
			{"one field, rest kept", `{"first_name":"Janet"}`, func(c *Contact) { c.FirstName = "Janet" }, nil},
			{"email trimmed, case kept", `{"email":"  New.Mail@Example.ORG "}`, func(c *Contact) { c.Email = "New.Mail@Example.ORG" }, nil},
			{"email cleared", `{"email":""}`, func(c *Contact) { c.Email = "" }, nil},
			{"unlink organization", `{"organization_id":null}`, func(c *Contact) { c.OrganizationID = nil }, nil},
			{"unlink account", `{"account_id":null}`, func(c *Contact) { c.AccountID = nil }, nil},
			{"unlink both", `{"organization_id":null,"account_id":null}`, func(c *Contact) { c.OrganizationID, c.AccountID = nil, nil }, nil},
			{"move organization", `{"organization_id":"` + org2.ID.String() + `"}`, func(c *Contact) { c.OrganizationID = &org2.ID }, nil},
			{"empty patch", `{}`, func(*Contact) {}, nil},
			{"missing organization", `{"organization_id":"` + missing.String() + `"}`, nil, []string{"organization_id"}},
			{"missing account", `{"account_id":"` + missing.String() + `"}`, nil, []string{"account_id"}},
			{"invalid email", `{"email":"Jane <j@x.com>"}`, nil, []string{"email"}},
			{"unknown field", `{"nickname":"Jay"}`, nil, []string{"nickname"}},
			{"too long", `{"title":"` + strings.Repeat("t", 101) + `"}`, nil, []string{"title"}},
			{"neither last name nor email left", `{"last_name":"","email":" "}`, nil, []string{"last_name"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := s.contact(base)
				resp := a.do("PATCH", "/api/v1/contacts/"+before.ID.String(), tc.patch)
				if tc.change == nil {
					p := resp.problem(t, 422, "validation_failed")
					if got := strings.Join(fields(p), ","); got != strings.Join(tc.fields, ",") {
						t.Fatalf("fields %s, want %v", got, tc.fields)
					}
					after := getContact(t, a, before.ID)
					if contactData(after) != contactData(before) || after.Version != 1 {
						t.Fatalf("refused patch changed the contact: %s v%d", contactData(after), after.Version)
					}
					return
				}
				var got Contact
				resp.ok(t, 200, &got)
				want := before
				tc.change(&want)
				if etag := resp.Header.Get("ETag"); etag != `"2"` || got.Version != 2 {
					t.Errorf("ETag %q version %d after one update", etag, got.Version)
				}
				stored := getContact(t, a, before.ID)
				for what, c := range map[string]Contact{"answer": got, "stored": stored} {
					if contactData(c) != contactData(want) {
						t.Errorf("%s %s\nwant   %s", what, contactData(c), contactData(want))
					}
				}
				if !stored.CreatedAt.Equal(before.CreatedAt) || stored.UpdatedAt.Before(before.UpdatedAt) {
					t.Errorf("timestamps %v/%v after %v/%v", stored.CreatedAt, stored.UpdatedAt, before.CreatedAt, before.UpdatedAt)
				}
			})
		}
	})
}
