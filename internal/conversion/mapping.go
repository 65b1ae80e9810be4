// Package conversion turns an account into an organization: which account
// fields may map to which organization fields, and how values are copied,
// truncated or dropped on the way. It is pure: no database, no HTTP.
package conversion

import (
	"fmt"
	"slices"

	"github.com/portico/portico/internal/domain"
)

// CheckMapping decides whether src (an account field) may map to dst (an
// organization field). Types must be equal (text→text, html→html, and every
// other type only to itself). A mapping that can lose data — a smaller
// character limit, a narrower number range, fewer select options — is
// allowed and answers the truncation warning sentence.
func CheckMapping(src, dst domain.FieldDefinition) (warning string, err error) {
	if src.Entity != domain.EntityAccount || dst.Entity != domain.EntityOrganization {
		return "", domain.Invalid("validation_failed", "a mapping goes from an account field to an organization field")
	}
	if src.Type != dst.Type {
		return "", domain.Invalid("field_type_mismatch", fmt.Sprintf(
			"account field %q is %s but organization field %q is %s; text maps to text, html to html, and every other type only to the same type",
			src.Key, src.Type, dst.Key, dst.Type)).
			With("account_field_type", string(src.Type)).With("organization_field_type", string(dst.Type))
	}
	if lossy(src, dst) {
		return domain.TruncationMessage, nil
	}
	return "", nil
}

func lossy(src, dst domain.FieldDefinition) bool {
	switch {
	case dst.MaxLength != nil && (src.MaxLength == nil || *dst.MaxLength < *src.MaxLength):
		return true
	case dst.Min != nil && (src.Min == nil || *dst.Min > *src.Min):
		return true
	case dst.Max != nil && (src.Max == nil || *dst.Max < *src.Max):
		return true
	}
	for _, o := range src.Options {
		if !slices.Contains(dst.Options, o) {
			return true
		}
	}
	return false
}
