package problem

import "slices"

// FieldCode is a code of one invalid field (FieldError.Code) and what it
// means; the message of each error says it for the field at hand.
type FieldCode struct {
	Code    string
	Meaning string
}

// fieldCodes is every code an entry of a problem's errors member can have.
var fieldCodes = []FieldCode{
	{"required", "The field is missing or empty and must be given (for a custom field: its definition is required)."},
	{"type", "The value has the wrong JSON type, e.g. a string where a number belongs."},
	{"unknown_field", "The request, or its custom_fields, has a field Portico does not know; or an email template uses a field its kind does not have."},
	{"max_length", "The value is longer than allowed (characters for text, items for lists)."},
	{"min_length", "The value is shorter than allowed (characters for text, items for lists)."},
	{"email", "The value is not an email address such as jane@example.com, or its domain is not valid."},
	{"domain", "The value is not a valid email domain such as example.com."},
	{"uuid", "The value is not a UUID."},
	{"oneof", "The value is not one of the allowed values; the message lists them."},
	{"boolean", "A query parameter is not true or false."},
	{"date", "A date custom field is not a date such as 2026-01-31."},
	{"date_time", "A query parameter is not an RFC 3339 time such as 2026-01-31T12:00:00Z."},
	{"option", "A select custom field holds a value that is not one of its options."},
	{"min", "A number is below its minimum (or a field definition's max_length is below 1)."},
	{"max", "A number is above its maximum (or a field definition's max_length is above 1000000)."},
	{"range", "A range is empty (a field definition's min above its max), or limit is not a whole number from 1 to the page maximum."},
	{"url", "The value is not an absolute http(s) URL."},
	{"unresolvable", "A webhook endpoint's host name does not resolve."},
	{"private_address", "A webhook endpoint's host is or resolves to a loopback, private, link-local, multicast or cloud metadata address (allowed only with PORTICO_WEBHOOK_ALLOW_PRIVATE=true)."},
	{"invalid_text", "A string, key, query parameter or header holds a NUL character or bytes that are not UTF-8; Portico stores neither."},
	{"invalid_encoding", "A query parameter's name or value has a broken percent escape such as %zz."},
	{"invalid", "The value is malformed, e.g. a cursor that is not a next_cursor of an earlier page, or an empty or repeated select option."},
	{"pattern", "A field definition's key is not lower-case letters, digits and underscores starting with a letter."},
	{"not_applicable", "The setting does not apply to this field type (max_length to numbers, min and max to text, options to anything but select)."},
	{"not_found", "The field refers to a record that does not exist, e.g. an organization_id or account_id."},
	{"not_allowed", "The field may not be sent here, e.g. an email for a contact that has one, or contact_ids together with filter."},
	{"empty", "A smart rule has no condition at all."},
	{"unknown_column", "A CSV import's header names a column the resource does not have, or custom.<key> of an undefined custom field."},
	{"duplicate_column", "A CSV import's header names a column twice."},
	{"cell_count", "A CSV import's row has more or fewer cells than the header has columns; that row fails, the others are imported."},
	{"empty_column", "A CSV import's header has a column without a name."},
	{"duplicate", "An import row repeats a value another row of the same import has, such as its external_id; the message names that row."},
	{"invalid_transition", "A user's status cannot move to the value given (pending is set only by promotion, active only by activation)."},
	{"equals_email", "The password is the account's email address."},
	{"lte", "A number is above its maximum."},
	{"gte", "A number is below its minimum."},
	{"duration", "The value is not a Go duration such as 72h or a whole number of seconds."},
	{"external_id", "An external_id holds control characters (tabs, line breaks) or is not UTF-8 text; or, on PUT .../by-external-id/{external_id}, differs from the path."},
	{"locale", "The value is not a BCP 47 language tag of a known language, such as en, de or fr-CA."},
	{"template_syntax", "An email template part does not parse as a Go template; the message quotes the parser."},
	{"link_missing", "An email template's text or HTML does not use {{.Link}}."},
	{"template_execution", "An email template fails when rendered with sample data; the message quotes the error."},
}

var fieldCodeSet = func() map[string]bool {
	m := make(map[string]bool, len(fieldCodes))
	for _, f := range fieldCodes {
		m[f.Code] = true
	}
	return m
}()

// FieldCodes returns every field error code with its meaning (a copy).
func FieldCodes() []FieldCode { return slices.Clone(fieldCodes) }

// IsFieldCode reports whether code is a documented field error code.
func IsFieldCode(code string) bool { return fieldCodeSet[code] }
