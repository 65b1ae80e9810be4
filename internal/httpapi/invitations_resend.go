package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
)

// InvitationSelection selects invitations by the filters of the list.
type InvitationSelection struct {
	Status         string     `json:"status,omitempty" validate:"omitempty,oneof=pending accepted expired revoked superseded" enums:"pending,accepted,expired,revoked,superseded"`
	OrganizationID *uuid.UUID `json:"organization_id,omitempty" swaggertype:"string" format:"uuid"`
	UserID         *uuid.UUID `json:"user_id,omitempty" swaggertype:"string" format:"uuid"`
	CreatedAfter   *time.Time `json:"created_after,omitempty" format:"date-time"`
	CreatedBefore  *time.Time `json:"created_before,omitempty" format:"date-time"`
}

// ResendRequest is the body of POST /api/v1/invitations/resend: either
// invitation_ids or filter, and the options of the new invitations.
type ResendRequest struct {
	InvitationIDs []uuid.UUID          `json:"invitation_ids,omitempty" swaggertype:"array,string" format:"uuid" validate:"required_without=Filter,excluded_with=Filter,max=10000"`
	Filter        *InvitationSelection `json:"filter,omitempty" validate:"required_without=InvitationIDs"`
	// InvitationTTL is how long the new links work: a Go duration ("72h") or a number of seconds; at most PORTICO_INVITATION_MAX_TTL. Default PORTICO_ACTIVATION_TTL.
	InvitationTTL *TTL `json:"invitation_ttl,omitempty" swaggertype:"string" example:"72h"`
	// Message is a welcome note in the email, plain text.
	Message string `json:"message,omitempty" validate:"max=2000"`
	// Async runs even a small selection as a job.
	Async bool `json:"async,omitempty"`
}

// ResendResult is one selected invitation's outcome.
type ResendResult struct {
	InvitationID uuid.UUID `json:"invitation_id" swaggertype:"string" format:"uuid"`
	Status       string    `json:"status" enums:"resent,failed"`
	// NewInvitation is the invitation sent in its place.
	NewInvitation *Invitation `json:"new_invitation,omitempty"`
	Error         *BulkError  `json:"error,omitempty"`
}

// ResendSummary counts a bulk resend's outcomes.
type ResendSummary struct {
	Requested int `json:"requested"`
	Resent    int `json:"resent"`
	Failed    int `json:"failed"`
}

// ResendResponse is the synchronous answer of a bulk resend.
type ResendResponse struct {
	Results []ResendResult `json:"results"`
	Summary ResendSummary  `json:"summary"`
}

