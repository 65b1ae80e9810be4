package httpapi_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestAccountLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		addr := Address{Street: "1 Main St", City: "Lyon", State: "ARA", PostalCode: "69001", Country: "FR", Phone: "+33 1", Website: "https://acme.example"}
		var acc Account
		r := a.do("POST", "/api/v1/accounts", obj{"name": "Acme Corp", "street": addr.Street, "city": addr.City, "state": addr.State,
			"postal_code": addr.PostalCode, "country": addr.Country, "phone": addr.Phone, "website": addr.Website}).ok(t, 201, &acc)
		id := acc.ID.String()
		path := "/api/v1/accounts/" + id
		if r.Header.Get("Location") != path || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("Location %q ETag %q", r.Header.Get("Location"), r.Header.Get("ETag"))
		}
		want := Account{ID: acc.ID, Name: "Acme Corp", Address: addr, Version: 1}
		wantAccount(t, acc, want)
		var got Account
		a.do("GET", path, nil).ok(t, 200, &got)
		wantAccount(t, got, want)
		if !got.CreatedAt.Equal(acc.CreatedAt) || !got.UpdatedAt.Equal(acc.CreatedAt) {
			t.Fatalf("timestamps %v %v, want %v", got.CreatedAt, got.UpdatedAt, acc.CreatedAt)
		}

		steps := []struct {
			name, ifMatch string
			body          obj
			status        int
			code          string
			fields        []string
		}{
			{"patch at the current version", `"1"`, obj{"city": "Paris", "name": "Acme Group"}, 200, "", nil},
			{"patch at a stale version", `"1"`, obj{"city": "Lost"}, 412, "precondition_failed", nil},
			{"patch without If-Match", "", obj{"phone": ""}, 200, "", nil},
			{"empty name", "", obj{"name": ""}, 422, "validation_failed", []string{"name"}},
			{"postal code too long", "", obj{"postal_code": strings.Repeat("9", 21)}, 422, "validation_failed", []string{"postal_code"}},
			{"organization_id is not writable", "", obj{"organization_id": id}, 422, "validation_failed", []string{"organization_id"}},
			{"delete at a stale version", `"2"`, nil, 412, "precondition_failed", nil},
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
				if s.code == "" {
					r.ok(t, s.status, nil)
					return
				}
				wantFields(t, r.problem(t, s.status, s.code), s.fields, nil)
			})
		}
		t.Run("only accepted patches applied", func(t *testing.T) {
			want.Name, want.City, want.Phone, want.Version = "Acme Group", "Paris", "", 3
			var got Account
			r := a.do("GET", path, nil).ok(t, 200, &got)
			wantAccount(t, got, want)
			if r.Header.Get("ETag") != `"3"` || !got.UpdatedAt.After(got.CreatedAt) {
				t.Fatalf("ETag %s updated_at %v", r.Header.Get("ETag"), got.UpdatedAt)
			}
		})
		t.Run("delete", func(t *testing.T) {
			a.do("DELETE", path, nil, "If-Match", `"3"`).ok(t, 204, nil)
			a.do("GET", path, nil).problem(t, 404, "not_found")
			a.do("DELETE", path, nil).problem(t, 404, "not_found")
			a.do("PATCH", path, obj{"name": "Ghost"}).problem(t, 404, "not_found")
		})
		t.Run("create refused", func(t *testing.T) {
			p := a.do("POST", "/api/v1/accounts", obj{"city": strings.Repeat("c", 101)}).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"name", "city"}, []string{"required", "max_length"})
		})
	})
}

// wantAccount compares the caller-controlled fields of an account.
func wantAccount(t *testing.T, got, want Account) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.Address != want.Address || got.Version != want.Version ||
		got.OrganizationID != nil || got.CustomFields == nil || len(got.CustomFields) != 0 {
		t.Fatalf("account\n got %+v\nwant %+v", got, want)
	}
}

