package conversion

import (
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// rules maps every account field to the organization field of the same key.
func rules(acc, org []domain.FieldDefinition) Rules {
	r := Rules{AccountFields: acc, OrganizationFields: org}
	for _, d := range org {
		r.Mappings = append(r.Mappings, domain.FieldMapping{AccountField: d.Key, OrganizationField: d.Key})
	}
	return r
}

func TestConvertStaticFields(t *testing.T) {
	a := domain.Account{ID: uuid.New(), Name: "Acme Corp", Address: domain.Address{
		Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US",
		Phone: "+1 555 0100", Website: "https://acme.example"}, CustomFields: map[string]any{"unmapped": "x"}}
	res := Convert(a, Rules{})
	o := res.Organization
	if o.Name != a.Name || o.Address != a.Address {
		t.Fatalf("static fields not copied: %+v", o)
	}
	if o.AccountID == nil || *o.AccountID != a.ID {
		t.Fatalf("account_id %v", o.AccountID)
	}
	if o.Kind != domain.OrgCustomer || o.Status != domain.OrgActive {
		t.Fatalf("kind %s status %s, want customer active", o.Kind, o.Status)
	}
	if len(o.CustomFields) != 0 || len(res.Warnings) != 0 || len(res.Missing) != 0 {
		t.Fatalf("unmapped values copied or warned about: %+v", res)
	}
	if got := Convert(a, Rules{Kind: domain.OrgPartner}).Organization.Kind; got != domain.OrgPartner {
		t.Fatalf("configured kind ignored: %s", got)
	}
	want := []string{"name", "street", "city", "state", "postal_code", "country", "phone", "website"}
	if !slices.Equal(StaticFields, want) || reflect.TypeFor[domain.Address]().NumField() != len(want)-1 {
		t.Fatalf("StaticFields %v do not match the address fields Convert copies", StaticFields)
	}
}

// TestConvertValues covers each kind of copy: intact, cut and dropped.
func TestConvertValues(t *testing.T) {
	text := func(e domain.FieldEntity, limit *int) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: e, Key: "v", Type: domain.FieldText, MaxLength: limit}
	}
	html := func(e domain.FieldEntity, limit *int) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: e, Key: "v", Type: domain.FieldHTML, MaxLength: limit}
	}
	number := func(e domain.FieldEntity, lo, hi *float64) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: e, Key: "v", Type: domain.FieldNumber, Min: lo, Max: hi}
	}
	sel := func(e domain.FieldEntity, opts ...string) domain.FieldDefinition {
		return domain.FieldDefinition{Entity: e, Key: "v", Type: domain.FieldSelect, Options: opts}
	}
	acc, org := domain.EntityAccount, domain.EntityOrganization
	cases := []struct {
		name     string
		src, dst domain.FieldDefinition
		value    any
		saved    any    // nil: nothing saved
		warning  string // "" none
		original int
		kept     int
	}{
		{"text copied", text(acc, nil), text(org, ptr(10)), "hello", "hello", "", 0, 0},
		{"text cut by runes", text(acc, nil), text(org, ptr(5)), "h\u00e9llo w\u00f6rld", "h\u00e9llo", "field_truncated", 11, 5},
		{"emoji not split", text(acc, nil), text(org, ptr(3)), "ab\U0001F600\U0001F600", "ab\U0001F600", "field_truncated", 4, 3},
		{"combining mark not split", text(acc, nil), text(org, ptr(4)), "cafe\u0301s", "caf", "field_truncated", 6, 3},
		{"html cut well-formed", html(acc, nil), html(org, ptr(16)), "<b>bold <i>text</i></b>", "<b>bold </b>", "field_truncated", 23, 12},
		{"html sanitized", html(acc, nil), html(org, nil), `<p onclick="x()">hi</p>`, "<p>hi</p>", "", 0, 0},
		{"date copied", domain.FieldDefinition{Entity: acc, Key: "v", Type: domain.FieldDate}, domain.FieldDefinition{Entity: org, Key: "v", Type: domain.FieldDate}, "2026-01-31", "2026-01-31", "", 0, 0},
		{"boolean false copied", domain.FieldDefinition{Entity: acc, Key: "v", Type: domain.FieldBoolean}, domain.FieldDefinition{Entity: org, Key: "v", Type: domain.FieldBoolean}, false, false, "", 0, 0},
		{"number at min kept", number(acc, nil, nil), number(org, ptr(0.0), ptr(100.0)), 0.0, 0.0, "", 0, 0},
		{"number at max kept", number(acc, nil, nil), number(org, ptr(0.0), ptr(100.0)), 100.0, 100.0, "", 0, 0},
		{"number below min dropped", number(acc, nil, nil), number(org, ptr(0.0), ptr(100.0)), -0.5, nil, "value_out_of_range", 4, 0},
		{"number above max dropped", number(acc, nil, nil), number(org, ptr(0.0), ptr(100.0)), 100.25, nil, "value_out_of_range", 6, 0},
		{"number unbounded kept", number(acc, nil, nil), number(org, nil, nil), 1e12, 1e12, "", 0, 0},
		{"option kept", sel(acc, "gold", "silver"), sel(org, "gold"), "gold", "gold", "", 0, 0},
		{"option missing in target dropped", sel(acc, "gold", "silver"), sel(org, "gold"), "silver", nil, "value_not_allowed", 6, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := domain.Account{ID: uuid.New(), Name: "A", CustomFields: map[string]any{"v": tc.value}}
			res := Convert(a, rules([]domain.FieldDefinition{tc.src}, []domain.FieldDefinition{tc.dst}))
			got, ok := res.Organization.CustomFields["v"]
			if tc.saved == nil && ok {
				t.Fatalf("saved %v, want nothing", got)
			}
			if tc.saved != nil && got != tc.saved {
				t.Fatalf("saved %#v, want %#v", got, tc.saved)
			}
			if tc.warning == "" {
				if len(res.Warnings) != 0 {
					t.Fatalf("warnings %+v", res.Warnings)
				}
				return
			}
			want := domain.Warning{Code: tc.warning, Message: domain.TruncationMessage, Field: "v", OriginalLength: tc.original, SavedLength: tc.kept}
			if len(res.Warnings) != 1 || res.Warnings[0] != want {
				t.Fatalf("warnings %+v, want %+v", res.Warnings, want)
			}
		})
	}
}