// InvitationJob is a bulk resend running in the background.
type InvitationJob struct {
	ID         uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	Status     string     `json:"status" enums:"queued,running,succeeded,failed,cancelled"`
	Total      int        `json:"total"`
	Processed  int        `json:"processed"`
	Resent     int        `json:"resent"`
	Failed     int        `json:"failed"`
	Error      string     `json:"error,omitempty"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt  time.Time  `json:"updated_at" format:"date-time"`
	FinishedAt *time.Time `json:"finished_at" format:"date-time" extensions:"x-nullable"`
	// ResultsURL pages through the per-invitation results.
	ResultsURL string `json:"results_url"`
}

// InvitationJobResult is one invitation's outcome in a job.
type InvitationJobResult struct {
	InvitationID    uuid.UUID  `json:"invitation_id" swaggertype:"string" format:"uuid"`
	Status          string     `json:"status" enums:"pending,resent,failed"`
	NewInvitationID *uuid.UUID `json:"new_invitation_id,omitempty" swaggertype:"string" format:"uuid"`
	Error           *BulkError `json:"error,omitempty"`
}

// InvitationJobResults is one page of a job's per-invitation results.
type InvitationJobResults struct {
	Data       []InvitationJobResult `json:"data"`
	NextCursor string                `json:"next_cursor,omitempty"`
}

func invitationJobOut(j domain.InvitationJob) InvitationJob {
	return InvitationJob{ID: j.ID, Status: j.Status, Total: j.Total, Processed: j.Processed, Resent: j.Resent, Failed: j.Failed,
		Error: j.Error, CreatedAt: j.CreatedAt.UTC(), UpdatedAt: j.UpdatedAt.UTC(), FinishedAt: utcPtr(j.FinishedAt),
		ResultsURL: "/api/v1/invitation-jobs/" + j.ID.String() + "/results"}
}

func bulkError(err *domain.Error) *BulkError {
	if err == nil {
		return nil
	}
	return &BulkError{Code: err.Code, Detail: err.Detail, Resolution: err.Resolution}
}

func (b ResendRequest) selection() promotion.ResendSelection {
	if b.Filter == nil {
		return promotion.ResendSelection{InvitationIDs: b.InvitationIDs}
	}
	f := b.Filter
	return promotion.ResendSelection{Filter: &domain.InvitationFilter{Status: domain.InvitationStatus(f.Status),
		OrganizationID: f.OrganizationID, UserID: f.UserID, CreatedAfter: f.CreatedAfter, CreatedBefore: f.CreatedBefore}}
}

// resendInvitations godoc
//
//	@Summary		Resend invitations
//	@Description	Select invitations by invitation_ids (up to 10,000) or by filter (the list's filters, e.g. every pending invitation of an organization created before a date). Each selected invitation's user gets a new invitation (its earlier links stop and its pending invitation is superseded), once per user; a user no longer pending fails on its own with user_not_pending, an invitation outside the caller's view with not_found. Up to PORTICO_BULK_SYNC_LIMIT invitations answer at once (200); larger selections, or async, run as a job (202 with Location).
//	@ID				resendInvitations
//	@Tags			invitations
//	@Accept			json
//	@Produce		json
//	@Param			Idempotency-Key	header		string			false	"makes a retry safe: the same key and body get the first answer (or the same job) for 24 h"
//	@Param			body			body		ResendRequest	true	"selection and options"
//	@Success		200				{object}	ResendResponse	"small selection: every invitation's result"
//	@Success		202				{object}	InvitationJob	"large selection: the job"
//	@Header			202				{string}	Location		"the job"
//	@Failure		400				{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401				{object}	problem.Problem
//	@Failure		403				{object}	problem.Problem
//	@Failure		404				{object}	problem.Problem	"filter.organization_id names an organization outside the caller's view (not_found)"
//	@Failure		409				{object}	problem.Problem	"idempotency_in_progress, resend_conflict"
//	@Failure		422				{object}	problem.Problem	"invalid selection or options (validation_failed, invitation_ttl_invalid, selection_too_large), idempotency_key_reused"
//	@Security		BearerAuth
//	@Router			/api/v1/invitations/resend [post]
func (h *handlers) resendInvitations(c echo.Context) error {
	var b ResendRequest
	body, err := decodeRaw(c, &b)
	if err != nil {
		return err
	}
	inv, err := invitationOptions(b.InvitationTTL, b.Message)
	if err != nil {
		return err
	}
	if err := h.promo.CheckInvitation(inv); err != nil {
		return err
	}
	a := actorOf(c)
	opts := domain.ResendOptions{Invitation: inv, Scope: access.Scope(a)}
	ctx := c.Request().Context()
	return h.idempotent(c, body, func() (answer, error) {
		return h.runResend(ctx, b, opts, a.String())
	})
}

func (h *handlers) runResend(ctx context.Context, b ResendRequest, opts domain.ResendOptions, actor string) (answer, error) {
	ids, err := h.promo.ResolveResend(ctx, b.selection(), opts.Scope)
	if err != nil {
		return answer{}, err
	}
	if b.Async || len(ids) > h.syncLimit {
		j, err := h.promo.EnqueueResend(ctx, ids, opts, actor)
		if err != nil {
			return answer{}, err
		}
		return answer{status: http.StatusAccepted, body: invitationJobOut(j), location: "/api/v1/invitation-jobs/" + j.ID.String()}, nil
	}
	results, err := h.promo.ResendNow(ctx, ids, opts, actor)
	if err != nil {
		return answer{}, err
	}
	out := ResendResponse{Results: make([]ResendResult, len(results)), Summary: ResendSummary{Requested: len(ids)}}
	for i, r := range results {
		out.Results[i] = ResendResult{InvitationID: r.InvitationID, Status: r.Status, Error: bulkError(r.Err)}
		if r.Invitation != nil {
			inv := invitationOut(*r.Invitation)
			out.Results[i].NewInvitation = &inv
			out.Summary.Resent++
		} else {
			out.Summary.Failed++
		}
	}
	return answer{status: http.StatusOK, body: out}, nil
}

// invitationJob reads the path's resend job if the caller may see it.
func (h *handlers) invitationJob(c echo.Context) (domain.InvitationJob, error) {
	return scopedJob(c, "invitation job", h.promo.ResendJob, func(j domain.InvitationJob) string { return j.Actor })
}

// getInvitationJob godoc
//
//	@Summary	Get a bulk resend job
//	@ID			getInvitationJob
//	@Tags		invitations
//	@Produce	json
//	@Param		id	path		string	true	"job id"	format(uuid)
//	@Success	200	{object}	InvitationJob
//	@Failure	401	{object}	problem.Problem
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/invitation-jobs/{id} [get]
func (h *handlers) getInvitationJob(c echo.Context) error {
	j, err := h.invitationJob(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, invitationJobOut(j))
}

// listInvitationJobResults godoc
//
//	@Summary	A bulk resend job's per-invitation results
//	@ID			listInvitationJobResults
//	@Tags		invitations
//	@Produce	json
//	@Param		id		path		string	true	"job id"	format(uuid)
//	@Param		limit	query		int		false	"page size (1-500, default 50)"
//	@Param		cursor	query		string	false	"next_cursor of the previous page"
//	@Success	200		{object}	InvitationJobResults
//	@Failure	401		{object}	problem.Problem
//	@Failure	403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404		{object}	problem.Problem
//	@Failure	422		{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/invitation-jobs/{id}/results [get]
func (h *handlers) listInvitationJobResults(c echo.Context) error {
	j, err := h.invitationJob(c)
	if err != nil {
		return err
	}
	read := func(ctx context.Context, after, limit int) ([]domain.ResendItem, bool, error) {
		return h.promo.ResendJobResults(ctx, j.ID, after, limit)
	}
	page, next, err := jobResultsPage(c, read, func(it domain.ResendItem) int { return it.Seq }, func(it domain.ResendItem) InvitationJobResult {
		return InvitationJobResult{InvitationID: it.InvitationID, Status: it.Status, NewInvitationID: it.NewInvitationID, Error: bulkError(it.Error)}
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, InvitationJobResults{Data: page, NextCursor: next})
}
