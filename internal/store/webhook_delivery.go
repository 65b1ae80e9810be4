package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

// keepDeliveries keeps finished webhook deliveries this long, for the
// deliveries list and manual retries.
const keepDeliveries = 30 * 24 * time.Hour

type webhookDeliveryRow struct {
	ID              uuid.UUID `gorm:"primaryKey"`
	EndpointID      uuid.UUID
	MessageID       string
	EventType       string
	Payload         string
	Status          string
	Attempts        int
	LastStatus      *int
	LastLatencyMS   *int `gorm:"column:last_latency_ms"`
	LastError       string
	ResponseExcerpt string
	NextAttemptAt   *time.Time
	CreatedAt       time.Time
	FinishedAt      *time.Time
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

func toDelivery(r webhookDeliveryRow) domain.WebhookDelivery {
	return domain.WebhookDelivery{ID: r.ID, EndpointID: r.EndpointID, MessageID: r.MessageID,
		EventType: domain.EventType(r.EventType), Payload: []byte(r.Payload), Status: domain.WebhookDeliveryStatus(r.Status),
		Attempts: r.Attempts, LastStatus: r.LastStatus, LastLatencyMS: r.LastLatencyMS, LastError: r.LastError,
		ResponseExcerpt: r.ResponseExcerpt, NextAttemptAt: utc(r.NextAttemptAt), CreatedAt: r.CreatedAt.UTC(),
		FinishedAt: utc(r.FinishedAt)}
}

// AddWebhookDeliveries writes deliveries and enqueues their jobs in the
// caller's transaction, in a few statements however many there are. The
// deliveries of an endpoint deleted since the caller read it are dropped:
// the endpoints still there are share-locked first on PostgreSQL, so that
// none is deleted until the caller commits (the delete then takes their
// deliveries with it), and a deletion never fails the caller's change.
func (d *DB) AddWebhookDeliveries(ctx context.Context, ds []domain.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	return d.WithinTx(ctx, func(ctx context.Context) error {
		live, err := d.lockEndpoints(ctx, ds)
		if err != nil {
			return err
		}
		rows := make([]webhookDeliveryRow, 0, len(ds))
		jobs := make([]domain.JobArgs, 0, len(ds))
		for _, w := range ds {
			if !live[w.EndpointID] {
				continue
			}
			rows = append(rows, webhookDeliveryRow{ID: w.ID, EndpointID: w.EndpointID, MessageID: w.MessageID,
				EventType: string(w.EventType), Payload: string(w.Payload), Status: string(domain.WebhookPending), CreatedAt: w.CreatedAt})
			jobs = append(jobs, domain.DeliverWebhook{DeliveryID: w.ID})
		}
		if len(rows) == 0 {
			return nil
		}
		err = d.conn(ctx).CreateInBatches(rows, 1000).Error
		if isForeignKeyViolation(err) {
			// not reached while the endpoints are locked; retrying finds them gone
			return domain.Unavailable(err)
		}
		if err != nil {
			return err
		}
		return d.insertJobs(ctx, jobs)
	})
}

// lockEndpoints returns which endpoints of the deliveries exist, holding
// them (KEY SHARE on PostgreSQL; SQLite runs one writer at a time) until
// the transaction ends.
func (d *DB) lockEndpoints(ctx context.Context, ds []domain.WebhookDelivery) (map[uuid.UUID]bool, error) {
	ids := make([]uuid.UUID, 0, len(ds))
	seen := map[uuid.UUID]bool{}
	for _, w := range ds {
		if !seen[w.EndpointID] {
			seen[w.EndpointID] = true
			ids = append(ids, w.EndpointID)
		}
	}
	q := d.conn(ctx).Model(&webhookEndpointRow{}).Where("id IN ?", ids).Order("id")
	if d.Dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
	}
	var found []uuid.UUID
	if err := q.Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	live := make(map[uuid.UUID]bool, len(found))
	for _, id := range found {
		live[id] = true
	}
	return live, nil
}

// GetWebhookDelivery reads one delivery.
func (d *DB) GetWebhookDelivery(ctx context.Context, id uuid.UUID) (domain.WebhookDelivery, error) {
	var r webhookDeliveryRow
	if err := d.conn(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.WebhookDelivery{}, notFound(err, "webhook delivery", id.String())
	}
	return toDelivery(r), nil
}

