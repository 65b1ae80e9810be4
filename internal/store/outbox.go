package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// ClaimEmails leases up to n due messages to this worker for lease. A
// message is claimed by one conditional update, so several workers (or
// processes) never send the same message at once; an expired lease (a
// crashed worker) makes it due again.
func (d *DB) ClaimEmails(ctx context.Context, n int, lease time.Duration) ([]domain.OutboxEmail, error) {
	now := d.now()
	var due []outboxEmailRow
	err := d.conn(ctx).Where("sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", now).
		Where("lease_until IS NULL OR lease_until < ?", now).
		Order("next_attempt_at").Limit(n).Find(&due).Error
	if err != nil {
		return nil, err
	}
	var out []domain.OutboxEmail
	for _, r := range due {
		res := d.conn(ctx).Model(&outboxEmailRow{}).Where("id = ? AND (lease_until IS NULL OR lease_until < ?)", r.ID, now).
			Updates(map[string]any{"lease_until": now.Add(lease), "attempts": r.Attempts + 1})
		if res.Error != nil {
			return out, res.Error
		}
		if res.RowsAffected == 1 {
			out = append(out, domain.OutboxEmail{ID: r.ID, Attempts: r.Attempts + 1,
				Email: domain.Email{To: r.Recipient, Subject: r.Subject, Body: r.Body}})
		}
	}
	return out, nil
}

// MarkEmailSent records a delivery.
func (d *DB) MarkEmailSent(ctx context.Context, id uuid.UUID) error {
	return d.conn(ctx).Model(&outboxEmailRow{}).Where("id = ?", id).
		Updates(map[string]any{"sent_at": d.now(), "lease_until": nil, "last_error": ""}).Error
}

// MarkEmailFailed records a failed attempt: retry at next, or, when next
// is nil, give up.
func (d *DB) MarkEmailFailed(ctx context.Context, id uuid.UUID, cause string, next *time.Time) error {
	updates := map[string]any{"lease_until": nil, "last_error": cause}
	if next != nil {
		updates["next_attempt_at"] = *next
	} else {
		updates["failed_at"] = d.now()
	}
	return d.conn(ctx).Model(&outboxEmailRow{}).Where("id = ?", id).Updates(updates).Error
}
