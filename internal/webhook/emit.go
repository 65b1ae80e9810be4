package webhook

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Event is the body of every delivery.
type Event struct {
	Type      domain.EventType `json:"type"`
	Timestamp time.Time        `json:"timestamp"`
	Data      any              `json:"data"`
}

// TestData is the data of a webhook.test event.
type TestData struct {
	EndpointID uuid.UUID `json:"endpoint_id"`
	Message    string    `json:"message"`
}

func envelope(t domain.EventType, at time.Time, data any) ([]byte, error) {
	return json.Marshal(Event{Type: t, Timestamp: at.UTC(), Data: data})
}

// messageID is a new webhook-id: msg_ and a time-ordered id.
func messageID() string {
	return "msg_" + strings.ReplaceAll(domain.NewID().String(), "-", "")
}

// Emit sends events of type t, one per value in data (the resources as the
// domain holds them), to every enabled endpoint subscribed to t. It runs in
// the caller's transaction: the deliveries and their jobs exist exactly
// when the change commits. With no such endpoint it is one indexed read.
// Without PORTICO_SECRET_KEY it sends nothing: no delivery could be signed,
// and each would fail for days and end by disabling its endpoint.
func (s *Service) Emit(ctx context.Context, t domain.EventType, data ...any) error {
	if s == nil || s.sealer == nil || len(data) == 0 {
		return nil
	}
	endpoints, err := s.db.SubscribedEndpoints(ctx, t)
	if err != nil || len(endpoints) == 0 {
		return err
	}
	now := s.now()
	out := make([]domain.WebhookDelivery, 0, len(endpoints)*len(data))
	for _, v := range data {
		shown, err := s.cfg.Encode(v)
		if err != nil {
			return err
		}
		body, err := envelope(t, now, shown)
		if err != nil {
			return err
		}
		msg := messageID()
		for _, ep := range endpoints {
			out = append(out, domain.WebhookDelivery{ID: domain.NewID(), EndpointID: ep, MessageID: msg, EventType: t,
				Payload: body, Status: domain.WebhookPending, CreatedAt: now})
		}
	}
	return s.db.AddWebhookDeliveries(ctx, out)
}
