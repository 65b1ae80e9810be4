package httpapi_test

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// The callers of the authorization matrix, from least to most privileged.
var callers = []string{"anonymous", "bad token", "member", "primary same org", "primary other org", "admin API key", "read-only key", "admin"}

// Expected outcomes: a status class for each caller, in callers' order.
// "ok" is any answer that is not 401, 403, 404 or 5xx.
var (
	pub        = [8]string{"ok", "401", "ok", "ok", "ok", "ok", "ok", "ok"}
	signedIn   = [8]string{"401", "401", "ok", "ok", "ok", "403", "403", "403"}
	adminRead  = [8]string{"401", "401", "403", "403", "403", "ok", "ok", "ok"}
	adminWrite = [8]string{"401", "401", "403", "403", "403", "ok", "403", "ok"}
	secret     = [8]string{"401", "401", "403", "403", "403", "ok", "403", "ok"}
	scopedRead = [8]string{"401", "401", "403", "ok", "404", "ok", "ok", "ok"}
	scopedList = [8]string{"401", "401", "403", "ok", "ok", "ok", "ok", "ok"}
	scopedDo   = [8]string{"401", "401", "403", "ok", "404", "ok", "403", "ok"}
	// admins only; an organization's record is 404 to another organization's primary contact
	adminRecord = [8]string{"401", "401", "403", "403", "404", "ok", "403", "ok"}
	userRead    = [8]string{"401", "401", "404", "ok", "404", "ok", "ok", "ok"}
	userWrite   = [8]string{"401", "401", "404", "ok", "404", "ok", "403", "ok"}
	groupRead   = [8]string{"401", "401", "403", "ok", "ok", "ok", "ok", "ok"}
	bulk        = [8]string{"401", "401", "403", "ok", "ok", "ok", "403", "ok"}
	jobRead     = [8]string{"401", "401", "403", "404", "404", "ok", "ok", "ok"}
	jobCancel   = [8]string{"401", "401", "403", "404", "404", "ok", "403", "ok"}
)

