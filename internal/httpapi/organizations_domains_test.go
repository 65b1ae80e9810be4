package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestOrganizationDomainNormalization(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   []string
		want []string
	}{
		{"trimmed and lower-cased", []string{"  Acme.EXAMPLE  "}, []string{"acme.example"}},
		{"IDNA encoded", []string{"Bücher.example"}, []string{"xn--bcher-kva.example"}},
		{"at sign and root dot dropped", []string{"@mail.example."}, []string{"mail.example"}},
		{"duplicates folded", []string{"dup.example", "DUP.example", "dup.example."}, []string{"dup.example"}},
		{"sorted", []string{"zulu.example", "alpha.example"}, []string{"alpha.example", "zulu.example"}},
		{"none", []string{}, []string{}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				o := a.createOrg(t, obj{"name": tc.name, "email_domains": tc.in})
				if !slices.Equal(o.EmailDomains, tc.want) {
					t.Errorf("created with %v, want %v", o.EmailDomains, tc.want)
				}
				if got := a.getOrg(t, o.ID.String()).EmailDomains; !slices.Equal(got, tc.want) {
					t.Errorf("read back %v, want %v", got, tc.want)
				}
			})
		}
		t.Run("invalid domains name their index", func(t *testing.T) {
			body := obj{"name": "Invalid", "kind": "partner", "email_domains": []string{"ok.example", "localhost", "a..b.example", "bad domain.example"}}
			p := a.do("POST", "/api/v1/organizations", body).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"email_domains[1]", "email_domains[2]", "email_domains[3]"}, []string{"domain", "domain", "domain"})
			// Nothing was claimed: ok.example is still free.
			a.createOrg(t, obj{"name": "Claims ok", "email_domains": []string{"ok.example"}})
		})
		t.Run("patch normalizes", func(t *testing.T) {
			o := a.createOrg(t, obj{"name": "Patched"})
			var got Organization
			a.do("PATCH", "/api/v1/organizations/"+o.ID.String(), obj{"email_domains": []string{"Zeta.Example", "BÜCHER.patch"}}).ok(t, 200, &got)
			want := []string{"xn--bcher-kva.patch", "zeta.example"}
			if !slices.Equal(got.EmailDomains, want) || !slices.Equal(a.getOrg(t, o.ID.String()).EmailDomains, want) {
				t.Fatalf("domains %v, want %v", got.EmailDomains, want)
			}
			p := a.do("PATCH", "/api/v1/organizations/"+o.ID.String(), obj{"email_domains": []string{"nodot"}}).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"email_domains[0]"}, []string{"domain"})
		})
	})
}

func TestOrganizationDomainOwnership(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		owner := a.createOrg(t, obj{"name": "Owner Inc", "email_domains": []string{"owned.example", "bücher.example"}})
		a.do("POST", "/api/v1/ignored-email-domains", obj{"domain": "gmail.com"}).ok(t, 201, nil)

		conflicts := []struct {
			name, domain string
			owned        bool // else ignored
		}{
			{"owned by another", "owned.example", true},
			{"owned, other spelling", "OWNED.Example.", true},
			{"owned, unicode form", "Bücher.example", true},
			{"ignored", "gmail.com", false},
			{"ignored, other spelling", " GMail.COM", false},
		}
		for i, tc := range conflicts {
			t.Run("create: "+tc.name, func(t *testing.T) {
				name := "Claimer " + tc.name
				r := a.do("POST", "/api/v1/organizations", obj{"name": name, "kind": "partner", "email_domains": []string{fmt.Sprintf("free-%d.example", i), tc.domain}})
				p := r.problem(t, 409, "email_domain_taken")
				wantOwner(t, r, p.Detail, owner, tc.owned)
				if got := a.orgNames(t, url.Values{"q": {name}}); len(got) != 0 {
					t.Fatalf("refused organization was stored: %v", got)
				}
			})
			t.Run("patch: "+tc.name, func(t *testing.T) {
				other := a.createOrg(t, obj{"name": "Patcher " + tc.name, "email_domains": []string{fmt.Sprintf("keep-%d.example", i)}})
				r := a.do("PATCH", "/api/v1/organizations/"+other.ID.String(), obj{"name": "Renamed", "email_domains": []string{tc.domain}})
				p := r.problem(t, 409, "email_domain_taken")
				wantOwner(t, r, p.Detail, owner, tc.owned)
				got := a.getOrg(t, other.ID.String())
				if got.Name != other.Name || got.Version != 1 || !slices.Equal(got.EmailDomains, other.EmailDomains) {
					t.Fatalf("refused patch changed the organization: %+v", got)
				}
			})
		}
		t.Run("an owned domain cannot be ignored", func(t *testing.T) {
			r := a.do("POST", "/api/v1/ignored-email-domains", obj{"domain": "Owned.Example"})
			p := r.problem(t, 409, "email_domain_taken")
			wantOwner(t, r, p.Detail, owner, true)
			var list IgnoredDomainList
			a.do("GET", "/api/v1/ignored-email-domains", nil).ok(t, 200, &list)
			if len(list.Data) != 1 || list.Data[0].Domain != "gmail.com" {
				t.Fatalf("ignored domains %+v, want only gmail.com", list.Data)
			}
		})
		t.Run("the owner may keep its own domains", func(t *testing.T) {
			var got Organization
			a.do("PATCH", "/api/v1/organizations/"+owner.ID.String(), obj{"email_domains": []string{"owned.example", "xn--bcher-kva.example"}}).ok(t, 200, &got)
			if want := []string{"owned.example", "xn--bcher-kva.example"}; !slices.Equal(got.EmailDomains, want) {
				t.Fatalf("domains %v, want %v", got.EmailDomains, want)
			}
		})
	})
}

