package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// Disabling a user, or deactivating its organization, ends its sessions:
// enabling it again does not bring an old token back to life.
func TestDisableAndDeactivateRevokeSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newWorld(t, a)
		email := w.emails["member"]
		var me User
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+a.signIn(t, email, w.password)).ok(t, 200, &me)
		id, org := me.ID.String(), me.OrganizationID.String()
		other := "Bearer " + a.signIn(t, w.emails["primary same org"], w.password)
		for _, tc := range []struct {
			name         string
			path         string
			off, onAgain string
		}{
			{"user disabled", "/api/v1/users/" + id, "disabled", "active"},
			{"user inactive", "/api/v1/users/" + id, "inactive", "active"},
			{"organization inactive", "/api/v1/organizations/" + org, "inactive", "active"},
			{"organization prospective", "/api/v1/organizations/" + org, "prospective", "active"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				old := "Bearer " + a.signIn(t, email, w.password)
				a.do("GET", "/api/v1/users/me", nil, "Authorization", old).ok(t, 200, nil)
				a.do("PATCH", tc.path, map[string]any{"status": tc.off}).ok(t, 200, nil)
				a.do("PATCH", tc.path, map[string]any{"status": tc.onAgain}).ok(t, 200, nil)
				a.do("GET", "/api/v1/users/me", nil, "Authorization", old).problem(t, 401, "unauthenticated")
				fresh := "Bearer " + a.signIn(t, email, w.password)
				a.do("GET", "/api/v1/users/me", nil, "Authorization", fresh).ok(t, 200, nil)
			})
		}
		// the organization's change ended its other users' sessions too;
		// a user's change ends only its own
		a.do("GET", "/api/v1/users/me", nil, "Authorization", other).problem(t, 401, "unauthenticated")
		other = "Bearer " + a.signIn(t, w.emails["primary same org"], w.password)
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "disabled"}).ok(t, 200, nil)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", other).ok(t, 200, nil)
		// a change that keeps the status active ends nothing
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "active"}).ok(t, 200, nil)
		kept := "Bearer " + a.signIn(t, email, w.password)
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "active", "title": "CTO"}).ok(t, 200, nil)
		a.do("PATCH", "/api/v1/organizations/"+org, map[string]any{"status": "active", "name": "A2"}).ok(t, 200, nil)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", kept).ok(t, 200, nil)
	})
}
