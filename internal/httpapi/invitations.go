package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
)

// Delivery is where an invitation's email is.
type Delivery struct {
	// Status: queued (not sent yet, perhaps retrying), sent, or failed (given up).
	Status    string `json:"status" enums:"queued,sent,failed"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error" example:"451 try again later"`
}

// Invitation is one activation link sent to a pending user.
type Invitation struct {
	ID             uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	UserID         uuid.UUID  `json:"user_id" swaggertype:"string" format:"uuid"`
	OrganizationID *uuid.UUID `json:"organization_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// Status: pending until the link is used (accepted), runs out (expired), is withdrawn (revoked) or replaced by a later invitation (superseded).
	Status string `json:"status" enums:"pending,accepted,expired,revoked,superseded"`
	// Locale is the language the email was written in.
	Locale     string     `json:"locale" example:"de"`
	Message    string     `json:"message"`
	ExpiresAt  time.Time  `json:"expires_at" format:"date-time"`
	SentAt     *time.Time `json:"sent_at" format:"date-time" extensions:"x-nullable"`
	AcceptedAt *time.Time `json:"accepted_at" format:"date-time" extensions:"x-nullable"`
	RevokedAt  *time.Time `json:"revoked_at" format:"date-time" extensions:"x-nullable"`
	Delivery   Delivery   `json:"delivery"`
	CreatedBy  string     `json:"created_by" example:"admin-token"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
}

// InvitationList is one page of invitations.
type InvitationList struct {
	Data       []Invitation `json:"data"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// invitationOut converts at now: a pending invitation whose time ran out
// is shown expired before the periodic job records it.
func invitationOut(i domain.Invitation) Invitation {
	return Invitation{ID: i.ID, UserID: i.UserID, OrganizationID: i.OrganizationID, Status: string(i.StatusAt(time.Now())),
		Locale: i.Locale, Message: i.Message, ExpiresAt: i.ExpiresAt.UTC(), SentAt: utcPtr(i.SentAt), AcceptedAt: utcPtr(i.AcceptedAt),
		RevokedAt: utcPtr(i.RevokedAt), Delivery: Delivery{Status: string(i.Delivery.Status), Attempts: i.Delivery.Attempts,
			LastError: i.Delivery.LastError}, CreatedBy: i.CreatedBy, CreatedAt: i.CreatedAt.UTC()}
}

func invitationID(i domain.Invitation) uuid.UUID { return i.ID }

// listInvitations godoc
//
//	@Summary		List invitations
//	@Description	Every promotion, resend and bulk resend creates an invitation. Oldest first; primary contacts see their organization's only.
//	@ID				listInvitations
//	@Tags			invitations
//	@Produce		json
//	@Param			status			query		string	false	"invitation status"					Enums(pending, accepted, expired, revoked, superseded)
//	@Param			organization_id	query		string	false	"organization id"					format(uuid)
//	@Param			user_id			query		string	false	"user id"							format(uuid)
//	@Param			created_after	query		string	false	"created at or after (RFC 3339)"	format(date-time)
//	@Param			created_before	query		string	false	"created before (RFC 3339)"			format(date-time)
//	@Param			limit			query		int		false	"page size (1-500, default 50)"
//	@Param			cursor			query		string	false	"next_cursor of the previous page"
//	@Success		200				{object}	InvitationList
//	@Failure		401				{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403				{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404				{object}	problem.Problem	"organization_id names an organization outside the caller's view"
//	@Failure		422				{object}	problem.Problem	"invalid query parameters"
//	@Security		BearerAuth
//	@Router			/api/v1/invitations [get]
func (h *handlers) listInvitations(c echo.Context) error {
	q := &query{c: c}
	f := invitationFilter(q)
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	var err error
	if f.OrganizationID, err = scopeFilter(c, f.OrganizationID); err != nil {
		return err
	}
	items, more, err := h.promo.Invitations(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	data, next := listOf(items, more, invitationOut, invitationID)
	return c.JSON(http.StatusOK, InvitationList{Data: data, NextCursor: next})
}

func invitationFilter(q *query) domain.InvitationFilter {
	statuses := make([]string, len(domain.InvitationStatuses))
	for i, s := range domain.InvitationStatuses {
		statuses[i] = string(s)
	}
	return domain.InvitationFilter{Status: domain.InvitationStatus(q.oneOf("status", statuses...)),
		OrganizationID: q.uuid("organization_id"), UserID: q.uuid("user_id"),
		CreatedAfter: q.time("created_after"), CreatedBefore: q.time("created_before")}
}

// getInvitation godoc
//
//	@Summary	Get an invitation
//	@ID			getInvitation
//	@Tags		invitations
//	@Produce	json
//	@Param		id	path		string	true	"invitation id"	format(uuid)
//	@Success	200	{object}	Invitation
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/invitations/{id} [get]
func (h *handlers) getInvitation(c echo.Context) error {
	id, err := pathID(c, "id", "invitation")
	if err != nil {
		return err
	}
	inv, err := h.promo.Invitation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, invitationOut(inv))
}

// revokeInvitation godoc
//
//	@Summary		Revoke an invitation
//	@Description	Withdraws a pending invitation: its link answers 410 token_revoked at once. Revoking a revoked invitation again changes nothing (200).
//	@ID				revokeInvitation
//	@Tags			invitations
//	@Produce		json
//	@Param			id	path		string	true	"invitation id"	format(uuid)
//	@Success		200	{object}	Invitation
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"the invitation was accepted (invitation_accepted), or expired or was superseded (invitation_not_pending)"
//	@Security		BearerAuth
//	@Router			/api/v1/invitations/{id}/revoke [post]
func (h *handlers) revokeInvitation(c echo.Context) error {
	id, err := pathID(c, "id", "invitation")
	if err != nil {
		return err
	}
	a := actorOf(c)
	inv, err := h.promo.RevokeInvitation(c.Request().Context(), id, access.Scope(a), a.String())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, invitationOut(inv))
}
