package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxExternalIDLength is the longest external id, in characters.
const MaxExternalIDLength = 255

// NormalizeExternalID trims a CRM's id and checks its form: at most 255
// characters and no control characters. The empty string (also after
// trimming) means "none": on create no external id, on update a cleared one.
func NormalizeExternalID(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	switch {
	case !utf8.ValidString(s):
		return "", externalIDInvalid("external_id", "external_id must be valid UTF-8 text")
	case utf8.RuneCountInString(s) > MaxExternalIDLength:
		return "", invalidField("external_id", "max_length",
			fmt.Sprintf("external_id must have at most %d characters", MaxExternalIDLength))
	case strings.ContainsFunc(s, unicode.IsControl):
		return "", externalIDInvalid("external_id", "external_id must not contain control characters (tabs, line breaks)")
	}
	return s, nil
}

func externalIDInvalid(field, msg string) *Error {
	return invalidField(field, "external_id", msg)
}

func invalidField(field, code, msg string) *Error {
	return Invalid("validation_failed", "the request body has invalid fields", FieldError{Field: field, Code: code, Message: msg})
}

// ErrExternalIDTaken reports that another record of kind (organization,
// account, contact or user) already has the external id.
func ErrExternalIDTaken(kind, externalID string) *Error {
	return Conflict("external_id_taken", fmt.Sprintf("another %s already has external_id %q", kind, externalID)).
		WithResolution("external ids are unique per kind of record: use PUT .../by-external-id/{external_id} to update that record, or choose another id").
		With("external_id", externalID)
}
