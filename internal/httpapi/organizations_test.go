package httpapi_test

import (
	"strings"
	"testing"
	"time"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestOrganizationLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		before := time.Now().UTC().Add(-time.Second)
		body := obj{"name": "Acme Resellers", "kind": "partner", "status": "prospective", "partner_type": "gold",
			"region": "EMEA", "street": "1 Main St", "city": "Lyon", "state": "ARA", "postal_code": "69001",
			"country": "FR", "phone": "+33 1", "website": "https://acme.example", "email_domains": []string{"acme.example"}}
		var o Organization
		r := a.do("POST", "/api/v1/organizations", body).ok(t, 201, &o)
		id := o.ID.String()
		if r.Header.Get("Location") != "/api/v1/organizations/"+id || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("Location %q ETag %q", r.Header.Get("Location"), r.Header.Get("ETag"))
		}
		want := Organization{ID: o.ID, Name: "Acme Resellers", Kind: "partner", Status: "prospective", PartnerType: "gold",
			Region: "EMEA", Address: Address{Street: "1 Main St", City: "Lyon", State: "ARA", PostalCode: "69001",
				Country: "FR", Phone: "+33 1", Website: "https://acme.example"}, Version: 1}
		wantOrg(t, o, want, []string{"acme.example"})
		if o.CreatedAt.Before(before) || !o.UpdatedAt.Equal(o.CreatedAt) || o.CreatedAt.Location() != time.UTC {
			t.Fatalf("created_at %v updated_at %v", o.CreatedAt, o.UpdatedAt)
		}
		got := a.getOrg(t, id)
		wantOrg(t, got, want, []string{"acme.example"})
		if !got.CreatedAt.Equal(o.CreatedAt) {
			t.Fatalf("read back created_at %v, want %v", got.CreatedAt, o.CreatedAt)
		}

		path := "/api/v1/organizations/" + id
		steps := []struct {
			name, ifMatch string
			body          obj
			status        int
			etag          string // after the step
		}{
			{"patch at the current version", `"1"`, obj{"name": "Acme Partners", "status": "active"}, 200, `"2"`},
			{"patch at a stale version", `"1"`, obj{"name": "Lost Update"}, 412, `"2"`},
			{"unquoted If-Match", `2`, obj{"name": "Lost Update"}, 412, `"2"`},
			{"patch with If-Match *", `*`, obj{"city": "Paris"}, 200, `"3"`},
			{"patch without If-Match", "", obj{"partner_type": ""}, 200, `"4"`},
			{"delete at a stale version", `"3"`, nil, 412, `"4"`},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				method := "PATCH"
				if s.body == nil {
					method = "DELETE"
				}
				var h []string
				if s.ifMatch != "" {
					h = []string{"If-Match", s.ifMatch}
				}
				r := a.do(method, path, s.body, h...)
				if s.status == 412 {
					r.problem(t, 412, "precondition_failed")
				} else {
					r.ok(t, s.status, nil)
				}
				if etag := a.do("GET", path, nil).ok(t, 200, nil).Header.Get("ETag"); etag != s.etag {
					t.Fatalf("ETag %s, want %s", etag, s.etag)
				}
			})
		}
		t.Run("patches merged, refused ones not applied", func(t *testing.T) {
			got := a.getOrg(t, id)
			want.Name, want.Status, want.City, want.PartnerType, want.Version = "Acme Partners", "active", "Paris", "", 4
			wantOrg(t, got, want, []string{"acme.example"})
			if !got.UpdatedAt.After(got.CreatedAt) {
				t.Fatalf("updated_at %v not after created_at %v", got.UpdatedAt, got.CreatedAt)
			}
		})
		t.Run("delete", func(t *testing.T) {
			a.do("DELETE", path, nil, "If-Match", `"4"`).ok(t, 204, nil)
			a.do("GET", path, nil).problem(t, 404, "not_found")
			a.do("DELETE", path, nil).problem(t, 404, "not_found")
			a.do("PATCH", path, obj{"name": "Ghost"}).problem(t, 404, "not_found")
			a.do("GET", "/api/v1/organizations/not-a-uuid", nil).problem(t, 404, "not_found")
		})
		t.Run("status defaults to active", func(t *testing.T) {
			if o := a.createOrg(t, obj{"name": "Defaulted"}); o.Status != "active" {
				t.Fatalf("status %q", o.Status)
			}
		})
	})
}

