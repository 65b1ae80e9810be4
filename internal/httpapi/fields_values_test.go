package httpapi_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// valueDefs are defined identically for accounts and organizations.
var valueDefs = []obj{
	{"key": "code", "label": "Code", "type": "text", "required": true},
	{"key": "nickname", "label": "Nickname", "type": "text", "max_length": 5},
	{"key": "notes", "label": "Notes", "type": "textarea", "max_length": 3},
	{"key": "bio", "label": "Bio", "type": "html", "max_length": 40},
	{"key": "score", "label": "Score", "type": "number", "min": 0, "max": 10},
	{"key": "since", "label": "Since", "type": "date"},
	{"key": "vip", "label": "VIP", "type": "boolean"},
	{"key": "tier", "label": "Tier", "type": "select", "options": []string{"gold", "silver"}},
}

// entity is a resource with custom fields.
type entity struct {
	name, path string
	base       obj // the members a create needs besides custom_fields
}

var entities = []entity{
	{"account", "/api/v1/accounts", obj{"name": "Acme Corp"}},
	{"organization", "/api/v1/organizations", obj{"name": "Acme", "kind": "customer"}},
}

// body is e's create body with custom fields cf.
func (e entity) body(cf any) obj {
	b := obj{"custom_fields": cf}
	for k, v := range e.base {
		b[k] = v
	}
	return b
}

// eachEntity runs fn for accounts and organizations on every database,
// with valueDefs defined for the entity.
func eachEntity(t *testing.T, fn func(t *testing.T, a *api, e entity)) {
	t.Helper()
	for _, e := range entities {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				t.Parallel()
				a := newAPI(t, db)
				for _, d := range valueDefs {
					def := maps.Clone(d)
					def["entity"] = e.name
					a.defineField(t, def)
				}
				fn(t, a, e)
			})
		})
	}
}

// customFields reads the stored custom fields of the record at path.
func (a *api) customFields(t *testing.T, path string) map[string]any {
	t.Helper()
	var rec struct {
		CustomFields map[string]any `json:"custom_fields"`
	}
	a.do("GET", path, nil).ok(t, 200, &rec)
	return rec.CustomFields
}

