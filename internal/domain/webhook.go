package domain

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// EventType names a webhook event; the names are stable across releases.
type EventType string

// The webhook event types.
const (
	EventUserPromoted          EventType = "user.promoted"
	EventUserActivated         EventType = "user.activated"
	EventUserDemoted           EventType = "user.demoted"
	EventUserDisabled          EventType = "user.disabled"
	EventUserEnabled           EventType = "user.enabled"
	EventInvitationSent        EventType = "invitation.sent"
	EventInvitationRevoked     EventType = "invitation.revoked"
	EventInvitationExpired     EventType = "invitation.expired"
	EventOrganizationCreated   EventType = "organization.created"
	EventPromotionJobCompleted EventType = "promotion_job.completed"
	EventImportJobCompleted    EventType = "import_job.completed"
	EventWebhookTest           EventType = "webhook.test"
)

// AllEvents is the subscription to every event type.
const AllEvents = "*"

// EventTypes lists every event type an endpoint may subscribe to, in the
// order the docs show them.
var EventTypes = []EventType{EventUserPromoted, EventUserActivated, EventUserDemoted, EventUserDisabled,
	EventUserEnabled, EventInvitationSent, EventInvitationRevoked, EventInvitationExpired,
	EventOrganizationCreated, EventPromotionJobCompleted, EventImportJobCompleted, EventWebhookTest}

// KnownEvent reports whether s names an event type or all of them.
func KnownEvent(s string) bool {
	return s == AllEvents || slices.Contains(EventTypes, EventType(s))
}

// WebhookEndpoint is a receiver of webhook events. Its secrets are held
// sealed (encrypted); only the webhook package opens them.
type WebhookEndpoint struct {
	ID          uuid.UUID
	URL         string
	Description string
	// Events are the subscribed types; AllEvents alone subscribes to all.
	Events  []string
	Enabled bool
	// DisabledReason says why Portico disabled the endpoint itself (410
	// Gone, failing for too long); empty when enabled or disabled by hand.
	DisabledReason string
	Secret         string // sealed
	// PreviousSecret (sealed) still signs until PreviousUntil, after a rotation.
	PreviousSecret string
	PreviousUntil  *time.Time
	// FailingSince is the first failed attempt since the last success.
	FailingSince *time.Time
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Subscribes reports whether the endpoint wants events of type t.
func (e WebhookEndpoint) Subscribes(t EventType) bool {
	return slices.Contains(e.Events, AllEvents) || slices.Contains(e.Events, string(t))
}

// WebhookDeliveryStatus is where a webhook delivery is.
type WebhookDeliveryStatus string

// The delivery statuses.
const (
	WebhookPending   WebhookDeliveryStatus = "pending"   // not delivered yet, perhaps retrying
	WebhookSucceeded WebhookDeliveryStatus = "succeeded" // the endpoint answered 2xx
	WebhookFailed    WebhookDeliveryStatus = "failed"    // every attempt failed, or the endpoint is gone
)

// WebhookDelivery is one event on its way to one endpoint.
type WebhookDelivery struct {
	ID         uuid.UUID
	EndpointID uuid.UUID
	// MessageID is the webhook-id header: the event's id, the same on every
	// attempt, so that receivers can drop duplicates.
	MessageID string
	EventType EventType
	Payload   []byte // the body, as signed
	Status    WebhookDeliveryStatus
	Attempts  int
	// LastStatus is the HTTP status of the last attempt (nil: no answer).
	LastStatus    *int
	LastLatencyMS *int
	LastError     string
	// ResponseExcerpt is the start of the last answer's body.
	ResponseExcerpt string
	NextAttemptAt   *time.Time
	CreatedAt       time.Time
	FinishedAt      *time.Time
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	Status    *int // the HTTP status; nil when no answer came
	Latency   time.Duration
	Error     string
	Excerpt   string
	Succeeded bool
	// Next is when River tries again; nil when this was the last attempt.
	Next *time.Time
	At   time.Time
}

// DeliverWebhook works one delivery attempt.
type DeliverWebhook struct {
	DeliveryID uuid.UUID `json:"delivery_id"`
}

// Kind names the job kind.
func (DeliverWebhook) Kind() string { return "webhook_delivery" }
