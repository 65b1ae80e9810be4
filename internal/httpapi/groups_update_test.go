package httpapi_test

import (
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestGroupUpdate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		o1 := s.org("Acme", "partner", "active", "", "")
		o2 := s.org("Bolt", "customer", "active", "", "")
		smartBody := func(name string) map[string]any {
			return map[string]any{"name": name, "description": "d", "smart_rule": map[string]any{
				"organization_kinds": []string{"partner"}, "regions": []string{"EMEA"}, "organization_ids": []uuid.UUID{o1.ID}}}
		}
		smartRule := rule([]string{"partner"}, nil, []string{"EMEA"}, o1.ID)
		cases := []struct {
			name   string
			manual bool // start from a manual group instead of a smart one
			patch  string
			change func(g *Group) // nil: the patch is refused
			fields []string       // of the refusal
		}{
			{"description only keeps the rule", false, `{"description":"new"}`, func(g *Group) { g.Description = "new" }, nil},
			{"rename, trimmed", false, `{"name":"  Renamed "}`, func(g *Group) { g.Name = "Renamed" }, nil},
			{"assignable", false, `{"partner_assignable":true}`, func(g *Group) { g.PartnerAssignable = true }, nil},
			{"null rule makes it manual", false, `{"smart_rule":null}`, func(g *Group) { g.SmartRule = nil }, nil},
			{"rule replaced whole", false, `{"smart_rule":{"regions":["APAC"]}}`,
				func(g *Group) { g.SmartRule = rule(nil, nil, []string{"APAC"}) }, nil},
			{"rule organizations replaced", false, `{"smart_rule":{"organization_ids":["` + o2.ID.String() + `"]}}`,
				func(g *Group) { g.SmartRule = rule(nil, nil, nil, o2.ID) }, nil},
			{"manual made smart", true, `{"smart_rule":{"organization_kinds":["customer"],"partner_types":["gold"]}}`,
				func(g *Group) { g.SmartRule = rule([]string{"customer"}, []string{"gold"}, nil) }, nil},
			{"null rule on manual", true, `{"smart_rule":null}`, func(*Group) {}, nil},
			{"empty rule", false, `{"smart_rule":{}}`, nil, []string{"smart_rule"}},
			{"empty rule on manual", true, `{"smart_rule":{"regions":[]}}`, nil, []string{"smart_rule"}},
			{"unknown kind", false, `{"smart_rule":{"organization_kinds":["vendor"]}}`, nil, []string{"smart_rule.organization_kinds[0]"}},
			{"missing organization", false, `{"smart_rule":{"organization_ids":["` + uuid.NewString() + `"]}}`,
				nil, []string{"smart_rule.organization_ids"}},
			{"empty name", false, `{"name":""}`, nil, []string{"name"}},
			{"blank name", false, `{"name":"  "}`, nil, []string{"name"}},
			{"unknown field", false, `{"owner":"me"}`, nil, []string{"owner"}},
		}
		created := map[string]uuid.UUID{}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				body := smartBody("Group " + string(rune('A'+i)))
				if tc.manual {
					delete(body, "smart_rule")
				}
				before := s.group(body)
				created[tc.name] = before.ID
				if !tc.manual && groupData(before) != groupData(Group{Name: before.Name, Description: "d", SmartRule: smartRule}) {
					t.Fatalf("created %s", groupData(before))
				}
				resp := a.do("PATCH", "/api/v1/groups/"+before.ID.String(), tc.patch)
				if tc.change == nil {
					p := resp.problem(t, 422, "validation_failed")
					if got := strings.Join(fields(p), ","); got != strings.Join(tc.fields, ",") {
						t.Fatalf("fields %s, want %v", got, tc.fields)
					}
					if after := getGroup(t, a, before.ID); groupData(after) != groupData(before) || after.Version != 1 {
						t.Fatalf("refused patch changed the group: %s v%d", groupData(after), after.Version)
					}
					return
				}
				var got Group
				resp.ok(t, 200, &got)
				want := before
				tc.change(&want)
				if etag := resp.Header.Get("ETag"); etag != `"2"` || got.Version != 2 {
					t.Errorf("ETag %q version %d after one update", etag, got.Version)
				}
				for what, g := range map[string]Group{"answer": got, "stored": getGroup(t, a, before.ID)} {
					if groupData(g) != groupData(want) {
						t.Errorf("%s %s\nwant   %s", what, groupData(g), groupData(want))
					}
				}
			})
		}
		t.Run("lists follow the rule changes", func(t *testing.T) {
			endManual := map[string]bool{"null rule makes it manual": true, "null rule on manual": true, "empty rule on manual": true}
			var wantManual, wantSmart []string
			for _, tc := range cases {
				if endManual[tc.name] {
					wantManual = append(wantManual, created[tc.name].String())
				} else {
					wantSmart = append(wantSmart, created[tc.name].String())
				}
			}
			for query, want := range map[string][]string{"smart=false": wantManual, "smart=true": wantSmart} {
				got, _ := collectPages[Group](t, a, "/api/v1/groups?"+query)
				ids := make([]string, len(got))
				for i, g := range got {
					ids[i] = g.ID.String()
				}
				if strings.Join(ids, ",") != strings.Join(want, ",") {
					t.Errorf("%s lists %v, want %v", query, ids, want)
				}
			}
		})
	})
}

