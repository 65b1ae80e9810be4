package main

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/portico/portico/internal/domain"
)

// eventData names, per webhook event type, the component its data is (the
// resource as the API shows it) and when it is sent. OpenAPI 3.0 has no
// webhooks section: each event's body becomes a component, and x-webhooks
// (read by Redocly and others) lists them as the POSTs a receiver takes.
var eventData = map[domain.EventType]struct{ schema, when string }{
	domain.EventUserPromoted:          {"User", "a contact was promoted (single or bulk); the user is pending"},
	domain.EventUserActivated:         {"User", "a pending user set a password through the activation link"},
	domain.EventUserDemoted:           {"Contact", "a user was demoted back to a contact"},
	domain.EventUserDisabled:          {"User", "a user's status became disabled or inactive"},
	domain.EventUserEnabled:           {"User", "a disabled or inactive user became active again"},
	domain.EventInvitationSent:        {"Invitation", "an invitation was sent (promotion, resend, bulk resend)"},
	domain.EventInvitationRevoked:     {"Invitation", "an administrator or primary contact revoked an invitation"},
	domain.EventInvitationExpired:     {"Invitation", "a pending invitation ran out"},
	domain.EventOrganizationCreated:   {"Organization", "an organization was created, by the API or converted from an account at promotion"},
	domain.EventPromotionJobCompleted: {"PromotionJob", "a bulk promotion job ended: succeeded, failed or cancelled"},
	domain.EventImportJobCompleted:    {"ImportJob", "an import job ended: succeeded, failed or cancelled"},
	domain.EventWebhookTest:           {"WebhookTestData", "POST /api/v1/webhook-endpoints/{id}/test was called"},
}

// webhookEvents adds one component per event type, {type, timestamp,
// data}, and x-webhooks.
func webhookEvents(doc *openapi3.T) error {
	schemas := doc.Components.Schemas
	schemas["WebhookTestData"] = openapi3.NewSchemaRef("", openapi3.NewObjectSchema().
		WithProperty("endpoint_id", openapi3.NewUUIDSchema()).WithProperty("message", openapi3.NewStringSchema()).
		WithRequired([]string{"endpoint_id", "message"}))
	hooks := map[string]any{}
	for _, t := range domain.EventTypes {
		ev, ok := eventData[t]
		if !ok {
			return fmt.Errorf("webhook event %s has no data schema in cmd/openapi/webhooks.go", t)
		}
		var data *openapi3.SchemaRef
		if known, ok := schemas[ev.schema]; ok {
			data = openapi3.NewSchemaRef("#/components/schemas/"+ev.schema, known.Value)
		} else {
			// a resource whose own schema this document does not have yet
			data = openapi3.NewSchemaRef("", openapi3.NewObjectSchema().WithAnyAdditionalProperties())
			data.Value.Description = "the " + ev.schema + " as the API shows it"
		}
		body := openapi3.NewObjectSchema().
			WithProperty("type", openapi3.NewStringSchema().WithEnum(string(t))).
			WithPropertyRef("timestamp", openapi3.NewSchemaRef("", openapi3.NewDateTimeSchema())).
			WithPropertyRef("data", data).
			WithRequired([]string{"type", "timestamp", "data"})
		body.Description = "Webhook event " + string(t) + ": sent when " + ev.when + "."
		name := eventSchemaName(t)
		schemas[name] = openapi3.NewSchemaRef("", body)
		hooks[string(t)] = map[string]any{"post": map[string]any{
			"operationId": "on" + strings.TrimSuffix(name, "Event"),
			"summary":     string(t),
			"description": body.Description + " Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); any 2xx acknowledges it.",
			"requestBody": map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + name}}}},
			"responses": map[string]any{"2XX": map[string]any{"description": "received"}},
		}}
	}
	if doc.Extensions == nil {
		doc.Extensions = map[string]any{}
	}
	doc.Extensions["x-webhooks"] = hooks
	return nil
}

// eventSchemaName is the component of an event's body: user.promoted is
// UserPromotedEvent.
func eventSchemaName(t domain.EventType) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(string(t), func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Event"
}