// wantOwner asserts that a conflict names the owning organization, or
// says the domain is ignored.
func wantOwner(t *testing.T, r response, detail string, owner Organization, owned bool) {
	t.Helper()
	m := members(t, r)
	if !owned {
		wantContains(t, detail, "ignored")
		return
	}
	wantContains(t, detail, owner.Name, owner.ID.String())
	if m["owner_organization_id"] != owner.ID.String() {
		t.Errorf("owner_organization_id %v, want %s", m["owner_organization_id"], owner.ID)
	}
}

func TestOrganizationDomainRelease(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		first := a.createOrg(t, obj{"name": "First", "email_domains": []string{"a.example", "b.example", "c.example"}})
		path := "/api/v1/organizations/" + first.ID.String()
		var second Organization
		steps := []struct {
			name string
			body obj
			want []string
		}{
			{"patch without domains keeps them", obj{"region": "EMEA"}, []string{"a.example", "b.example", "c.example"}},
			{"patch replaces the set", obj{"email_domains": []string{"c.example", "d.example"}}, []string{"c.example", "d.example"}},
			{"empty set releases all", obj{"email_domains": []string{}}, []string{}},
			{"reclaim one", obj{"email_domains": []string{"c.example"}}, []string{"c.example"}},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				var got Organization
				a.do("PATCH", path, s.body).ok(t, 200, &got)
				if !slices.Equal(got.EmailDomains, s.want) || !slices.Equal(a.getOrg(t, first.ID.String()).EmailDomains, s.want) {
					t.Fatalf("domains %v, want %v", got.EmailDomains, s.want)
				}
			})
		}
		t.Run("released domains are free for others", func(t *testing.T) {
			second = a.createOrg(t, obj{"name": "Second", "email_domains": []string{"a.example", "b.example", "d.example"}})
			if want := []string{"a.example", "b.example", "d.example"}; !slices.Equal(second.EmailDomains, want) {
				t.Fatalf("domains %v, want %v", second.EmailDomains, want)
			}
			a.do("POST", "/api/v1/organizations", obj{"name": "Third", "kind": "customer", "email_domains": []string{"c.example"}}).
				problem(t, 409, "email_domain_taken")
		})
		t.Run("deleting an organization releases its domains", func(t *testing.T) {
			a.do("DELETE", path, nil).ok(t, 204, nil)
			third := a.createOrg(t, obj{"name": "Third", "email_domains": []string{"c.example"}})
			if !slices.Equal(third.EmailDomains, []string{"c.example"}) {
				t.Fatalf("domains %v", third.EmailDomains)
			}
		})
		t.Run("a released domain may be ignored", func(t *testing.T) {
			r := a.do("POST", "/api/v1/ignored-email-domains", obj{"domain": "d.example"})
			wantOwner(t, r, r.problem(t, 409, "email_domain_taken").Detail, second, true)
			a.do("PATCH", "/api/v1/organizations/"+second.ID.String(), obj{"email_domains": []string{"a.example", "b.example"}}).ok(t, 200, nil)
			var d IgnoredDomain
			a.do("POST", "/api/v1/ignored-email-domains", obj{"domain": "d.example"}).ok(t, 201, &d)
			if d.Domain != "d.example" {
				t.Fatalf("ignored %q", d.Domain)
			}
		})
	})
}
