package httpapi_test

import (
	"net/url"
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestIgnoredEmailDomains(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		const path = "/api/v1/ignored-email-domains"
		listed := func(t *testing.T) []string {
			t.Helper()
			var list IgnoredDomainList
			r := a.do("GET", path, nil).ok(t, 200, &list)
			if list.Data == nil {
				t.Fatalf("data is not an array: %s", r.Body)
			}
			out := []string{}
			for _, d := range list.Data {
				out = append(out, d.Domain)
			}
			return out
		}
		if got := listed(t); len(got) != 0 {
			t.Fatalf("fresh list %v", got)
		}

		adds := []struct{ in, want string }{
			{" GMail.COM ", "gmail.com"},
			{"Bücher.example", "xn--bcher-kva.example"},
			{"@yahoo.example.", "yahoo.example"},
		}
		first := map[string]IgnoredDomain{}
		for _, tc := range adds {
			t.Run("add "+tc.in, func(t *testing.T) {
				var d IgnoredDomain
				r := a.do("POST", path, obj{"domain": tc.in}).ok(t, 201, &d)
				if d.Domain != tc.want || d.CreatedAt.IsZero() || r.Header.Get("Location") != path+"/"+tc.want {
					t.Fatalf("added %+v at %q, want %s", d, r.Header.Get("Location"), tc.want)
				}
				first[tc.want] = d
			})
		}
		t.Run("adding again is idempotent", func(t *testing.T) {
			var d IgnoredDomain
			a.do("POST", path, obj{"domain": "gmail.com"}).ok(t, 201, &d)
			if d.Domain != "gmail.com" || !d.CreatedAt.Equal(first["gmail.com"].CreatedAt) {
				t.Fatalf("re-added %+v, want the first %+v", d, first["gmail.com"])
			}
			if got, want := listed(t), []string{"gmail.com", "xn--bcher-kva.example", "yahoo.example"}; !slices.Equal(got, want) {
				t.Fatalf("list %v, want %v", got, want)
			}
		})

		invalid := []struct {
			name string
			body any
			code string
		}{
			{"missing", obj{}, "required"},
			{"empty", obj{"domain": ""}, "required"},
			{"not a domain", obj{"domain": "not a domain"}, "domain"},
			{"no dot", obj{"domain": "localhost"}, "domain"},
			{"an email", obj{"domain": "jane@gmail.com"}, "domain"},
			{"not a string", `{"domain":5}`, "type"},
			{"unknown member", obj{"domain": "x.example", "reason": "spam"}, "unknown_field"},
		}
		for _, tc := range invalid {
			t.Run("refuse "+tc.name, func(t *testing.T) {
				field := "domain"
				if tc.code == "unknown_field" {
					field = "reason"
				}
				p := a.do("POST", path, tc.body).problem(t, 422, "validation_failed")
				wantFields(t, p, []string{field}, []string{tc.code})
			})
		}

		removals := []struct {
			name, path string
			status     int
			left       []string
		}{
			{"remove in another spelling", path + "/GMAIL.com", 204, []string{"xn--bcher-kva.example", "yahoo.example"}},
			{"remove again", path + "/gmail.com", 404, []string{"xn--bcher-kva.example", "yahoo.example"}},
			{"remove by unicode name", path + "/" + url.PathEscape("bücher.example"), 204, []string{"yahoo.example"}},
			{"remove one never added", path + "/never.example", 404, []string{"yahoo.example"}},
			{"remove a non-domain", path + "/nodot", 404, []string{"yahoo.example"}},
		}
		for _, tc := range removals {
			t.Run(tc.name, func(t *testing.T) {
				r := a.do("DELETE", tc.path, nil)
				if tc.status == 404 {
					r.problem(t, 404, "not_found")
				} else {
					r.ok(t, tc.status, nil)
				}
				if got := listed(t); !slices.Equal(got, tc.left) {
					t.Fatalf("left %v, want %v", got, tc.left)
				}
			})
		}
		t.Run("an owned domain is not removed", func(t *testing.T) {
			o := a.createOrg(t, obj{"name": "Owner", "email_domains": []string{"owned.example"}})
			a.do("DELETE", path+"/owned.example", nil).problem(t, 404, "not_found")
			if got := a.getOrg(t, o.ID.String()).EmailDomains; !slices.Equal(got, []string{"owned.example"}) {
				t.Fatalf("owner's domains %v", got)
			}
			if got := listed(t); !slices.Equal(got, []string{"yahoo.example"}) {
				t.Fatalf("owned domain listed as ignored: %v", got)
			}
		})
		t.Run("a removed domain may be owned", func(t *testing.T) {
			a.do("POST", "/api/v1/organizations", obj{"name": "Yahoo", "kind": "customer", "email_domains": []string{"yahoo.example"}}).
				problem(t, 409, "email_domain_taken")
			a.do("DELETE", path+"/yahoo.example", nil).ok(t, 204, nil)
			a.createOrg(t, obj{"name": "Yahoo", "email_domains": []string{"yahoo.example"}})
		})
	})
}
