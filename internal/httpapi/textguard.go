package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// Text from outside is refused at the edge unless it is text every
// database can store: PostgreSQL rejects NUL and invalid UTF-8 (a 500
// deep in a query), while SQLite keeps them, so a file that took them
// could not move to PostgreSQL. Free text is also bounded, so that no
// parameter or header can make a query or a key of unbounded size.

// Bounds on free text, in characters.
const (
	maxSearchChars         = 200 // q
	maxCursorChars         = 64  // an opaque next_cursor is 22
	maxQueryParamChars     = 256 // any parameter without its own bound
	maxPathParamChars      = 255 // a domain name is at most 253
	maxIdempotencyKeyChars = 255
)

// queryParamChars bounds the free-text query parameters more tightly than
// maxQueryParamChars; the bounds match the fields they filter on.
var queryParamChars = map[string]int{
	"q":            maxSearchChars,
	"cursor":       maxCursorChars,
	"partner_type": 100,
	"region":       100,
	"subject_id":   200,
	"actor":        200,
	"action":       200,
}

// textProblem says why s is not storable text, or "" when it is.
func textProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8 text"
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL character, which text may not hold"
	}
	return ""
}

// printableName is a name from the request made safe to echo in a
// problem document: NUL spelled as \u0000, invalid bytes as U+FFFD, and
// cut to 64 characters.
func printableName(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", `\u0000`)
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "…"
	}
	return s
}

func invalidText(field, problem string) domain.FieldError {
	return domain.FieldError{Field: field, Code: "invalid_text", Message: field + " " + problem}
}

func tooLong(field string, limit int) domain.FieldError {
	return domain.FieldError{Field: field, Code: "max_length", Message: fmt.Sprintf("%s must have at most %d characters", field, limit)}
}

// textGuard refuses, before the handler runs, path parameters, query
// parameters and free-text headers that are not storable text or exceed
// their bound. A bad path is 400; bad parameters and headers are one 422
// naming each of them.
func textGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := guardPath(c); err != nil {
			return err
		}
		errs := queryTextErrors(c.Request().URL.RawQuery)
		errs = append(errs, headerTextErrors(c.Request().Header)...)
		if len(errs) > 0 {
			return domain.Invalid("validation_failed", "the request has invalid parameters", errs...)
		}
		return next(c)
	}
}

// guardPath checks the decoded path and each path parameter. Echo hands
// parameters over still percent-encoded when the request spelled an
// escape differently from Go's canonical form (%ff rather than %FF), so
// those are decoded here, and every handler sees decoded parameters.
func guardPath(c echo.Context) error {
	req := c.Request()
	if p := textProblem(req.URL.Path); p != "" {
		return invalidPath("the path " + p)
	}
	raw := req.URL.RawPath != ""
	values := c.ParamValues()
	for i, name := range c.ParamNames() {
		if i >= len(values) {
			break
		}
		v := values[i]
		if raw {
			decoded, err := url.PathUnescape(v)
			if err != nil {
				return invalidPath("the path parameter " + name + " is not valid percent-encoding")
			}
			v = decoded
		}
		if p := textProblem(v); p != "" {
			return invalidPath("the path parameter " + name + " " + p)
		}
		if utf8.RuneCountInString(v) > maxPathParamChars {
			return invalidPath(fmt.Sprintf("the path parameter %s must have at most %d characters", name, maxPathParamChars))
		}
		values[i] = v
	}
	if raw {
		c.SetParamValues(values...)
	}
	return nil
}

func invalidPath(detail string) error {
	return &edgeError{status: http.StatusBadRequest, code: "invalid_path", detail: detail}
}

// queryTextErrors checks every name and value of a raw query string,
// repeated parameters included. It parses the query itself because
// url.ParseQuery drops the pairs it cannot decode, which would let a
// broken escape pass unnoticed.
func queryTextErrors(rawQuery string) []domain.FieldError {
	var errs []domain.FieldError
	seen := map[string]bool{}
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		fe, bad := paramTextError(rawName, rawValue)
		if bad && !seen[fe.Field] {
			seen[fe.Field] = true
			errs = append(errs, fe)
		}
	}
	return errs
}

// paramTextError checks one name=value pair of a query string.
func paramTextError(rawName, rawValue string) (domain.FieldError, bool) {
	name, err := url.QueryUnescape(rawName)
	if err != nil {
		field := printableName(rawName)
		return domain.FieldError{Field: field, Code: "invalid_encoding", Message: field + " is not valid percent-encoding"}, true
	}
	field := printableName(name)
	if p := textProblem(name); p != "" {
		return domain.FieldError{Field: field, Code: "invalid_text", Message: "the parameter name " + p}, true
	}
	value, err := url.QueryUnescape(rawValue)
	if err != nil {
		return domain.FieldError{Field: field, Code: "invalid_encoding", Message: field + " is not valid percent-encoding"}, true
	}
	if p := textProblem(value); p != "" {
		return invalidText(field, p), true
	}
	limit, ok := queryParamChars[name]
	if !ok {
		limit = maxQueryParamChars
	}
	if utf8.RuneCountInString(value) > limit {
		return tooLong(field, limit), true
	}
	return domain.FieldError{}, false
}

// headerTextErrors checks the free-text headers whose values reach the
// database. X-Request-Id is not among them: an insane one is replaced
// (see requestID), never refused.
func headerTextErrors(h http.Header) []domain.FieldError {
	const name = "Idempotency-Key"
	for _, v := range h.Values(name) {
		if p := textProblem(v); p != "" {
			return []domain.FieldError{invalidText(name, p)}
		}
		if utf8.RuneCountInString(v) > maxIdempotencyKeyChars {
			return []domain.FieldError{tooLong(name, maxIdempotencyKeyChars)}
		}
	}
	return nil
}
