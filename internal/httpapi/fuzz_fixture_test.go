package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"
)

// fuzzFixtures are the records FuzzEdge's requests point at, so that
// fuzzed requests reach the handlers' real work and not only their 404s:
// one deletable record of each resource (made again when a request
// deletes or demotes it), and a base organization and group that path
// parameters never name, for the bodies and queries to refer to.
type fuzzFixtures struct {
	srvURL       string
	byResource   map[string]string // path segment before the parameter → id
	placeholders *strings.Replacer // {org}, {group}, ... → base ids
	callers      []string          // Authorization headers
	org, group   string            // the base records
	n            int               // makes names unique
}

const fuzzPassword = "a strong password!"

func newFuzzFixtures(t testing.TB, a *api) *fuzzFixtures {
	fx := &fuzzFixtures{srvURL: a.url, byResource: map[string]string{}}
	fx.org = a.org(t, map[string]any{"name": "Fuzz base", "region": "EU", "partner_type": "gold"})
	fx.group = a.group(t, map[string]any{"name": "Fuzz base group", "partner_assignable": true})
	member := a.contact(t, map[string]any{"email": "member@fuzz.example", "organization_id": fx.org})
	a.do("POST", "/api/v1/contacts/"+member+"/promote", map[string]any{"group_ids": []string{fx.group}}).ok(t, 201, nil)
	a.do("POST", "/api/v1/activations", map[string]any{"token": a.lastToken("member@fuzz.example"), "password": fuzzPassword}).ok(t, 200, nil)
	a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": "src", "label": "S", "type": "text"}).ok(t, 201, nil)
	a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "organization", "key": "dst", "label": "D", "type": "text"}).ok(t, 201, nil)
	fx.callers = []string{"Bearer " + testAdminToken, "", "Bearer not-a-token", fx.memberSession(t)}
	for _, resource := range slices.Sorted(maps.Keys(fuzzMakers)) {
		fx.byResource[resource] = fx.make(t, resource)
	}
	fx.placeholders = strings.NewReplacer("{org}", fx.org, "{group}", fx.group,
		"{account}", fx.byResource["accounts"], "{contact}", fx.byResource["contacts"], "{user}", fx.byResource["users"])
	return fx
}

// fuzzMakers create one record of each resource a path parameter names
// and return its id.
var fuzzMakers = map[string]func(t testing.TB, fx *fuzzFixtures) string{
	"organizations": func(t testing.TB, fx *fuzzFixtures) string {
		return fx.post(t, "/api/v1/organizations", fmt.Sprintf(`{"name":"Fuzz %d","kind":"partner"}`, fx.n), 201)
	},
	"accounts": func(t testing.TB, fx *fuzzFixtures) string {
		return fx.post(t, "/api/v1/accounts", fmt.Sprintf(`{"name":"Fuzz account %d"}`, fx.n), 201)
	},
	"contacts": func(t testing.TB, fx *fuzzFixtures) string { return fx.contact(t) },
	"users": func(t testing.TB, fx *fuzzFixtures) string {
		id := fx.contact(t)
		fx.post(t, "/api/v1/contacts/"+id+"/promote", `{"group_ids":["`+fx.group+`"]}`, 201)
		return id // a pending user has its contact's id
	},
	"groups": func(t testing.TB, fx *fuzzFixtures) string {
		return fx.post(t, "/api/v1/groups", fmt.Sprintf(`{"name":"Fuzz group %d","partner_assignable":true}`, fx.n), 201)
	},
	"field-definitions": func(t testing.TB, fx *fuzzFixtures) string {
		return fx.post(t, "/api/v1/field-definitions", fmt.Sprintf(`{"entity":"account","key":"f%d","label":"F","type":"text"}`, fx.n), 201)
	},
	"field-mappings": func(t testing.TB, fx *fuzzFixtures) string {
		fx.post(t, "/api/v1/field-definitions", fmt.Sprintf(`{"entity":"account","key":"src%d","label":"S","type":"text"}`, fx.n), 201)
		fx.post(t, "/api/v1/field-definitions", fmt.Sprintf(`{"entity":"organization","key":"dst%d","label":"D","type":"text"}`, fx.n), 201)
		return fx.post(t, "/api/v1/field-mappings", fmt.Sprintf(`{"account_field":"src%d","organization_field":"dst%d"}`, fx.n, fx.n), 201)
	},
	"api-keys": func(t testing.TB, fx *fuzzFixtures) string {
		return fx.post(t, "/api/v1/api-keys", fmt.Sprintf(`{"name":"fuzz key %d","role":"readonly"}`, fx.n), 201)
	},
	"promotion-jobs": func(t testing.TB, fx *fuzzFixtures) string {
		body := `{"contact_ids":["` + fx.contact(t) + `"],"group_ids":["` + fx.group + `"],"async":true}`
		return fx.post(t, "/api/v1/contacts/promote", body, 202)
	},
	"ignored-email-domains": func(t testing.TB, fx *fuzzFixtures) string {
		domain := fmt.Sprintf("ignored%d.example", fx.n)
		fx.post(t, "/api/v1/ignored-email-domains", `{"domain":"`+domain+`"}`, 201)
		return domain
	},
}

// make creates a record of resource; a resource the fixtures do not know
// (a route added later) gets "" and so a fresh UUID.
func (fx *fuzzFixtures) make(t testing.TB, resource string) string {
	fx.n++
	if mk, ok := fuzzMakers[resource]; ok {
		return mk(t, fx)
	}
	return ""
}

