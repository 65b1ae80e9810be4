package webhook

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Input is a new endpoint, or (pointers) a change to one.
type Input struct {
	URL         *string
	Events      *[]string // empty: every event
	Description *string
	Enabled     *bool
}

// Create stores an endpoint and returns it with its signing secret, which
// is shown only now.
func (s *Service) Create(ctx context.Context, in Input, actor string) (domain.WebhookEndpoint, string, error) {
	if err := s.configured(); err != nil {
		return domain.WebhookEndpoint{}, "", err
	}
	now := s.now()
	e := domain.WebhookEndpoint{ID: domain.NewID(), Enabled: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.URL == nil {
		return e, "", domain.Invalid("validation_failed", "url is required", domain.FieldError{Field: "url", Code: "required", Message: "url is required"})
	}
	if in.Events == nil {
		in.Events = &[]string{}
	}
	if err := s.checkTarget(ctx, in); err != nil {
		return e, "", err
	}
	if err := s.change(&e, in); err != nil {
		return e, "", err
	}
	secret := newSecret()
	e.Secret = s.sealer.seal(secret, e.ID)
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		return s.audit(ctx, actor, "webhook_endpoint.created", e, map[string]any{"url": e.URL, "events": e.Events})
	})
	return e, secret, err
}

// checkTarget applies the target rules to a new URL. It looks the host up
// (up to 5 s), so it runs before the transaction, which it would hold.
func (s *Service) checkTarget(ctx context.Context, in Input) error {
	if in.URL == nil {
		return nil
	}
	return s.guard.checkURL(ctx, *in.URL)
}

// change applies in to e, checking every field but the URL (checkTarget).
func (s *Service) change(e *domain.WebhookEndpoint, in Input) error {
	if in.URL != nil {
		e.URL = *in.URL
	}
	if in.Events != nil {
		events, err := subscription(*in.Events)
		if err != nil {
			return err
		}
		e.Events = events
	}
	if in.Description != nil {
		e.Description = *in.Description
	}
	if in.Enabled != nil {
		if *in.Enabled && !e.Enabled {
			e.FailingSince = nil // a fresh start: the failure clock restarts
		}
		e.Enabled = *in.Enabled
		e.DisabledReason = ""
	}
	return nil
}

// subscription checks the event types and settles "every event".
func subscription(events []string) ([]string, error) {
	if len(events) == 0 || slices.Contains(events, domain.AllEvents) {
		return []string{domain.AllEvents}, nil
	}
	for i, ev := range events {
		if !domain.KnownEvent(ev) {
			msg := fmt.Sprintf("%q is not an event type; see docs/webhooks.md for the list, or send [\"*\"] for every event", ev)
			return nil, domain.Invalid("validation_failed", "events: "+msg,
				domain.FieldError{Field: fmt.Sprintf("events[%d]", i), Code: "oneof", Message: msg})
		}
	}
	out := slices.Clone(events)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Update changes an endpoint; ifMatch (when not 0) must be its version.
func (s *Service) Update(ctx context.Context, id uuid.UUID, ifMatch int64, in Input, actor string) (domain.WebhookEndpoint, error) {
	var e domain.WebhookEndpoint
	if err := s.checkTarget(ctx, in); err != nil {
		return e, err
	}
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if e, err = s.db.GetWebhookEndpoint(ctx, id, true); err != nil {
			return err
		}
		if ifMatch != 0 && ifMatch != e.Version {
			return domain.PreconditionFailed()
		}
		if err := s.change(&e, in); err != nil {
			return err
		}
		e.Version++
		e.UpdatedAt = s.now()
		if err := s.db.SaveWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		return s.audit(ctx, actor, "webhook_endpoint.updated", e, map[string]any{"url": e.URL, "events": e.Events, "enabled": e.Enabled})
	})
	return e, err
}

