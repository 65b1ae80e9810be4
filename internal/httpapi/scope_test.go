package httpapi_test

import (
	"testing"

	"github.com/google/uuid"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// foreignWorld is newWorld plus records of organization B that organization
// A's primary contact must never learn about: a contact, a pending user and
// a job started by B's primary contact.
type foreignWorld struct {
	*world
	orgB, contactB, userB, jobB string
	primaryA                    string // Authorization header of A's primary contact
}

func newForeignWorld(t *testing.T, a *api) *foreignWorld {
	w := newWorld(t, a)
	f := &foreignWorld{world: w, primaryA: "Bearer " + a.signIn(t, "primary@a.example", w.password)}
	var me User
	a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+a.signIn(t, "primary@b.example", w.password)).ok(t, 200, &me)
	f.orgB = me.OrganizationID.String()
	f.contactB = a.contact(t, map[string]any{"email": "c@b.example", "organization_id": f.orgB})
	f.userB = a.contact(t, map[string]any{"email": "u@b.example", "organization_id": f.orgB})
	a.do("POST", "/api/v1/contacts/"+f.userB+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
	jobContact := a.contact(t, map[string]any{"email": "j@b.example", "organization_id": f.orgB})
	var j PromotionJob
	a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": []string{jobContact}, "group_ids": []string{w.group}, "async": true},
		"Authorization", "Bearer "+a.signIn(t, "primary@b.example", w.password)).ok(t, 202, &j)
	f.jobB = j.ID.String()
	return f
}

// A primary contact reads its own organization, and everything of another
// organization (or of none) answers 404 whatever the operation: reads,
// admin-only writes, promotion, jobs and list filters.
func TestPrimaryContactForeignRecordsAre404(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		f := newForeignWorld(t, a)
		as := func(method, path string, body any) response {
			return a.do(method, path, body, "Authorization", f.primaryA)
		}
		var own Organization
		as("GET", "/api/v1/organizations/"+f.orgA, nil).ok(t, 200, &own)
		if own.ID.String() != f.orgA {
			t.Fatalf("read organization %s", own.ID)
		}
		var list OrganizationList
		as("GET", "/api/v1/organizations", nil).ok(t, 200, &list)
		if len(list.Data) != 1 || list.Data[0].ID.String() != f.orgA {
			t.Fatalf("a primary contact listed %+v", list.Data)
		}
		as("GET", "/api/v1/organizations?kind=distributor", nil).ok(t, 200, &list)
		if len(list.Data) != 0 {
			t.Fatalf("filter kind=distributor listed %+v for a partner's primary contact", list.Data)
		}
		// its own records it may not change are 403, as before
		as("PATCH", "/api/v1/organizations/"+f.orgA, map[string]any{"name": "Renamed"}).problem(t, 403, "insufficient_rights")

		nobody := uuid.NewString()
		for _, c := range []struct{ method, path string }{
			{"GET", "/api/v1/organizations/" + f.orgB},
			{"GET", "/api/v1/organizations/" + nobody},
			{"PATCH", "/api/v1/organizations/" + f.orgB},
			{"DELETE", "/api/v1/organizations/" + f.orgB},
			{"GET", "/api/v1/contacts/" + f.contactB},
			{"PATCH", "/api/v1/contacts/" + f.contactB},
			{"DELETE", "/api/v1/contacts/" + f.contactB},
			{"DELETE", "/api/v1/contacts/" + nobody},
			{"POST", "/api/v1/contacts/" + f.contactB + "/promote"},
			{"GET", "/api/v1/users/" + f.userB},
			{"PATCH", "/api/v1/users/" + f.userB},
			{"POST", "/api/v1/users/" + f.userB + "/demote"},
			{"POST", "/api/v1/users/" + nobody + "/demote"},
			{"POST", "/api/v1/users/" + f.userB + "/activation-email"},
			{"GET", "/api/v1/promotion-jobs/" + f.jobB},
			{"GET", "/api/v1/promotion-jobs/" + f.jobB + "/results"},
			{"POST", "/api/v1/promotion-jobs/" + f.jobB + "/cancel"},
			{"GET", "/api/v1/contacts?organization_id=" + f.orgB},
			{"GET", "/api/v1/users?organization_id=" + f.orgB},
		} {
			var body any
			if c.method == "PATCH" || c.method == "POST" {
				body = map[string]any{"title": "Changed", "group_ids": []string{f.group}}
			}
			p := as(c.method, c.path, body).problem(t, 404, "not_found")
			if p.Detail == "" {
				t.Errorf("%s %s: 404 without detail", c.method, c.path)
			}
		}
		// nothing of B changed
		a.do("GET", "/api/v1/contacts/"+f.contactB, nil).ok(t, 200, nil)
		var u User
		a.do("GET", "/api/v1/users/"+f.userB, nil).ok(t, 200, &u)
		if u.Title != "" || u.Status != "pending" {
			t.Fatalf("B's user changed: %+v", u)
		}
	})
}