func TestGroupIfMatch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		g := seeder{t, a}.group(map[string]any{"name": "Gold"})
		path := "/api/v1/groups/" + g.ID.String()
		runSteps(t, a, path, []step{
			{"read", "GET", "", "", 200, "", `"1"`},
			{"future", "PATCH", `"2"`, `{"name":"Lost"}`, 412, "precondition_failed", ""},
			{"current", "PATCH", `"1"`, `{"description":"one"}`, 200, "", `"2"`},
			{"stale", "PATCH", `"1"`, `{"name":"Lost"}`, 412, "precondition_failed", ""},
			{"any", "PATCH", `*`, `{"partner_assignable":true}`, 200, "", `"3"`},
			{"stale delete", "DELETE", `"2"`, "", 412, "precondition_failed", ""},
			{"still there", "GET", "", "", 200, "", `"3"`},
		})
		if got := getGroup(t, a, g.ID); got.Name != "Gold" || got.Description != "one" || !got.PartnerAssignable {
			t.Fatalf("after stale writes: %s", groupData(got))
		}
		runSteps(t, a, path, []step{
			{"delete", "DELETE", `"3"`, "", 204, "", ""},
			{"gone", "GET", "", "", 404, "not_found", ""},
			{"patch gone", "PATCH", "", `{"name":"X"}`, 404, "not_found", ""},
			{"delete gone", "DELETE", `*`, "", 404, "not_found", ""},
		})
		for _, id := range []string{"nope", uuid.NewString()} {
			a.do("GET", "/api/v1/groups/"+id, nil).problem(t, 404, "not_found")
		}
	})
}

func TestGroupRuleLosesDeletedOrganization(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		o1 := s.org("Acme", "partner", "active", "", "")
		o2 := s.org("Bolt", "partner", "active", "", "")
		both := s.group(map[string]any{"name": "Both", "smart_rule": map[string]any{
			"organization_kinds": []string{"partner"}, "organization_ids": []uuid.UUID{o1.ID, o2.ID}}})
		only := s.group(map[string]any{"name": "Only", "smart_rule": map[string]any{"organization_ids": []uuid.UUID{o1.ID}}})
		other := s.group(map[string]any{"name": "Other", "smart_rule": map[string]any{"organization_ids": []uuid.UUID{o2.ID}}})

		a.do("DELETE", "/api/v1/organizations/"+o1.ID.String(), nil).ok(t, 204, nil)

		cases := []struct {
			name string
			id   uuid.UUID
			want *SmartRule
		}{
			{"other conditions stay", both.ID, rule([]string{"partner"}, nil, nil, o2.ID)},
			// The rule is left with no condition, which matches nothing.
			{"sole organization removed", only.ID, rule(nil, nil, nil)},
			{"unrelated rule untouched", other.ID, rule(nil, nil, nil, o2.ID)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := getGroup(t, a, tc.id)
				if groupData(got) != groupData(Group{Name: got.Name, SmartRule: tc.want}) {
					t.Errorf("after the organization went: %s", groupData(got))
				}
			})
		}
	})
}
