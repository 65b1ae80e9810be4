package httpapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestFieldDefinitionCreate(t *testing.T) {
	t.Parallel()
	valid := []struct {
		body obj
		want string // the stored definition's bounds and options as JSON
	}{
		{obj{"entity": "account", "key": "nickname", "label": "Nickname", "type": "text", "max_length": 10}, `{"max_length":10,"min":null,"max":null,"options":[]}`},
		{obj{"entity": "account", "key": "notes", "label": "Notes", "type": "textarea"}, `{"max_length":null,"min":null,"max":null,"options":[]}`},
		{obj{"entity": "account", "key": "bio", "label": "Bio", "type": "html", "max_length": 500, "required": true}, `{"max_length":500,"min":null,"max":null,"options":[]}`},
		{obj{"entity": "organization", "key": "score", "label": "Score", "type": "number", "min": -1.5, "max": 10}, `{"max_length":null,"min":-1.5,"max":10,"options":[]}`},
		{obj{"entity": "organization", "key": "since", "label": "Since", "type": "date"}, `{"max_length":null,"min":null,"max":null,"options":[]}`},
		{obj{"entity": "organization", "key": "vip", "label": "VIP", "type": "boolean"}, `{"max_length":null,"min":null,"max":null,"options":[]}`},
		{obj{"entity": "organization", "key": "tier_2", "label": "Tier", "type": "select", "options": []string{"gold", "silver"}}, `{"max_length":null,"min":null,"max":null,"options":["gold","silver"]}`},
	}
	invalid := []struct {
		name   string
		body   obj
		fields []string
		codes  []string
	}{
		{"nothing", obj{}, []string{"entity", "key", "label", "type"}, []string{"required", "required", "required", "required"}},
		{"unknown entity and type", obj{"entity": "contact", "key": "k", "label": "K", "type": "money"}, []string{"entity", "type"}, []string{"oneof", "oneof"}},
		{"upper-case key", obj{"entity": "account", "key": "Tier", "label": "T", "type": "text"}, []string{"key"}, []string{"pattern"}},
		{"key starts with a digit", obj{"entity": "account", "key": "1tier", "label": "T", "type": "text"}, []string{"key"}, []string{"pattern"}},
		{"key with a dash", obj{"entity": "account", "key": "my-tier", "label": "T", "type": "text"}, []string{"key"}, []string{"pattern"}},
		{"key too long", obj{"entity": "account", "key": strings.Repeat("k", 64), "label": "T", "type": "text"}, []string{"key"}, []string{"max_length"}},
		{"max_length on a number", obj{"entity": "account", "key": "n", "label": "N", "type": "number", "max_length": 5}, []string{"max_length"}, []string{"not_applicable"}},
		{"max_length zero", obj{"entity": "account", "key": "t", "label": "T", "type": "text", "max_length": 0}, []string{"max_length"}, []string{"min"}},
		{"min on text", obj{"entity": "account", "key": "t", "label": "T", "type": "text", "min": 1}, []string{"min"}, []string{"not_applicable"}},
		{"max on a date", obj{"entity": "account", "key": "d", "label": "D", "type": "date", "max": 1}, []string{"max"}, []string{"not_applicable"}},
		{"min above max", obj{"entity": "account", "key": "n", "label": "N", "type": "number", "min": 5, "max": 1}, []string{"min"}, []string{"range"}},
		{"select without options", obj{"entity": "account", "key": "s", "label": "S", "type": "select"}, []string{"options"}, []string{"required"}},
		{"options on text", obj{"entity": "account", "key": "t", "label": "T", "type": "text", "options": []string{"a"}}, []string{"options"}, []string{"not_applicable"}},
		{"duplicate and empty options", obj{"entity": "account", "key": "s", "label": "S", "type": "select", "options": []string{"a", "", "a"}}, []string{"options[1]", "options[2]"}, []string{"invalid", "invalid"}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		for _, tc := range valid {
			t.Run(tc.body["key"].(string), func(t *testing.T) {
				var f FieldDefinition
				r := a.do("POST", "/api/v1/field-definitions", tc.body).ok(t, 201, &f)
				if r.Header.Get("Location") != "/api/v1/field-definitions/"+f.ID.String() || r.Header.Get("ETag") != `"1"` {
					t.Fatalf("Location %q ETag %q", r.Header.Get("Location"), r.Header.Get("ETag"))
				}
				var got FieldDefinition
				a.do("GET", "/api/v1/field-definitions/"+f.ID.String(), nil).ok(t, 200, &got)
				wantDefinition(t, got, tc.body, tc.want)
			})
		}
		for _, tc := range invalid {
			t.Run(tc.name, func(t *testing.T) {
				p := a.do("POST", "/api/v1/field-definitions", tc.body).problem(t, 422, "validation_failed")
				wantFields(t, p, tc.fields, tc.codes)
			})
		}
		t.Run("keys are unique per entity", func(t *testing.T) {
			a.do("POST", "/api/v1/field-definitions", obj{"entity": "account", "key": "nickname", "label": "Other", "type": "date"}).
				problem(t, 409, "field_key_taken")
			a.defineField(t, obj{"entity": "organization", "key": "nickname", "label": "Nickname", "type": "text"})
		})
		lists := []struct{ query, want string }{
			{"", "account.bio account.nickname account.notes organization.nickname organization.score organization.since organization.tier_2 organization.vip"},
			{"?entity=account", "account.bio account.nickname account.notes"},
			{"?entity=organization", "organization.nickname organization.score organization.since organization.tier_2 organization.vip"},
		}
		for _, tc := range lists {
			t.Run("list"+tc.query, func(t *testing.T) {
				var list FieldDefinitionList
				a.do("GET", "/api/v1/field-definitions"+tc.query, nil).ok(t, 200, &list)
				var got []string
				for _, f := range list.Data {
					got = append(got, f.Entity+"."+f.Key)
				}
				if strings.Join(got, " ") != tc.want {
					t.Fatalf("listed %v, want %s", got, tc.want)
				}
			})
		}
		t.Run("list with an unknown entity", func(t *testing.T) {
			p := a.do("GET", "/api/v1/field-definitions?entity=contact", nil).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"entity"}, []string{"oneof"})
		})
	})
}

