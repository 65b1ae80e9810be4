package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
)

// Organization is a portal-side company.
type Organization struct {
	ID          uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Name        string    `json:"name" example:"Acme Resellers"`
	Kind        string    `json:"kind" enums:"partner,distributor,customer"`
	Status      string    `json:"status" enums:"prospective,active,inactive"`
	PartnerType string    `json:"partner_type" example:"gold"`
	Region      string    `json:"region" example:"EMEA"`
	Address
	EmailDomains []string       `json:"email_domains" example:"acme.example"`
	CustomFields map[string]any `json:"custom_fields"`
	// AccountID is the account this organization was created from, if any.
	AccountID *uuid.UUID `json:"account_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// ExternalID is the CRM's id of this record (unique per kind of record); null when none.
	ExternalID *string `json:"external_id" extensions:"x-nullable" example:"CRM-0042"`
	// Version changes on every update; it is also the ETag.
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" format:"date-time"`
}

// OrganizationList is one page of organizations.
type OrganizationList struct {
	Data       []Organization `json:"data"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// OrganizationCreate is the body of POST /api/v1/organizations.
type OrganizationCreate struct {
	Name string `json:"name" validate:"required,max=200" example:"Acme Resellers"`
	Kind string `json:"kind" validate:"required,oneof=partner distributor customer" enums:"partner,distributor,customer"`
	// Status defaults to active.
	Status      string `json:"status,omitempty" validate:"omitempty,oneof=prospective active inactive" enums:"prospective,active,inactive"`
	PartnerType string `json:"partner_type,omitempty" validate:"max=100"`
	Region      string `json:"region,omitempty" validate:"max=100"`
	AddressInput
	// EmailDomains are normalized (lower case, IDNA); each belongs to one organization.
	EmailDomains []string       `json:"email_domains,omitempty" validate:"max=100"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
	// ExternalID is the CRM's id (trimmed, at most 255 characters, no control characters; unique per kind of record).
	ExternalID string `json:"external_id,omitempty" example:"CRM-0042"`
}

// OrganizationPatch is the body of PATCH /api/v1/organizations/{id}: only
// the members present change; custom_fields merges key by key (null removes).
type OrganizationPatch struct {
	Name        *string `json:"name,omitempty" validate:"omitnil,min=1,max=200"`
	Kind        *string `json:"kind,omitempty" validate:"omitnil,oneof=partner distributor customer" enums:"partner,distributor,customer"`
	Status      *string `json:"status,omitempty" validate:"omitnil,oneof=prospective active inactive" enums:"prospective,active,inactive"`
	PartnerType *string `json:"partner_type,omitempty" validate:"omitnil,max=100"`
	Region      *string `json:"region,omitempty" validate:"omitnil,max=100"`
	AddressPatch
	// EmailDomains replaces the organization's domains.
	EmailDomains *[]string      `json:"email_domains,omitempty" validate:"omitnil,max=100"`
	CustomFields map[string]any `json:"custom_fields,omitempty"`
	// ExternalID sets the CRM's id; null or "" clears it.
	ExternalID *string `json:"external_id,omitempty" extensions:"x-nullable" example:"CRM-0042"`
}

func organizationOut(o domain.Organization) Organization {
	domains := o.EmailDomains
	if domains == nil {
		domains = []string{}
	}
	fields := o.CustomFields
	if fields == nil {
		fields = map[string]any{}
	}
	return Organization{
		ID: o.ID, Name: o.Name, Kind: string(o.Kind), Status: string(o.Status), PartnerType: o.PartnerType,
		Region: o.Region, Address: addressOut(o.Address), EmailDomains: domains, CustomFields: fields,
		AccountID: o.AccountID, ExternalID: optional(o.ExternalID), Version: o.Version, CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
	}
}

// createOrganization godoc
//
//	@Summary	Create an organization
//	@ID			createOrganization
//	@Tags		organizations
//	@Accept		json
//	@Produce	json
//	@Param		body	body		OrganizationCreate	true	"the organization"
//	@Success	201		{object}	Organization
//	@Header		201		{string}	ETag			"the version"
//	@Header		201		{string}	Location		"the new organization"
//	@Failure	400		{object}	problem.Problem	"malformed JSON"
//	@Failure	401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	409		{object}	problem.Problem	"an email domain is owned or ignored (email_domain_taken)"
//	@Failure	422		{object}	problem.Problem	"invalid fields"
//	@Security	BearerAuth
//	@Router		/api/v1/organizations [post]
func (h *handlers) createOrganization(c echo.Context) error {
	return createOne(c, "/api/v1/organizations", h.newOrganization, organizationOut, organizationID)
}

func organizationID(o domain.Organization) uuid.UUID { return o.ID }

// newOrganization is the use case behind POST and the create of PUT by external id.
func (h *handlers) newOrganization(ctx context.Context, b OrganizationCreate) (domain.Organization, error) {
	if b.Status == "" {
		b.Status = string(domain.OrgActive)
	}
	return h.dir.CreateOrganization(ctx, domain.Organization{
		Name: b.Name, Kind: domain.OrgKind(b.Kind), Status: domain.OrgStatus(b.Status),
		PartnerType: b.PartnerType, Region: b.Region, Address: b.AddressInput.toDomain(),
		EmailDomains: b.EmailDomains, CustomFields: b.CustomFields, ExternalID: b.ExternalID,
	})
}

