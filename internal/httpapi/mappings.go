package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
)

// FieldMapping copies an account custom field into an organization custom
// field when an organization is created from an account.
type FieldMapping struct {
	ID                uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	AccountField      string    `json:"account_field" example:"description"`
	OrganizationField string    `json:"organization_field" example:"summary"`
	// Warning is set when the organization field has a smaller character
	// limit, a narrower number range or fewer options than the account
	// field, computed from the current definitions.
	Warning   string    `json:"warning,omitempty" example:"Character limit or number range of the account field does not match with the organization field. Some data may be lost during conversion."`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" format:"date-time"`
}

func (m FieldMapping) etag() int64 { return m.Version }

// FieldMappingList is every mapping (there are at most as many as
// organization fields).
type FieldMappingList struct {
	Data       []FieldMapping `json:"data"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// FieldMappingCreate is the body of POST /api/v1/field-mappings.
type FieldMappingCreate struct {
	AccountField      string `json:"account_field" validate:"required,max=63" example:"description"`
	OrganizationField string `json:"organization_field" validate:"required,max=63" example:"summary"`
}

// FieldMappingPatch is the body of PATCH /api/v1/field-mappings/{id}.
type FieldMappingPatch struct {
	AccountField      *string `json:"account_field,omitempty" validate:"omitnil,min=1,max=63"`
	OrganizationField *string `json:"organization_field,omitempty" validate:"omitnil,min=1,max=63"`
}

// StaticFieldMapping is a field every conversion copies as it is.
type StaticFieldMapping struct {
	AccountField      string `json:"account_field" example:"city"`
	OrganizationField string `json:"organization_field" example:"city"`
}

// StaticFieldMappingList is every static mapping; they cannot be changed.
type StaticFieldMappingList struct {
	Data []StaticFieldMapping `json:"data"`
}

func mappingOut(m directory.Mapping) FieldMapping {
	return FieldMapping{ID: m.ID, AccountField: m.AccountField, OrganizationField: m.OrganizationField,
		Warning: m.Warning, Version: m.Version, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
}

// createFieldMapping godoc
//
//	@Summary		Map an account field to an organization field
//	@Description	Both keys name custom field definitions (account_field of the account entity, organization_field of the organization entity). Types must align: text to text, html to html, every other type only to the same type. An organization field takes at most one source. When the organization field has a smaller character limit, a narrower number range or fewer options, the mapping is stored and the answer carries the warning.
//	@ID				createFieldMapping
//	@Tags			field-mappings
//	@Accept			json
//	@Produce		json
//	@Param			body	body		FieldMappingCreate	true	"the mapping"
//	@Success		201		{object}	FieldMapping
//	@Header			201		{string}	ETag			"the version"
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		409		{object}	problem.Problem	"the organization field is mapped already (organization_field_mapped)"
//	@Failure		422		{object}	problem.Problem	"unknown field keys (validation_failed) or types that do not align (field_type_mismatch)"
//	@Security		BearerAuth
//	@Router			/api/v1/field-mappings [post]
func (h *handlers) createFieldMapping(c echo.Context) error {
	return createOne(c, "/api/v1/field-mappings", func(ctx context.Context, b FieldMappingCreate) (directory.Mapping, error) {
		return h.dir.CreateFieldMapping(ctx, domain.FieldMapping{AccountField: b.AccountField, OrganizationField: b.OrganizationField})
	}, mappingOut, func(m directory.Mapping) uuid.UUID { return m.ID })
}

// getFieldMapping godoc
//
//	@Summary	Get a field mapping
//	@ID			getFieldMapping
//	@Tags		field-mappings
//	@Produce	json
//	@Param		id	path		string	true	"mapping id"	format(uuid)
//	@Success	200	{object}	FieldMapping
//	@Header		200	{string}	ETag			"the version"
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/field-mappings/{id} [get]
func (h *handlers) getFieldMapping(c echo.Context) error {
	return getOne(c, "field mapping", h.dir.GetFieldMapping, mappingOut)
}

// listFieldMappings godoc
//
//	@Summary		List field mappings
//	@Description	Every custom field mapping in organization field order, each with its warning computed from the current definitions. The static fields are listed at /api/v1/field-mappings/static.
//	@ID				listFieldMappings
//	@Tags			field-mappings
//	@Produce		json
//	@Success		200	{object}	FieldMappingList
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Security		BearerAuth
//	@Router			/api/v1/field-mappings [get]
func (h *handlers) listFieldMappings(c echo.Context) error {
	ms, err := h.dir.FieldMappings(c.Request().Context())
	if err != nil {
		return err
	}
	out := FieldMappingList{Data: make([]FieldMapping, len(ms))}
	for i, m := range ms {
		out.Data[i] = mappingOut(m)
	}
	return c.JSON(http.StatusOK, out)
}

// listStaticFieldMappings godoc
//
//	@Summary		List the static field mappings
//	@Description	Name and the address fields map automatically from the account to the organization field of the same name; they need no configuration and cannot be changed.
//	@ID				listStaticFieldMappings
//	@Tags			field-mappings
//	@Produce		json
//	@Success		200	{object}	StaticFieldMappingList
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Security		BearerAuth
//	@Router			/api/v1/field-mappings/static [get]
func (h *handlers) listStaticFieldMappings(c echo.Context) error {
	keys := h.dir.StaticFields()
	out := StaticFieldMappingList{Data: make([]StaticFieldMapping, len(keys))}
	for i, k := range keys {
		out.Data[i] = StaticFieldMapping{AccountField: k, OrganizationField: k}
	}
	return c.JSON(http.StatusOK, out)
}

// updateFieldMapping godoc
//
//	@Summary		Update a field mapping
//	@Description	Either key may change; the result is checked as on create. Organizations created earlier keep their values.
//	@ID				updateFieldMapping
//	@Tags			field-mappings
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string				true	"mapping id"	format(uuid)
//	@Param			If-Match	header		string				false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		FieldMappingPatch	true	"the changes"
//	@Success		200			{object}	FieldMapping
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem	"the organization field is mapped already (organization_field_mapped)"
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"unknown field keys (validation_failed) or types that do not align (field_type_mismatch)"
//	@Security		BearerAuth
//	@Router			/api/v1/field-mappings/{id} [patch]
func (h *handlers) updateFieldMapping(c echo.Context) error {
	return patchOne(c, "field mapping", func(ctx context.Context, id uuid.UUID, version int64, b FieldMappingPatch, _ map[string]bool) (directory.Mapping, error) {
		return h.dir.UpdateFieldMapping(ctx, id, version, directory.FieldMappingPatch{
			AccountField: b.AccountField, OrganizationField: b.OrganizationField})
	}, mappingOut)
}

// deleteFieldMapping godoc
//
//	@Summary		Delete a field mapping
//	@Description	Later conversions stop copying the field; organizations created earlier keep their values.
//	@ID				deleteFieldMapping
//	@Tags			field-mappings
//	@Produce		json
//	@Param			id			path	string	true	"mapping id"	format(uuid)
//	@Param			If-Match	header	string	false	"ETag from a previous read; a stale one gets 412"
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		412	{object}	problem.Problem	"If-Match is stale"
//	@Security		BearerAuth
//	@Router			/api/v1/field-mappings/{id} [delete]
func (h *handlers) deleteFieldMapping(c echo.Context) error {
	return deleteOne(c, "field mapping", h.dir.DeleteFieldMapping)
}
