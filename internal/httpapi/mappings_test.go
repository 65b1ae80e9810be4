package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// defineMappingFields defines account and organization fields for the
// mapping tests: same-typed pairs, some with a smaller target.
func (a *api) defineMappingFields(t *testing.T) {
	t.Helper()
	for _, f := range []obj{
		{"entity": "account", "key": "description", "label": "Description", "type": "text", "max_length": 500},
		{"entity": "account", "key": "code", "label": "Code", "type": "text", "max_length": 20},
		{"entity": "account", "key": "memo", "label": "Memo", "type": "textarea"},
		{"entity": "account", "key": "employees", "label": "Employees", "type": "number", "min": 0, "max": 100000},
		{"entity": "organization", "key": "summary", "label": "Summary", "type": "text", "max_length": 100},
		{"entity": "organization", "key": "code", "label": "Code", "type": "text", "max_length": 20},
		{"entity": "organization", "key": "headcount", "label": "Headcount", "type": "number", "min": 0, "max": 1000},
	} {
		a.defineField(t, f)
	}
}

// mapField posts a mapping and returns it.
func (a *api) mapField(t *testing.T, src, dst string) FieldMapping {
	t.Helper()
	var m FieldMapping
	a.do("POST", "/api/v1/field-mappings", obj{"account_field": src, "organization_field": dst}).ok(t, 201, &m)
	return m
}

// setFieldLimit sets the max_length of an organization field definition.
func (a *api) setFieldLimit(t *testing.T, key string, limit int) {
	t.Helper()
	var defs FieldDefinitionList
	a.do("GET", "/api/v1/field-definitions?entity=organization", nil).ok(t, 200, &defs)
	for _, d := range defs.Data {
		if d.Key == key {
			a.do("PATCH", "/api/v1/field-definitions/"+d.ID.String(), obj{"max_length": limit}).ok(t, 200, nil)
			return
		}
	}
	t.Fatalf("no organization field %s", key)
}

func TestFieldMappingCreateAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.defineMappingFields(t)

		var lossy, exact FieldMapping
		r := a.do("POST", "/api/v1/field-mappings", obj{"account_field": "description", "organization_field": "summary"}).ok(t, 201, &lossy)
		if lossy.Warning != domain.TruncationMessage {
			t.Fatalf("warning %q, want the truncation sentence", lossy.Warning)
		}
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/api/v1/field-mappings/"+lossy.ID.String() {
			t.Fatalf("ETag %q Location %q", r.Header.Get("ETag"), r.Header.Get("Location"))
		}
		r = a.do("POST", "/api/v1/field-mappings", obj{"account_field": "code", "organization_field": "code"}).ok(t, 201, &exact)
		if exact.Warning != "" || strings.Contains(string(r.Body), `"warning"`) {
			t.Fatalf("an equal limit warned: %s", r.Body)
		}
		if m := a.mapField(t, "employees", "headcount"); m.Warning != domain.TruncationMessage {
			t.Fatalf("narrower range: warning %q", m.Warning)
		}

		var got FieldMapping
		a.do("GET", "/api/v1/field-mappings/"+lossy.ID.String(), nil).ok(t, 200, &got)
		if got.Warning != domain.TruncationMessage || got.AccountField != "description" || got.OrganizationField != "summary" {
			t.Fatalf("GET %+v", got)
		}
		var list FieldMappingList
		a.do("GET", "/api/v1/field-mappings", nil).ok(t, 200, &list)
		var targets []string
		for _, m := range list.Data {
			targets = append(targets, m.OrganizationField+":"+m.Warning)
		}
		if want := []string{"code:", "headcount:" + domain.TruncationMessage, "summary:" + domain.TruncationMessage}; !slices.Equal(targets, want) {
			t.Fatalf("list %v, want %v", targets, want)
		}

		// the warning follows the current definitions
		a.setFieldLimit(t, "summary", 500)
		got = FieldMapping{} // an absent warning must not keep the old one
		a.do("GET", "/api/v1/field-mappings/"+lossy.ID.String(), nil).ok(t, 200, &got)
		if got.Warning != "" {
			t.Fatalf("warning %q after the target grew to the source's limit", got.Warning)
		}
		a.do("GET", "/api/v1/field-mappings/not-a-uuid", nil).problem(t, 404, "not_found")
	})
}

func TestFieldMappingUpdateAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.defineMappingFields(t)
		a.mapField(t, "description", "summary")
		path := "/api/v1/field-mappings/" + a.mapField(t, "code", "code").ID.String()

		// PATCH with If-Match, re-checked like a create
		a.do("PATCH", path, obj{"organization_field": "summary"}, "If-Match", `"7"`).problem(t, 412, "precondition_failed")
		p := a.do("PATCH", path, obj{"organization_field": "summary"}).problem(t, 409, "organization_field_mapped")
		wantContains(t, p.Detail, `"summary"`, `"description"`)
		p = a.do("PATCH", path, obj{"organization_field": "headcount"}).problem(t, 422, "field_type_mismatch")
		wantContains(t, p.Detail, "text", "number")
		a.do("PATCH", path, obj{"account_field": "nope"}).problem(t, 422, "validation_failed")
		a.do("PATCH", path, obj{"account_field": nil}).problem(t, 422, "validation_failed")
		var patched FieldMapping
		r := a.do("PATCH", path, obj{"account_field": "description"}, "If-Match", `"1"`).ok(t, 200, &patched)
		if patched.Version != 2 || patched.AccountField != "description" || patched.OrganizationField != "code" ||
			patched.Warning != domain.TruncationMessage || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("patched %+v ETag %s", patched, r.Header.Get("ETag"))
		}

		// DELETE with If-Match
		a.do("DELETE", path, nil, "If-Match", `"1"`).problem(t, 412, "precondition_failed")
		a.do("DELETE", path, nil, "If-Match", `"2"`).ok(t, 204, nil)
		a.do("GET", path, nil).problem(t, 404, "not_found")
		a.do("DELETE", path, nil).problem(t, 404, "not_found")
	})
}

// TestConcurrentMappingsOfOneField: racing writers of one organization
// field end in one mapping and clean 409s naming its source.
func TestConcurrentMappingsOfOneField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.defineMappingFields(t)
		got := a.race(8, "POST", func(int) string { return "/api/v1/field-mappings" }, obj{"account_field": "code", "organization_field": "code"})
		if got["ok"] != 1 || got["organization_field_mapped"] != 7 {
			t.Fatalf("answers %v, want 1 ok and 7 organization_field_mapped", got)
		}
		if n := a.count(t, "field_mappings", ""); n != 1 {
			t.Fatalf("%d mappings", n)
		}
	})
}

func TestFieldMappingRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.defineMappingFields(t)
		a.do("POST", "/api/v1/field-mappings", obj{"account_field": "description", "organization_field": "summary"}).ok(t, 201, nil)

		t.Run("type mismatch names both types", func(t *testing.T) {
			p := a.do("POST", "/api/v1/field-mappings", obj{"account_field": "employees", "organization_field": "code"}).problem(t, 422, "field_type_mismatch")
			wantContains(t, p.Detail, "number", "text", `"employees"`, `"code"`)
			m := members(t, a.do("POST", "/api/v1/field-mappings", obj{"account_field": "memo", "organization_field": "code"}))
			if m["account_field_type"] != "textarea" || m["organization_field_type"] != "text" {
				t.Fatalf("textarea → text: %v", m)
			}
		})
		t.Run("unknown keys are named", func(t *testing.T) {
			p := a.do("POST", "/api/v1/field-mappings", obj{"account_field": "nope", "organization_field": "nada"}).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"account_field", "organization_field"}, []string{"unknown_field", "unknown_field"})
			wantContains(t, p.Detail, `"nope"`, `"nada"`)
		})
		t.Run("key of the other entity", func(t *testing.T) {
			p := a.do("POST", "/api/v1/field-mappings", obj{"account_field": "summary", "organization_field": "summary"}).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"account_field"}, []string{"unknown_field"})
			wantContains(t, p.Errors[0].Message, "organization field")
		})
		t.Run("missing keys", func(t *testing.T) {
			p := a.do("POST", "/api/v1/field-mappings", obj{}).problem(t, 422, "validation_failed")
			wantFields(t, p, []string{"account_field", "organization_field"}, nil)
		})
		t.Run("organization field mapped twice", func(t *testing.T) {
			n := a.count(t, "field_mappings", "")
			r := a.do("POST", "/api/v1/field-mappings", obj{"account_field": "code", "organization_field": "summary"})
			p := r.problem(t, 409, "organization_field_mapped")
			wantContains(t, p.Detail, `"summary"`, `"description"`)
			if p.Resolution == "" || members(t, r)["mapping_id"] == nil {
				t.Errorf("no resolution or mapping_id: %s", r.Body)
			}
			if a.count(t, "field_mappings", "") != n {
				t.Error("a refused mapping was stored")
			}
		})
	})
}

func TestStaticFieldMappings(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	var list StaticFieldMappingList
	a.do("GET", "/api/v1/field-mappings/static", nil).ok(t, 200, &list)
	var keys []string
	for _, m := range list.Data {
		if m.AccountField != m.OrganizationField {
			t.Errorf("static %s → %s", m.AccountField, m.OrganizationField)
		}
		keys = append(keys, m.AccountField)
	}
	if want := []string{"name", "street", "city", "state", "postal_code", "country", "phone", "website"}; !slices.Equal(keys, want) {
		t.Fatalf("static fields %v, want %v", keys, want)
	}
}
