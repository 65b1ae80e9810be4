package conversion

import (
	"strings"
	"testing"

	"github.com/portico/portico/internal/domain"
)

func ptr[T any](v T) *T { return &v }

func accountField(key string, t domain.FieldType) domain.FieldDefinition {
	return domain.FieldDefinition{Entity: domain.EntityAccount, Key: key, Label: key, Type: t}
}

func orgField(key string, t domain.FieldType) domain.FieldDefinition {
	return domain.FieldDefinition{Entity: domain.EntityOrganization, Key: key, Label: key, Type: t}
}

// TestCheckMappingTypes tries every pair of types: only equal types map.
func TestCheckMappingTypes(t *testing.T) {
	types := []domain.FieldType{domain.FieldText, domain.FieldTextarea, domain.FieldHTML, domain.FieldNumber,
		domain.FieldDate, domain.FieldBoolean, domain.FieldSelect}
	for _, st := range types {
		for _, dt := range types {
			t.Run(string(st)+"→"+string(dt), func(t *testing.T) {
				src, dst := accountField("src", st), orgField("dst", dt)
				if st == domain.FieldSelect {
					src.Options = []string{"a"}
				}
				if dt == domain.FieldSelect {
					dst.Options = []string{"a"}
				}
				warning, err := CheckMapping(src, dst)
				if st == dt {
					if err != nil || warning != "" {
						t.Fatalf("same type: warning %q, err %v", warning, err)
					}
					return
				}
				de, ok := domain.AsError(err)
				if !ok || de.Code != "field_type_mismatch" || de.Kind != domain.KindInvalid {
					t.Fatalf("err %v, want field_type_mismatch", err)
				}
				for _, part := range []string{string(st), string(dt), `"src"`, `"dst"`} {
					if !strings.Contains(de.Detail, part) {
						t.Errorf("detail %q does not name %s", de.Detail, part)
					}
				}
				if de.Extensions["account_field_type"] != string(st) || de.Extensions["organization_field_type"] != string(dt) {
					t.Errorf("extensions %v", de.Extensions)
				}
			})
		}
	}
}

// TestCheckMappingEntities refuses mappings that do not go from an
// account field to an organization field.
func TestCheckMappingEntities(t *testing.T) {
	cases := map[string][2]domain.FieldDefinition{
		"org to org":         {orgField("a", domain.FieldText), orgField("b", domain.FieldText)},
		"account to account": {accountField("a", domain.FieldText), accountField("b", domain.FieldText)},
		"reversed":           {orgField("a", domain.FieldText), accountField("b", domain.FieldText)},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := CheckMapping(c[0], c[1]); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// TestCheckMappingLoss covers when a mapping warns that data may be lost.
func TestCheckMappingLoss(t *testing.T) {
	text := func(entity domain.FieldEntity, limit *int) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: entity, Key: "k", Type: domain.FieldText, MaxLength: limit}
	}
	html := func(entity domain.FieldEntity, limit *int) domain.FieldDefinition {
		d := text(entity, limit)
		d.Type = domain.FieldHTML
		return d
	}
	number := func(entity domain.FieldEntity, lo, hi *float64) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: entity, Key: "k", Type: domain.FieldNumber, Min: lo, Max: hi}
	}
	sel := func(entity domain.FieldEntity, opts ...string) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: entity, Key: "k", Type: domain.FieldSelect, Options: opts}
	}
	acc, org := domain.EntityAccount, domain.EntityOrganization
	cases := []struct {
		name     string
		src, dst domain.FieldDefinition
		lossy    bool
	}{
		{"smaller max_length", text(acc, ptr(100)), text(org, ptr(50)), true},
		{"equal max_length", text(acc, ptr(100)), text(org, ptr(100)), false},
		{"larger max_length", text(acc, ptr(100)), text(org, ptr(200)), false},
		{"unlimited source, limited target", text(acc, nil), text(org, ptr(1000)), true},
		{"limited source, unlimited target", text(acc, ptr(10)), text(org, nil), false},
		{"both unlimited", text(acc, nil), text(org, nil), false},
		{"html smaller", html(acc, ptr(500)), html(org, ptr(499)), true},
		{"html equal", html(acc, ptr(500)), html(org, ptr(500)), false},
		{"narrower min", number(acc, ptr(0.0), ptr(100.0)), number(org, ptr(1.0), ptr(100.0)), true},
		{"narrower max", number(acc, ptr(0.0), ptr(100.0)), number(org, ptr(0.0), ptr(99.5)), true},
		{"equal range", number(acc, ptr(0.0), ptr(100.0)), number(org, ptr(0.0), ptr(100.0)), false},
		{"wider range", number(acc, ptr(0.0), ptr(100.0)), number(org, ptr(-1.0), ptr(101.0)), false},
		{"unbounded source, bounded min", number(acc, nil, nil), number(org, ptr(0.0), nil), true},
		{"unbounded source, bounded max", number(acc, nil, nil), number(org, nil, ptr(10.0)), true},
		{"bounded source, unbounded target", number(acc, ptr(0.0), ptr(10.0)), number(org, nil, nil), false},
		{"fewer options", sel(acc, "a", "b", "c"), sel(org, "a", "b"), true},
		{"same options", sel(acc, "a", "b"), sel(org, "b", "a"), false},
		{"more options", sel(acc, "a"), sel(org, "a", "b"), false},
		{"dates", accountField("k", domain.FieldDate), orgField("k", domain.FieldDate), false},
		{"booleans", accountField("k", domain.FieldBoolean), orgField("k", domain.FieldBoolean), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			warning, err := CheckMapping(tc.src, tc.dst)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tc.lossy {
				want = domain.TruncationMessage
			}
			if warning != want {
				t.Fatalf("warning %q, want %q", warning, want)
			}
		})
	}
}
