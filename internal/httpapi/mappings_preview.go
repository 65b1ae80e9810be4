package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/directory"
)

// ConversionPreview is what converting one account into an organization
// would cut or drop under the current definitions and mappings.
type ConversionPreview struct {
	AccountID   uuid.UUID `json:"account_id" swaggertype:"string" format:"uuid"`
	AccountName string    `json:"account_name" example:"Acme Corp"`
	// OrganizationID is set when the account was converted already; then
	// nothing would change and there are no warnings.
	OrganizationID *uuid.UUID `json:"organization_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// Warnings are the values that would be cut (field_truncated) or
	// dropped (value_out_of_range, value_not_allowed).
	Warnings []Warning `json:"warnings"`
	// MissingRequiredFields are required organization fields that would
	// get no value; they block the conversion (required_field_missing).
	MissingRequiredFields []string `json:"missing_required_fields"`
	// Note sums up the preview for people.
	Note string `json:"note" example:"a promotion would create the organization with 2 value(s) cut or dropped"`
}

// ConversionPreviewList is one page of previews in account id order.
type ConversionPreviewList struct {
	Data       []ConversionPreview `json:"data"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

func previewOut(p directory.ConversionPreview) ConversionPreview {
	a := p.Account
	out := ConversionPreview{AccountID: a.ID, AccountName: a.Name, OrganizationID: a.OrganizationID,
		Warnings: warningsOut(p.Warnings), MissingRequiredFields: nonNil(p.Missing)}
	switch {
	case a.OrganizationID != nil:
		out.Note = fmt.Sprintf("converted already into organization %s: promotions reuse it and copy nothing again", a.OrganizationID)
	case len(p.Missing) > 0:
		out.Note = "a promotion would fail with required_field_missing: no mapped, non-empty value for " + strings.Join(p.Missing, ", ")
	case len(p.Warnings) > 0:
		out.Note = fmt.Sprintf("a promotion would create the organization with %d value(s) cut or dropped", len(p.Warnings))
	default:
		out.Note = "a promotion would create the organization with every mapped value intact"
	}
	return out
}

// previewConversions godoc
//
//	@Summary		Preview account conversions
//	@Description	For one account (account_id) or for every account (paginated, in account id order): which mapped values a promotion would cut or drop when it creates the organization from the account, and which required organization fields would stay empty. HTML is measured in stored characters, as max_length counts it. Nothing is written.
//	@ID				previewConversions
//	@Tags			field-mappings
//	@Produce		json
//	@Param			account_id	query		string	false	"only this account"	format(uuid)
//	@Param			limit		query		int		false	"page size (1-500, default 50); without account_id"
//	@Param			cursor		query		string	false	"next_cursor of the previous page; without account_id"
//	@Success		200			{object}	ConversionPreviewList
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem	"no such account"
//	@Failure		422			{object}	problem.Problem	"invalid query parameters"
//	@Security		BearerAuth
//	@Router			/api/v1/field-mappings/preview [get]
func (h *handlers) previewConversions(c echo.Context) error {
	q := &query{c: c}
	accountID := q.uuid("account_id")
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if accountID != nil {
		one, err := h.dir.PreviewConversion(ctx, *accountID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ConversionPreviewList{Data: []ConversionPreview{previewOut(one)}})
	}
	previews, more, err := h.dir.PreviewConversions(ctx, p)
	if err != nil {
		return err
	}
	var out ConversionPreviewList
	out.Data, out.NextCursor = listOf(previews, more, previewOut, func(p directory.ConversionPreview) uuid.UUID { return p.Account.ID })
	return c.JSON(http.StatusOK, out)
}
