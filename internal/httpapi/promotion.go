package httpapi

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
)

// PromoteRequest is the body of POST /api/v1/contacts/{id}/promote.
type PromoteRequest struct {
	// GroupIDs are manual groups; with none, smart groups (confirmed) or
	// groups kept from an earlier demotion must apply.
	GroupIDs []uuid.UUID `json:"group_ids,omitempty" swaggertype:"array,string" format:"uuid" validate:"max=100"`
	// Role defaults to the role kept from an earlier demotion, else member.
	Role string `json:"role,omitempty" validate:"omitempty,oneof=member creator admin" enums:"member,creator,admin"`
	// Email only for a contact that has none.
	Email string `json:"email,omitempty" validate:"omitempty,max=254" example:"jane@acme.example"`
	// ConfirmSmartGroups proceeds when only smart groups would apply.
	ConfirmSmartGroups bool `json:"confirm_smart_groups,omitempty"`
	// DryRun answers what would happen (200) and writes nothing.
	DryRun bool `json:"dry_run,omitempty"`
	// InvitationTTL is how long the activation link works: a Go duration ("72h") or a number of seconds; at most PORTICO_INVITATION_MAX_TTL. Default PORTICO_ACTIVATION_TTL.
	InvitationTTL *TTL `json:"invitation_ttl,omitempty" swaggertype:"string" example:"72h"`
	// Message is a welcome note in the invitation email, plain text.
	Message string `json:"message,omitempty" validate:"max=2000" example:"Welcome to the partner portal!"`
}

// Warning is a loss that did not stop the operation.
type Warning struct {
	Code    string `json:"code" enums:"field_truncated,value_out_of_range,value_not_allowed"`
	Message string `json:"message"`
	Field   string `json:"field" example:"description"`
	// OriginalLength and SavedLength count characters (runes): of the
	// sanitized markup for HTML, of the value's text for a dropped number
	// or option (saved 0).
	OriginalLength int `json:"original_length"`
	SavedLength    int `json:"saved_length"`
}

// PromotionResult is the answer of a promotion.
type PromotionResult struct {
	User                User         `json:"user"`
	Organization        Organization `json:"organization"`
	OrganizationCreated bool         `json:"organization_created"`
	Warnings            []Warning    `json:"warnings"`
	DryRun              bool         `json:"dry_run"`
}

func warningsOut(ws []domain.Warning) []Warning {
	out := make([]Warning, len(ws))
	for i, w := range ws {
		out[i] = Warning{Code: w.Code, Message: w.Message, Field: w.Field, OriginalLength: w.OriginalLength, SavedLength: w.SavedLength}
	}
	return out
}

func (b PromoteRequest) toDomain(id uuid.UUID, actor domain.Actor, inv domain.InvitationOptions) promotion.Request {
	return promotion.Request{ContactID: id, GroupIDs: b.GroupIDs, Role: domain.Role(b.Role), Email: b.Email,
		ConfirmSmartGroups: b.ConfirmSmartGroups, DryRun: b.DryRun, Actor: actor.String(), Restricted: !actor.IsAdmin(), Invitation: inv}
}

// promoteContact godoc
//
//	@Summary		Promote a contact to a user
//	@Description	Checks, in order: already_user, organization_not_active, no_organization, email_missing (email_not_allowed), email_taken, email_in_use, email_domain_conflict, group_required, confirmation_required, required_field_missing, group_not_found. Every refusal names the cause (detail) and the fix (resolution). On success the user keeps the contact's id, is pending, and an invitation email with a single-use activation link is queued; a contact with only an account gets an organization created from it, with warnings for truncated values.
//	@ID				promoteContact
//	@Tags			promotion
//	@Accept			json
//	@Produce		json
//	@Param			id				path		string			true	"contact id"	format(uuid)
//	@Param			Idempotency-Key	header		string			false	"makes a retry safe: the same key and body get the first answer again for 24 h"
//	@Param			body			body		PromoteRequest	true	"options"
//	@Success		200				{object}	PromotionResult	"dry run: what would happen"
//	@Success		201				{object}	PromotionResult	"promoted"
//	@Failure		400				{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401				{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403				{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404				{object}	problem.Problem	"no such contact"
//	@Failure		409				{object}	problem.Problem	"already_user, organization_not_active, no_organization, email_taken, email_in_use, email_domain_conflict"
//	@Failure		422				{object}	problem.Problem	"email_missing, email_not_allowed, group_required, confirmation_required, required_field_missing, group_not_found, invitation_ttl_invalid, validation_failed"
//	@Security		BearerAuth
//	@Router			/api/v1/contacts/{id}/promote [post]
func (h *handlers) promoteContact(c echo.Context) error {
	id, err := pathID(c, "id", "contact")
	if err != nil {
		return err
	}
	var b PromoteRequest
	body, err := decodeRaw(c, &b)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := h.checkPromotion(ctx, c, id, b); err != nil {
		return err
	}
	inv, err := invitationOptions(b.InvitationTTL, b.Message)
	if err != nil {
		return err
	}
	if err := h.promo.CheckInvitation(inv); err != nil {
		return err
	}
	return h.idempotent(c, body, func() (answer, error) {
		out, err := h.promo.Promote(ctx, b.toDomain(id, actorOf(c), inv))
		if err != nil {
			return answer{}, err
		}
		a := answer{status: http.StatusCreated, location: "/api/v1/users/" + id.String(), body: PromotionResult{
			User: userOut(out.User), Organization: organizationOut(out.Organization), OrganizationCreated: out.OrganizationCreated,
			Warnings: warningsOut(out.Warnings), DryRun: b.DryRun}}
		if b.DryRun {
			a.status, a.location = http.StatusOK, ""
		}
		return a, nil
	})
}

