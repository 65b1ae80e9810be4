package httpapi_test

import (
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// Users follow their organization's attributes into and out of smart
// groups; manual groups stay.
func TestSmartGroupsFollowOrganizationChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme", "region": "EMEA"})
		manual := a.group(t, map[string]any{"name": "Resellers"})
		emea := a.group(t, map[string]any{"name": "EMEA", "smart_rule": map[string]any{"regions": []string{"EMEA"}}})
		amer := a.group(t, map[string]any{"name": "AMER", "smart_rule": map[string]any{"regions": []string{"AMER"}}})
		id := a.contact(t, map[string]any{"email": "j@acme.example", "organization_id": org})
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{manual}}).ok(t, 201, nil)
		groups := func() []string {
			var u User
			a.do("GET", "/api/v1/users/"+id, nil).ok(t, 200, &u)
			return ids(u.GroupIDs)
		}
		want := []string{manual, emea}
		slices.Sort(want)
		if got := groups(); !slices.Equal(got, want) {
			t.Fatalf("after promotion %v, want %v", got, want)
		}
		a.do("PATCH", "/api/v1/organizations/"+org, map[string]any{"region": "AMER"}).ok(t, 200, nil)
		want = []string{manual, amer}
		slices.Sort(want)
		if got := groups(); !slices.Equal(got, want) {
			t.Fatalf("after the region changed %v, want %v", got, want)
		}
		a.do("PATCH", "/api/v1/organizations/"+org, map[string]any{"name": "Acme Inc"}).ok(t, 200, nil)
		if got := groups(); !slices.Equal(got, want) {
			t.Fatalf("a name change moved groups: %v", got)
		}
	})
}
