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

// ContactSelection is "select everything in the current view": the
// filters of the contact list.
type ContactSelection struct {
	OrganizationID     *uuid.UUID `json:"organization_id,omitempty" swaggertype:"string" format:"uuid"`
	AccountID          *uuid.UUID `json:"account_id,omitempty" swaggertype:"string" format:"uuid"`
	OrganizationStatus string     `json:"organization_status,omitempty" validate:"omitempty,oneof=prospective active inactive" enums:"prospective,active,inactive"`
	Kind               string     `json:"kind,omitempty" validate:"omitempty,oneof=partner distributor customer" enums:"partner,distributor,customer"`
	PartnerType        string     `json:"partner_type,omitempty" validate:"max=100"`
	Region             string     `json:"region,omitempty" validate:"max=100"`
	Q                  string     `json:"q,omitempty" validate:"max=200"`
}

// BulkPromoteRequest is the body of POST /api/v1/contacts/promote: one of
// contact_ids, external_ids, emails or filter, and the options of single
// promotion (no email).
type BulkPromoteRequest struct {
	ContactIDs []uuid.UUID `json:"contact_ids,omitempty" swaggertype:"array,string" format:"uuid" validate:"max=10000"`
	// ExternalIDs selects contacts by their CRM id (trimmed).
	ExternalIDs []string `json:"external_ids,omitempty" validate:"max=10000,dive,min=1,max=1000"`
	// Emails selects contacts by email, compared case-insensitively after trimming.
	Emails             []string          `json:"emails,omitempty" validate:"max=10000,dive,min=1,max=1000"`
	Filter             *ContactSelection `json:"filter,omitempty"`
	GroupIDs           []uuid.UUID       `json:"group_ids,omitempty" swaggertype:"array,string" format:"uuid" validate:"max=100"`
	Role               string            `json:"role,omitempty" validate:"omitempty,oneof=member creator admin" enums:"member,creator,admin"`
	ConfirmSmartGroups bool              `json:"confirm_smart_groups,omitempty"`
	DryRun             bool              `json:"dry_run,omitempty"`
	// Async runs even a small selection as a job.
	Async bool `json:"async,omitempty"`
	// InvitationTTL is how long each activation link works: a Go duration ("72h") or a number of seconds; at most PORTICO_INVITATION_MAX_TTL.
	InvitationTTL *TTL `json:"invitation_ttl,omitempty" swaggertype:"string" example:"72h"`
	// Message is a welcome note in every invitation email, plain text.
	Message string `json:"message,omitempty" validate:"max=2000"`
}

// BulkError is why one contact was not promoted.
type BulkError struct {
	Code       string `json:"code" example:"email_taken"`
	Detail     string `json:"detail"`
	Resolution string `json:"resolution,omitempty"`
}

// BulkResult is one contact's outcome.
type BulkResult struct {
	// ContactID is the nil UUID when an email or external id named no single contact (error not_found, ambiguous_email or duplicate_selection).
	ContactID uuid.UUID `json:"contact_id" swaggertype:"string" format:"uuid"`
	// Email is the selecting email as given, when the request selected by emails.
	Email string `json:"email,omitempty"`
	// ExternalID is the selecting external id as given, when the request selected by external_ids.
	ExternalID string     `json:"external_id,omitempty"`
	Status     string     `json:"status" enums:"promoted,failed,would_promote,pending"`
	UserID     *uuid.UUID `json:"user_id,omitempty" swaggertype:"string" format:"uuid"`
	Error      *BulkError `json:"error,omitempty"`
	Warnings   []Warning  `json:"warnings"`
}

// BulkSummary counts a bulk promotion's outcomes: requested is promoted +
// would_promote + failed.
type BulkSummary struct {
	Requested int `json:"requested"`
	// Promoted counts the contacts made users; 0 on a dry run.
	Promoted int `json:"promoted"`
	// WouldPromote counts, on a dry run, the contacts that would be
	// promoted; 0 otherwise.
	WouldPromote int `json:"would_promote"`
	Failed       int `json:"failed"`
}

