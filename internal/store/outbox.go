package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// EnqueueEmail writes a message to the outbox and enqueues its delivery,
// in the caller's transaction.
func (d *DB) EnqueueEmail(ctx context.Context, m domain.Email) error {
	row := outboxRow(m, d.now())
	return d.WithinTx(ctx, func(ctx context.Context) error {
		if err := d.conn(ctx).Create(&row).Error; err != nil {
			return err
		}
		return d.InsertJob(ctx, domain.SendEmail{EmailID: row.ID})
	})
}

// enqueueEmails writes many messages and their deliveries in a few
// statements, in the caller's transaction.
func (d *DB) enqueueEmails(ctx context.Context, msgs []domain.Email, at time.Time) error {
	rows := make([]outboxEmailRow, len(msgs))
	jobs := make([]domain.JobArgs, len(msgs))
	for i, m := range msgs {
		rows[i] = outboxRow(m, at)
		jobs[i] = domain.SendEmail{EmailID: rows[i].ID}
	}
	if err := insertAll(ctx, d, rows); err != nil {
		return err
	}
	return d.insertJobs(ctx, jobs)
}

func outboxRow(m domain.Email, at time.Time) outboxEmailRow {
	id := m.ID
	if id == uuid.Nil {
		id = domain.NewID()
	}
	return outboxEmailRow{ID: id, Recipient: m.To, Subject: m.Subject, Body: m.Body, HTML: m.HTML, CreatedAt: at}
}

// OutboxEmail reads a message and its delivery state.
func (d *DB) OutboxEmail(ctx context.Context, id uuid.UUID) (domain.OutboxEmail, error) {
	var r outboxEmailRow
	if err := d.conn(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.OutboxEmail{}, notFound(err, "email", id.String())
	}
	return domain.OutboxEmail{Email: domain.Email{ID: r.ID, To: r.Recipient, Subject: r.Subject, Body: r.Body, HTML: r.HTML},
		Attempts: r.Attempts, SentAt: r.SentAt, FailedAt: r.FailedAt, LastError: r.LastError}, nil
}

// MarkEmailSent records a delivery after attempts tries.
func (d *DB) MarkEmailSent(ctx context.Context, id uuid.UUID, attempts int) error {
	now := d.now()
	if err := d.conn(ctx).Model(&outboxEmailRow{}).Where("id = ?", id).
		Updates(map[string]any{"sent_at": now, "attempts": attempts, "last_error": ""}).Error; err != nil {
		return err
	}
	return d.markDelivery(ctx, id, map[string]any{"delivery_status": string(domain.DeliverySent), "sent_at": now,
		"delivery_attempts": attempts, "delivery_error": ""})
}

// MarkEmailFailed records a failed attempt; final gives the message up.
func (d *DB) MarkEmailFailed(ctx context.Context, id uuid.UUID, attempts int, cause string, final bool) error {
	updates := map[string]any{"attempts": attempts, "last_error": cause}
	if final {
		updates["failed_at"] = d.now()
	}
	if err := d.conn(ctx).Model(&outboxEmailRow{}).Where("id = ?", id).Updates(updates).Error; err != nil {
		return err
	}
	delivery := map[string]any{"delivery_attempts": attempts, "delivery_error": cause}
	if final {
		delivery["delivery_status"] = string(domain.DeliveryFailed)
	}
	return d.markDelivery(ctx, id, delivery)
}
