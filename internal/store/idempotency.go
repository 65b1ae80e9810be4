package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

// reservationTTL is how long a key waits for its first request's answer
// before a retry may run the request again.
const reservationTTL = 10 * time.Minute

// ReserveIdempotencyKey claims key for a request with hash. When the key
// is taken already (and not expired) it returns that request's record:
// Status 0 means it is still running.
func (d *DB) ReserveIdempotencyKey(ctx context.Context, key, hash string, ttl time.Duration) (*domain.IdempotentAnswer, error) {
	now := d.now()
	// an expired key, or a reservation whose request died before answering
	stale := d.conn(ctx).Where("key = ? AND (expires_at < ? OR (status = 0 AND created_at < ?))", key, now, now.Add(-reservationTTL))
	if err := stale.Delete(&idempotencyKeyRow{}).Error; err != nil {
		return nil, err
	}
	row := idempotencyKeyRow{Key: key, RequestHash: hash, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	res := d.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil || res.RowsAffected == 1 {
		return nil, res.Error
	}
	var existing idempotencyKeyRow
	if err := d.conn(ctx).Take(&existing, "key = ?", key).Error; err != nil {
		return nil, err
	}
	return &domain.IdempotentAnswer{RequestHash: existing.RequestHash, Status: existing.Status,
		Body: []byte(existing.Body), Location: existing.Location}, nil
}

// CompleteIdempotencyKey keeps the answer given to the key's request.
func (d *DB) CompleteIdempotencyKey(ctx context.Context, key string, a domain.IdempotentAnswer) error {
	return d.conn(ctx).Model(&idempotencyKeyRow{}).Where("key = ?", key).
		Updates(map[string]any{"status": a.Status, "body": string(a.Body), "location": a.Location}).Error
}

// ReleaseIdempotencyKey forgets a key whose request failed, so that a
// retry runs again.
func (d *DB) ReleaseIdempotencyKey(ctx context.Context, key string) error {
	return d.conn(ctx).Where("key = ? AND status = 0", key).Delete(&idempotencyKeyRow{}).Error
}