// memberSession signs the member in and returns its Authorization header.
func (fx *fuzzFixtures) memberSession(t testing.TB) string {
	var s SessionResponse
	raw := fx.send(t, "/api/v1/sessions", `{"email":"member@fuzz.example","password":"`+fuzzPassword+`"}`, 201)
	if err := json.Unmarshal(raw, &s); err != nil || s.Token == "" {
		t.Fatalf("sign-in: %s", raw)
	}
	return "Bearer " + s.Token
}

// replenish makes a record again after a request deleted or demoted the
// one its path named, and signs the member in again after it signed out.
func (fx *fuzzFixtures) replenish(t testing.TB, req *http.Request, template string, status int) {
	gone := req.Method == http.MethodDelete || strings.HasSuffix(template, "/demote")
	if !gone || status >= 300 {
		return
	}
	if template == "/api/v1/sessions/current" && req.Header.Get("Authorization") == fx.callers[3] {
		fx.callers[3] = fx.memberSession(t)
		return
	}
	resource, _, _ := strings.Cut(strings.TrimPrefix(template, "/api/v1/"), "/")
	if _, ok := fx.byResource[resource]; ok && strings.Contains(req.URL.Path, fx.byResource[resource]) {
		fx.byResource[resource] = fx.make(t, resource)
	}
}

func (fx *fuzzFixtures) contact(t testing.TB) string {
	fx.n++
	return fx.post(t, "/api/v1/contacts", fmt.Sprintf(`{"last_name":"Fuzz","email":"c%d@fuzz.example","organization_id":"%s"}`, fx.n, fx.org), 201)
}

// post sends body as the admin, asserts status and returns the answer's id.
func (fx *fuzzFixtures) post(t testing.TB, path, body string, status int) string {
	t.Helper()
	var out struct{ ID string }
	raw := fx.send(t, path, body, status)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("fixture POST %s: %v: %s", path, err, raw)
	}
	return out.ID
}

// send POSTs body as the admin, asserts status and returns the answer.
func (fx *fuzzFixtures) send(t testing.TB, path, body string, status int) []byte {
	t.Helper()
	req, err := http.NewRequest("POST", fx.srvURL+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("fixture POST %s: %d, want %d: %s", path, resp.StatusCode, status, raw)
	}
	return raw
}

// fuzzSeedBody is a valid body for each route that takes one.
var fuzzSeedBody = map[string]string{
	"POST /api/v1/activations":                              `{"token":"not-a-token","password":"a strong password!"}`,
	"POST /api/v1/sessions":                                 `{"email":"member@fuzz.example","password":"a strong password!"}`,
	"POST /api/v1/password-resets":                          `{"email":"member@fuzz.example"}`,
	"POST /api/v1/password-resets/confirm":                  `{"token":"not-a-token","password":"a strong password!"}`,
	"POST /api/v1/organizations":                            `{"name":"New org","kind":"customer","region":"EU","email_domains":["new.example"],"city":"Oslo"}`,
	"PATCH /api/v1/organizations/:id":                       `{"name":"Renamed","region":null}`,
	"POST /api/v1/accounts":                                 `{"name":"New account","custom_fields":{"src":"value"}}`,
	"PATCH /api/v1/accounts/:id":                            `{"name":"Renamed account","custom_fields":{"src":null}}`,
	"POST /api/v1/contacts":                                 `{"last_name":"New","email":"new@fuzz.example","organization_id":"{org}"}`,
	"PATCH /api/v1/contacts/:id":                            `{"title":"CTO","account_id":null}`,
	"PUT /api/v1/organizations/by-external-id/:external_id": `{"name":"Upserted","kind":"partner","external_id":null}`,
	"PUT /api/v1/accounts/by-external-id/:external_id":      `{"name":"Upserted account","custom_fields":{"src":"v"}}`,
	"PUT /api/v1/contacts/by-external-id/:external_id":      `{"last_name":"Upserted","organization_id":"{org}"}`,
	"POST /api/v1/contacts/:id/promote":                     `{"group_ids":["{group}"]}`,
	"POST /api/v1/contacts/promote":                         `{"filter":{"organization_id":"{org}","q":"fuzz"},"group_ids":["{group}"],"dry_run":true}`,
	"PATCH /api/v1/users/:id":                               `{"title":"Lead","primary_contact":true}`,
	"POST /api/v1/groups":                                   `{"name":"New group","smart_rule":{"regions":["EU"],"organization_kinds":["partner"]}}`,
	"PATCH /api/v1/groups/:id":                              `{"description":"Changed","smart_rule":null}`,
	"POST /api/v1/field-definitions":                        `{"entity":"organization","key":"new_field","label":"New","type":"select","options":["a","b"]}`,
	"PATCH /api/v1/field-definitions/:id":                   `{"label":"Changed"}`,
	"POST /api/v1/ignored-email-domains":                    `{"domain":"new-ignored.example"}`,
	"POST /api/v1/api-keys":                                 `{"name":"new key","role":"admin"}`,
	"POST /api/v1/field-mappings":                           `{"account_field":"src","organization_field":"dst"}`,
	"PATCH /api/v1/field-mappings/:id":                      `{"organization_field":"dst"}`,
}