// changeOrganization is the use case behind PATCH and the merge of PUT by external id.
func (h *handlers) changeOrganization(ctx context.Context, id uuid.UUID, version int64, b OrganizationPatch, _ map[string]bool) (domain.Organization, error) {
	return h.dir.UpdateOrganization(ctx, id, version, domain.OrganizationPatch{
		Name: b.Name, Kind: (*domain.OrgKind)(b.Kind), Status: (*domain.OrgStatus)(b.Status),
		PartnerType: b.PartnerType, Region: b.Region, Address: b.AddressPatch.toDomain(),
		EmailDomains: b.EmailDomains, CustomFields: b.CustomFields, ExternalID: b.ExternalID,
	})
}

// getOrganization godoc
//
//	@Summary		Get an organization
//	@Description	A partner's or distributor's primary contact reads its own organization; any other id answers 404.
//	@ID				getOrganization
//	@Tags			organizations
//	@Produce		json
//	@Param			id	path		string	true	"organization id"	format(uuid)
//	@Success		200	{object}	Organization
//	@Header			200	{string}	ETag			"the version"
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/api/v1/organizations/{id} [get]
func (h *handlers) getOrganization(c echo.Context) error {
	return getOne(c, "organization", func(ctx context.Context, id uuid.UUID) (domain.Organization, error) {
		if err := access.InScope(actorOf(c), &id, "organization", id); err != nil {
			return domain.Organization{}, err
		}
		return h.dir.GetOrganization(ctx, id)
	}, organizationOut)
}

// listOrganizations godoc
//
//	@Summary		List organizations
//	@Description	A partner's or distributor's primary contact lists its own organization only.
//	@ID				listOrganizations
//	@Tags			organizations
//	@Produce		json
//	@Param			kind			query		string	false	"organization kind"		Enums(partner, distributor, customer)
//	@Param			status			query		string	false	"organization status"	Enums(prospective, active, inactive)
//	@Param			partner_type	query		string	false	"partner type"
//	@Param			region			query		string	false	"region"
//	@Param			q				query		string	false	"case-insensitive substring of the name"
//	@Param			external_id		query		string	false	"the CRM's id (exact, after trimming)"
//	@Param			limit			query		int		false	"page size (1-500, default 50)"
//	@Param			cursor			query		string	false	"next_cursor of the previous page"
//	@Success		200				{object}	OrganizationList
//	@Failure		401				{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403				{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		422				{object}	problem.Problem	"invalid query parameters"
//	@Security		BearerAuth
//	@Router			/api/v1/organizations [get]
func (h *handlers) listOrganizations(c echo.Context) error {
	q := &query{c: c}
	f := domain.OrganizationFilter{
		Kind:        domain.OrgKind(q.oneOf("kind", "partner", "distributor", "customer")),
		Status:      domain.OrgStatus(q.oneOf("status", "prospective", "active", "inactive")),
		PartnerType: c.QueryParam("partner_type"), Region: c.QueryParam("region"), Query: c.QueryParam("q"),
		ExternalID: externalIDParam(c),
	}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	f.ID = access.Scope(actorOf(c)) // a primary contact lists its own organization only
	orgs, more, err := h.dir.ListOrganizations(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	var out OrganizationList
	out.Data, out.NextCursor = listOf(orgs, more, organizationOut, func(o domain.Organization) uuid.UUID { return o.ID })
	return c.JSON(http.StatusOK, out)
}

// updateOrganization godoc
//
//	@Summary		Update an organization
//	@Description	JSON merge patch: members left out keep their value; custom_fields merges key by key and a null value removes the key. Status prospective or inactive ends the sessions of the organization's users (reactivating does not revive them). A change of kind, partner_type or region moves its users between smart groups; when some user would be left with no group at all, nothing changes and the answer is 409 users_without_group naming them.
//	@ID				updateOrganization
//	@Tags			organizations
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string				true	"organization id"	format(uuid)
//	@Param			If-Match	header		string				false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		OrganizationPatch	true	"the changes"
//	@Success		200			{object}	Organization
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem	"an email domain is owned or ignored (email_domain_taken), or a kind, partner_type or region change would leave users without any group (users_without_group: the problem lists them)"
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/organizations/{id} [patch]
func (h *handlers) updateOrganization(c echo.Context) error {
	return patchOne(c, "organization", h.changeOrganization, organizationOut)
}

// deleteOrganization godoc
//
//	@Summary		Delete an organization
//	@Description	Refused with 409 (organization_in_use) while users or contacts belong to it; its email domains are released.
//	@ID				deleteOrganization
//	@Tags			organizations
//	@Produce		json
//	@Param			id			path	string	true	"organization id"	format(uuid)
//	@Param			If-Match	header	string	false	"ETag from a previous read; a stale one gets 412"
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"users or contacts still belong to it"
//	@Failure		412	{object}	problem.Problem	"If-Match is stale"
//	@Security		BearerAuth
//	@Router			/api/v1/organizations/{id} [delete]
func (h *handlers) deleteOrganization(c echo.Context) error {
	return deleteOne(c, "organization", h.dir.DeleteOrganization)
}