// wantOrg compares the caller-controlled fields of an organization.
func wantOrg(t *testing.T, got, want Organization, domains []string) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.Kind != want.Kind || got.Status != want.Status ||
		got.PartnerType != want.PartnerType || got.Region != want.Region || got.Address != want.Address ||
		got.Version != want.Version || got.AccountID != nil || len(got.CustomFields) != 0 ||
		strings.Join(got.EmailDomains, ",") != strings.Join(domains, ",") {
		t.Fatalf("organization\n got %+v\nwant %+v with domains %v", got, want, domains)
	}
}

func TestOrganizationValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 201)
	cases := []struct {
		name, method string
		body         any
		fields       []string
		codes        []string
	}{
		{"create: nothing", "POST", obj{}, []string{"name", "kind"}, []string{"required", "required"}},
		{"create: bad kind and status", "POST", obj{"name": "X", "kind": "vendor", "status": "gone"}, []string{"kind", "status"}, []string{"oneof", "oneof"}},
		{"create: name too long", "POST", obj{"name": long, "kind": "partner"}, []string{"name"}, []string{"max_length"}},
		{"create: postal code too long", "POST", obj{"name": "X", "kind": "partner", "postal_code": strings.Repeat("9", 21)}, []string{"postal_code"}, []string{"max_length"}},
		{"create: unknown member", "POST", obj{"name": "X", "kind": "partner", "nickname": "x"}, []string{"nickname"}, []string{"unknown_field"}},
		{"create: domains not strings", "POST", `{"name":"X","kind":"partner","email_domains":[1]}`, []string{"email_domains"}, []string{"type"}},
		{"create: too many domains", "POST", obj{"name": "X", "kind": "partner", "email_domains": make([]string, 101)}, []string{"email_domains"}, []string{"max_length"}},
		{"patch: empty name", "PATCH", obj{"name": ""}, []string{"name"}, []string{"min_length"}},
		{"patch: city too long", "PATCH", obj{"city": long}, []string{"city"}, []string{"max_length"}},
		{"patch: bad kind", "PATCH", obj{"kind": "vendor"}, []string{"kind"}, []string{"oneof"}},
		{"patch: account_id is not writable", "PATCH", obj{"account_id": "01a20380-ff4f-7eac-aa9e-860a70836f96"}, []string{"account_id"}, []string{"unknown_field"}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		existing := a.createOrg(t, obj{"name": "Existing"})
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				path := "/api/v1/organizations"
				if tc.method == "PATCH" {
					path += "/" + existing.ID.String()
				}
				p := a.do(tc.method, path, tc.body).problem(t, 422, "validation_failed")
				wantFields(t, p, tc.fields, tc.codes)
				for _, e := range p.Errors {
					if strings.Contains(e.Message, "Address") {
						t.Errorf("message names a Go type: %q", e.Message)
					}
				}
			})
		}
		t.Run("nothing stored or changed", func(t *testing.T) {
			var list OrganizationList
			a.do("GET", "/api/v1/organizations", nil).ok(t, 200, &list)
			if len(list.Data) != 1 || list.Data[0].Version != 1 || list.Data[0].Name != "Existing" {
				t.Fatalf("organizations after refused writes: %+v", list.Data)
			}
		})
	})
}

func TestOrganizationDeleteInUse(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		o := a.createOrg(t, obj{"name": "Busy", "email_domains": []string{"busy.example"}})
		path := "/api/v1/organizations/" + o.ID.String()
		contact := a.createContact(t, obj{"last_name": "Doe", "email": "jd@busy.example", "organization_id": o.ID})

		p := a.do("DELETE", path, nil).problem(t, 409, "organization_in_use")
		wantContains(t, p.Detail, "1 contacts")
		if got := a.getOrg(t, o.ID.String()); got.Version != 1 || len(got.EmailDomains) != 1 {
			t.Fatalf("refused delete changed the organization: %+v", got)
		}
		a.do("DELETE", "/api/v1/contacts/"+contact, nil).ok(t, 204, nil)
		a.do("DELETE", path, nil).ok(t, 204, nil)
		a.do("GET", path, nil).problem(t, 404, "not_found")
	})
}
