package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// AuditEvent records who changed what.
type AuditEvent struct {
	ID          uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	OccurredAt  time.Time `json:"occurred_at" format:"date-time"`
	Actor       string    `json:"actor" example:"admin-token"`
	Action      string    `json:"action" example:"user.promoted"`
	SubjectType string    `json:"subject_type" example:"user"`
	SubjectID   string    `json:"subject_id"`
	// OrganizationID is the organization the action touched, if any.
	OrganizationID *uuid.UUID     `json:"organization_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	Details        map[string]any `json:"details"`
}

// AuditEventList is one page of audit events, oldest first.
type AuditEventList struct {
	Data       []AuditEvent `json:"data"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

func auditOut(e domain.AuditEvent) AuditEvent {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	return AuditEvent{ID: e.ID, OccurredAt: e.OccurredAt.UTC(), Actor: e.Actor, Action: e.Action,
		SubjectType: e.SubjectType, SubjectID: e.SubjectID, OrganizationID: e.OrganizationID, Details: details}
}

// listAuditEvents godoc
//
//	@Summary	List audit events
//	@ID			listAuditEvents
//	@Tags		audit
//	@Produce	json
//	@Param		subject_id	query		string	false	"the subject's id"
//	@Param		actor		query		string	false	"admin-token, api-key:<name>, user:<id>, anonymous"
//	@Param		action		query		string	false	"e.g. user.promoted"
//	@Param		from		query		string	false	"at or after this time (RFC 3339)"	format(date-time)
//	@Param		to			query		string	false	"before this time (RFC 3339)"		format(date-time)
//	@Param		limit		query		int		false	"page size (1-500, default 50)"
//	@Param		cursor		query		string	false	"next_cursor of the previous page"
//	@Success	200			{object}	AuditEventList
//	@Failure	401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422			{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/audit-events [get]
func (h *handlers) listAuditEvents(c echo.Context) error {
	q := &query{c: c}
	f := domain.AuditFilter{SubjectID: c.QueryParam("subject_id"), Actor: c.QueryParam("actor"),
		Action: c.QueryParam("action"), From: q.time("from"), To: q.time("to")}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	events, more, err := h.dir.AuditEvents(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	var out AuditEventList
	out.Data, out.NextCursor = listOf(events, more, auditOut, func(e domain.AuditEvent) uuid.UUID { return e.ID })
	return c.JSON(http.StatusOK, out)
}