// checkPromotion lets a primary contact promote only contacts of its
// organization, with partner-assignable groups and below the admin role.
func (h *handlers) checkPromotion(ctx context.Context, c echo.Context, id uuid.UUID, b PromoteRequest) error {
	a := actorOf(c)
	if a.IsAdmin() {
		return nil
	}
	if _, err := h.scopedContact(c)(ctx, id); err != nil {
		return err
	}
	return h.checkAssignment(ctx, a, b.GroupIDs, domain.Role(b.Role))
}

// demoteUser godoc
//
//	@Summary		Demote a user to a contact
//	@Description	The person keeps its id, organization, role, manual groups and data, so a later promotion restores them. Sessions and links are revoked and sign-in stops at once.
//	@ID				demoteUser
//	@Tags			promotion
//	@Produce		json
//	@Param			id			path		string	true	"user id"	format(uuid)
//	@Param			If-Match	header		string	false	"ETag of the user; a stale one gets 412"
//	@Success		200			{object}	Contact
//	@Header			200			{string}	ETag			"the contact's version"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Security		BearerAuth
//	@Router			/api/v1/users/{id}/demote [post]
func (h *handlers) demoteUser(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	contact, err := h.promo.Demote(c.Request().Context(), id, version, actorOf(c).String())
	if err != nil {
		return err
	}
	return withETag(c, http.StatusOK, contact.Version, contactOut(contact))
}

// ResendOptions is the optional body of POST /api/v1/users/{id}/activation-email.
type ResendOptions struct {
	// InvitationTTL is how long the new link works: a Go duration ("72h") or a number of seconds; at most PORTICO_INVITATION_MAX_TTL. Default PORTICO_ACTIVATION_TTL.
	InvitationTTL *TTL `json:"invitation_ttl,omitempty" swaggertype:"string" example:"72h"`
	// Message is a welcome note in the email, plain text.
	Message string `json:"message,omitempty" validate:"max=2000"`
}

// resendActivation godoc
//
//	@Summary		Resend the activation email
//	@Description	Only for pending users. A new invitation is sent; earlier links stop working and the pending invitation is superseded.
//	@ID				resendActivationEmail
//	@Tags			promotion
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string			true	"user id"	format(uuid)
//	@Param			body	body		ResendOptions	false	"the new invitation's lifetime and welcome note"
//	@Success		202		{object}	Invitation		"the new invitation"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem	"the user is not pending (user_not_pending)"
//	@Failure		422		{object}	problem.Problem	"invitation_ttl_invalid, validation_failed"
//	@Security		BearerAuth
//	@Router			/api/v1/users/{id}/activation-email [post]
func (h *handlers) resendActivation(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	var b ResendOptions
	if hasBody(c) {
		if err := decodeJSON(c, &b); err != nil {
			return err
		}
	}
	o, err := invitationOptions(b.InvitationTTL, b.Message)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := h.scopedUser(ctx, c, id); err != nil {
		return err
	}
	inv, err := h.promo.ResendActivation(ctx, id, o, actorOf(c).String())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/invitations/"+inv.ID.String())
	return c.JSON(http.StatusAccepted, invitationOut(inv))
}