// matrix is the expected outcome of every /api/v1 operation. It is written
// by hand, not derived from the router's rules, and every route Echo knows
// must appear here: a new route without an entry fails the test.
var matrix = map[string][8]string{
	"POST /api/v1/activations":             pub,
	"POST /api/v1/sessions":                pub,
	"DELETE /api/v1/sessions/current":      signedIn,
	"POST /api/v1/password-resets":         pub,
	"POST /api/v1/password-resets/confirm": pub,

	"GET /api/v1/organizations":        scopedList,
	"POST /api/v1/organizations":       adminWrite,
	"GET /api/v1/organizations/:id":    scopedRead,
	"PATCH /api/v1/organizations/:id":  adminRecord,
	"DELETE /api/v1/organizations/:id": adminRecord,

	"GET /api/v1/accounts":                                  adminRead,
	"PUT /api/v1/accounts/by-external-id/:external_id":      adminWrite,
	"PUT /api/v1/organizations/by-external-id/:external_id": adminWrite,
	"PUT /api/v1/contacts/by-external-id/:external_id":      adminWrite,
	"POST /api/v1/accounts":                                 adminWrite,
	"GET /api/v1/accounts/:id":                              adminRead,
	"PATCH /api/v1/accounts/:id":                            adminWrite,
	"DELETE /api/v1/accounts/:id":                           adminWrite,

	"GET /api/v1/contacts":              scopedList,
	"POST /api/v1/contacts":             adminWrite,
	"GET /api/v1/contacts/:id":          scopedRead,
	"PATCH /api/v1/contacts/:id":        adminRecord,
	"DELETE /api/v1/contacts/:id":       adminRecord,
	"POST /api/v1/contacts/:id/promote": scopedDo,

	"POST /api/v1/contacts/promote":           bulk,
	"GET /api/v1/promotion-jobs/:id":          jobRead,
	"GET /api/v1/promotion-jobs/:id/results":  jobRead,
	"POST /api/v1/promotion-jobs/:id/cancel":  jobCancel,
	"POST /api/v1/imports":                    adminWrite,
	"GET /api/v1/import-jobs/:id":             adminRead,
	"GET /api/v1/import-jobs/:id/results":     adminRead,
	"POST /api/v1/import-jobs/:id/cancel":     adminWrite,
	"GET /api/v1/users":                       scopedList,
	"GET /api/v1/users/me":                    signedIn,
	"GET /api/v1/users/:id":                   userRead,
	"PATCH /api/v1/users/:id":                 userWrite,
	"POST /api/v1/users/:id/demote":           adminRecord,
	"POST /api/v1/users/:id/activation-email": scopedDo,

	"GET /api/v1/invitations":                            scopedList,
	"POST /api/v1/invitations/resend":                    bulk,
	"GET /api/v1/invitations/:id":                        scopedRead,
	"POST /api/v1/invitations/:id/revoke":                scopedDo,
	"GET /api/v1/invitation-jobs/:id":                    jobRead,
	"GET /api/v1/invitation-jobs/:id/results":            jobRead,
	"GET /api/v1/email-templates/:kind/:locale":          adminRead,
	"PUT /api/v1/email-templates/:kind/:locale":          adminWrite,
	"DELETE /api/v1/email-templates/:kind/:locale":       adminWrite,
	"POST /api/v1/email-templates/:kind/:locale/preview": adminWrite,
	"GET /api/v1/groups":                                 groupRead,
	"POST /api/v1/groups":                                adminWrite,
	"GET /api/v1/groups/:id":                             groupRead,
	"PATCH /api/v1/groups/:id":                           adminWrite,
	"DELETE /api/v1/groups/:id":                          adminWrite,
	"GET /api/v1/field-definitions":                      adminRead,
	"POST /api/v1/field-definitions":                     adminWrite,
	"GET /api/v1/field-definitions/:id":                  adminRead,
	"PATCH /api/v1/field-definitions/:id":                adminWrite,
	"DELETE /api/v1/field-definitions/:id":               adminWrite,
	"GET /api/v1/ignored-email-domains":                  adminRead,
	"POST /api/v1/ignored-email-domains":                 adminWrite,
	"DELETE /api/v1/ignored-email-domains/:domain":       adminWrite,
	"GET /api/v1/api-keys":                               secret,
	"POST /api/v1/api-keys":                              secret,
	"DELETE /api/v1/api-keys/:id":                        secret,
	"GET /api/v1/field-mappings":                         adminRead,
	"POST /api/v1/field-mappings":                        adminWrite,
	"GET /api/v1/field-mappings/static":                  adminRead,
	"GET /api/v1/field-mappings/preview":                 adminRead,
	"GET /api/v1/field-mappings/:id":                     adminRead,
	"PATCH /api/v1/field-mappings/:id":                   adminWrite,
	"DELETE /api/v1/field-mappings/:id":                  adminWrite,
	"GET /api/v1/audit-events":                           adminRead,

	"GET /api/v1/webhook-endpoints":                                    adminRead,
	"POST /api/v1/webhook-endpoints":                                   adminWrite,
	"GET /api/v1/webhook-endpoints/:id":                                adminRead,
	"PATCH /api/v1/webhook-endpoints/:id":                              adminWrite,
	"DELETE /api/v1/webhook-endpoints/:id":                             adminWrite,
	"POST /api/v1/webhook-endpoints/:id/rotate-secret":                 adminWrite,
	"POST /api/v1/webhook-endpoints/:id/test":                          adminWrite,
	"GET /api/v1/webhook-endpoints/:id/deliveries":                     adminRead,
	"POST /api/v1/webhook-endpoints/:id/deliveries/:delivery_id/retry": adminWrite,
}

