package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// validate checks request DTOs; field names in errors are JSON names.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

// decodeJSON reads the request body into dst strictly (unknown fields and
// trailing data are refused) and validates it. Malformed JSON is 400; a
// body of the wrong shape is 422 with one error per field.
func decodeJSON(c echo.Context, dst any) error {
	_, err := decodeRaw(c, dst)
	return err
}

// decodeRaw is decodeJSON that also returns the body as sent.
func decodeRaw(c echo.Context, dst any) ([]byte, error) {
	body, err := decodeBody(c, dst)
	if err != nil {
		return nil, err
	}
	return body, validateStruct(dst)
}

// decodePatch is decodeJSON for PATCH bodies (JSON merge patch, RFC 7396):
// it also returns the top-level members sent as null, which clear a field,
// as opposed to members left out, which keep it.
func decodePatch(c echo.Context, dst any) (nulls map[string]bool, err error) {
	body, err := decodeBody(c, dst)
	if err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return nil, err
	}
	nulls = map[string]bool{}
	for k, v := range members {
		if string(v) == "null" {
			nulls[k] = true
		}
	}
	clearNullStrings(reflect.ValueOf(dst).Elem(), nulls)
	return nulls, validateStruct(dst)
}

// clearNullStrings sets the *string fields sent as null to "": in a merge
// patch null removes a value, and an absent string is the empty string.
func clearNullStrings(v reflect.Value, nulls map[string]bool) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if sf.Anonymous && f.Kind() == reflect.Struct {
			clearNullStrings(f, nulls)
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if nulls[name] && sf.Type == reflect.TypeFor[*string]() {
			empty := ""
			f.Set(reflect.ValueOf(&empty))
		}
	}
}

func decodeBody(c echo.Context, dst any) ([]byte, error) {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, &edgeError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
				detail: fmt.Sprintf("send the body as application/json, not %q", ct)}
		}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, decodeError(err, false)
	}
	if errs := bodyTextErrors(body); len(errs) > 0 {
		return nil, domain.Invalid("validation_failed", "the request body has invalid fields", errs...)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return nil, decodeError(err, json.Valid(body))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &edgeError{status: http.StatusBadRequest, code: "malformed_json", detail: "the body holds data after the JSON value"}
	}
	return body, nil
}

// decodeError maps a decoding failure; wellFormed says whether the body is
// valid JSON, so that a value a field rejects (a malformed UUID) is 422.
func decodeError(err error, wellFormed bool) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxErr):
		return payloadTooLarge(maxErr.Limit)
	case errors.Is(err, io.EOF):
		return &edgeError{status: http.StatusBadRequest, code: "malformed_json", detail: "the request body is empty; send a JSON object"}
	case errors.As(err, &syntaxErr):
		return &edgeError{status: http.StatusBadRequest, code: "malformed_json",
			detail: fmt.Sprintf("the body is not valid JSON: %v (at byte %d)", syntaxErr, syntaxErr.Offset)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &edgeError{status: http.StatusBadRequest, code: "malformed_json", detail: "the body ends in the middle of a JSON value"}
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return &edgeError{status: http.StatusBadRequest, code: "malformed_json",
				detail: fmt.Sprintf("the body must be a JSON object, not %s", typeErr.Value)}
		}
		return domain.Invalid("validation_failed", "the request body has invalid fields", domain.FieldError{
			Field: field, Code: "type", Message: fmt.Sprintf("%s must be %s, not %s", field, jsonType(typeErr.Type), typeErr.Value),
		})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.Invalid("validation_failed", "the request body has invalid fields", domain.FieldError{
			Field: name, Code: "unknown_field", Message: fmt.Sprintf("%s is not a field of this request", name),
		})
	case wellFormed:
		return domain.Invalid("validation_failed", "the request body has an invalid value: "+err.Error())
	default:
		return &edgeError{status: http.StatusBadRequest, code: "malformed_json", detail: "the body is not valid JSON: " + err.Error()}
	}
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64, reflect.Uint, reflect.Uint64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// validateStruct runs the validator tags of dst and maps failures to 422.
func validateStruct(dst any) error {
	err := validate.Struct(dst)
	var verrs validator.ValidationErrors
	if err == nil || !errors.As(err, &verrs) {
		return err
	}
	fields := make([]domain.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, fieldError(fe))
	}
	return domain.Invalid("validation_failed", "the request body has invalid fields", fields...)
}

func fieldError(fe validator.FieldError) domain.FieldError {
	path := jsonPath(fe.Namespace())
	msg := path + " is invalid"
	code := fe.Tag()
	switch fe.Tag() {
	case "required", "required_without", "required_if":
		code, msg = "required", path+" is required"
	case "email":
		msg = path + " must be an email address"
	case "uuid", "uuid4":
		code, msg = "uuid", path+" must be a UUID"
	case "oneof":
		msg = fmt.Sprintf("%s must be one of: %s", path, strings.ReplaceAll(fe.Param(), " ", ", "))
	case "max":
		code, msg = "max_length", fmt.Sprintf("%s must have at most %s %s", path, fe.Param(), unit(fe))
	case "min":
		code, msg = "min_length", fmt.Sprintf("%s must have at least %s %s", path, fe.Param(), unit(fe))
	case "lte", "gte":
		msg = fmt.Sprintf("%s must be %s %s", path, map[string]string{"lte": "at most", "gte": "at least"}[fe.Tag()], fe.Param())
	case "url", "http_url":
		code, msg = "url", path+" must be an absolute http(s) URL"
	case "dive":
		msg = path + " has invalid items"
	case "excluded_with":
		code, msg = "not_allowed", fmt.Sprintf("%s cannot be sent together with %s", path, strings.ToLower(fe.Param()))
	}
	return domain.FieldError{Field: path, Code: code, Message: msg}
}

// jsonPath turns a validator namespace ("OrganizationCreate.AddressInput.city",
// "GroupCreate.smart_rule.regions[0]") into the JSON path of the field:
// the first segment is the root type, and the names of embedded structs
// are capitalized where JSON names are not, so those are dropped.
func jsonPath(namespace string) string {
	var keep []string
	segs := strings.Split(namespace, ".")
	for _, seg := range segs[1:] {
		if seg != "" && (seg[0] < 'A' || seg[0] > 'Z') {
			keep = append(keep, seg)
		}
	}
	return strings.Join(keep, ".")
}

func unit(fe validator.FieldError) string {
	switch fe.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return "items"
	default:
		return "characters"
	}
}
