package domain

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestFieldDefinitionValidate(t *testing.T) {
	t.Parallel()
	def := func(typ FieldType, change func(*FieldDefinition)) FieldDefinition {
		d := FieldDefinition{Entity: EntityAccount, Key: "field", Label: "Field", Type: typ}
		if typ == FieldSelect {
			d.Options = []string{"a", "b"}
		}
		if change != nil {
			change(&d)
		}
		return d
	}
	cases := []struct {
		name   string
		def    FieldDefinition
		errors []string // "field:code"
	}{
		{"plain text", def(FieldText, nil), nil},
		{"text with max_length", def(FieldText, func(d *FieldDefinition) { d.MaxLength = ptr(1) }), nil},
		{"textarea with max_length", def(FieldTextarea, func(d *FieldDefinition) { d.MaxLength = ptr(4000) }), nil},
		{"html with max_length", def(FieldHTML, func(d *FieldDefinition) { d.MaxLength = ptr(10) }), nil},
		{"number with range", def(FieldNumber, func(d *FieldDefinition) { d.Min, d.Max = ptr(-1.5), ptr(-1.5) }), nil},
		{"number with min only", def(FieldNumber, func(d *FieldDefinition) { d.Min = ptr(0.0) }), nil},
		{"date", def(FieldDate, nil), nil},
		{"boolean", def(FieldBoolean, nil), nil},
		{"select", def(FieldSelect, nil), nil},
		{"shortest key", def(FieldText, func(d *FieldDefinition) { d.Key = "k" }), nil},
		{"longest key", def(FieldText, func(d *FieldDefinition) { d.Key = "k" + strings.Repeat("_9", 31) }), nil},
		{"key too long", def(FieldText, func(d *FieldDefinition) { d.Key = strings.Repeat("k", 64) }), []string{"key:pattern"}},
		{"empty key", def(FieldText, func(d *FieldDefinition) { d.Key = "" }), []string{"key:pattern"}},
		{"upper-case key", def(FieldText, func(d *FieldDefinition) { d.Key = "Tier" }), []string{"key:pattern"}},
		{"key led by a digit", def(FieldText, func(d *FieldDefinition) { d.Key = "9lives" }), []string{"key:pattern"}},
		{"key led by an underscore", def(FieldText, func(d *FieldDefinition) { d.Key = "_x" }), []string{"key:pattern"}},
		{"key with a dot", def(FieldText, func(d *FieldDefinition) { d.Key = "a.b" }), []string{"key:pattern"}},
		{"non-ASCII key", def(FieldText, func(d *FieldDefinition) { d.Key = "größe" }), []string{"key:pattern"}},
		{"max_length zero", def(FieldText, func(d *FieldDefinition) { d.MaxLength = ptr(0) }), []string{"max_length:min"}},
		{"max_length negative", def(FieldHTML, func(d *FieldDefinition) { d.MaxLength = ptr(-3) }), []string{"max_length:min"}},
		{"max_length at its limit", def(FieldText, func(d *FieldDefinition) { d.MaxLength = ptr(MaxFieldLength) }), nil},
		{"max_length beyond a 32-bit column", def(FieldText, func(d *FieldDefinition) { d.MaxLength = ptr(99_999_999_999) }), []string{"max_length:max"}},
		{"max_length on a number", def(FieldNumber, func(d *FieldDefinition) { d.MaxLength = ptr(5) }), []string{"max_length:not_applicable"}},
		{"max_length on a select", def(FieldSelect, func(d *FieldDefinition) { d.MaxLength = ptr(5) }), []string{"max_length:not_applicable"}},
		{"min on text", def(FieldText, func(d *FieldDefinition) { d.Min = ptr(1.0) }), []string{"min:not_applicable"}},
		{"max on a date", def(FieldDate, func(d *FieldDefinition) { d.Max = ptr(1.0) }), []string{"max:not_applicable"}},
		{"min and max on html", def(FieldHTML, func(d *FieldDefinition) { d.Min, d.Max = ptr(1.0), ptr(2.0) }), []string{"min:not_applicable", "max:not_applicable"}},
		{"min above max", def(FieldNumber, func(d *FieldDefinition) { d.Min, d.Max = ptr(2.0), ptr(1.0) }), []string{"min:range"}},
		{"select without options", def(FieldSelect, func(d *FieldDefinition) { d.Options = nil }), []string{"options:required"}},
		{"select with empty options", def(FieldSelect, func(d *FieldDefinition) { d.Options = []string{} }), []string{"options:required"}},
		{"options on text", def(FieldText, func(d *FieldDefinition) { d.Options = []string{"a"} }), []string{"options:not_applicable"}},
		{"duplicate options", def(FieldSelect, func(d *FieldDefinition) { d.Options = []string{"a", "b", "a", "b"} }), []string{"options[2]:invalid", "options[3]:invalid"}},
		{"empty option", def(FieldSelect, func(d *FieldDefinition) { d.Options = []string{"a", ""} }), []string{"options[1]:invalid"}},
		{"every problem at once", def(FieldBoolean, func(d *FieldDefinition) {
			d.Key, d.MaxLength, d.Min, d.Options = "Bad", ptr(0), ptr(1.0), []string{"x"}
		}), []string{"key:pattern", "max_length:not_applicable", "max_length:min", "min:not_applicable", "options:not_applicable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range tc.def.Validate() {
				got = append(got, e.Field+":"+e.Code)
				if e.Message == "" {
					t.Errorf("%s has no message", e.Field)
				}
			}
			if !slices.Equal(got, tc.errors) {
				t.Fatalf("errors %v, want %v", got, tc.errors)
			}
		})
	}
}

func TestFieldDefinitionPatchApply(t *testing.T) {
	t.Parallel()
	base := func() FieldDefinition {
		return FieldDefinition{Key: "score", Label: "Score", Type: FieldNumber, Min: ptr(0.0), Max: ptr(10.0), MaxLength: ptr(3)}
	}
	var noBound *float64
	cases := []struct {
		name  string
		patch FieldDefinitionPatch
		want  string
	}{
		{"nothing", FieldDefinitionPatch{}, "Score false 3 0 10 []"},
		{"label and required", FieldDefinitionPatch{Label: ptr("Points"), Required: ptr(true)}, "Points true 3 0 10 []"},
		{"remove min", FieldDefinitionPatch{Min: &noBound}, "Score false 3 <nil> 10 []"},
		{"set max", FieldDefinitionPatch{Max: ptr(ptr(99.0))}, "Score false 3 0 99 []"},
		{"remove max_length", FieldDefinitionPatch{MaxLength: ptr((*int)(nil))}, "Score false <nil> 0 10 []"},
		{"options", FieldDefinitionPatch{Options: ptr([]string{"x"})}, "Score false 3 0 10 [x]"},
	}
	show := func(p any) string {
		switch v := p.(type) {
		case *int:
			if v != nil {
				return fmt.Sprint(*v)
			}
		case *float64:
			if v != nil {
				return fmt.Sprint(*v)
			}
		}
		return "<nil>"
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := base()
			tc.patch.Apply(&d)
			got := fmt.Sprintf("%s %v %s %s %s %v", d.Label, d.Required, show(d.MaxLength), show(d.Min), show(d.Max), d.Options)
			if got != tc.want || d.Key != "score" || d.Type != FieldNumber {
				t.Fatalf("after apply %q (%s %s), want %q", got, d.Key, d.Type, tc.want)
			}
		})
	}
}
