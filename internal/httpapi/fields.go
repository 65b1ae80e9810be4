package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// FieldDefinition defines a custom field of accounts or organizations.
type FieldDefinition struct {
	ID        uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Entity    string    `json:"entity" enums:"account,organization"`
	Key       string    `json:"key" example:"tier"`
	Label     string    `json:"label" example:"Tier"`
	Type      string    `json:"type" enums:"text,textarea,html,number,date,boolean,select"`
	Required  bool      `json:"required"`
	MaxLength *int      `json:"max_length" extensions:"x-nullable"`
	Min       *float64  `json:"min" format:"double" extensions:"x-nullable"`
	Max       *float64  `json:"max" format:"double" extensions:"x-nullable"`
	Options   []string  `json:"options"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" format:"date-time"`
}

func (f FieldDefinition) etag() int64 { return f.Version }

// FieldDefinitionList is every definition matching the query (there are few).
type FieldDefinitionList struct {
	Data       []FieldDefinition `json:"data"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// FieldDefinitionCreate is the body of POST /api/v1/field-definitions.
type FieldDefinitionCreate struct {
	Entity    string   `json:"entity" validate:"required,oneof=account organization" enums:"account,organization"`
	Key       string   `json:"key" validate:"required,max=63" example:"tier"`
	Label     string   `json:"label" validate:"required,max=100" example:"Tier"`
	Type      string   `json:"type" validate:"required,oneof=text textarea html number date boolean select" enums:"text,textarea,html,number,date,boolean,select"`
	Required  bool     `json:"required,omitempty"`
	MaxLength *int     `json:"max_length,omitempty"`
	Min       *float64 `json:"min,omitempty" format:"double"`
	Max       *float64 `json:"max,omitempty" format:"double"`
	Options   []string `json:"options,omitempty" validate:"max=200,dive,max=200"`
}

// FieldDefinitionPatch is the body of PATCH /api/v1/field-definitions/{id}.
// Entity, key and type are fixed; max_length, min or max null removes the bound.
type FieldDefinitionPatch struct {
	Label     *string   `json:"label,omitempty" validate:"omitnil,min=1,max=100"`
	Required  *bool     `json:"required,omitempty"`
	MaxLength *int      `json:"max_length,omitempty" extensions:"x-nullable"`
	Min       *float64  `json:"min,omitempty" format:"double" extensions:"x-nullable"`
	Max       *float64  `json:"max,omitempty" format:"double" extensions:"x-nullable"`
	Options   *[]string `json:"options,omitempty" validate:"omitnil,max=200,dive,max=200"`
}

func fieldOut(f domain.FieldDefinition) FieldDefinition {
	return FieldDefinition{ID: f.ID, Entity: string(f.Entity), Key: f.Key, Label: f.Label, Type: string(f.Type),
		Required: f.Required, MaxLength: f.MaxLength, Min: f.Min, Max: f.Max, Options: nonNil(f.Options),
		Version: f.Version, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC()}
}

// bound turns a merge-patch member into a bound change: absent keeps,
// null removes, a value sets.
func bound[T any](v *T, null bool) **T {
	if v == nil && !null {
		return nil
	}
	return &v
}

// createFieldDefinition godoc
//
//	@Summary		Define a custom field
//	@Description	max_length applies to text, textarea and html; min and max to number; options to select. Keys are unique per entity.
//	@ID				createFieldDefinition
//	@Tags			field-definitions
//	@Accept			json
//	@Produce		json
//	@Param			body	body		FieldDefinitionCreate	true	"the definition"
//	@Success		201		{object}	FieldDefinition
//	@Header			201		{string}	ETag			"the version"
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		409		{object}	problem.Problem	"the key exists for this entity (field_key_taken)"
//	@Failure		422		{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/field-definitions [post]
func (h *handlers) createFieldDefinition(c echo.Context) error {
	return createOne(c, "/api/v1/field-definitions", func(ctx context.Context, b FieldDefinitionCreate) (domain.FieldDefinition, error) {
		return h.dir.CreateFieldDefinition(ctx, domain.FieldDefinition{
			Entity: domain.FieldEntity(b.Entity), Key: b.Key, Label: b.Label, Type: domain.FieldType(b.Type),
			Required: b.Required, MaxLength: b.MaxLength, Min: b.Min, Max: b.Max, Options: b.Options,
		})
	}, fieldOut, func(f domain.FieldDefinition) uuid.UUID { return f.ID })
}

// getFieldDefinition godoc
//
//	@Summary	Get a custom field definition
//	@ID			getFieldDefinition
//	@Tags		field-definitions
//	@Produce	json
//	@Param		id	path		string	true	"definition id"	format(uuid)
//	@Success	200	{object}	FieldDefinition
//	@Header		200	{string}	ETag			"the version"
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/field-definitions/{id} [get]
func (h *handlers) getFieldDefinition(c echo.Context) error {
	return getOne(c, "field definition", h.dir.GetFieldDefinition, fieldOut)
}

// listFieldDefinitions godoc
//
//	@Summary	List custom field definitions
//	@ID			listFieldDefinitions
//	@Tags		field-definitions
//	@Produce	json
//	@Param		entity	query		string	false	"only this entity's fields"	Enums(account, organization)
//	@Success	200		{object}	FieldDefinitionList
//	@Failure	401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422		{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/field-definitions [get]
func (h *handlers) listFieldDefinitions(c echo.Context) error {
	q := &query{c: c}
	entity := domain.FieldEntity(q.oneOf("entity", "account", "organization"))
	if err := q.err(); err != nil {
		return err
	}
	defs, err := h.dir.FieldDefinitions(c.Request().Context(), entity)
	if err != nil {
		return err
	}
	out := FieldDefinitionList{Data: make([]FieldDefinition, len(defs))}
	for i, f := range defs {
		out.Data[i] = fieldOut(f)
	}
	return c.JSON(http.StatusOK, out)
}

// updateFieldDefinition godoc
//
//	@Summary		Update a custom field definition
//	@Description	Label, required, bounds and options may change; values already stored are not revalidated or altered.
//	@ID				updateFieldDefinition
//	@Tags			field-definitions
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"definition id"	format(uuid)
//	@Param			If-Match	header		string					false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		FieldDefinitionPatch	true	"the changes"
//	@Success		200			{object}	FieldDefinition
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/field-definitions/{id} [patch]
func (h *handlers) updateFieldDefinition(c echo.Context) error {
	return patchOne(c, "field definition", func(ctx context.Context, id uuid.UUID, version int64, b FieldDefinitionPatch, nulls map[string]bool) (domain.FieldDefinition, error) {
		return h.dir.UpdateFieldDefinition(ctx, id, version, domain.FieldDefinitionPatch{
			Label: b.Label, Required: b.Required, Options: b.Options,
			MaxLength: bound(b.MaxLength, nulls["max_length"]),
			Min:       bound(b.Min, nulls["min"]),
			Max:       bound(b.Max, nulls["max"]),
		})
	}, fieldOut)
}

// deleteFieldDefinition godoc
//
//	@Summary		Delete a custom field definition
//	@Description	Values already stored under the key are kept.
//	@ID				deleteFieldDefinition
//	@Tags			field-definitions
//	@Produce		json
//	@Param			id			path	string	true	"definition id"	format(uuid)
//	@Param			If-Match	header	string	false	"ETag from a previous read; a stale one gets 412"
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		412	{object}	problem.Problem	"If-Match is stale"
//	@Security		BearerAuth
//	@Router			/api/v1/field-definitions/{id} [delete]
func (h *handlers) deleteFieldDefinition(c echo.Context) error {
	return deleteOne(c, "field definition", h.dir.DeleteFieldDefinition)
}
