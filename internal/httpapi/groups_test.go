package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func (s seeder) group(body map[string]any) Group {
	s.t.Helper()
	var g Group
	s.a.do("POST", "/api/v1/groups", body).ok(s.t, 201, &g)
	return g
}

// getGroup reads a group back, checking its ETag and that a manual group
// answers "smart_rule": null rather than leaving the member out.
func getGroup(t *testing.T, a *api, id uuid.UUID) Group {
	t.Helper()
	var g Group
	resp := a.do("GET", "/api/v1/groups/"+id.String(), nil).ok(t, 200, &g)
	if etag := resp.Header.Get("ETag"); etag != fmt.Sprintf(`"%d"`, g.Version) {
		t.Fatalf("ETag %q for version %d", etag, g.Version)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &raw); err != nil {
		t.Fatal(err)
	}
	if rule, ok := raw["smart_rule"]; !ok || (g.SmartRule == nil && string(rule) != "null") {
		t.Fatalf("smart_rule member %q in %s", rule, resp.Body)
	}
	return g
}

// groupData is the stored data of g, comparable and readable in failures;
// organization ids are sorted, as the API does not promise their order.
func groupData(g Group) string {
	out := fmt.Sprintf("name=%q description=%q assignable=%v", g.Name, g.Description, g.PartnerAssignable)
	if r := g.SmartRule; r != nil {
		ids := make([]string, len(r.OrganizationIDs))
		for i, id := range r.OrganizationIDs {
			ids[i] = id.String()
		}
		slices.Sort(ids)
		out += fmt.Sprintf(" rule{kinds=%v types=%v regions=%v orgs=%v}", r.OrganizationKinds, r.PartnerTypes, r.Regions, ids)
	}
	return out
}

// rule builds the expected smart rule with every list present.
func rule(kinds, types, regions []string, orgs ...uuid.UUID) *SmartRule {
	return &SmartRule{OrganizationKinds: NonNil(kinds), PartnerTypes: NonNil(types), Regions: NonNil(regions),
		OrganizationIDs: NonNil(orgs)}
}

func TestGroupCreate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		o1 := s.org("Acme", "partner", "active", "", "")
		o2 := s.org("Bolt", "customer", "active", "", "")
		cases := []struct {
			name string
			body map[string]any
			want Group
		}{
			{"manual", map[string]any{"name": "Everyone"}, Group{Name: "Everyone"}},
			{"name trimmed", map[string]any{"name": "  Spaced  "}, Group{Name: "Spaced"}},
			{"explicit null rule", map[string]any{"name": "Manual", "smart_rule": nil}, Group{Name: "Manual"}},
			{"description and assignable", map[string]any{"name": "Sales", "description": "Sales team", "partner_assignable": true},
				Group{Name: "Sales", Description: "Sales team", PartnerAssignable: true}},
			{"kinds", map[string]any{"name": "Channel", "smart_rule": map[string]any{"organization_kinds": []string{"partner", "distributor"}}},
				Group{Name: "Channel", SmartRule: rule([]string{"partner", "distributor"}, nil, nil)}},
			{"types and regions", map[string]any{"name": "Gold EMEA", "smart_rule": map[string]any{"partner_types": []string{"gold"}, "regions": []string{"EMEA", "APAC"}}},
				Group{Name: "Gold EMEA", SmartRule: rule(nil, []string{"gold"}, []string{"EMEA", "APAC"})}},
			{"organization ids", map[string]any{"name": "Named", "smart_rule": map[string]any{"organization_ids": []uuid.UUID{o2.ID, o1.ID}}},
				Group{Name: "Named", SmartRule: rule(nil, nil, nil, o1.ID, o2.ID)}},
			{"everything", map[string]any{"name": "All", "partner_assignable": true, "smart_rule": map[string]any{
				"organization_kinds": []string{"customer"}, "partner_types": []string{"silver"}, "regions": []string{"AMER"},
				"organization_ids": []uuid.UUID{o1.ID}}},
				Group{Name: "All", PartnerAssignable: true, SmartRule: rule([]string{"customer"}, []string{"silver"}, []string{"AMER"}, o1.ID)}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var g Group
				resp := a.do("POST", "/api/v1/groups", tc.body).ok(t, 201, &g)
				if loc := resp.Header.Get("Location"); loc != "/api/v1/groups/"+g.ID.String() {
					t.Errorf("Location %q for id %s", loc, g.ID)
				}
				if etag := resp.Header.Get("ETag"); etag != `"1"` || g.Version != 1 {
					t.Errorf("ETag %q version %d", etag, g.Version)
				}
				for what, got := range map[string]Group{"answer": g, "stored": getGroup(t, a, g.ID)} {
					if groupData(got) != groupData(tc.want) {
						t.Errorf("%s %s\nwant   %s", what, groupData(got), groupData(tc.want))
					}
				}
			})
		}
	})
}

