package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// rotateWebhookSecret godoc
//
//	@Summary		Rotate a webhook endpoint's signing secret
//	@Description	The new secret is shown once, in this answer. For 24 hours the previous secret keeps signing too: webhook-signature then carries two signatures (space-separated), and a receiver holding either secret verifies the delivery. Rotating again within the grace period drops the oldest secret.
//	@ID				rotateWebhookSecret
//	@Tags			webhooks
//	@Produce		json
//	@Param			id	path		string	true	"endpoint id"	format(uuid)
//	@Success		200	{object}	WebhookEndpointCreated
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"PORTICO_SECRET_KEY is not set (webhooks_not_configured)"
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints/{id}/rotate-secret [post]
func (h *handlers) rotateWebhookSecret(c echo.Context) error {
	id, err := pathID(c, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	e, secret, err := h.hooks.Rotate(c.Request().Context(), id, actorOf(c).String())
	if err != nil {
		return err
	}
	return withETag(c, http.StatusOK, e.Version, WebhookEndpointCreated{WebhookEndpoint: webhookEndpointOut(e), Secret: secret})
}

// testWebhookEndpoint godoc
//
//	@Summary		Send a test event
//	@Description	Queues a webhook.test event to the endpoint, whatever it subscribes to; follow it in the deliveries.
//	@ID				testWebhookEndpoint
//	@Tags			webhooks
//	@Produce		json
//	@Param			id	path		string	true	"endpoint id"	format(uuid)
//	@Success		202	{object}	WebhookDelivery
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"PORTICO_SECRET_KEY is not set (webhooks_not_configured)"
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints/{id}/test [post]
func (h *handlers) testWebhookEndpoint(c echo.Context) error {
	id, err := pathID(c, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	d, err := h.hooks.Test(c.Request().Context(), id, actorOf(c).String())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, webhookDeliveryOut(d))
}

// listWebhookDeliveries godoc
//
//	@Summary		List an endpoint's deliveries
//	@Description	Oldest first. Finished deliveries are kept for 30 days.
//	@ID				listWebhookDeliveries
//	@Tags			webhooks
//	@Produce		json
//	@Param			id		path		string	true	"endpoint id"	format(uuid)
//	@Param			limit	query		int		false	"page size (1-500, default 50)"
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	WebhookDeliveryList
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem	"invalid query parameters"
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints/{id}/deliveries [get]
func (h *handlers) listWebhookDeliveries(c echo.Context) error {
	id, err := pathID(c, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	q := &query{c: c}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, more, err := h.hooks.Deliveries(c.Request().Context(), id, p)
	if err != nil {
		return err
	}
	data, next := listOf(items, more, webhookDeliveryOut, webhookDeliveryID)
	return c.JSON(http.StatusOK, WebhookDeliveryList{Data: data, NextCursor: next})
}

// retryWebhookDelivery godoc
//
//	@Summary		Retry a delivery
//	@Description	Sends a finished delivery (succeeded or failed) again, with the same webhook-id, on the retry schedule from its first attempt.
//	@ID				retryWebhookDelivery
//	@Tags			webhooks
//	@Produce		json
//	@Param			id			path		string	true	"endpoint id"	format(uuid)
//	@Param			delivery_id	path		string	true	"delivery id"	format(uuid)
//	@Success		202			{object}	WebhookDelivery
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem	"the delivery is still being attempted (webhook_delivery_pending), or PORTICO_SECRET_KEY is not set (webhooks_not_configured)"
//	@Security		BearerAuth
//	@Router			/api/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry [post]
func (h *handlers) retryWebhookDelivery(c echo.Context) error {
	id, err := pathID(c, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	did, err := pathID(c, "delivery_id", "webhook delivery")
	if err != nil {
		return err
	}
	d, err := h.hooks.Retry(c.Request().Context(), id, did, actorOf(c).String())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, webhookDeliveryOut(d))
}
