package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// pathID reads the UUID path parameter name, the id of a resource; a
// malformed id cannot exist, so it is answered like a missing one.
func pathID(c echo.Context, name, resource string) (uuid.UUID, error) {
	raw := c.Param(name)
	id, err := uuid.Parse(raw)
	if err != nil {
		return uuid.Nil, domain.NotFound(resource, raw)
	}
	return id, nil
}

// query collects query parameter errors so that one answer names them all.
type query struct {
	c    echo.Context
	errs []domain.FieldError
}

func (q *query) fail(name, code, msg string) {
	q.errs = append(q.errs, domain.FieldError{Field: name, Code: code, Message: msg})
}

// uuid reads an optional UUID parameter.
func (q *query) uuid(name string) *uuid.UUID {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return nil
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		q.fail(name, "uuid", name+" must be a UUID")
		return nil
	}
	return &id
}

// oneOf reads an optional parameter restricted to values.
func (q *query) oneOf(name string, values ...string) string {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return ""
	}
	for _, v := range values {
		if raw == v {
			return raw
		}
	}
	q.fail(name, "oneof", name+" must be one of: "+strings.Join(values, ", "))
	return ""
}

// boolean reads an optional true/false parameter.
func (q *query) boolean(name string) *bool {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		q.fail(name, "boolean", name+" must be true or false")
		return nil
	}
	return &b
}

// page reads limit and cursor.
func (q *query) page() domain.Page {
	p := domain.Page{Limit: domain.DefaultPageLimit}
	if raw := q.c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > domain.MaxPageLimit {
			q.fail("limit", "range", "limit must be a whole number from 1 to "+strconv.Itoa(domain.MaxPageLimit))
		}
		p.Limit = n
	}
	if raw := q.c.QueryParam("cursor"); raw != "" {
		b, err := base64.RawURLEncoding.DecodeString(raw)
		id, uerr := uuid.FromBytes(b)
		if err != nil || uerr != nil {
			q.fail("cursor", "invalid", "cursor must be a next_cursor value from an earlier page")
		}
		p.After = id
	}
	return p
}

// err returns the collected errors as one 422, or nil.
func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return domain.Invalid("validation_failed", "the query has invalid parameters", q.errs...)
}

// nextCursor is the opaque cursor after last, or "" on the last page.
func nextCursor(more bool, last uuid.UUID) string {
	if !more {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(last[:])
}

// ifMatch reads If-Match: 0 when absent or "*", else the version of a
// strong ETag. A value that cannot match any version is 412.
func ifMatch(c echo.Context) (int64, error) {
	raw := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if raw == "" || raw == "*" {
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.Trim(raw, `"`), 10, 64)
	if err != nil || v < 1 || !strings.HasPrefix(raw, `"`) {
		return 0, domain.PreconditionFailed()
	}
	return v, nil
}

// withETag answers status with body and the resource version as ETag.
func withETag(c echo.Context, status int, version int64, body any) error {
	c.Response().Header().Set("ETag", `"`+strconv.FormatInt(version, 10)+`"`)
	return c.JSON(status, body)
}

// created answers 201 with Location and ETag.
func created(c echo.Context, location string, version int64, body any) error {
	c.Response().Header().Set(echo.HeaderLocation, location)
	return withETag(c, http.StatusCreated, version, body)
}

// The handlers of single resources share their shape: read the id (and
// If-Match), call the use case, answer the resource with its ETag. These
// helpers hold that shape; each handler supplies the use case and the
// converter to its response DTO.

// versioned is a response DTO that carries its version.
type versioned interface{ etag() int64 }

func (o Organization) etag() int64 { return o.Version }

// getOne answers GET /{id}.
func getOne[T any, O versioned](c echo.Context, resource string,
	get func(context.Context, uuid.UUID) (T, error), out func(T) O) error {
	id, err := pathID(c, "id", resource)
	if err != nil {
		return err
	}
	v, err := get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	o := out(v)
	return withETag(c, http.StatusOK, o.etag(), o)
}

// patchOne answers PATCH /{id}: B is the patch body, nulls its members
// sent as null.
func patchOne[B any, T any, O versioned](c echo.Context, resource string,
	update func(ctx context.Context, id uuid.UUID, ifMatch int64, b B, nulls map[string]bool) (T, error),
	out func(T) O) error {
	id, err := pathID(c, "id", resource)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var b B
	nulls, err := decodePatch(c, &b)
	if err != nil {
		return err
	}
	v, err := update(c.Request().Context(), id, version, b, nulls)
	if err != nil {
		return err
	}
	o := out(v)
	return withETag(c, http.StatusOK, o.etag(), o)
}

// deleteOne answers DELETE /{id} with 204.
func deleteOne(c echo.Context, resource string, del func(context.Context, uuid.UUID, int64) error) error {
	id, err := pathID(c, "id", resource)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	if err := del(c.Request().Context(), id, version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// createOne answers POST with 201, Location and ETag.
func createOne[B any, T any, O versioned](c echo.Context, collection string,
	create func(context.Context, B) (T, error), out func(T) O, id func(T) uuid.UUID) error {
	var b B
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	v, err := create(c.Request().Context(), b)
	if err != nil {
		return err
	}
	o := out(v)
	return created(c, collection+"/"+id(v).String(), o.etag(), o)
}

// listOf converts a page of domain values and computes its next cursor.
func listOf[T any, O any](items []T, more bool, out func(T) O, id func(T) uuid.UUID) ([]O, string) {
	data := make([]O, len(items))
	for i, v := range items {
		data[i] = out(v)
	}
	if len(items) == 0 {
		return data, ""
	}
	return data, nextCursor(more, id(items[len(items)-1]))
}

// time reads an optional RFC 3339 parameter.
func (q *query) time(name string) *time.Time {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		q.fail(name, "date_time", name+" must be an RFC 3339 time such as 2026-01-31T12:00:00Z")
		return nil
	}
	return &t
}

// seqPage reads limit and a cursor that is a position in a job's items.
func (q *query) seqPage() (limit, after int) {
	limit, after = domain.DefaultPageLimit, -1
	if raw := q.c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > domain.MaxPageLimit {
			q.fail("limit", "range", "limit must be a whole number from 1 to "+strconv.Itoa(domain.MaxPageLimit))
		}
		limit = n
	}
	if raw := q.c.QueryParam("cursor"); raw != "" {
		// a position is a 32-bit column; a larger number is no cursor
		n, err := strconv.ParseInt(raw, 10, 32)
		if err != nil || n < 0 {
			q.fail("cursor", "invalid", "cursor must be a next_cursor value from an earlier page")
		}
		after = int(n)
	}
	return limit, after
}