func TestCustomFieldValuesOnCreate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		fields string // custom_fields as JSON, besides code unless it names code
		stored any    // the value stored under the first key, when accepted
		errs   []string
		codes  []string
	}{
		{"text at max_length in multi-byte letters", `{"nickname":"ééééé"}`, "ééééé", nil, nil},
		{"text at max_length in emoji", `{"nickname":"😀😀😀😀😀"}`, "😀😀😀😀😀", nil, nil},
		{"text over max_length in multi-byte letters", `{"nickname":"éééééé"}`, nil, []string{"custom_fields.nickname"}, []string{"max_length"}},
		{"text over max_length in emoji", `{"nickname":"😀😀😀😀😀😀"}`, nil, []string{"custom_fields.nickname"}, []string{"max_length"}},
		{"textarea over max_length", `{"notes":"a\nbc"}`, nil, []string{"custom_fields.notes"}, []string{"max_length"}},
		{"textarea at max_length", `{"notes":"a\nb"}`, "a\nb", nil, nil},
		{"text not a string", `{"nickname":5}`, nil, []string{"custom_fields.nickname"}, []string{"type"}},
		{"unknown key", `{"colour":"red"}`, nil, []string{"custom_fields.colour"}, []string{"unknown_field"}},
		{"number at max", `{"score":10}`, 10.0, nil, nil},
		{"number at min", `{"score":0}`, 0.0, nil, nil},
		{"number fraction", `{"score":2.5}`, 2.5, nil, nil},
		{"number above max", `{"score":10.5}`, nil, []string{"custom_fields.score"}, []string{"max"}},
		{"number below min", `{"score":-1}`, nil, []string{"custom_fields.score"}, []string{"min"}},
		{"number as a string", `{"score":"5"}`, nil, []string{"custom_fields.score"}, []string{"type"}},
		{"date", `{"since":"2024-02-29"}`, "2024-02-29", nil, nil},
		{"date that does not exist", `{"since":"2026-02-30"}`, nil, []string{"custom_fields.since"}, []string{"date"}},
		{"date in another format", `{"since":"29/02/2024"}`, nil, []string{"custom_fields.since"}, []string{"date"}},
		{"date with a time", `{"since":"2024-02-29T10:00:00Z"}`, nil, []string{"custom_fields.since"}, []string{"date"}},
		{"date as a number", `{"since":20240229}`, nil, []string{"custom_fields.since"}, []string{"date"}},
		{"boolean false", `{"vip":false}`, false, nil, nil},
		{"boolean as a string", `{"vip":"true"}`, nil, []string{"custom_fields.vip"}, []string{"type"}},
		{"select option", `{"tier":"silver"}`, "silver", nil, nil},
		{"select unknown option", `{"tier":"bronze"}`, nil, []string{"custom_fields.tier"}, []string{"option"}},
		{"select option in another case", `{"tier":"Gold"}`, nil, []string{"custom_fields.tier"}, []string{"option"}},
		{"html sanitized", `{"bio":"<b>hi</b><script>alert(1)</script><i onclick=\"steal()\">x</i>"}`, "<b>hi</b><i>x</i>", nil, nil},
		{"html over max_length", `{"bio":"<b>` + strings.Repeat("é", 41) + `</b>"}`, nil, []string{"custom_fields.bio"}, []string{"max_length"}},
		{"required missing", `{"code":null}`, nil, []string{"custom_fields.code"}, []string{"required"}},
		{"required empty", `{"code":""}`, nil, []string{"custom_fields.code"}, []string{"required"}},
		{"required left out", `{}`, nil, []string{"custom_fields.code"}, []string{"required"}},
		{"every error at once, by key", `{"tier":"x","score":99,"colour":1}`, nil,
			[]string{"custom_fields.colour", "custom_fields.score", "custom_fields.tier"}, []string{"unknown_field", "max", "option"}},
		{"custom_fields not an object", `[1]`, nil, []string{"custom_fields"}, []string{"type"}},
	}
	eachEntity(t, func(t *testing.T, a *api, e entity) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var cf any
				if err := json.Unmarshal([]byte(tc.fields), &cf); err != nil {
					t.Fatal(err)
				}
				key := ""
				if m, ok := cf.(map[string]any); ok {
					if _, named := m["code"]; !named && tc.name != "required left out" {
						m["code"] = "C1"
					}
					for k := range m {
						if k != "code" || len(m) == 1 {
							key = k
						}
					}
				}
				r := a.do("POST", e.path, e.body(cf))
				if tc.errs != nil {
					wantFields(t, r.problem(t, 422, "validation_failed"), tc.errs, tc.codes)
					return
				}
				var rec struct {
					ID           string         `json:"id"`
					CustomFields map[string]any `json:"custom_fields"`
				}
				r.ok(t, 201, &rec)
				want := map[string]any{"code": "C1", key: tc.stored}
				if got := a.customFields(t, e.path+"/"+rec.ID); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(rec.CustomFields, want) {
					t.Fatalf("stored %v (answered %v), want %v", got, rec.CustomFields, want)
				}
			})
		}
	})
}