// TestConvertMissingRequired lists every required organization field left
// without a value, sorted, whatever the reason.
func TestConvertMissingRequired(t *testing.T) {
	acc := []domain.FieldDefinition{
		{Entity: domain.EntityAccount, Key: "size", Type: domain.FieldNumber},
		{Entity: domain.EntityAccount, Key: "blank", Type: domain.FieldText},
		{Entity: domain.EntityAccount, Key: "tier", Type: domain.FieldText},
		{Entity: domain.EntityAccount, Key: "active", Type: domain.FieldBoolean},
	}
	org := []domain.FieldDefinition{
		{Entity: domain.EntityOrganization, Key: "zeta", Type: domain.FieldText, Required: true},  // not mapped
		{Entity: domain.EntityOrganization, Key: "alpha", Type: domain.FieldText, Required: true}, // not mapped
		{Entity: domain.EntityOrganization, Key: "size", Type: domain.FieldNumber, Required: true, Max: ptr(10.0)},
		{Entity: domain.EntityOrganization, Key: "blank", Type: domain.FieldText, Required: true},
		{Entity: domain.EntityOrganization, Key: "tier", Type: domain.FieldText, Required: true},
		{Entity: domain.EntityOrganization, Key: "active", Type: domain.FieldBoolean, Required: true},
		{Entity: domain.EntityOrganization, Key: "optional", Type: domain.FieldText},
	}
	r := Rules{AccountFields: acc, OrganizationFields: org}
	for _, k := range []string{"size", "blank", "tier", "active"} {
		r.Mappings = append(r.Mappings, domain.FieldMapping{AccountField: k, OrganizationField: k})
	}
	a := domain.Account{ID: uuid.New(), Name: "A", CustomFields: map[string]any{
		"size": 11.0, "blank": "", "tier": "gold", "active": false}}
	res := Convert(a, r)
	if want := []string{"alpha", "blank", "size", "zeta"}; !slices.Equal(res.Missing, want) {
		t.Fatalf("missing %v, want %v", res.Missing, want)
	}
}

// TestConvertSkipsBrokenMappings: a mapping whose definitions were deleted
// or no longer align copies nothing.
func TestConvertSkipsBrokenMappings(t *testing.T) {
	acc := []domain.FieldDefinition{{Entity: domain.EntityAccount, Key: "a", Type: domain.FieldText}}
	org := []domain.FieldDefinition{{Entity: domain.EntityOrganization, Key: "b", Type: domain.FieldNumber}}
	r := Rules{AccountFields: acc, OrganizationFields: org, Mappings: []domain.FieldMapping{
		{AccountField: "a", OrganizationField: "b"},    // types differ now
		{AccountField: "gone", OrganizationField: "b"}, // source deleted
		{AccountField: "a", OrganizationField: "gone"}, // target deleted
	}}
	res := Convert(domain.Account{Name: "A", CustomFields: map[string]any{"a": "x", "gone": "y"}}, r)
	if len(res.Organization.CustomFields) != 0 || len(res.Warnings) != 0 {
		t.Fatalf("%+v", res)
	}
}