// Rotate gives an endpoint a new signing secret, returned only now; the
// previous one keeps signing (a second signature) for the grace period.
func (s *Service) Rotate(ctx context.Context, id uuid.UUID, actor string) (domain.WebhookEndpoint, string, error) {
	if err := s.configured(); err != nil {
		return domain.WebhookEndpoint{}, "", err
	}
	var e domain.WebhookEndpoint
	secret := newSecret()
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if e, err = s.db.GetWebhookEndpoint(ctx, id, true); err != nil {
			return err
		}
		now := s.now()
		until := now.Add(s.cfg.RotationGrace)
		e.PreviousSecret, e.PreviousUntil = e.Secret, &until
		e.Secret = s.sealer.seal(secret, e.ID)
		e.Version++
		e.UpdatedAt = now
		if err := s.db.SaveWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		return s.audit(ctx, actor, "webhook_endpoint.secret_rotated", e, map[string]any{"previous_valid_until": until})
	})
	return e, secret, err
}

// Get reads one endpoint.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (domain.WebhookEndpoint, error) {
	return s.db.GetWebhookEndpoint(ctx, id, false)
}

// List returns one page of endpoints.
func (s *Service) List(ctx context.Context, p domain.Page) ([]domain.WebhookEndpoint, bool, error) {
	return s.db.ListWebhookEndpoints(ctx, p)
}

// Delete removes an endpoint with its deliveries.
func (s *Service) Delete(ctx context.Context, id uuid.UUID, actor string) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		e, err := s.db.GetWebhookEndpoint(ctx, id, true)
		if err != nil {
			return err
		}
		if err := s.db.DeleteWebhookEndpoint(ctx, id); err != nil {
			return err
		}
		return s.audit(ctx, actor, "webhook_endpoint.deleted", e, map[string]any{"url": e.URL})
	})
}

// Deliveries returns one page of an endpoint's deliveries.
func (s *Service) Deliveries(ctx context.Context, id uuid.UUID, p domain.Page) ([]domain.WebhookDelivery, bool, error) {
	if _, err := s.db.GetWebhookEndpoint(ctx, id, false); err != nil {
		return nil, false, err
	}
	return s.db.ListWebhookDeliveries(ctx, id, p)
}

// Retry sends a finished delivery again, with the same webhook-id, and
// records who asked (webhook_endpoint.delivery_retried).
func (s *Service) Retry(ctx context.Context, endpoint, delivery uuid.UUID, actor string) (domain.WebhookDelivery, error) {
	if err := s.configured(); err != nil {
		return domain.WebhookDelivery{}, err
	}
	var d domain.WebhookDelivery
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if d, err = s.db.RequeueWebhookDelivery(ctx, endpoint, delivery); err != nil {
			return err
		}
		return s.audit(ctx, actor, "webhook_endpoint.delivery_retried", domain.WebhookEndpoint{ID: endpoint},
			map[string]any{"delivery_id": d.ID, "webhook_id": d.MessageID})
	})
	return d, err
}

// Test sends a webhook.test event to one endpoint, subscribed to it or
// not, and records who asked (webhook_endpoint.test_sent).
func (s *Service) Test(ctx context.Context, id uuid.UUID, actor string) (domain.WebhookDelivery, error) {
	if err := s.configured(); err != nil {
		return domain.WebhookDelivery{}, err
	}
	var d domain.WebhookDelivery
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		e, err := s.db.GetWebhookEndpoint(ctx, id, false)
		if err != nil {
			return err
		}
		now := s.now()
		body, err := envelope(domain.EventWebhookTest, now, TestData{EndpointID: e.ID,
			Message: "A test event from Portico; the endpoint receives events of its subscribed types like this one."})
		if err != nil {
			return err
		}
		d = domain.WebhookDelivery{ID: domain.NewID(), EndpointID: e.ID, MessageID: messageID(), EventType: domain.EventWebhookTest,
			Payload: body, Status: domain.WebhookPending, CreatedAt: now}
		if err := s.db.AddWebhookDeliveries(ctx, []domain.WebhookDelivery{d}); err != nil {
			return err
		}
		return s.audit(ctx, actor, "webhook_endpoint.test_sent", e, map[string]any{"delivery_id": d.ID, "webhook_id": d.MessageID})
	})
	return d, err
}

func (s *Service) audit(ctx context.Context, actor, action string, e domain.WebhookEndpoint, details map[string]any) error {
	return s.db.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: action, SubjectType: "webhook_endpoint",
		SubjectID: e.ID.String(), Details: details})
}