// wantDefinition compares a stored definition with the body that created
// it; bounds is its max_length, min, max and options as JSON.
func wantDefinition(t *testing.T, got FieldDefinition, body obj, bounds string) {
	t.Helper()
	required, _ := body["required"].(bool)
	if got.Entity != body["entity"] || got.Key != body["key"] || got.Label != body["label"] ||
		got.Type != body["type"] || got.Required != required || got.Version != 1 {
		t.Errorf("definition %+v, want %v", got, body)
	}
	if got := boundsOf(got); got != bounds {
		t.Errorf("bounds %s, want %s", got, bounds)
	}
}

// boundsOf is a definition's max_length, min, max and options as JSON.
func boundsOf(f FieldDefinition) string {
	raw, _ := json.Marshal(struct {
		MaxLength *int     `json:"max_length"`
		Min       *float64 `json:"min"`
		Max       *float64 `json:"max"`
		Options   []string `json:"options"`
	}{f.MaxLength, f.Min, f.Max, f.Options})
	return string(raw)
}

func TestFieldDefinitionUpdate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		text := a.defineField(t, obj{"entity": "account", "key": "code", "label": "Code", "type": "text", "max_length": 3})
		num := a.defineField(t, obj{"entity": "account", "key": "score", "label": "Score", "type": "number", "min": 0, "max": 10})
		sel := a.defineField(t, obj{"entity": "account", "key": "tier", "label": "Tier", "type": "select", "options": []string{"gold"}})
		steps := []struct {
			name    string
			def     FieldDefinition
			ifMatch string
			body    obj
			status  int
			fields  []string
			want    string // bounds after the step
		}{
			{"label and required", text, `"1"`, obj{"label": "Short code", "required": true}, 200, nil, `{"max_length":3,"min":null,"max":null,"options":[]}`},
			{"stale If-Match", text, `"1"`, obj{"label": "Lost"}, 412, nil, `{"max_length":3,"min":null,"max":null,"options":[]}`},
			{"null max_length removes the bound", text, `"2"`, obj{"max_length": nil}, 200, nil, `{"max_length":null,"min":null,"max":null,"options":[]}`},
			{"max_length on a number", num, "", obj{"max_length": 4}, 422, []string{"max_length"}, `{"max_length":null,"min":0,"max":10,"options":[]}`},
			{"min above max", num, "", obj{"min": 11}, 422, []string{"min"}, `{"max_length":null,"min":0,"max":10,"options":[]}`},
			{"null min keeps max", num, "", obj{"min": nil}, 200, nil, `{"max_length":null,"min":null,"max":10,"options":[]}`},
			{"options emptied", sel, "", obj{"options": []string{}}, 422, []string{"options"}, `{"max_length":null,"min":null,"max":null,"options":["gold"]}`},
			{"options replaced", sel, "", obj{"options": []string{"gold", "silver"}}, 200, nil, `{"max_length":null,"min":null,"max":null,"options":["gold","silver"]}`},
			{"type is fixed", sel, "", obj{"type": "text"}, 422, []string{"type"}, `{"max_length":null,"min":null,"max":null,"options":["gold","silver"]}`},
			{"key is fixed", sel, "", obj{"key": "level"}, 422, []string{"key"}, `{"max_length":null,"min":null,"max":null,"options":["gold","silver"]}`},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				path := "/api/v1/field-definitions/" + s.def.ID.String()
				var h []string
				if s.ifMatch != "" {
					h = []string{"If-Match", s.ifMatch}
				}
				r := a.do("PATCH", path, s.body, h...)
				switch s.status {
				case 200:
					r.ok(t, 200, nil)
				case 412:
					r.problem(t, 412, "precondition_failed")
				default:
					wantFields(t, r.problem(t, s.status, "validation_failed"), s.fields, nil)
				}
				var got FieldDefinition
				a.do("GET", path, nil).ok(t, 200, &got)
				if got.Key != s.def.Key || got.Type != s.def.Type || boundsOf(got) != s.want {
					t.Fatalf("after the step %s %s: %s, want %s", got.Key, got.Type, boundsOf(got), s.want)
				}
			})
		}
		t.Run("label and required kept", func(t *testing.T) {
			var got FieldDefinition
			r := a.do("GET", "/api/v1/field-definitions/"+text.ID.String(), nil).ok(t, 200, &got)
			if got.Label != "Short code" || !got.Required || got.Version != 3 || r.Header.Get("ETag") != `"3"` {
				t.Fatalf("definition %+v ETag %s", got, r.Header.Get("ETag"))
			}
		})
		t.Run("a removed bound no longer applies", func(t *testing.T) {
			var acc Account
			a.do("POST", "/api/v1/accounts", obj{"name": "Long", "custom_fields": obj{"code": "ABCDEFGH", "score": -5, "tier": "silver"}}).ok(t, 201, &acc)
			if !slices.Equal([]any{acc.CustomFields["code"], acc.CustomFields["score"]}, []any{"ABCDEFGH", -5.0}) {
				t.Fatalf("custom fields %v", acc.CustomFields)
			}
		})
		t.Run("delete", func(t *testing.T) {
			path := "/api/v1/field-definitions/" + sel.ID.String()
			a.do("DELETE", path, nil, "If-Match", `"1"`).problem(t, 412, "precondition_failed")
			a.do("DELETE", path, nil, "If-Match", `"2"`).ok(t, 204, nil)
			a.do("GET", path, nil).problem(t, 404, "not_found")
			a.do("DELETE", path, nil).problem(t, 404, "not_found")
			a.do("PATCH", path, obj{"label": "Ghost"}).problem(t, 404, "not_found")
		})
	})
}