func TestAuthorizationMatrix(t *testing.T) {
	db := storetest.Open(t, store.SQLite) // the policy does not depend on the database
	a := newAPI(t, db)
	w := newWorld(t, a)
	var routes []string
	for _, r := range a.router.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && !strings.HasSuffix(r.Path, "/*") && r.Method != "echo_route_not_found" {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	sort.Strings(routes)
	if len(routes) < 40 {
		t.Fatalf("only %d routes found", len(routes))
	}
	for _, key := range routes {
		want, ok := matrix[key]
		if !ok {
			t.Errorf("%s has no row in the authorization matrix: decide who may call it", key)
			continue
		}
		method, path, _ := strings.Cut(key, " ")
		for i, caller := range callers {
			got := w.call(t, method, path, caller)
			if got != want[i] {
				t.Errorf("%-45s %-18s got %s, want %s", key, caller, got, want[i])
			}
		}
	}
}

// world is the fixture of the matrix: organization A (partner) with a
// member and its primary contact, organization B with another primary
// contact, keys, and an assignable group.
type world struct {
	a                   *api
	orgA                string
	group               string
	readOnlyKey, apiKey string
	password            string
	emails              map[string]string
	n                   atomic.Int64
}

func newWorld(t *testing.T, a *api) *world {
	w := &world{a: a, password: "a strong password!", emails: map[string]string{}}
	w.orgA = a.org(t, map[string]any{"name": "A", "kind": "partner"})
	orgB := a.org(t, map[string]any{"name": "B", "kind": "distributor"})
	w.group = a.group(t, map[string]any{"name": "Assignable", "partner_assignable": true})
	w.emails["member"] = w.activeUser(t, w.orgA, "member@a.example", false)
	w.emails["primary same org"] = w.activeUser(t, w.orgA, "primary@a.example", true)
	w.emails["primary other org"] = w.activeUser(t, orgB, "primary@b.example", true)
	var k APIKeyCreated
	a.do("POST", "/api/v1/api-keys", map[string]any{"name": "admin-key", "role": "admin"}).ok(t, 201, &k)
	w.apiKey = k.Key
	a.do("POST", "/api/v1/api-keys", map[string]any{"name": "ro-key", "role": "readonly"}).ok(t, 201, &k)
	w.readOnlyKey = k.Key
	return w
}

func (w *world) activeUser(t *testing.T, org, email string, primary bool) string {
	id := w.a.contact(t, map[string]any{"email": email, "organization_id": org})
	w.a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
	w.a.do("POST", "/api/v1/activations", map[string]any{"token": w.a.lastToken(email), "password": w.password}).ok(t, 200, nil)
	if primary {
		w.a.do("PATCH", "/api/v1/users/"+id, map[string]any{"primary_contact": true}).ok(t, 200, nil)
	}
	return email
}

// credentials returns the Authorization header of a caller; users sign in
// afresh, so that a sign-out in one cell does not affect the next.
func (w *world) credentials(t *testing.T, caller string) string {
	switch caller {
	case "anonymous":
		return ""
	case "bad token":
		return "Bearer not-a-token"
	case "admin API key":
		return "Bearer " + w.apiKey
	case "read-only key":
		return "Bearer " + w.readOnlyKey
	case "admin":
		return "Bearer " + testAdminToken
	}
	return "Bearer " + w.a.signIn(t, w.emails[caller], w.password)
}

// call fills the route's parameters with fresh records of organization A
// and answers the outcome class.
func (w *world) call(t *testing.T, method, path, caller string) string {
	n := w.n.Add(1)
	path, body := w.fill(t, method, path, n)
	r := w.a.do(method, path, body, "Authorization", w.credentials(t, caller))
	switch {
	case r.Status == 401 || r.Status == 403 || r.Status == 404:
		return fmt.Sprint(r.Status)
	case r.Status >= 500:
		return fmt.Sprintf("%d %s", r.Status, r.Body)
	}
	return "ok"
}