// BulkPromoteResponse is the synchronous answer of a bulk promotion.
type BulkPromoteResponse struct {
	Results []BulkResult `json:"results"`
	Summary BulkSummary  `json:"summary"`
	DryRun  bool         `json:"dry_run"`
}

// PromotionJob is a bulk promotion running in the background.
type PromotionJob struct {
	ID        uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Status    string    `json:"status" enums:"queued,running,succeeded,failed,cancelled"`
	Total     int       `json:"total"`
	Processed int       `json:"processed"`
	// Promoted counts the contacts made users so far; 0 on a dry run.
	Promoted int `json:"promoted"`
	// WouldPromote counts, on a dry run, the contacts that would be
	// promoted; 0 otherwise.
	WouldPromote int `json:"would_promote"`
	Failed       int `json:"failed"`
	// Progress is processed / total, from 0 to 1.
	Progress   float64    `json:"progress" format:"double"`
	DryRun     bool       `json:"dry_run"`
	Error      string     `json:"error,omitempty"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt  time.Time  `json:"updated_at" format:"date-time"`
	FinishedAt *time.Time `json:"finished_at" format:"date-time" extensions:"x-nullable"`
	// ResultsURL pages through the per-contact results.
	ResultsURL string `json:"results_url"`
}

// PromotionJobResults is one page of a job's per-contact results.
type PromotionJobResults struct {
	Data       []BulkResult `json:"data"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

func jobOut(j domain.PromotionJob) PromotionJob {
	progress := 1.0
	if j.Total > 0 {
		progress = float64(j.Processed) / float64(j.Total)
	}
	return PromotionJob{ID: j.ID, Status: j.Status, Total: j.Total, Processed: j.Processed, Promoted: j.Promoted,
		WouldPromote: j.WouldPromote, Failed: j.Failed, Progress: progress, DryRun: j.Options.DryRun, Error: j.Error, CreatedAt: j.CreatedAt.UTC(),
		UpdatedAt: j.UpdatedAt.UTC(), FinishedAt: utcPtr(j.FinishedAt), ResultsURL: "/api/v1/promotion-jobs/" + j.ID.String() + "/results"}
}

func resultOut(contact uuid.UUID, status string, user *uuid.UUID, err *domain.Error, ws []domain.Warning) BulkResult {
	r := BulkResult{ContactID: contact, Status: status, UserID: user, Warnings: warningsOut(ws)}
	if err != nil {
		r.Error = &BulkError{Code: err.Code, Detail: err.Detail, Resolution: err.Resolution}
	}
	return r
}

func (b BulkPromoteRequest) selection() promotion.Selection {
	switch {
	case len(b.Emails) > 0:
		return promotion.Selection{Emails: b.Emails}
	case len(b.ExternalIDs) > 0:
		return promotion.Selection{ExternalIDs: b.ExternalIDs}
	case b.Filter == nil:
		return promotion.Selection{ContactIDs: b.ContactIDs}
	}
	f := b.Filter
	return promotion.Selection{Filter: &domain.ContactFilter{OrganizationID: f.OrganizationID, AccountID: f.AccountID,
		OrganizationStatus: domain.OrgStatus(f.OrganizationStatus), Kind: domain.OrgKind(f.Kind),
		PartnerType: f.PartnerType, Region: f.Region, Query: f.Q}}
}

// bulkPromote godoc
//
//	@Summary		Promote many contacts
//	@Description	Select contacts by exactly one of contact_ids, external_ids or emails (up to 10,000 each) or filter (the contact list's filters: "everything in the current view"). Emails compare case-insensitively after trimming, external ids after trimming; each result echoes its email or external_id. An unknown value fails as not_found, an email of several contacts as ambiguous_email (the detail names them), a value given twice as duplicate_selection (its first occurrence counts); a contact id given twice counts once. Every contact succeeds or fails on its own with the codes, detail and resolution of single promotion; of two contacts with one email the first wins. Up to 100 contacts answer at once (200; on a dry run each result is would_promote and summary.would_promote counts them, summary.promoted stays 0); larger selections, or async, run as a job (202 with Location).
//	@ID				bulkPromoteContacts
//	@Tags			promotion
//	@Accept			json
//	@Produce		json
//	@Param			Idempotency-Key	header		string				false	"makes a retry safe: the same key and body get the first answer (or the same job) for 24 h"
//	@Param			body			body		BulkPromoteRequest	true	"selection and options"
//	@Success		200				{object}	BulkPromoteResponse	"small selection: every contact's result"
//	@Success		202				{object}	PromotionJob		"large selection: the job"
//	@Header			202				{string}	Location			"the job"
//	@Failure		400				{object}	problem.Problem		"malformed JSON (malformed_json)"
//	@Failure		401				{object}	problem.Problem
//	@Failure		403				{object}	problem.Problem
//	@Failure		404				{object}	problem.Problem	"filter.organization_id names an organization outside the caller's view (not_found)"
//	@Failure		409				{object}	problem.Problem	"idempotency_in_progress"
//	@Failure		422				{object}	problem.Problem	"invalid selection or options (invitation_ttl_invalid, validation_failed), idempotency_key_reused"
//	@Security		BearerAuth
//	@Router			/api/v1/contacts/promote [post]
func (h *handlers) bulkPromote(c echo.Context) error {
	var b BulkPromoteRequest
	body, err := decodeRaw(c, &b)
	if err != nil {
		return err
	}
	if err := b.oneSelector(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := actorOf(c)
	if err := h.checkAssignment(ctx, a, b.GroupIDs, domain.Role(b.Role)); err != nil {
		return err
	}
	inv, err := invitationOptions(b.InvitationTTL, b.Message)
	if err != nil {
		return err
	}
	if err := h.promo.CheckInvitation(inv); err != nil {
		return err
	}
	opts := domain.BulkOptions{GroupIDs: b.GroupIDs, Role: domain.Role(b.Role), ConfirmSmartGroups: b.ConfirmSmartGroups,
		DryRun: b.DryRun, Scope: access.Scope(a), Invitation: inv}
	return h.idempotent(c, body, func() (answer, error) {
		return h.runBulk(ctx, b, opts, a.String())
	})
}

func (h *handlers) runBulk(ctx context.Context, b BulkPromoteRequest, opts domain.BulkOptions, actor string) (answer, error) {
	targets, err := h.promo.Select(ctx, b.selection(), opts.Scope)
	if err != nil {
		return answer{}, err
	}
	if b.Async || len(targets) > h.syncLimit {
		j, err := h.promo.EnqueueTargets(ctx, targets, opts, actor)
		if err != nil {
			return answer{}, err
		}
		return answer{status: http.StatusAccepted, body: jobOut(j), location: "/api/v1/promotion-jobs/" + j.ID.String()}, nil
	}
	results, err := h.promo.PromoteTargets(ctx, targets, opts, actor)
	if err != nil {
		return answer{}, err
	}
	out := BulkPromoteResponse{Results: make([]BulkResult, len(results)), DryRun: opts.DryRun, Summary: BulkSummary{Requested: len(targets)}}
	for i, r := range results {
		out.Results[i] = resultOut(r.ContactID, r.Status, r.UserID, r.Err, r.Warnings)
		out.Results[i].Email, out.Results[i].ExternalID = r.Email, r.ExternalID
		switch r.Status {
		case promotion.ItemFailed:
			out.Summary.Failed++
		case promotion.ItemWouldPromote:
			out.Summary.WouldPromote++
		default:
			out.Summary.Promoted++
		}
	}
	return answer{status: http.StatusOK, body: out}, nil
}

// promotionJob reads the path's promotion job if the caller may see it.
func (h *handlers) promotionJob(c echo.Context) (domain.PromotionJob, error) {
	return scopedJob(c, "promotion job", h.promo.Job, func(j domain.PromotionJob) string { return j.Actor })
}

// getPromotionJob godoc
//
//	@Summary	Get a bulk promotion job
//	@ID			getPromotionJob
//	@Tags		promotion
//	@Produce	json
//	@Param		id	path		string	true	"job id"	format(uuid)
//	@Success	200	{object}	PromotionJob
//	@Failure	401	{object}	problem.Problem
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/promotion-jobs/{id} [get]
func (h *handlers) getPromotionJob(c echo.Context) error {
	j, err := h.promotionJob(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, jobOut(j))
}

// listPromotionJobResults godoc
//
//	@Summary	A bulk promotion job's per-contact results
//	@ID			listPromotionJobResults
//	@Tags		promotion
//	@Produce	json
//	@Param		id		path		string	true	"job id"	format(uuid)
//	@Param		limit	query		int		false	"page size (1-500, default 50)"
//	@Param		cursor	query		string	false	"next_cursor of the previous page"
//	@Success	200		{object}	PromotionJobResults
//	@Failure	401		{object}	problem.Problem
//	@Failure	403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404		{object}	problem.Problem
//	@Failure	422		{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/promotion-jobs/{id}/results [get]
func (h *handlers) listPromotionJobResults(c echo.Context) error {
	j, err := h.promotionJob(c)
	if err != nil {
		return err
	}
	read := func(ctx context.Context, after, limit int) ([]domain.JobItem, bool, error) {
		return h.promo.JobResults(ctx, j.ID, after, limit)
	}
	page, next, err := jobResultsPage(c, read, func(it domain.JobItem) int { return it.Seq }, func(it domain.JobItem) BulkResult {
		r := resultOut(it.ContactID, it.Status, it.UserID, it.Error, it.Warnings)
		r.Email, r.ExternalID = it.Email, it.ExternalID
		return r
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PromotionJobResults{Data: page, NextCursor: next})
}

// cancelPromotionJob godoc
//
//	@Summary		Cancel a bulk promotion job
//	@Description	The job stops before its next batch; contacts promoted so far stay promoted.
//	@ID				cancelPromotionJob
//	@Tags			promotion
//	@Produce		json
//	@Param			id	path		string	true	"job id"	format(uuid)
//	@Success		200	{object}	PromotionJob
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"the job has finished (job_finished)"
//	@Security		BearerAuth
//	@Router			/api/v1/promotion-jobs/{id}/cancel [post]
func (h *handlers) cancelPromotionJob(c echo.Context) error {
	j, err := h.promotionJob(c)
	if err != nil {
		return err
	}
	if j, err = h.promo.CancelJob(c.Request().Context(), j.ID, actorOf(c).String()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, jobOut(j))
}

// oneSelector requires exactly one of the four ways to select contacts; an
// empty list selects nothing and counts as not given.
func (b BulkPromoteRequest) oneSelector() error {
	var given []string
	for _, sel := range []struct {
		name string
		set  bool
	}{{"filter", b.Filter != nil}, {"contact_ids", len(b.ContactIDs) > 0}, {"external_ids", len(b.ExternalIDs) > 0}, {"emails", len(b.Emails) > 0}} {
		if sel.set {
			given = append(given, sel.name)
		}
	}
	switch len(given) {
	case 0:
		return domain.Invalid("validation_failed", "the request body has invalid fields", domain.FieldError{Field: "contact_ids", Code: "required",
			Message: "select contacts with one of contact_ids, external_ids, emails or filter"})
	case 1:
		return nil
	}
	fields := make([]domain.FieldError, 0, len(given)-1)
	for _, name := range given[1:] {
		fields = append(fields, domain.FieldError{Field: name, Code: "not_allowed",
			Message: name + " cannot be sent together with " + given[0] + "; select contacts one way only"})
	}
	return domain.Invalid("validation_failed", "the request body has invalid fields", fields...)
}
