package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

type webhookEndpointRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	URL            string
	Description    string
	Enabled        bool
	DisabledReason string
	Secret         string
	PreviousSecret string
	PreviousUntil  *time.Time
	FailingSince   *time.Time
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (webhookEndpointRow) TableName() string { return "webhook_endpoints" }

type webhookSubscriptionRow struct {
	EndpointID uuid.UUID `gorm:"primaryKey"`
	EventType  string    `gorm:"primaryKey"`
}

func (webhookSubscriptionRow) TableName() string { return "webhook_subscriptions" }

func fromEndpoint(e domain.WebhookEndpoint) webhookEndpointRow {
	return webhookEndpointRow{ID: e.ID, URL: e.URL, Description: e.Description, Enabled: e.Enabled,
		DisabledReason: e.DisabledReason, Secret: e.Secret, PreviousSecret: e.PreviousSecret,
		PreviousUntil: e.PreviousUntil, FailingSince: e.FailingSince, Version: e.Version,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

func toEndpoint(r webhookEndpointRow, events []string) domain.WebhookEndpoint {
	return domain.WebhookEndpoint{ID: r.ID, URL: r.URL, Description: r.Description, Events: events, Enabled: r.Enabled,
		DisabledReason: r.DisabledReason, Secret: r.Secret, PreviousSecret: r.PreviousSecret,
		PreviousUntil: utc(r.PreviousUntil), FailingSince: utc(r.FailingSince), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateWebhookEndpoint stores a new endpoint and its subscriptions.
func (d *DB) CreateWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint) error {
	return d.WithinTx(ctx, func(ctx context.Context) error {
		row := fromEndpoint(e)
		if err := d.conn(ctx).Create(&row).Error; err != nil {
			return err
		}
		return d.subscribe(ctx, e.ID, e.Events)
	})
}

func (d *DB) subscribe(ctx context.Context, id uuid.UUID, events []string) error {
	if err := d.conn(ctx).Where("endpoint_id = ?", id).Delete(&webhookSubscriptionRow{}).Error; err != nil {
		return err
	}
	rows := make([]webhookSubscriptionRow, len(events))
	for i, ev := range events {
		rows[i] = webhookSubscriptionRow{EndpointID: id, EventType: ev}
	}
	return insertAll(ctx, d, rows)
}

// SaveWebhookEndpoint writes every field of an existing endpoint and
// replaces its subscriptions.
func (d *DB) SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint) error {
	return d.WithinTx(ctx, func(ctx context.Context) error {
		row := fromEndpoint(e)
		res := d.conn(ctx).Select("*").Where("id = ?", e.ID).Updates(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("webhook endpoint", e.ID.String())
		}
		return d.subscribe(ctx, e.ID, e.Events)
	})
}

// GetWebhookEndpoint reads an endpoint; lock holds it until the
// transaction ends.
func (d *DB) GetWebhookEndpoint(ctx context.Context, id uuid.UUID, lock bool) (domain.WebhookEndpoint, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var r webhookEndpointRow
	if err := q.Take(&r, "id = ?", id).Error; err != nil {
		return domain.WebhookEndpoint{}, notFound(err, "webhook endpoint", id.String())
	}
	events, err := d.subscriptions(ctx, []uuid.UUID{id})
	return toEndpoint(r, events[id]), err
}

func (d *DB) subscriptions(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]string, error) {
	var rows []webhookSubscriptionRow
	if err := d.conn(ctx).Where("endpoint_id IN ?", ids).Order("event_type").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID][]string, len(ids))
	for _, r := range rows {
		out[r.EndpointID] = append(out[r.EndpointID], r.EventType)
	}
	return out, nil
}

// ListWebhookEndpoints returns one page of endpoints, oldest first.
func (d *DB) ListWebhookEndpoints(ctx context.Context, p domain.Page) ([]domain.WebhookEndpoint, bool, error) {
	var rows []webhookEndpointRow
	if err := page(d.conn(ctx).Model(&webhookEndpointRow{}), "webhook_endpoints", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	events, err := d.subscriptions(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]domain.WebhookEndpoint, len(rows))
	for i, r := range rows {
		out[i] = toEndpoint(r, events[r.ID])
	}
	return out, more, nil
}

// DeleteWebhookEndpoint deletes an endpoint with its subscriptions and
// deliveries; deliveries still queued find nothing to deliver.
func (d *DB) DeleteWebhookEndpoint(ctx context.Context, id uuid.UUID) error {
	res := d.conn(ctx).Where("id = ?", id).Delete(&webhookEndpointRow{})
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.NotFound("webhook endpoint", id.String())
	}
	return res.Error
}

// SubscribedEndpoints returns the enabled endpoints that want events of
// type t: one read of the subscriptions' index, empty when none exists.
func (d *DB) SubscribedEndpoints(ctx context.Context, t domain.EventType) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := d.conn(ctx).Table("webhook_subscriptions s").
		Joins("JOIN webhook_endpoints e ON e.id = s.endpoint_id").
		Where("s.event_type IN ? AND e.enabled", []string{string(t), domain.AllEvents}).
		Distinct("s.endpoint_id").Order("s.endpoint_id").Pluck("s.endpoint_id", &ids).Error
	return ids, err
}

// MarkEndpointAttempt records an attempt's outcome on its endpoint: a
// success clears failing_since, a failure sets it unless it is set. It
// returns the endpoint as it is now, locked.
func (d *DB) MarkEndpointAttempt(ctx context.Context, id uuid.UUID, succeeded bool, at time.Time) (domain.WebhookEndpoint, error) {
	q := d.conn(ctx).Model(&webhookEndpointRow{}).Where("id = ?", id)
	var err error
	if succeeded {
		err = q.Update("failing_since", nil).Error
	} else {
		err = q.Where("failing_since IS NULL").Update("failing_since", at).Error
	}
	if err != nil {
		return domain.WebhookEndpoint{}, err
	}
	return d.GetWebhookEndpoint(ctx, id, true)
}
