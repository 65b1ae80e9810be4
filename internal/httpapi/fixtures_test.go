package httpapi_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/pkg/problem"
)

// obj is a JSON object body.
type obj = map[string]any

// createOrg posts an organization (kind customer unless body names one)
// and returns it.
func (a *api) createOrg(t *testing.T, body obj) Organization {
	t.Helper()
	if _, ok := body["kind"]; !ok {
		body["kind"] = "customer"
	}
	var o Organization
	a.do("POST", "/api/v1/organizations", body).ok(t, 201, &o)
	return o
}

// getOrg reads an organization back.
func (a *api) getOrg(t *testing.T, id string) Organization {
	t.Helper()
	var o Organization
	a.do("GET", "/api/v1/organizations/"+id, nil).ok(t, 200, &o)
	return o
}

// defineField posts a field definition and returns it.
func (a *api) defineField(t *testing.T, body obj) FieldDefinition {
	t.Helper()
	var f FieldDefinition
	a.do("POST", "/api/v1/field-definitions", body).ok(t, 201, &f)
	return f
}

// createContact posts a contact linked by the given body and returns its id.
func (a *api) createContact(t *testing.T, body obj) string {
	t.Helper()
	var c Contact
	a.do("POST", "/api/v1/contacts", body).ok(t, 201, &c)
	return c.ID.String()
}

// orgNames lists the names of every organization matching query, walking
// all pages.
func (a *api) orgNames(t *testing.T, query url.Values) []string {
	t.Helper()
	var names []string
	for {
		var page OrganizationList
		a.do("GET", "/api/v1/organizations?"+query.Encode(), nil).ok(t, 200, &page)
		for _, o := range page.Data {
			names = append(names, o.Name)
		}
		if page.NextCursor == "" {
			return names
		}
		query.Set("cursor", page.NextCursor)
	}
}

// members decodes a problem body into a map, for its extension members.
func members(t *testing.T, r response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return m
}

// wantFields asserts a problem's errors name exactly fields, in order,
// and, when codes is not nil, carry those codes.
func wantFields(t *testing.T, p problem.Problem, fieldNames, codes []string) {
	t.Helper()
	if got := fields(p); !slices.Equal(got, fieldNames) {
		t.Fatalf("error fields %v, want %v (%+v)", got, fieldNames, p.Errors)
	}
	for i, e := range p.Errors {
		if e.Message == "" {
			t.Errorf("error %s has no message", e.Field)
		}
		if codes != nil && e.Code != codes[i] {
			t.Errorf("error %s code %q, want %q", e.Field, e.Code, codes[i])
		}
	}
}

// wantContains asserts that s holds every part.
func wantContains(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%q lacks %q", s, p)
		}
	}
}