func TestCustomFieldValuesOnPatch(t *testing.T) {
	t.Parallel()
	start := `{"code":"C1","nickname":"abc","score":3}`
	steps := []struct {
		name   string
		body   string
		errs   []string
		codes  []string
		stored string // custom_fields after the step
	}{
		{"null removes a key", `{"custom_fields":{"nickname":null}}`, nil, nil, `{"code":"C1","score":3}`},
		{"null refused for a required key", `{"custom_fields":{"code":null}}`, []string{"custom_fields.code"}, []string{"required"}, `{"code":"C1","score":3}`},
		{"empty refused for a required key", `{"custom_fields":{"code":""}}`, []string{"custom_fields.code"}, []string{"required"}, `{"code":"C1","score":3}`},
		{"one bad value refuses the whole patch", `{"custom_fields":{"tier":"gold","score":11}}`, []string{"custom_fields.score"}, []string{"max"}, `{"code":"C1","score":3}`},
		{"keys merge", `{"custom_fields":{"tier":"silver","vip":true,"score":4}}`, nil, nil, `{"code":"C1","score":4,"tier":"silver","vip":true}`},
		{"other members keep custom fields", `{"name":"Renamed"}`, nil, nil, `{"code":"C1","score":4,"tier":"silver","vip":true}`},
		{"empty object changes nothing", `{"custom_fields":{}}`, nil, nil, `{"code":"C1","score":4,"tier":"silver","vip":true}`},
		{"html sanitized", `{"custom_fields":{"bio":"<p onclick=\"x()\">hi <b>there</b></p><script>x()</script>"}}`, nil, nil,
			`{"bio":"<p>hi <b>there</b></p>","code":"C1","score":4,"tier":"silver","vip":true}`},
		{"length in characters", `{"custom_fields":{"nickname":"😀é😀é😀"}}`, nil, nil,
			`{"bio":"<p>hi <b>there</b></p>","code":"C1","nickname":"😀é😀é😀","score":4,"tier":"silver","vip":true}`},
		{"too long", `{"custom_fields":{"nickname":"😀é😀é😀é"}}`, []string{"custom_fields.nickname"}, []string{"max_length"},
			`{"bio":"<p>hi <b>there</b></p>","code":"C1","nickname":"😀é😀é😀","score":4,"tier":"silver","vip":true}`},
		{"unknown key", `{"custom_fields":{"colour":"red","since":"2024-13-01"}}`, []string{"custom_fields.colour", "custom_fields.since"}, []string{"unknown_field", "date"},
			`{"bio":"<p>hi <b>there</b></p>","code":"C1","nickname":"😀é😀é😀","score":4,"tier":"silver","vip":true}`},
	}
	eachEntity(t, func(t *testing.T, a *api, e entity) {
		var cf map[string]any
		_ = json.Unmarshal([]byte(start), &cf)
		var rec struct {
			ID string `json:"id"`
		}
		a.do("POST", e.path, e.body(cf)).ok(t, 201, &rec)
		path := e.path + "/" + rec.ID
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				r := a.do("PATCH", path, s.body)
				if s.errs != nil {
					wantFields(t, r.problem(t, 422, "validation_failed"), s.errs, s.codes)
				} else {
					r.ok(t, 200, nil)
				}
				var want map[string]any
				if err := json.Unmarshal([]byte(s.stored), &want); err != nil {
					t.Fatal(err)
				}
				if got := a.customFields(t, path); !reflect.DeepEqual(got, want) {
					t.Fatalf("stored %v, want %v", got, want)
				}
			})
		}
		t.Run("values of a deleted definition are kept", func(t *testing.T) {
			var list FieldDefinitionList
			a.do("GET", "/api/v1/field-definitions?entity="+e.name, nil).ok(t, 200, &list)
			for _, f := range list.Data {
				if f.Key == "tier" {
					a.do("DELETE", "/api/v1/field-definitions/"+f.ID.String(), nil).ok(t, 204, nil)
				}
			}
			a.do("PATCH", path, obj{"custom_fields": obj{"vip": false}}).ok(t, 200, nil)
			if got := a.customFields(t, path); got["tier"] != "silver" || got["vip"] != false {
				t.Fatalf("stored %v", got)
			}
			p := a.do("PATCH", path, obj{"custom_fields": obj{"tier": "gold"}}).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"custom_fields.tier"}, []string{"unknown_field"})
		})
	})
}
