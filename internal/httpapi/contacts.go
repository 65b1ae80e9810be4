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

// Contact is a person on file who cannot sign in.
type Contact struct {
	ID             uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	FirstName      string     `json:"first_name" example:"Jane"`
	LastName       string     `json:"last_name" example:"Doe"`
	Email          string     `json:"email" example:"jane@acme.example"`
	Phone          string     `json:"phone"`
	Title          string     `json:"title"`
	OrganizationID *uuid.UUID `json:"organization_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	AccountID      *uuid.UUID `json:"account_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// Locale is the language of the person's emails and pages (BCP 47); empty: PORTICO_DEFAULT_LOCALE.
	Locale string `json:"locale" example:"de"`
	// ExternalID is the CRM's id of this record (unique per kind of record); null when none.
	ExternalID *string   `json:"external_id" extensions:"x-nullable" example:"CRM-0042"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at" format:"date-time"`
	UpdatedAt  time.Time `json:"updated_at" format:"date-time"`
}

func (c Contact) etag() int64 { return c.Version }

// ContactList is one page of contacts.
type ContactList struct {
	Data       []Contact `json:"data"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// ContactCreate is the body of POST /api/v1/contacts. A contact belongs to
// an organization, an account, both or neither.
type ContactCreate struct {
	FirstName      string     `json:"first_name,omitempty" validate:"max=100"`
	LastName       string     `json:"last_name,omitempty" validate:"required_without=Email,max=100"`
	Email          string     `json:"email,omitempty" validate:"max=254"`
	Phone          string     `json:"phone,omitempty" validate:"max=50"`
	Title          string     `json:"title,omitempty" validate:"max=100"`
	OrganizationID *uuid.UUID `json:"organization_id,omitempty" swaggertype:"string" format:"uuid"`
	AccountID      *uuid.UUID `json:"account_id,omitempty" swaggertype:"string" format:"uuid"`
	// Locale is a BCP 47 language tag (de, fr-CA); empty: PORTICO_DEFAULT_LOCALE.
	Locale string `json:"locale,omitempty" validate:"max=35" example:"de"`
	// ExternalID is the CRM's id (trimmed, at most 255 characters, no control characters; unique per kind of record).
	ExternalID string `json:"external_id,omitempty" example:"CRM-0042"`
}

// ContactPatch is the body of PATCH /api/v1/contacts/{id} (merge patch;
// organization_id or account_id null unlinks).
type ContactPatch struct {
	FirstName      *string    `json:"first_name,omitempty" validate:"omitnil,max=100"`
	LastName       *string    `json:"last_name,omitempty" validate:"omitnil,max=100"`
	Email          *string    `json:"email,omitempty" validate:"omitnil,max=254"`
	Phone          *string    `json:"phone,omitempty" validate:"omitnil,max=50"`
	Title          *string    `json:"title,omitempty" validate:"omitnil,max=100"`
	OrganizationID *uuid.UUID `json:"organization_id,omitempty" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	AccountID      *uuid.UUID `json:"account_id,omitempty" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// Locale is a BCP 47 language tag; null or "" returns to PORTICO_DEFAULT_LOCALE.
	Locale *string `json:"locale,omitempty" validate:"omitnil,max=35" example:"de"`
	// ExternalID sets the CRM's id; null or "" clears it.
	ExternalID *string `json:"external_id,omitempty" extensions:"x-nullable" example:"CRM-0042"`
}

func contactOut(c domain.Contact) Contact {
	return Contact{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, Email: c.Email, Phone: c.Phone,
		Title: c.Title, OrganizationID: c.OrganizationID, AccountID: c.AccountID, Locale: c.Locale, ExternalID: optional(c.ExternalID), Version: c.Version,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

func contactID(c domain.Contact) uuid.UUID { return c.ID }

// link turns a merge-patch member into the domain's link change: absent
// keeps, null clears (the zero UUID), a value sets.
func link(v *uuid.UUID, null bool) *uuid.UUID {
	if null {
		clear := uuid.Nil
		return &clear
	}
	return v
}

// createContact godoc
//
//	@Summary		Create a contact
//	@Description	The email is trimmed and checked; it may equal another contact's or a user's.
//	@ID				createContact
//	@Tags			contacts
//	@Accept			json
//	@Produce		json
//	@Param			body	body		ContactCreate	true	"the contact"
//	@Success		201		{object}	Contact
//	@Header			201		{string}	ETag			"the version"
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		422		{object}	problem.Problem	"invalid fields, or a linked organization or account does not exist"
//	@Security		BearerAuth
//	@Router			/api/v1/contacts [post]
func (h *handlers) createContact(c echo.Context) error {
	return createOne(c, "/api/v1/contacts", h.newContact, contactOut, contactID)
}

// newContact is the use case behind POST and the create of PUT by external id.
func (h *handlers) newContact(ctx context.Context, b ContactCreate) (domain.Contact, error) {
	return h.dir.CreateContact(ctx, domain.Contact{FirstName: b.FirstName, LastName: b.LastName, Email: b.Email,
		Phone: b.Phone, Title: b.Title, OrganizationID: b.OrganizationID, AccountID: b.AccountID, Locale: b.Locale,
		ExternalID: b.ExternalID})
}

// changeContact is the use case behind PATCH and the merge of PUT by external id.
func (h *handlers) changeContact(ctx context.Context, id uuid.UUID, version int64, b ContactPatch, nulls map[string]bool) (domain.Contact, error) {
	return h.dir.UpdateContact(ctx, id, version, domain.ContactPatch{
		FirstName: b.FirstName, LastName: b.LastName, Email: b.Email, Phone: b.Phone, Title: b.Title, Locale: b.Locale,
		ExternalID:     b.ExternalID,
		OrganizationID: link(b.OrganizationID, nulls["organization_id"]),
		AccountID:      link(b.AccountID, nulls["account_id"]),
	})
}

// getContact godoc
//
//	@Summary		Get a contact
//	@Description	A promoted contact is a user and answers 404 here; see /api/v1/users/{id}.
//	@ID				getContact
//	@Tags			contacts
//	@Produce		json
//	@Param			id	path		string	true	"contact id"	format(uuid)
//	@Success		200	{object}	Contact
//	@Header			200	{string}	ETag			"the version"
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/api/v1/contacts/{id} [get]
func (h *handlers) getContact(c echo.Context) error {
	return getOne(c, "contact", h.scopedContact(c), contactOut)
}

// scopedContact reads a contact the caller may see (404 otherwise).
func (h *handlers) scopedContact(c echo.Context) func(context.Context, uuid.UUID) (domain.Contact, error) {
	return func(ctx context.Context, id uuid.UUID) (domain.Contact, error) {
		contact, err := h.dir.GetContact(ctx, id)
		if err != nil {
			return contact, err
		}
		return contact, access.InScope(actorOf(c), contact.OrganizationID, "contact", id)
	}
}

// listContacts godoc
//
//	@Summary	List contacts
//	@ID			listContacts
//	@Tags		contacts
//	@Produce	json
//	@Param		organization_id		query		string	false	"organization id"						format(uuid)
//	@Param		account_id			query		string	false	"account id"							format(uuid)
//	@Param		organization_status	query		string	false	"status of the contact's organization"	Enums(prospective, active, inactive)
//	@Param		kind				query		string	false	"kind of the contact's organization"	Enums(partner, distributor, customer)
//	@Param		partner_type		query		string	false	"partner type of the contact's organization"
//	@Param		region				query		string	false	"region of the contact's organization"
//	@Param		q					query		string	false	"case-insensitive substring of name or email"
//	@Param		external_id			query		string	false	"the CRM's id (exact, after trimming)"
//	@Param		limit				query		int		false	"page size (1-500, default 50)"
//	@Param		cursor				query		string	false	"next_cursor of the previous page"
//	@Success	200					{object}	ContactList
//	@Failure	401					{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403					{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422					{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/contacts [get]
func (h *handlers) listContacts(c echo.Context) (err error) {
	q := &query{c: c}
	f := contactFilter(q)
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	if f.OrganizationID, err = scopeFilter(c, f.OrganizationID); err != nil {
		return err
	}
	contacts, more, err := h.dir.ListContacts(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	var out ContactList
	out.Data, out.NextCursor = listOf(contacts, more, contactOut, contactID)
	return c.JSON(http.StatusOK, out)
}

// contactFilter reads the contact list filters (bulk selection reuses them).
func contactFilter(q *query) domain.ContactFilter {
	return domain.ContactFilter{
		OrganizationID:     q.uuid("organization_id"),
		AccountID:          q.uuid("account_id"),
		OrganizationStatus: domain.OrgStatus(q.oneOf("organization_status", "prospective", "active", "inactive")),
		Kind:               domain.OrgKind(q.oneOf("kind", "partner", "distributor", "customer")),
		PartnerType:        q.c.QueryParam("partner_type"),
		Region:             q.c.QueryParam("region"),
		Query:              q.c.QueryParam("q"),
		ExternalID:         externalIDParam(q.c),
	}
}

// updateContact godoc
//
//	@Summary		Update a contact
//	@Description	JSON merge patch: members left out keep their value; organization_id or account_id null unlinks.
//	@ID				updateContact
//	@Tags			contacts
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"contact id"	format(uuid)
//	@Param			If-Match	header		string			false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		ContactPatch	true	"the changes"
//	@Success		200			{object}	Contact
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/contacts/{id} [patch]
func (h *handlers) updateContact(c echo.Context) error {
	return patchOne(c, "contact", h.changeContact, contactOut)
}

// deleteContact godoc
//
//	@Summary	Delete a contact
//	@ID			deleteContact
//	@Tags		contacts
//	@Produce	json
//	@Param		id			path	string	true	"contact id"	format(uuid)
//	@Param		If-Match	header	string	false	"ETag from a previous read; a stale one gets 412"
//	@Success	204
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Failure	412	{object}	problem.Problem	"If-Match is stale"
//	@Security	BearerAuth
//	@Router		/api/v1/contacts/{id} [delete]
func (h *handlers) deleteContact(c echo.Context) error {
	return deleteOne(c, "contact", h.dir.DeleteContact)
}
