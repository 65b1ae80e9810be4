package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/pkg/problem"
)

// statusOf is the one table from domain error kinds to HTTP statuses.
var statusOf = map[domain.Kind]int{
	domain.KindInternal:     http.StatusInternalServerError,
	domain.KindInvalid:      http.StatusUnprocessableEntity,
	domain.KindNotFound:     http.StatusNotFound,
	domain.KindConflict:     http.StatusConflict,
	domain.KindPrecondition: http.StatusPreconditionFailed,
	domain.KindUnauthorized: http.StatusUnauthorized,
	domain.KindForbidden:    http.StatusForbidden,
	domain.KindRateLimited:  http.StatusTooManyRequests,
	domain.KindGone:         http.StatusGone,
	domain.KindUnavailable:  http.StatusServiceUnavailable,
}

// retryAfterUnavailable is the Retry-After, in seconds, of a 503: long
// enough for a restarted database or a drained pool, short enough that a
// client does not give up.
const retryAfterUnavailable = "2"

// edgeError is a failure of the HTTP exchange itself (malformed JSON,
// oversize body, unknown route) rather than of a domain rule.
type edgeError struct {
	status int
	code   string
	detail string
	cause  error // logged for 5xx, never sent
}

func (e *edgeError) Error() string {
	if e.cause != nil {
		return e.code + ": " + e.detail + ": " + e.cause.Error()
	}
	return e.code + ": " + e.detail
}

// errorHandler writes every error as a problem document: its type is the
// page of its code under publicURL, its title and status come from the
// catalog. 5xx bodies are generic; their cause is logged with the request id.
func errorHandler(log *slog.Logger, publicURL string) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		req := c.Request()
		p := toProblem(err)
		if defect := fromCatalog(&p, publicURL); defect != "" {
			log.ErrorContext(req.Context(), "problem catalog incomplete", slog.String("defect", defect))
			if testing.Testing() {
				// a test must not pass with an answer the catalog does not
				// describe: fail it loudly, naming the missing entry
				p = newProblem(http.StatusInternalServerError, "internal", defect)
				fromCatalog(&p, publicURL)
			}
		}
		p.Instance = req.URL.Path
		p.RequestID = c.Response().Header().Get(HeaderRequestID)
		if p.Status >= 500 {
			log.ErrorContext(req.Context(), "request failed", slog.String("error", err.Error()))
		}
		if p.Status == http.StatusMethodNotAllowed {
			// Echo puts the allowed methods in the Allow header already.
			p.Detail = "this route does not accept " + req.Method
		}
		switch p.Status {
		case http.StatusUnauthorized:
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="portico"`)
		case http.StatusServiceUnavailable:
			c.Response().Header().Set("Retry-After", retryAfterUnavailable)
		}
		body, merr := json.Marshal(p)
		if merr != nil {
			body = fmt.Appendf(nil, `{"type":%q,"title":"Internal error","status":500,"code":"internal"}`,
				problem.TypeURL(publicURL, "internal"))
		}
		if werr := c.Blob(p.Status, problem.ContentType, body); werr != nil {
			log.WarnContext(req.Context(), "write problem", slog.String("error", werr.Error()))
		}
	}
}

// fromCatalog completes p from the catalog entry of its code: the type
// URL, the title, the status and, when the error named no fix, the
// catalog's resolution. It returns what the catalog lacks, if anything: a
// problem code, a status that disagrees with the entry, a field code.
func fromCatalog(p *problem.Problem, publicURL string) (defect string) {
	p.Type = problem.TypeURL(publicURL, p.Code)
	p.Title = http.StatusText(p.Status)
	if e, ok := problem.Lookup(p.Code); !ok {
		defect = fmt.Sprintf("problem code %q (status %d) is not in the catalog (pkg/problem)", p.Code, p.Status)
	} else {
		if e.Status != p.Status {
			defect = fmt.Sprintf("problem code %q is answered with status %d, but the catalog says %d", p.Code, p.Status, e.Status)
		}
		p.Status, p.Title = e.Status, e.Title
		if p.Resolution == "" {
			p.Resolution = e.Resolution
		}
	}
	for _, f := range p.Errors {
		if !problem.IsFieldCode(f.Code) {
			defect = fmt.Sprintf("field code %q (field %s of %s) is not in the catalog (pkg/problem)", f.Code, f.Field, p.Code)
		}
	}
	return defect
}

func toProblem(err error) problem.Problem {
	var (
		de *domain.Error
		ee *edgeError
		he *echo.HTTPError
	)
	switch {
	case errors.As(err, &de):
		status := statusOf[de.Kind]
		if status == 0 || (status >= 500 && de.Kind != domain.KindUnavailable) {
			return newProblem(http.StatusInternalServerError, "internal", "an unexpected error occurred; the request id identifies it in the server log")
		}
		// an outage's detail and resolution are the domain's generic ones;
		// its cause (Err) is logged only
		p := newProblem(status, de.Code, de.Detail)
		p.Resolution = de.Resolution
		p.Extensions = de.Extensions
		for _, f := range de.Fields {
			p.Errors = append(p.Errors, problem.FieldError{Field: f.Field, Code: f.Code, Message: f.Message})
		}
		return p
	case errors.As(err, &ee):
		return newProblem(ee.status, ee.code, ee.detail)
	case errors.As(err, &he) && he.Code < 500:
		return newProblem(he.Code, codeFromStatus(he.Code), messageOf(he))
	default:
		return newProblem(http.StatusInternalServerError, "internal", "an unexpected error occurred; the request id identifies it in the server log")
	}
}

// newProblem starts a problem document; fromCatalog completes it.
func newProblem(status int, code, detail string) problem.Problem {
	return problem.Problem{Status: status, Code: code, Detail: detail}
}

// codeFromStatus names Echo's own errors: 404 → "not_found", 405 → "method_not_allowed".
func codeFromStatus(status int) string {
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

func messageOf(he *echo.HTTPError) string {
	switch he.Code {
	case http.StatusNotFound:
		return "no route matches this path"
	}
	if s, ok := he.Message.(string); ok {
		return s
	}
	return http.StatusText(he.Code)
}
