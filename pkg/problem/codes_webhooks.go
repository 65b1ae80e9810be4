package problem

// webhookCodes belong to webhook endpoints and their deliveries.
var webhookCodes = []Entry{
	{Code: "webhooks_not_configured", Status: 409, Title: "Webhooks not configured", Topic: TopicWebhooks,
		When:       "A webhook endpoint is created, its secret rotated, a test sent or a delivery retried on a server without PORTICO_SECRET_KEY, the key that encrypts the endpoints' signing secrets.",
		Resolution: "Set PORTICO_SECRET_KEY to 32 random bytes in base64 (openssl rand -base64 32) and restart Portico; keep the key, for endpoints made with it sign only with it."},
	{Code: "webhook_delivery_pending", Status: 409, Title: "Delivery still being attempted", Topic: TopicWebhooks,
		When:       "A delivery is retried by hand while it is still pending: Portico is still attempting it on its retry schedule.",
		Resolution: "Wait for the next attempt (next_attempt_at in the deliveries list) or for the delivery to fail, then retry it; a delivery whose job ended without an outcome is marked failed by the periodic purge within 15 minutes."},
}