func TestAccountListAndDelete(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		ids := map[string]string{}
		for _, name := range []string{"Acme Corp", "Beta LLC", "acme labs", "Gamma 50% Off"} {
			var acc Account
			a.do("POST", "/api/v1/accounts", obj{"name": name}).ok(t, 201, &acc)
			ids[name] = acc.ID.String()
		}
		// Conversion is promotion's job; the use case stands in for it here.
		beta := uuid.MustParse(ids["Beta LLC"])
		org, err := directory.New(db).CreateOrganization(context.Background(),
			domain.Organization{Name: "Beta", Kind: domain.OrgCustomer, Status: domain.OrgActive, AccountID: &beta})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			query string
			want  []string
		}{
			{"", []string{"Acme Corp", "Beta LLC", "acme labs", "Gamma 50% Off"}},
			{"limit=1", []string{"Acme Corp", "Beta LLC", "acme labs", "Gamma 50% Off"}},
			{"limit=3", []string{"Acme Corp", "Beta LLC", "acme labs", "Gamma 50% Off"}},
			{"q=ACME", []string{"Acme Corp", "acme labs"}},
			{"q=" + url.QueryEscape("0%"), []string{"Gamma 50% Off"}},
			{"q=zeta", nil},
			{"converted=true", []string{"Beta LLC"}},
			{"converted=false", []string{"Acme Corp", "acme labs", "Gamma 50% Off"}},
			{"converted=false&q=acme&limit=1", []string{"Acme Corp", "acme labs"}},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				if got := accountNames(t, a, tc.query); !slices.Equal(got, tc.want) {
					t.Fatalf("names %q, want %q", got, tc.want)
				}
			})
		}
		bad := []struct{ query, field string }{
			{"converted=maybe", "converted"},
			{"limit=0", "limit"},
			{"limit=501", "limit"},
			{"cursor=%3F%3F", "cursor"},
		}
		for _, tc := range bad {
			t.Run(tc.query, func(t *testing.T) {
				p := a.do("GET", "/api/v1/accounts?"+tc.query, nil).problem(t, 422, "validation_failed")
				wantFields(t, p, []string{tc.field}, nil)
			})
		}
		t.Run("a converted account names its organization", func(t *testing.T) {
			var got Account
			a.do("GET", "/api/v1/accounts/"+ids["Beta LLC"], nil).ok(t, 200, &got)
			if got.OrganizationID == nil || *got.OrganizationID != org.ID {
				t.Fatalf("organization_id %v, want %s", got.OrganizationID, org.ID)
			}
		})
		t.Run("delete refused while a contact refers to it", func(t *testing.T) {
			path := "/api/v1/accounts/" + ids["Acme Corp"]
			contact := a.createContact(t, obj{"last_name": "Doe", "account_id": ids["Acme Corp"]})
			wantContains(t, a.do("DELETE", path, nil).problem(t, 409, "account_in_use").Detail, "1 contacts")
			a.do("GET", path, nil).ok(t, 200, nil)
			a.do("DELETE", "/api/v1/contacts/"+contact, nil).ok(t, 204, nil)
			a.do("DELETE", path, nil).ok(t, 204, nil)
			a.do("GET", path, nil).problem(t, 404, "not_found")
		})
		t.Run("deleting a converted account keeps its organization", func(t *testing.T) {
			a.do("DELETE", "/api/v1/accounts/"+ids["Beta LLC"], nil).ok(t, 204, nil)
			if got := a.getOrg(t, org.ID.String()); got.Name != "Beta" || got.AccountID != nil {
				t.Fatalf("organization %+v", got)
			}
		})
	})
}

// accountNames walks every page of accounts matching query.
func accountNames(t *testing.T, a *api, query string) []string {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for range 20 {
		var page AccountList
		a.do("GET", "/api/v1/accounts?"+q.Encode(), nil).ok(t, 200, &page)
		for _, acc := range page.Data {
			names = append(names, acc.Name)
		}
		if page.NextCursor == "" {
			return names
		}
		q.Set("cursor", page.NextCursor)
	}
	t.Fatal("no last page after 20 pages")
	return nil
}
