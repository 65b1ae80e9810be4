package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// importLinks link a contact to an organization and an account by their
// external ids instead of their ids.
type importLinks struct {
	OrganizationExternalID *string `json:"organization_external_id,omitempty" validate:"omitnil,max=255"`
	AccountExternalID      *string `json:"account_external_id,omitempty" validate:"omitnil,max=255"`
}

// The rows of each resource and mode: create rows are the body of the
// resource's POST, upsert rows the body of its PATCH (a row that matches
// nothing is then checked like a create); external_id is a member of
// both, and contacts add their links by external id.
type (
	contactCreateRow struct {
		ContactCreate
		importLinks
	}
	contactUpsertRow struct {
		ContactPatch
		importLinks
	}
	accountCreateRow      struct{ AccountCreate }
	accountUpsertRow      struct{ AccountPatch }
	organizationCreateRow struct{ OrganizationCreate }
	organizationUpsertRow struct{ OrganizationPatch }
)

// importRowType is the row DTO of a resource and mode.
func importRowType(spec domain.ImportSpec) reflect.Type {
	upsert := spec.Mode == domain.ImportUpsert
	switch spec.Resource {
	case domain.ImportAccounts:
		return map[bool]reflect.Type{false: reflect.TypeFor[accountCreateRow](), true: reflect.TypeFor[accountUpsertRow]()}[upsert]
	case domain.ImportOrganizations:
		return map[bool]reflect.Type{false: reflect.TypeFor[organizationCreateRow](), true: reflect.TypeFor[organizationUpsertRow]()}[upsert]
	default:
		return map[bool]reflect.Type{false: reflect.TypeFor[contactCreateRow](), true: reflect.TypeFor[contactUpsertRow]()}[upsert]
	}
}

// importFields lists the JSON members of a row DTO and their Go types.
func importFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for k, v := range importFields(f.Type) {
				out[k] = v
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = f.Type
		}
	}
	return out
}

// rowDecoder turns one row (a JSON object) into a checked domain row, or
// into a failed result naming the row and its columns.
type rowDecoder struct {
	spec domain.ImportSpec
	typ  reflect.Type
}

func (d rowDecoder) decode(row int, raw []byte) domain.ImportItem {
	fail := func(fields ...domain.FieldError) domain.ImportItem {
		return domain.ImportItem{Seq: row, Result: rowInvalid(row, fields)}
	}
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return fail(domain.FieldError{Field: "", Code: "type", Message: fmt.Sprintf("row %d must be a JSON object", row)})
	}
	if errs := bodyTextErrors(raw); len(errs) > 0 {
		return fail(errs...)
	}
	dst := reflect.New(d.typ)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst.Interface()); err != nil {
		// a malformed id fails the whole decoding: name its column
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) == nil {
			if errs := uuidMembers(members); len(errs) > 0 {
				return fail(errs...)
			}
		}
		return d.failure(row, decodeError(err, true))
	}
	nulls := map[string]bool{}
	if d.spec.Mode == domain.ImportUpsert && bytes.Contains(raw, []byte("null")) {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(raw, &members); err != nil {
			return fail(domain.FieldError{Code: "type", Message: err.Error()})
		}
		for k, v := range members {
			if string(v) == "null" {
				nulls[k] = true
			}
		}
		clearNullStrings(dst.Elem(), nulls)
	}
	if err := validateStruct(dst.Interface()); err != nil {
		return d.failure(row, err)
	}
	r, errs := d.toDomain(row, dst.Interface(), nulls)
	if len(errs) > 0 {
		return fail(errs...)
	}
	return domain.ImportItem{Seq: row, Row: &r}
}

// failure is a row failed by a decoding or validation error.
func (d rowDecoder) failure(row int, err error) domain.ImportItem {
	if de, ok := domain.AsError(err); ok && len(de.Fields) > 0 {
		fields := make([]domain.FieldError, len(de.Fields))
		for i, f := range de.Fields {
			// the decoder names a member of an embedded body by its Go path
			name := jsonPath("row." + f.Field)
			fields[i] = domain.FieldError{Field: name, Code: f.Code, Message: strings.Replace(f.Message, f.Field, name, 1)}
		}
		return domain.ImportItem{Seq: row, Result: rowInvalid(row, fields)}
	}
	msg := err.Error()
	if de, ok := domain.AsError(err); ok {
		msg = de.Detail
	} else if ee := (*edgeError)(nil); errors.As(err, &ee) {
		msg = ee.detail
	}
	return domain.ImportItem{Seq: row, Result: rowInvalid(row, []domain.FieldError{{Code: "invalid", Message: msg}})}
}

// uuidMembers checks the id links first, so that a malformed id is a
// field error on its column rather than a decoding failure of the row.
func uuidMembers(members map[string]json.RawMessage) []domain.FieldError {
	var errs []domain.FieldError
	for _, name := range []string{"organization_id", "account_id"} {
		v, ok := members[name]
		if !ok || string(v) == "null" {
			continue
		}
		var s string
		if json.Unmarshal(v, &s) != nil || uuid.Validate(s) != nil {
			errs = append(errs, domain.FieldError{Field: name, Code: "uuid", Message: name + " must be a UUID"})
		}
	}
	return errs
}

// rowInvalid is a row's validation failure naming its columns.
func rowInvalid(row int, fields []domain.FieldError) domain.ImportResult {
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		if f.Field != "" {
			names = append(names, f.Field)
		}
	}
	detail := fmt.Sprintf("row %d is not valid", row)
	if len(names) > 0 {
		detail = fmt.Sprintf("row %d has invalid fields: %s", row, strings.Join(names, ", "))
	}
	return domain.ImportResult{Row: row, Status: domain.ImportFailed, Err: domain.Invalid("validation_failed", detail, fields...)}
}

// externalID checks an external id by the rule of every record (trimmed,
// at most 255 characters, no control characters) and names the column in
// its error. An empty value is no external id, except for a link, where it
// unlinks.
func externalID(field string, v *string, link bool) (*string, []domain.FieldError) {
	if v == nil {
		return nil, nil
	}
	s, err := domain.NormalizeExternalID(*v)
	if err != nil {
		de, _ := domain.AsError(err)
		out := make([]domain.FieldError, len(de.Fields))
		for i, f := range de.Fields {
			out[i] = domain.FieldError{Field: field, Code: f.Code, Message: strings.Replace(f.Message, "external_id", field, 1)}
		}
		return nil, out
	}
	if s == "" && !link {
		return nil, nil
	}
	return &s, nil
}
