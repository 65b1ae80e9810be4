package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/webhook"
)

// WebhookEndpoint is a receiver of webhook events, without its secret.
type WebhookEndpoint struct {
	ID  uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	URL string    `json:"url" example:"https://crm.example.com/hooks/portico"`
	// Events are the subscribed event types; ["*"] is every type.
	Events      []string `json:"events" example:"user.promoted,user.activated"`
	Description string   `json:"description"`
	Enabled     bool     `json:"enabled"`
	// DisabledReason says why Portico disabled the endpoint itself (it
	// answered 410 Gone, or failed for three days); empty otherwise.
	DisabledReason string `json:"disabled_reason,omitempty" example:"the endpoint answered 410 Gone"`
	// PreviousSecretExpiresAt is, after a rotation, when the previous
	// secret stops signing (null when only one secret signs).
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at" format:"date-time" extensions:"x-nullable"`
	CreatedAt               time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt               time.Time  `json:"updated_at" format:"date-time"`
	Version                 int64      `json:"-"`
}

func (e WebhookEndpoint) etag() int64 { return e.Version }

// WebhookEndpointCreated is a new endpoint, or one whose secret was just
// rotated; Secret is shown only in this answer.
type WebhookEndpointCreated struct {
	WebhookEndpoint
	// Secret signs every delivery (Standard Webhooks: whsec_ and base64).
	Secret string `json:"secret" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
}

// WebhookEndpointList is one page of endpoints.
type WebhookEndpointList struct {
	Data       []WebhookEndpoint `json:"data"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// WebhookEndpointCreate is the body of POST /api/v1/webhook-endpoints.
type WebhookEndpointCreate struct {
	// URL receives the events: http or https, on a public address.
	URL string `json:"url" validate:"required,max=2000" example:"https://crm.example.com/hooks/portico"`
	// Events to subscribe to; empty or ["*"] is every type.
	Events      []string `json:"events,omitempty" validate:"max=50,dive,max=100" example:"user.promoted,user.activated"`
	Description string   `json:"description,omitempty" validate:"max=500"`
	// Enabled defaults to true.
	Enabled *bool `json:"enabled,omitempty"`
}

// WebhookEndpointPatch is the body of PATCH /api/v1/webhook-endpoints/{id}.
type WebhookEndpointPatch struct {
	URL         *string   `json:"url,omitempty" validate:"omitnil,max=2000"`
	Events      *[]string `json:"events,omitempty" validate:"omitnil,max=50,dive,max=100"`
	Description *string   `json:"description,omitempty" validate:"omitnil,max=500"`
	// Enabled: true re-enables an endpoint Portico disabled.
	Enabled *bool `json:"enabled,omitempty"`
}

// WebhookDelivery is one event on its way to one endpoint.
type WebhookDelivery struct {
	ID uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	// WebhookID is the webhook-id header, the same on every attempt.
	WebhookID string `json:"webhook_id" example:"msg_0193e0f2a4c87d3e9b1f6a2c5d8e4b70"`
	EventType string `json:"event_type" example:"user.promoted"`
	// Status: pending (not delivered yet, perhaps retrying), succeeded (2xx), failed (given up).
	Status   string `json:"status" enums:"pending,succeeded,failed"`
	Attempts int    `json:"attempts"`
	// LastResponseCode is the HTTP status of the last attempt (null: none, or no answer).
	LastResponseCode *int `json:"last_response_code" extensions:"x-nullable"`
	// LastLatencyMS is how long the last attempt took, in milliseconds.
	LastLatencyMS *int   `json:"last_latency_ms" extensions:"x-nullable"`
	LastError     string `json:"last_error"`
	// ResponseExcerpt is the start (at most 512 bytes) of the last answer's body.
	ResponseExcerpt string     `json:"response_excerpt"`
	NextAttemptAt   *time.Time `json:"next_attempt_at" format:"date-time" extensions:"x-nullable"`
	CreatedAt       time.Time  `json:"created_at" format:"date-time"`
	FinishedAt      *time.Time `json:"finished_at" format:"date-time" extensions:"x-nullable"`
}

// WebhookDeliveryList is one page of an endpoint's deliveries.
type WebhookDeliveryList struct {
	Data       []WebhookDelivery `json:"data"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

func webhookEndpointOut(e domain.WebhookEndpoint) WebhookEndpoint {
	var prev *time.Time
	if e.PreviousSecret != "" && e.PreviousUntil != nil && e.PreviousUntil.After(time.Now()) {
		prev = utcPtr(e.PreviousUntil)
	}
	return WebhookEndpoint{ID: e.ID, URL: e.URL, Events: e.Events, Description: e.Description, Enabled: e.Enabled,
		DisabledReason: e.DisabledReason, PreviousSecretExpiresAt: prev, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
		Version: e.Version}
}

func webhookEndpointID(e domain.WebhookEndpoint) uuid.UUID { return e.ID }

func webhookDeliveryOut(d domain.WebhookDelivery) WebhookDelivery {
	return WebhookDelivery{ID: d.ID, WebhookID: d.MessageID, EventType: string(d.EventType), Status: string(d.Status),
		Attempts: d.Attempts, LastResponseCode: d.LastStatus, LastLatencyMS: d.LastLatencyMS, LastError: d.LastError,
		ResponseExcerpt: d.ResponseExcerpt, NextAttemptAt: utcPtr(d.NextAttemptAt), CreatedAt: d.CreatedAt.UTC(),
		FinishedAt: utcPtr(d.FinishedAt)}
}

func webhookDeliveryID(d domain.WebhookDelivery) uuid.UUID { return d.ID }

// listWebhookEndpoints godoc
//
//	@Summary	List webhook endpoints
//	@ID			listWebhookEndpoints
//	@Tags		webhooks
//	@Produce	json
//	@Param		limit	query		int		false	"page size (1-500, default 50)"
//	@Param		cursor	query		string	false	"next_cursor of the previous page"
//	@Success	200		{object}	WebhookEndpointList
//	@Failure	401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure	422		{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/webhook-endpoints [get]
func (h *handlers) listWebhookEndpoints(c echo.Context) error {
	q := &query{c: c}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, more, err := h.hooks.List(c.Request().Context(), p)
	if err != nil {
		return err
	}
	data, next := listOf(items, more, webhookEndpointOut, webhookEndpointID)
	return c.JSON(http.StatusOK, WebhookEndpointList{Data: data, NextCursor: next})
}

// createWebhookEndpoint godoc
//
//	@Summary		Create a webhook endpoint
//	@Description	The signing secret is shown once, in this answer; Portico keeps it encrypted with PORTICO_SECRET_KEY. The URL must be http(s) and resolve to public addresses only (unless PORTICO_WEBHOOK_ALLOW_PRIVATE=true).
//	@ID				createWebhookEndpoint
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Param			body	body		WebhookEndpointCreate	true	"url, events, description, enabled"
//	@Success		201		{object}	WebhookEndpointCreated
//	@Header			201		{string}	ETag			"the version"
//	@Failure		400		{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		409		{object}	problem.Problem	"PORTICO_SECRET_KEY is not set (webhooks_not_configured)"
//	@Failure		422		{object}	problem.Problem	"invalid fields, an unknown event type, or a URL on a private address"
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints [post]
func (h *handlers) createWebhookEndpoint(c echo.Context) error {
	var b WebhookEndpointCreate
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	events := b.Events
	e, secret, err := h.hooks.Create(c.Request().Context(),
		webhook.Input{URL: &b.URL, Events: &events, Description: &b.Description, Enabled: b.Enabled}, actorOf(c).String())
	if err != nil {
		return err
	}
	return created(c, "/api/v1/webhook-endpoints/"+e.ID.String(), e.Version,
		WebhookEndpointCreated{WebhookEndpoint: webhookEndpointOut(e), Secret: secret})
}

// getWebhookEndpoint godoc
//
//	@Summary	Get a webhook endpoint
//	@ID			getWebhookEndpoint
//	@Tags		webhooks
//	@Produce	json
//	@Param		id	path		string	true	"endpoint id"	format(uuid)
//	@Success	200	{object}	WebhookEndpoint
//	@Header		200	{string}	ETag			"the version"
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/webhook-endpoints/{id} [get]
func (h *handlers) getWebhookEndpoint(c echo.Context) error {
	return getOne(c, "webhook endpoint", h.hooks.Get, webhookEndpointOut)
}

// updateWebhookEndpoint godoc
//
//	@Summary		Update a webhook endpoint
//	@Description	Merge patch. enabled: true re-enables an endpoint Portico disabled (410 Gone, or failing for three days).
//	@ID				updateWebhookEndpoint
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"endpoint id"	format(uuid)
//	@Param			If-Match	header		string					false	"the ETag of the version read"
//	@Param			body		body		WebhookEndpointPatch	true	"fields to change"
//	@Success		200			{object}	WebhookEndpoint
//	@Header			200			{string}	ETag			"the version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"If-Match does not match (precondition_failed)"
//	@Failure		422			{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints/{id} [patch]
func (h *handlers) updateWebhookEndpoint(c echo.Context) error {
	update := func(ctx context.Context, id uuid.UUID, version int64, b WebhookEndpointPatch, nulls map[string]bool) (domain.WebhookEndpoint, error) {
		if nulls["description"] {
			b.Description = new(string)
		}
		if nulls["events"] {
			b.Events = &[]string{} // every event
		}
		return h.hooks.Update(ctx, id, version,
			webhook.Input{URL: b.URL, Events: b.Events, Description: b.Description, Enabled: b.Enabled}, actorOf(c).String())
	}
	return patchOne(c, "webhook endpoint", update, webhookEndpointOut)
}

// deleteWebhookEndpoint godoc
//
//	@Summary		Delete a webhook endpoint
//	@Description	Its deliveries go with it; those not yet delivered are not sent.
//	@ID				deleteWebhookEndpoint
//	@Tags			webhooks
//	@Param			id	path	string	true	"endpoint id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints/{id} [delete]
func (h *handlers) deleteWebhookEndpoint(c echo.Context) error {
	id, err := pathID(c, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	if err := h.hooks.Delete(c.Request().Context(), id, actorOf(c).String()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