// A group's smart rule shows a primary contact only the organization ids
// of its own organization: the ids of others are theirs.
func TestPrimaryContactSeesNoForeignIDsInSmartRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		f := newForeignWorld(t, a)
		var g Group
		a.do("POST", "/api/v1/groups", map[string]any{"name": "A and B", "partner_assignable": true, "smart_rule": map[string]any{
			"organization_ids": []string{f.orgA, f.orgB}}}).ok(t, 201, &g)
		var seen Group
		a.do("GET", "/api/v1/groups/"+g.ID.String(), nil, "Authorization", f.primaryA).ok(t, 200, &seen)
		if got := ids(seen.SmartRule.OrganizationIDs); len(got) != 1 || got[0] != f.orgA {
			t.Fatalf("a primary contact sees rule organizations %v", got)
		}
		var list GroupList
		a.do("GET", "/api/v1/groups", nil, "Authorization", f.primaryA).ok(t, 200, &list)
		for _, lg := range list.Data {
			if lg.SmartRule == nil {
				continue
			}
			for _, id := range lg.SmartRule.OrganizationIDs {
				if id.String() != f.orgA {
					t.Fatalf("group %s lists organization %s to A's primary contact", lg.Name, id)
				}
			}
		}
		a.do("GET", "/api/v1/groups/"+g.ID.String(), nil).ok(t, 200, &seen)
		if len(seen.SmartRule.OrganizationIDs) != 2 {
			t.Fatalf("an admin sees rule organizations %v", seen.SmartRule.OrganizationIDs)
		}
	})
}

// A primary contact's bulk promotion whose filter names another
// organization is 404 and promotes nobody (it used to promote the caller's
// whole organization); filters that do not match the caller's organization
// select nobody; contact ids of other organizations fail one by one.
func TestBulkFilterOfAnotherOrganizationIs404(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		f := newForeignWorld(t, a)
		ownContact := a.contact(t, map[string]any{"email": "own@a.example", "organization_id": f.orgA})
		users := func() int64 { return a.count(t, "people", "kind = 'user'") }
		a.idle() // the world's own job has run
		before := users()
		bulk := func(body map[string]any) response {
			body["group_ids"] = []string{f.group}
			return a.do("POST", "/api/v1/contacts/promote", body, "Authorization", f.primaryA)
		}
		for _, dry := range []bool{true, false} {
			bulk(map[string]any{"filter": map[string]any{"organization_id": f.orgB}, "dry_run": dry}).problem(t, 404, "not_found")
			bulk(map[string]any{"filter": map[string]any{"organization_id": uuid.NewString()}, "dry_run": dry}).problem(t, 404, "not_found")
			bulk(map[string]any{"filter": map[string]any{"organization_id": f.orgB}, "dry_run": dry, "async": true}).problem(t, 404, "not_found")
		}
		if n := users(); n != before {
			t.Fatalf("a filter naming another organization promoted %d people", n-before)
		}
		// other filter fields narrow the caller's organization, never replace it
		for _, filter := range []map[string]any{
			{"kind": "distributor"}, {"region": "APAC"}, {"partner_type": "gold"}, {"organization_status": "inactive"},
			{"account_id": uuid.NewString()}, {"q": "b.example"},
		} {
			var out BulkPromoteResponse
			bulk(map[string]any{"filter": filter}).ok(t, 200, &out)
			if out.Summary.Requested != 0 || len(out.Results) != 0 {
				t.Fatalf("filter %v selected %+v", filter, out.Results)
			}
		}
		if n := users(); n != before {
			t.Fatalf("narrowing filters promoted %d people", n-before)
		}
		var out BulkPromoteResponse
		bulk(map[string]any{"contact_ids": []string{f.contactB, ownContact}}).ok(t, 200, &out)
		if len(out.Results) != 2 || out.Results[0].Status != "failed" || out.Results[0].Error.Code != "not_found" ||
			out.Results[1].Status != "promoted" || out.Summary.Promoted != 1 || out.Summary.Failed != 1 {
			t.Fatalf("contact ids across organizations: %+v", out)
		}
		a.do("GET", "/api/v1/contacts/"+f.contactB, nil).ok(t, 200, nil)
		// the caller's own organization, named, still works
		own2 := a.contact(t, map[string]any{"email": "own2@a.example", "organization_id": f.orgA})
		bulk(map[string]any{"filter": map[string]any{"organization_id": f.orgA}}).ok(t, 200, &out)
		if out.Summary.Promoted != 1 || out.Results[0].ContactID.String() != own2 {
			t.Fatalf("own organization filter: %+v", out)
		}
	})
}
