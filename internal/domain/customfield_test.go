package domain

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestCheckFieldValue(t *testing.T) {
	t.Parallel()
	text := FieldDefinition{Key: "nick", Label: "Nick", Type: FieldText, MaxLength: ptr(3)}
	area := FieldDefinition{Key: "notes", Label: "Notes", Type: FieldTextarea}
	html := FieldDefinition{Key: "bio", Label: "Bio", Type: FieldHTML, MaxLength: ptr(12)}
	num := FieldDefinition{Key: "score", Label: "Score", Type: FieldNumber, Min: ptr(-1.0), Max: ptr(1.0)}
	open := FieldDefinition{Key: "n", Label: "N", Type: FieldNumber}
	date := FieldDefinition{Key: "since", Label: "Since", Type: FieldDate}
	boolean := FieldDefinition{Key: "vip", Label: "VIP", Type: FieldBoolean}
	sel := FieldDefinition{Key: "tier", Label: "Tier", Type: FieldSelect, Options: []string{"gold", "silver"}}
	cases := []struct {
		name string
		def  FieldDefinition
		in   any
		want any    // the normalized value when accepted
		code string // the error code when refused
	}{
		{"text within max_length", text, "abc", "abc", ""},
		{"text empty", text, "", "", ""},
		{"text length in runes, two-byte", text, "éèê", "éèê", ""},
		{"text length in runes, four-byte", text, "😀😀😀", "😀😀😀", ""},
		{"text over max_length by one rune", text, "éèêë", nil, "max_length"},
		{"text over max_length in emoji", text, "😀😀😀😀", nil, "max_length"},
		{"text not a string", text, 12.0, nil, "type"},
		{"text as a boolean", text, false, nil, "type"},
		{"textarea unlimited", area, strings.Repeat("x\n", 5000), strings.Repeat("x\n", 5000), ""},
		{"html kept", html, "<b>bold</b>", "<b>bold</b>", ""},
		{"html script removed", html, "<b>x</b><script>alert(1)</script>", "<b>x</b>", ""},
		{"html event handler removed", html, `<i onclick="steal()">x</i>`, "<i>x</i>", ""},
		{"html javascript link removed", html, `<a href="javascript:alert(1)">x</a>`, "x", ""},
		{"html too long once sanitized", html, "<b>0123456789</b>", nil, "max_length"},
		{"html not a string", html, []any{"<b>"}, nil, "type"},
		{"number at min", num, -1.0, -1.0, ""},
		{"number at max", num, 1.0, 1.0, ""},
		{"number below min", num, -1.01, nil, "min"},
		{"number above max", num, 1.01, nil, "max"},
		{"number as string", num, "1", nil, "type"},
		{"number NaN", open, math.NaN(), nil, "type"},
		{"number infinite", open, math.Inf(1), nil, "type"},
		{"number unbounded", open, -1e300, -1e300, ""},
		{"date", date, "2024-02-29", "2024-02-29", ""},
		{"date not a leap day", date, "2023-02-29", nil, "date"},
		{"date with time", date, "2024-02-29T00:00:00Z", nil, "date"},
		{"date US format", date, "02/29/2024", nil, "date"},
		{"date empty", date, "", nil, "date"},
		{"date not a string", date, 20240229.0, nil, "date"},
		{"boolean true", boolean, true, true, ""},
		{"boolean false", boolean, false, false, ""},
		{"boolean as string", boolean, "true", nil, "type"},
		{"boolean as number", boolean, 1.0, nil, "type"},
		{"select option", sel, "silver", "silver", ""},
		{"select unknown", sel, "bronze", nil, "option"},
		{"select case differs", sel, "Gold", nil, "option"},
		{"select not a string", sel, 1.0, nil, "option"},
		{"unknown type", FieldDefinition{Label: "X", Type: "money"}, "1", nil, "type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ferr := CheckFieldValue(tc.def, tc.in)
			if tc.code != "" {
				if ferr == nil || ferr.Code != tc.code || !strings.Contains(ferr.Message, tc.def.Label) {
					t.Fatalf("CheckFieldValue(%v) = %v, %+v; want code %s naming %s", tc.in, got, ferr, tc.code, tc.def.Label)
				}
				return
			}
			if ferr != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("CheckFieldValue(%v) = %#v, %+v; want %#v", tc.in, got, ferr, tc.want)
			}
		})
	}
}

func TestApplyCustomFields(t *testing.T) {
	t.Parallel()
	defs := []FieldDefinition{
		{Key: "code", Label: "Code", Type: FieldText, Required: true},
		{Key: "flag", Label: "Flag", Type: FieldBoolean, Required: true},
		{Key: "nick", Label: "Nick", Type: FieldText, MaxLength: ptr(2)},
		{Key: "bio", Label: "Bio", Type: FieldHTML},
	}
	cases := []struct {
		name           string
		current, patch map[string]any
		create         bool
		want           map[string]any
		errs           []string // "field:code"
	}{
		{"create with required", nil, map[string]any{"code": "A", "flag": false}, true,
			map[string]any{"code": "A", "flag": false}, nil},
		{"create lacking required", nil, map[string]any{"nick": "ab"}, true,
			map[string]any{"nick": "ab"}, []string{"custom_fields.code:required", "custom_fields.flag:required"}},
		{"create with required null or empty", nil, map[string]any{"code": "", "flag": nil}, true,
			map[string]any{}, []string{"custom_fields.code:required", "custom_fields.flag:required"}},
		{"create without definitions for a key", nil, map[string]any{"code": "A", "flag": true, "zz": 1.0}, true,
			map[string]any{"code": "A", "flag": true}, []string{"custom_fields.zz:unknown_field"}},
		{"patch merges", map[string]any{"code": "A", "flag": true}, map[string]any{"nick": "ab"}, false,
			map[string]any{"code": "A", "flag": true, "nick": "ab"}, nil},
		{"patch does not require", map[string]any{}, map[string]any{"nick": "ab"}, false,
			map[string]any{"nick": "ab"}, nil},
		{"patch null removes", map[string]any{"code": "A", "nick": "ab"}, map[string]any{"nick": nil}, false,
			map[string]any{"code": "A"}, nil},
		{"patch null refused for required", map[string]any{"code": "A"}, map[string]any{"code": nil}, false,
			map[string]any{"code": "A"}, []string{"custom_fields.code:required"}},
		{"patch sanitizes html", nil, map[string]any{"bio": "<b>x</b><script>y</script>"}, false,
			map[string]any{"bio": "<b>x</b>"}, nil},
		{"values of deleted definitions kept", map[string]any{"old": "v"}, map[string]any{"nick": "a"}, false,
			map[string]any{"old": "v", "nick": "a"}, nil},
		{"errors sorted by key", nil, map[string]any{"zz": 1.0, "nick": "abc", "aa": 1.0}, false,
			map[string]any{}, []string{"custom_fields.aa:unknown_field", "custom_fields.nick:max_length", "custom_fields.zz:unknown_field"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := map[string]any{}
			for k, v := range tc.current {
				before[k] = v
			}
			got, errs := ApplyCustomFields(defs, tc.current, tc.patch, tc.create)
			var codes []string
			for _, e := range errs {
				codes = append(codes, e.Field+":"+e.Code)
			}
			if !reflect.DeepEqual(codes, tc.errs) {
				t.Fatalf("errors %v, want %v", codes, tc.errs)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("result %v, want %v", got, tc.want)
			}
			if tc.current != nil && !reflect.DeepEqual(tc.current, before) {
				t.Fatalf("current was modified: %v", tc.current)
			}
		})
	}
}
