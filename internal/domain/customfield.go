package domain

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// htmlPolicy keeps formatting and links and drops scripts, styles and
// event handlers. bluemonday policies are safe for concurrent use.
var htmlPolicy = bluemonday.UGCPolicy()

// SanitizeHTML returns html with everything unsafe removed.
func SanitizeHTML(html string) string { return htmlPolicy.Sanitize(html) }

// ApplyCustomFields merges patch into current under the entity's
// definitions and returns the result. A nil value in patch removes the key.
// Values are checked against their definition (type, length in characters,
// range, option) and HTML is sanitized; on create every required field must
// be present. Keys already stored whose definition was since deleted are
// kept untouched. Every problem is a field error named custom_fields.<key>.
func ApplyCustomFields(defs []FieldDefinition, current, patch map[string]any, create bool) (map[string]any, []FieldError) {
	byKey := make(map[string]FieldDefinition, len(defs))
	for _, d := range defs {
		byKey[d.Key] = d
	}
	out := maps.Clone(current)
	if out == nil {
		out = map[string]any{}
	}
	var errs []FieldError
	fail := func(key, code, msg string) {
		errs = append(errs, FieldError{Field: "custom_fields." + key, Code: code, Message: msg})
	}
	for _, key := range slices.Sorted(maps.Keys(patch)) {
		def, ok := byKey[key]
		switch {
		case !ok:
			fail(key, "unknown_field", fmt.Sprintf("no custom field %q is defined for this entity", key))
		case isEmptyValue(patch[key]) && def.Required:
			fail(key, "required", def.Label+" is required")
		case patch[key] == nil:
			delete(out, key)
		default:
			v, ferr := CheckFieldValue(def, patch[key])
			if ferr != nil {
				fail(key, ferr.Code, ferr.Message)
				continue
			}
			out[key] = v
		}
	}
	if create {
		for _, d := range defs {
			if _, given := patch[d.Key]; d.Required && !given {
				fail(d.Key, "required", d.Label+" is required")
			}
		}
	}
	return out, errs
}

func isEmptyValue(v any) bool { return v == nil || v == "" }

// CheckFieldValue validates one value against its definition and returns
// it normalized (HTML sanitized). The error's Field is left for the caller.
func CheckFieldValue(def FieldDefinition, v any) (any, *FieldError) {
	fail := func(code, format string, args ...any) (any, *FieldError) {
		return nil, &FieldError{Code: code, Message: fmt.Sprintf(format, args...)}
	}
	switch def.Type {
	case FieldText, FieldTextarea, FieldHTML:
		s, ok := v.(string)
		if !ok {
			return fail("type", "%s must be a string", def.Label)
		}
		if def.Type == FieldHTML {
			s = SanitizeHTML(s)
		}
		if def.MaxLength != nil && utf8.RuneCountInString(s) > *def.MaxLength {
			return fail("max_length", "%s must have at most %d characters", def.Label, *def.MaxLength)
		}
		return s, nil
	case FieldNumber:
		n, ok := v.(float64)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
			return fail("type", "%s must be a number", def.Label)
		}
		if def.Min != nil && n < *def.Min {
			return fail("min", "%s must be at least %v", def.Label, *def.Min)
		}
		if def.Max != nil && n > *def.Max {
			return fail("max", "%s must be at most %v", def.Label, *def.Max)
		}
		return n, nil
	case FieldDate:
		s, ok := v.(string)
		if _, err := time.Parse(time.DateOnly, s); !ok || err != nil {
			return fail("date", "%s must be a date such as 2026-01-31", def.Label)
		}
		return s, nil
	case FieldBoolean:
		b, ok := v.(bool)
		if !ok {
			return fail("type", "%s must be true or false", def.Label)
		}
		return b, nil
	case FieldSelect:
		s, ok := v.(string)
		if !ok || !slices.Contains(def.Options, s) {
			return fail("option", "%s must be one of %v", def.Label, def.Options)
		}
		return s, nil
	}
	return fail("type", "%s has an unknown type %q", def.Label, def.Type)
}
