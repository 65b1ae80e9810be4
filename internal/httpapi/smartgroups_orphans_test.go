package httpapi_test

import (
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// An organization change that would take the only group of some users
// (their smart groups stop matching and none starts) is refused with 409
// users_without_group naming them, and changes nothing; once they have
// another group the same change goes through.
func TestOrganizationChangeNeverLeavesAUserWithoutGroup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme", "kind": "partner", "region": "EMEA", "partner_type": "gold"})
		manual := a.group(t, map[string]any{"name": "Resellers"})
		emea := a.group(t, map[string]any{"name": "EMEA", "smart_rule": map[string]any{"regions": []string{"EMEA"}}})
		smartOnly := a.contact(t, map[string]any{"email": "smart@acme.example", "organization_id": org})
		a.do("POST", "/api/v1/contacts/"+smartOnly+"/promote", map[string]any{"confirm_smart_groups": true}).ok(t, 201, nil)
		withManual := a.contact(t, map[string]any{"email": "manual@acme.example", "organization_id": org})
		a.do("POST", "/api/v1/contacts/"+withManual+"/promote", map[string]any{"group_ids": []string{manual}}).ok(t, 201, nil)
		groupsOf := func(id string) []string {
			var u User
			a.do("GET", "/api/v1/users/"+id, nil).ok(t, 200, &u)
			return ids(u.GroupIDs)
		}
		var before Organization
		a.do("GET", "/api/v1/organizations/"+org, nil).ok(t, 200, &before)
		audits := a.count(t, "audit_events", "")

		for _, change := range []map[string]any{{"region": "APAC"}, {"region": "APAC", "name": "Renamed"}} {
			r := a.do("PATCH", "/api/v1/organizations/"+org, change)
			p := r.problem(t, 409, "users_without_group")
			wantContains(t, p.Detail, "smart@acme.example")
			if p.Resolution == "" {
				t.Error("no resolution")
			}
			m := members(t, r)
			users, _ := m["users"].([]any)
			if len(users) != 1 || m["user_count"] != float64(1) {
				t.Fatalf("users %v, user_count %v", m["users"], m["user_count"])
			}
			if u, _ := users[0].(map[string]any); u["id"] != smartOnly || u["email"] != "smart@acme.example" {
				t.Fatalf("named user %v", users[0])
			}
		}
		var after Organization
		a.do("GET", "/api/v1/organizations/"+org, nil).ok(t, 200, &after)
		if after.Region != "EMEA" || after.Name != "Acme" || after.Version != before.Version {
			t.Fatalf("a refused change wrote the organization: %+v", after)
		}
		if got := groupsOf(smartOnly); !slices.Equal(got, []string{emea}) {
			t.Fatalf("a refused change moved groups: %v", got)
		}
		if n := a.count(t, "audit_events", ""); n != audits {
			t.Fatalf("a refused change was audited: %d events, want %d", n, audits)
		}
		// a kind change is checked the same way
		a.do("POST", "/api/v1/groups", map[string]any{"name": "Partners", "smart_rule": map[string]any{"organization_kinds": []string{"partner"}}}).ok(t, 201, nil)
		a.do("PATCH", "/api/v1/groups/"+emea, map[string]any{"smart_rule": map[string]any{"partner_types": []string{"gold"}}}).ok(t, 200, nil)
		a.do("PATCH", "/api/v1/organizations/"+org, map[string]any{"kind": "customer", "partner_type": "silver"}).problem(t, 409, "users_without_group")

		// changes that keep everyone in a group go through
		a.do("PATCH", "/api/v1/organizations/"+org, map[string]any{"region": "APAC"}).ok(t, 200, nil) // partner and gold still match
		a.do("PATCH", "/api/v1/users/"+smartOnly, map[string]any{"group_ids": []string{manual}}).ok(t, 200, nil)
		a.do("PATCH", "/api/v1/organizations/"+org, map[string]any{"kind": "customer", "partner_type": "silver"}).ok(t, 200, nil)
		for _, id := range []string{smartOnly, withManual} {
			if got := groupsOf(id); !slices.Equal(got, []string{manual}) {
				t.Fatalf("user %s after the change: %v, want only the manual group", id, got)
			}
		}
		if n := a.count(t, "people", "kind = 'user' AND NOT EXISTS (SELECT 1 FROM group_memberships m WHERE m.person_id = people.id)"); n != 0 {
			t.Fatalf("%d users without a group", n)
		}
	})
}