// ListWebhookDeliveries returns one page of an endpoint's deliveries,
// oldest first.
func (d *DB) ListWebhookDeliveries(ctx context.Context, endpoint uuid.UUID, p domain.Page) ([]domain.WebhookDelivery, bool, error) {
	var rows []webhookDeliveryRow
	q := d.conn(ctx).Model(&webhookDeliveryRow{}).Where("endpoint_id = ?", endpoint)
	if err := page(q, "webhook_deliveries", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	out := make([]domain.WebhookDelivery, len(rows))
	for i, r := range rows {
		out[i] = toDelivery(r)
	}
	return out, more, nil
}

// RecordWebhookAttempt writes the outcome of attempt number n.
func (d *DB) RecordWebhookAttempt(ctx context.Context, id uuid.UUID, n int, a domain.Attempt) error {
	ms := int(a.Latency.Milliseconds())
	updates := map[string]any{"attempts": n, "last_status": a.Status, "last_latency_ms": &ms, "last_error": a.Error,
		"response_excerpt": a.Excerpt, "next_attempt_at": a.Next}
	switch {
	case a.Succeeded:
		updates["status"], updates["finished_at"], updates["next_attempt_at"] = string(domain.WebhookSucceeded), a.At, nil
	case a.Next == nil:
		updates["status"], updates["finished_at"] = string(domain.WebhookFailed), a.At
	}
	return d.conn(ctx).Model(&webhookDeliveryRow{}).Where("id = ?", id).Updates(updates).Error
}

// GiveUpWebhookDelivery ends a delivery that will not be attempted again
// (its endpoint was disabled) with the reason.
func (d *DB) GiveUpWebhookDelivery(ctx context.Context, id uuid.UUID, reason string, at time.Time) error {
	return d.conn(ctx).Model(&webhookDeliveryRow{}).Where("id = ? AND status = ?", id, string(domain.WebhookPending)).
		Updates(map[string]any{"status": string(domain.WebhookFailed), "finished_at": at, "next_attempt_at": nil,
			"last_error": reason}).Error
}

// liveDeliveryJobs is the ids of the deliveries whose River job may still
// run: every state but completed, cancelled and discarded.
func (d *DB) liveDeliveryJobs() string {
	id := "(args->>'delivery_id')::uuid"
	if d.Dialect == SQLite {
		id = "json_extract(args, '$.delivery_id')"
	}
	return "SELECT " + id + " FROM river_job WHERE kind = 'webhook_delivery' AND " + id + " IS NOT NULL" +
		" AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled')"
}

// stuckDeliveryReason ends the deliveries EndStuckWebhookDeliveries finds.
const stuckDeliveryReason = "its background job ended without recording an outcome (the process stopped during the last attempt, or the job was cancelled)"

// EndStuckWebhookDeliveries marks failed the pending deliveries no job
// will attempt any more: the last attempt's process died, or its outcome
// could not be written. A pending delivery and its job are written in one
// transaction, so one without a live job stays pending for ever
// otherwise. One statement: what it reads of both tables is one snapshot.
func (d *DB) EndStuckWebhookDeliveries(ctx context.Context, now time.Time) (int64, error) {
	res := d.conn(ctx).Model(&webhookDeliveryRow{}).
		Where("status = ? AND id NOT IN ("+d.liveDeliveryJobs()+")", string(domain.WebhookPending)).
		Updates(map[string]any{"status": string(domain.WebhookFailed), "finished_at": now, "next_attempt_at": nil,
			"last_error": stuckDeliveryReason})
	return res.RowsAffected, res.Error
}

// RequeueWebhookDelivery sends a finished delivery again with a new job;
// it conflicts when the delivery is still pending.
func (d *DB) RequeueWebhookDelivery(ctx context.Context, endpoint, id uuid.UUID) (domain.WebhookDelivery, error) {
	var out domain.WebhookDelivery
	err := d.WithinTx(ctx, func(ctx context.Context) error {
		res := d.conn(ctx).Model(&webhookDeliveryRow{}).
			Where("id = ? AND endpoint_id = ? AND status <> ?", id, endpoint, string(domain.WebhookPending)).
			Updates(map[string]any{"status": string(domain.WebhookPending), "finished_at": nil, "attempts": 0, "next_attempt_at": nil})
		if res.Error != nil {
			return res.Error
		}
		var err error
		if out, err = d.GetWebhookDelivery(ctx, id); err != nil {
			return err
		}
		if out.EndpointID != endpoint {
			return domain.NotFound("webhook delivery", id.String())
		}
		if res.RowsAffected == 0 {
			return domain.Conflict("webhook_delivery_pending", "delivery "+id.String()+" is still being attempted; it is retried on its own schedule").
				WithResolution("Wait for its next attempt (next_attempt_at), or for it to fail, then retry it. A delivery whose job ended without an outcome is marked failed by the periodic purge, within 15 minutes.")
		}
		return d.InsertJob(ctx, domain.DeliverWebhook{DeliveryID: id})
	})
	return out, err
}