func TestGroupCreateInvalid(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		org := s.org("Acme", "partner", "active", "", "")
		cases := []struct {
			name   string
			body   string
			fields []string
		}{
			{"no name", `{"description":"x"}`, []string{"name"}},
			{"blank name", `{"name":"   "}`, []string{"name"}},
			{"name too long", `{"name":"` + strings.Repeat("n", 101) + `"}`, []string{"name"}},
			{"empty rule", `{"name":"G","smart_rule":{}}`, []string{"smart_rule"}},
			{"rule of empty lists", `{"name":"G","smart_rule":{"organization_kinds":[],"partner_types":[],"regions":[],"organization_ids":[]}}`,
				[]string{"smart_rule"}},
			{"unknown kind", `{"name":"G","smart_rule":{"organization_kinds":["partner","vendor"]}}`, []string{"smart_rule.organization_kinds[1]"}},
			{"blank region", `{"name":"G","smart_rule":{"regions":[""]}}`, []string{"smart_rule.regions[0]"}},
			{"missing organization", `{"name":"G","smart_rule":{"organization_ids":["` + org.ID.String() + `","` + uuid.NewString() + `"]}}`,
				[]string{"smart_rule.organization_ids"}},
			{"unknown field", `{"name":"G","color":"red"}`, []string{"color"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := a.do("POST", "/api/v1/groups", tc.body).problem(t, 422, "validation_failed")
				if got := strings.Join(fields(p), ","); got != strings.Join(tc.fields, ",") {
					t.Errorf("fields %s, want %v: %+v", got, tc.fields, p)
				}
			})
		}
		// A refused create stores nothing, not even half a smart group.
		resp := a.do("GET", "/api/v1/groups", nil).ok(t, 200, nil)
		if got := strings.TrimSpace(string(resp.Body)); got != `{"data":[]}` {
			t.Fatalf("groups after refused creates: %s", got)
		}
	})
}

func TestGroupNamesUnique(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		gold := s.group(map[string]any{"name": "Gold Partners"})
		silver := s.group(map[string]any{"name": "Silver"})
		for _, name := range []string{"Gold Partners", "gold partners", "GOLD PARTNERS", "  Gold Partners "} {
			t.Run("create "+name, func(t *testing.T) {
				a.do("POST", "/api/v1/groups", map[string]any{"name": name}).problem(t, 409, "group_name_taken")
			})
		}
		t.Run("rename onto another", func(t *testing.T) {
			a.do("PATCH", "/api/v1/groups/"+silver.ID.String(), `{"name":"gOLD pARTNERS"}`).problem(t, 409, "group_name_taken")
			if got := getGroup(t, a, silver.ID); got.Name != "Silver" || got.Version != 1 {
				t.Errorf("refused rename changed the group: %s v%d", groupData(got), got.Version)
			}
		})
		t.Run("recase own name", func(t *testing.T) {
			a.do("PATCH", "/api/v1/groups/"+gold.ID.String(), `{"name":"GOLD partners"}`).ok(t, 200, nil)
			if got := getGroup(t, a, gold.ID); got.Name != "GOLD partners" {
				t.Errorf("name %q, want the new case kept", got.Name)
			}
		})
		t.Run("free after delete", func(t *testing.T) {
			a.do("DELETE", "/api/v1/groups/"+gold.ID.String(), nil).ok(t, 204, nil)
			s.group(map[string]any{"name": "gold partners"})
		})
		t.Run("similar names differ", func(t *testing.T) {
			s.group(map[string]any{"name": "Gold Partner"})
			s.group(map[string]any{"name": "Silver 2"})
		})
	})
}

func TestGroupList(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		smart := map[string]any{"organization_kinds": []string{"partner"}}
		for _, g := range []map[string]any{
			{"name": "G0"},
			{"name": "G1", "partner_assignable": true},
			{"name": "G2", "smart_rule": smart},
			{"name": "G3", "smart_rule": smart, "partner_assignable": true},
			{"name": "G4"},
		} {
			s.group(g)
		}
		cases := []struct{ query, want, sizes string }{
			{"", "G0,G1,G2,G3,G4", "5"},
			{"limit=2", "G0,G1,G2,G3,G4", "2,2,1"},
			{"limit=5", "G0,G1,G2,G3,G4", "5"},
			{"smart=true", "G2,G3", "2"},
			{"smart=false", "G0,G1,G4", "3"},
			{"partner_assignable=true", "G1,G3", "2"},
			{"partner_assignable=false", "G0,G2,G4", "3"},
			{"smart=true&partner_assignable=true", "G3", "1"},
			{"smart=false&partner_assignable=false&limit=1", "G0,G4", "1,1"},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				got, sizes := collectPages[Group](t, a, "/api/v1/groups?"+tc.query)
				names := make([]string, len(got))
				for i, g := range got {
					names[i] = g.Name
				}
				if strings.Join(names, ",") != tc.want || joinInts(sizes) != tc.sizes {
					t.Errorf("got %v in pages %s, want %s in pages %s", names, joinInts(sizes), tc.want, tc.sizes)
				}
			})
		}
		for _, tc := range []struct{ query, field string }{
			{"smart=maybe", "smart"},
			{"partner_assignable=2", "partner_assignable"},
			{"limit=0", "limit"},
			{"cursor=%21", "cursor"},
		} {
			t.Run(tc.query, func(t *testing.T) {
				p := a.do("GET", "/api/v1/groups?"+tc.query, nil).problem(t, 422, "validation_failed")
				if got := strings.Join(fields(p), ","); got != tc.field {
					t.Errorf("fields %s, want %s", got, tc.field)
				}
			})
		}
	})
}
