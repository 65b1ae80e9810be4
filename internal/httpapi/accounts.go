package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// Account is the CRM side of a company.
type Account struct {
	ID   uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Name string    `json:"name" example:"Acme Corp"`
	Address
	CustomFields map[string]any `json:"custom_fields"`
	// OrganizationID is the organization created from this account, once converted.
	OrganizationID *uuid.UUID `json:"organization_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// ExternalID is the CRM's id of this record (unique per kind of record); null when none.
	ExternalID *string   `json:"external_id" extensions:"x-nullable" example:"CRM-0042"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at" format:"date-time"`
	UpdatedAt  time.Time `json:"updated_at" format:"date-time"`
}

func (a Account) etag() int64 { return a.Version }

// AccountList is one page of accounts.
type AccountList struct {
	Data       []Account `json:"data"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// AccountCreate is the body of POST /api/v1/accounts.
type AccountCreate struct {
	Name string `json:"name" validate:"required,max=200" example:"Acme Corp"`
	AddressInput
	CustomFields map[string]any `json:"custom_fields,omitempty"`
	// ExternalID is the CRM's id (trimmed, at most 255 characters, no control characters; unique per kind of record).
	ExternalID string `json:"external_id,omitempty" example:"CRM-0042"`
}

// AccountPatch is the body of PATCH /api/v1/accounts/{id} (merge patch).
type AccountPatch struct {
	Name *string `json:"name,omitempty" validate:"omitnil,min=1,max=200"`
	AddressPatch
	CustomFields map[string]any `json:"custom_fields,omitempty"`
	// ExternalID sets the CRM's id; null or "" clears it.
	ExternalID *string `json:"external_id,omitempty" extensions:"x-nullable" example:"CRM-0042"`
}

func accountOut(a domain.Account) Account {
	fields := a.CustomFields
	if fields == nil {
		fields = map[string]any{}
	}
	return Account{ID: a.ID, Name: a.Name, Address: addressOut(a.Address), CustomFields: fields,
		OrganizationID: a.OrganizationID, ExternalID: optional(a.ExternalID), Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
}

func accountID(a domain.Account) uuid.UUID { return a.ID }

// createAccount godoc
//
//	@Summary	Create an account
//	@ID			createAccount
//	@Tags		accounts
//	@Accept		json
//	@Produce	json
//	@Param		body	body		AccountCreate	true	"the account"
//	@Success	201		{object}	Account
//	@Header		201		{string}	ETag			"the version"
//	@Failure	400		{object}	problem.Problem	"malformed JSON"
//	@Failure	401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422		{object}	problem.Problem	"invalid fields"
//	@Security	BearerAuth
//	@Router		/api/v1/accounts [post]
func (h *handlers) createAccount(c echo.Context) error {
	return createOne(c, "/api/v1/accounts", h.newAccount, accountOut, accountID)
}

// newAccount is the use case behind POST and the create of PUT by external id.
func (h *handlers) newAccount(ctx context.Context, b AccountCreate) (domain.Account, error) {
	return h.dir.CreateAccount(ctx, domain.Account{Name: b.Name, Address: b.AddressInput.toDomain(),
		CustomFields: b.CustomFields, ExternalID: b.ExternalID})
}

// getAccount godoc
//
//	@Summary	Get an account
//	@ID			getAccount
//	@Tags		accounts
//	@Produce	json
//	@Param		id	path		string	true	"account id"	format(uuid)
//	@Success	200	{object}	Account
//	@Header		200	{string}	ETag			"the version"
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/accounts/{id} [get]
func (h *handlers) getAccount(c echo.Context) error {
	return getOne(c, "account", h.dir.GetAccount, accountOut)
}

// listAccounts godoc
//
//	@Summary	List accounts
//	@ID			listAccounts
//	@Tags		accounts
//	@Produce	json
//	@Param		q			query		string	false	"case-insensitive substring of the name"
//	@Param		converted	query		bool	false	"only accounts with (true) or without (false) an organization"
//	@Param		external_id	query		string	false	"the CRM's id (exact, after trimming)"
//	@Param		limit		query		int		false	"page size (1-500, default 50)"
//	@Param		cursor		query		string	false	"next_cursor of the previous page"
//	@Success	200			{object}	AccountList
//	@Failure	401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422			{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/accounts [get]
func (h *handlers) listAccounts(c echo.Context) error {
	q := &query{c: c}
	f := domain.AccountFilter{Query: c.QueryParam("q"), Converted: q.boolean("converted"), ExternalID: externalIDParam(c)}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	accounts, more, err := h.dir.ListAccounts(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	var out AccountList
	out.Data, out.NextCursor = listOf(accounts, more, accountOut, accountID)
	return c.JSON(http.StatusOK, out)
}

// updateAccount godoc
//
//	@Summary		Update an account
//	@Description	JSON merge patch; custom_fields merges key by key and a null value removes the key. An organization already created from the account does not change.
//	@ID				updateAccount
//	@Tags			accounts
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"account id"	format(uuid)
//	@Param			If-Match	header		string			false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		AccountPatch	true	"the changes"
//	@Success		200			{object}	Account
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/accounts/{id} [patch]
func (h *handlers) updateAccount(c echo.Context) error {
	return patchOne(c, "account", h.changeAccount, accountOut)
}

// changeAccount is the use case behind PATCH and the merge of PUT by external id.
func (h *handlers) changeAccount(ctx context.Context, id uuid.UUID, version int64, b AccountPatch, _ map[string]bool) (domain.Account, error) {
	return h.dir.UpdateAccount(ctx, id, version, domain.AccountPatch{
		Name: b.Name, Address: b.AddressPatch.toDomain(), CustomFields: b.CustomFields, ExternalID: b.ExternalID})
}

// deleteAccount godoc
//
//	@Summary		Delete an account
//	@Description	Refused with 409 (account_in_use) while contacts refer to it. An organization created from it stays.
//	@ID				deleteAccount
//	@Tags			accounts
//	@Produce		json
//	@Param			id			path	string	true	"account id"	format(uuid)
//	@Param			If-Match	header	string	false	"ETag from a previous read; a stale one gets 412"
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"contacts still refer to it"
//	@Failure		412	{object}	problem.Problem	"If-Match is stale"
//	@Security		BearerAuth
//	@Router			/api/v1/accounts/{id} [delete]
func (h *handlers) deleteAccount(c echo.Context) error {
	return deleteOne(c, "account", h.dir.DeleteAccount)
}
