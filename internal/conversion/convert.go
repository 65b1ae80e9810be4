package conversion

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/portico/portico/internal/domain"
)

// StaticFields are the fields every conversion copies from the account to
// the organization field of the same name, with no mapping configured.
var StaticFields = []string{"name", "street", "city", "state", "postal_code", "country", "phone", "website"}

// Rules is what a conversion needs to know besides the account.
type Rules struct {
	AccountFields      []domain.FieldDefinition
	OrganizationFields []domain.FieldDefinition
	Mappings           []domain.FieldMapping
	Kind               domain.OrgKind // kind of created organizations
}

// Result is the organization an account would become, what was lost on
// the way, and the required organization fields left without a value.
type Result struct {
	Organization domain.Organization // without id, version or timestamps
	Warnings     []domain.Warning
	Missing      []string // keys of required organization fields without a value
}

// Convert builds the organization for account a: name and address copy as
// they are, custom fields through the mappings. A value that does not fit
// its target is cut (text, html) or dropped (numbers out of range, options
// the target lacks) with a warning; conversion goes on.
func Convert(a domain.Account, r Rules) Result {
	kind := r.Kind
	if kind == "" {
		kind = domain.OrgCustomer
	}
	res := Result{Organization: domain.Organization{
		Name: a.Name, Kind: kind, Status: domain.OrgActive, Address: a.Address,
		CustomFields: map[string]any{}, EmailDomains: []string{}, AccountID: &a.ID,
	}}
	accDefs := byKey(r.AccountFields)
	orgDefs := byKey(r.OrganizationFields)
	for _, m := range r.Mappings {
		src, okSrc := accDefs[m.AccountField]
		dst, okDst := orgDefs[m.OrganizationField]
		v, present := a.CustomFields[m.AccountField]
		if !okSrc || !okDst || !present || v == nil || src.Type != dst.Type {
			continue
		}
		saved, warning := copyValue(dst, v)
		if warning != nil {
			res.Warnings = append(res.Warnings, *warning)
		}
		if saved != nil {
			res.Organization.CustomFields[dst.Key] = saved
		}
	}
	for _, d := range r.OrganizationFields {
		if v := res.Organization.CustomFields[d.Key]; d.Required && (v == nil || v == "") {
			res.Missing = append(res.Missing, d.Key)
		}
	}
	slices.Sort(res.Missing)
	return res
}

// copyValue fits v into dst: the value to save (nil: nothing) and the
// warning for any loss. Lengths count characters (runes): of the stored
// markup for HTML, and of the value's text for a dropped number or option,
// so that original_length means the same in every warning.
func copyValue(dst domain.FieldDefinition, v any) (any, *domain.Warning) {
	warn := func(code string, original, saved int) *domain.Warning {
		return &domain.Warning{Code: code, Message: domain.TruncationMessage, Field: dst.Key,
			OriginalLength: original, SavedLength: saved}
	}
	switch dst.Type {
	case domain.FieldText, domain.FieldTextarea, domain.FieldHTML:
		s, ok := v.(string)
		if !ok {
			return nil, nil
		}
		if dst.Type == domain.FieldHTML {
			s = domain.SanitizeHTML(s)
		}
		original := utf8.RuneCountInString(s)
		if dst.MaxLength == nil || original <= *dst.MaxLength {
			return s, nil
		}
		cut := TruncateText(s, *dst.MaxLength)
		if dst.Type == domain.FieldHTML {
			cut = TruncateHTML(s, *dst.MaxLength)
		}
		return cut, warn("field_truncated", original, utf8.RuneCountInString(cut))
	case domain.FieldNumber:
		n, ok := v.(float64)
		if !ok {
			return nil, nil
		}
		if (dst.Min != nil && n < *dst.Min) || (dst.Max != nil && n > *dst.Max) {
			return nil, warn("value_out_of_range", len(strconv.FormatFloat(n, 'f', -1, 64)), 0)
		}
		return n, nil
	case domain.FieldSelect:
		s, ok := v.(string)
		if !ok {
			return nil, nil
		}
		if !slices.Contains(dst.Options, s) {
			return nil, warn("value_not_allowed", utf8.RuneCountInString(s), 0)
		}
		return s, nil
	default:
		return v, nil
	}
}

func byKey(defs []domain.FieldDefinition) map[string]domain.FieldDefinition {
	m := make(map[string]domain.FieldDefinition, len(defs))
	for _, d := range defs {
		m[d.Key] = d
	}
	return m
}
