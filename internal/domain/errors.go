// Package domain holds Portico's entities, rules and errors. It knows nothing
// of HTTP or of the database.
package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an Error; the HTTP layer maps each kind to one status.
type Kind int

// The kinds of domain error.
const (
	KindInternal     Kind = iota // a bug; never shown to callers
	KindInvalid                  // the request breaks a rule of shape or content (422)
	KindNotFound                 // the resource does not exist or is not visible (404)
	KindConflict                 // the request clashes with stored state (409)
	KindPrecondition             // If-Match did not match (412)
	KindUnauthorized             // no or bad credentials (401)
	KindForbidden                // credentials lack the right (403)
	KindRateLimited              // too many requests (429)
	KindGone                     // a token that was used, superseded or expired (410)
	KindUnavailable              // the database is out of reach or out of time; retrying later may work (503)
)

// Error is a domain error with a stable machine-readable code.
type Error struct {
	Kind       Kind
	Code       string // machine readable, e.g. "email_taken"
	Detail     string // the cause, for people
	Resolution string // the fix, for people; may be empty
	Fields     []FieldError
	Extensions map[string]any // problem-specific data, e.g. matching groups
	Err        error          // the cause, logged, never shown
}

// FieldError is one invalid field.
type FieldError struct {
	Field   string
	Code    string
	Message string
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Detail, e.Err)
	}
	return e.Code + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

// WithResolution returns e with the fix set.
func (e *Error) WithResolution(r string) *Error { e.Resolution = r; return e }

// With returns e with one extension member set.
func (e *Error) With(key string, value any) *Error {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions[key] = value
	return e
}

// NotFound reports that a resource of the named kind does not exist.
func NotFound(resource, id string) *Error {
	return &Error{Kind: KindNotFound, Code: "not_found", Detail: fmt.Sprintf("%s %s does not exist", resource, id)}
}

// Conflict reports a clash with stored state.
func Conflict(code, detail string) *Error {
	return &Error{Kind: KindConflict, Code: code, Detail: detail}
}

// Invalid reports a rule broken by the request; fields are optional.
func Invalid(code, detail string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: code, Detail: detail, Fields: fields}
}

// Internal wraps an unexpected failure.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Code: "internal", Detail: "internal error", Err: err}
}

// Unavailable reports that the database could not serve the request in
// time: it is down, unreachable, stalled or out of connections. The cause
// is logged, never shown.
func Unavailable(err error) *Error {
	return &Error{Kind: KindUnavailable, Code: "database_unavailable",
		Detail:     "the database is not answering in time; the request may not have taken effect",
		Resolution: "retry after the seconds in Retry-After; send an Idempotency-Key so that a retried write applies once", Err: err}
}

// Fault reports an error that is the service's, not the request's: a bug
// or an outage. Work in progress stops on a fault instead of recording it
// as the outcome of one item.
func (e *Error) Fault() bool { return e.Kind == KindInternal || e.Kind == KindUnavailable }

// AsError finds a *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var de *Error
	ok := errors.As(err, &de)
	return de, ok
}

// PreconditionFailed reports that an If-Match version is stale.
func PreconditionFailed() *Error {
	return &Error{Kind: KindPrecondition, Code: "precondition_failed",
		Detail: "the resource was changed since you read it; fetch it again and retry with the new ETag"}
}
