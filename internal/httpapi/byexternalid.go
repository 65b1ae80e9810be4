package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// putOrganization godoc
//
//	@Summary		Create or update an organization by external id
//	@Description	Merges the body into the organization with this external_id (200), as PATCH does (JSON merge patch), or creates it (201), as POST does (name and kind are then required). If-Match applies to the merge; when no organization has the external id, any If-Match is 412. The body may leave external_id out or repeat the path's; any other value is 422 external_id_mismatch. The path segment is percent-decoded and trimmed.
//	@ID				putOrganizationByExternalId
//	@Tags			organizations
//	@Accept			json
//	@Produce		json
//	@Param			external_id	path		string				true	"the CRM's id"
//	@Param			If-Match	header		string				false	"ETag from a previous read; a stale one, or any on a create, gets 412"
//	@Param			body		body		OrganizationPatch	true	"the organization, or the changes"
//	@Success		200			{object}	Organization		"merged into the existing organization"
//	@Success		201			{object}	Organization		"created"
//	@Header			200			{string}	ETag				"the new version"
//	@Header			201			{string}	ETag				"the version"
//	@Header			201			{string}	Location			"the new organization"
//	@Failure		400			{object}	problem.Problem		"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem		"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem		"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		409			{object}	problem.Problem		"an email domain is owned or ignored (email_domain_taken), or users_without_group"
//	@Failure		412			{object}	problem.Problem		"If-Match is stale, or given for an organization that does not exist"
//	@Failure		422			{object}	problem.Problem		"invalid fields, or external_id_mismatch"
//	@Security		BearerAuth
//	@Router			/api/v1/organizations/by-external-id/{external_id} [put]
func (h *handlers) putOrganization(c echo.Context) error {
	return putByExternalID(c, upsert[OrganizationPatch, OrganizationCreate, domain.Organization, Organization]{
		collection: "/api/v1/organizations", find: h.dir.OrganizationByExternalID, id: organizationID,
		update: h.changeOrganization, create: h.newOrganization, out: organizationOut,
		bodyID: func(b OrganizationPatch) *string { return b.ExternalID },
		setID:  func(b *OrganizationCreate, x string) { b.ExternalID = x },
	})
}

// putAccount godoc
//
//	@Summary		Create or update an account by external id
//	@Description	Merges the body into the account with this external_id (200), as PATCH does (JSON merge patch), or creates it (201), as POST does (name is then required). If-Match applies to the merge; when no account has the external id, any If-Match is 412. The body may leave external_id out or repeat the path's; any other value is 422 external_id_mismatch. The path segment is percent-decoded and trimmed.
//	@ID				putAccountByExternalId
//	@Tags			accounts
//	@Accept			json
//	@Produce		json
//	@Param			external_id	path		string			true	"the CRM's id"
//	@Param			If-Match	header		string			false	"ETag from a previous read; a stale one, or any on a create, gets 412"
//	@Param			body		body		AccountPatch	true	"the account, or the changes"
//	@Success		200			{object}	Account			"merged into the existing account"
//	@Success		201			{object}	Account			"created"
//	@Header			200			{string}	ETag			"the new version"
//	@Header			201			{string}	ETag			"the version"
//	@Header			201			{string}	Location		"the new account"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		412			{object}	problem.Problem	"If-Match is stale, or given for an account that does not exist"
//	@Failure		422			{object}	problem.Problem	"invalid fields, or external_id_mismatch"
//	@Security		BearerAuth
//	@Router			/api/v1/accounts/by-external-id/{external_id} [put]
func (h *handlers) putAccount(c echo.Context) error {
	return putByExternalID(c, upsert[AccountPatch, AccountCreate, domain.Account, Account]{
		collection: "/api/v1/accounts", find: h.dir.AccountByExternalID, id: accountID,
		update: h.changeAccount, create: h.newAccount, out: accountOut,
		bodyID: func(b AccountPatch) *string { return b.ExternalID },
		setID:  func(b *AccountCreate, x string) { b.ExternalID = x },
	})
}

// putContact godoc
//
//	@Summary		Create or update a contact by external id
//	@Description	Merges the body into the contact with this external_id (200), as PATCH does (JSON merge patch), or creates it (201), as POST does. If-Match applies to the merge; when no contact has the external id, any If-Match is 412. A user keeps its contact's external id: when a user holds it, the answer is 409 external_id_taken (users change through /api/v1/users). The body may leave external_id out or repeat the path's; any other value is 422 external_id_mismatch. The path segment is percent-decoded and trimmed.
//	@ID				putContactByExternalId
//	@Tags			contacts
//	@Accept			json
//	@Produce		json
//	@Param			external_id	path		string			true	"the CRM's id"
//	@Param			If-Match	header		string			false	"ETag from a previous read; a stale one, or any on a create, gets 412"
//	@Param			body		body		ContactPatch	true	"the contact, or the changes"
//	@Success		200			{object}	Contact			"merged into the existing contact"
//	@Success		201			{object}	Contact			"created"
//	@Header			200			{string}	ETag			"the new version"
//	@Header			201			{string}	ETag			"the version"
//	@Header			201			{string}	Location		"the new contact"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		409			{object}	problem.Problem	"a user has this external id (external_id_taken)"
//	@Failure		412			{object}	problem.Problem	"If-Match is stale, or given for a contact that does not exist"
//	@Failure		422			{object}	problem.Problem	"invalid fields, a linked organization or account does not exist, or external_id_mismatch"
//	@Security		BearerAuth
//	@Router			/api/v1/contacts/by-external-id/{external_id} [put]
func (h *handlers) putContact(c echo.Context) error {
	return putByExternalID(c, upsert[ContactPatch, ContactCreate, domain.Contact, Contact]{
		collection: "/api/v1/contacts", find: h.dir.ContactByExternalID, id: contactID,
		update: h.changeContact, create: h.newContact, out: contactOut,
		bodyID: func(b ContactPatch) *string { return b.ExternalID },
		setID:  func(b *ContactCreate, x string) { b.ExternalID = x },
	})
}
