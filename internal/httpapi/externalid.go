package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// optional shows "" as null, as the other optional members are.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// externalIDParam reads the ?external_id= filter; stored ids are trimmed,
// so the parameter is too.
func externalIDParam(c echo.Context) string {
	return strings.TrimSpace(c.QueryParam("external_id"))
}

// upsert is one resource's part of PUT .../by-external-id/{external_id}:
// B is its PATCH body, C its POST body, T the domain record, O the answer.
type upsert[B any, C any, T any, O versioned] struct {
	collection string // e.g. "/api/v1/organizations"
	find       func(ctx context.Context, externalID string) (*T, error)
	id         func(T) uuid.UUID
	update     func(ctx context.Context, id uuid.UUID, ifMatch int64, b B, nulls map[string]bool) (T, error)
	create     func(ctx context.Context, b C) (T, error)
	out        func(T) O
	bodyID     func(B) *string // the body's external_id, if sent
	setID      func(*C, string)
}

// putByExternalID merges the body into the record with the path's external
// id (200), as PATCH does, or creates it from the body (201), as POST
// does. If-Match applies to the merge; on a create nothing matches it, so
// any If-Match is 412. Two PUTs creating one external id at once end as a
// create and a merge: the loser of the unique index retries as a merge.
func putByExternalID[B any, C any, T any, O versioned](c echo.Context, u upsert[B, C, T, O]) error {
	externalID, err := pathExternalID(c)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var patch B
	nulls, err := decodePatch(c, &patch)
	if err != nil {
		return err
	}
	if sent := u.bodyID(patch); sent != nil && strings.TrimSpace(*sent) != externalID {
		return domain.Invalid("external_id_mismatch", "the body's external_id differs from the path's; leave it out or send the same value",
			domain.FieldError{Field: "external_id", Code: "external_id", Message: "external_id must equal the path's " + strconv.Quote(externalID)})
	}
	ctx := c.Request().Context()
	for attempt := 0; ; attempt++ {
		found, err := u.find(ctx, externalID)
		if err != nil {
			return err
		}
		if found != nil {
			v, err := u.update(ctx, u.id(*found), version, patch, nulls)
			if err != nil {
				return err
			}
			o := u.out(v)
			return withETag(c, http.StatusOK, o.etag(), o)
		}
		if strings.TrimSpace(c.Request().Header.Get("If-Match")) != "" {
			return domain.PreconditionFailed()
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		var b C
		if err := decodeJSON(c, &b); err != nil {
			return err
		}
		u.setID(&b, externalID)
		v, err := u.create(ctx, b)
		if de, ok := domain.AsError(err); ok && de.Code == "external_id_taken" && attempt == 0 {
			continue // created meanwhile by another request: merge into it
		}
		if err != nil {
			return err
		}
		o := u.out(v)
		return created(c, u.collection+"/"+u.id(v).String(), o.etag(), o)
	}
}

// pathExternalID reads the {external_id} path segment (the text guard has
// percent-decoded it), trimmed as stored ids are.
func pathExternalID(c echo.Context) (string, error) {
	externalID, err := domain.NormalizeExternalID(c.Param("external_id"))
	if err == nil && externalID == "" {
		err = domain.Invalid("validation_failed", "the path's external_id is empty",
			domain.FieldError{Field: "external_id", Code: "required", Message: "external_id is required"})
	}
	return externalID, err
}

// readBody reads the request body and puts it back for the decoder.
func readBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, decodeError(err, false)
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}
