package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Retention of what the periodic purge deletes.
const (
	// keepTokens keeps expired, used and revoked links this long, so that
	// the activation page can still tell a used link from an unknown one.
	keepTokens = 30 * 24 * time.Hour
	// keepMail keeps delivered and abandoned messages (their bodies hold
	// live links) only as long as an invitation link may work.
	keepMail = 7 * 24 * time.Hour
)

// Purged counts what one purge deleted.
type Purged struct {
	Sessions, Tokens, IdempotencyKeys, RateWindows, Emails, WebhookDeliveries int64
	// StuckWebhookDeliveries were pending without a job, and are failed now.
	StuckWebhookDeliveries int64
}

// PurgeExpired deletes expired sessions, idempotency keys and rate
// windows, links expired for a while, old delivered or abandoned mail, and
// webhook deliveries finished for a while; it ends the deliveries left
// pending without a job (EndStuckWebhookDeliveries).
func (d *DB) PurgeExpired(ctx context.Context, now time.Time) (Purged, error) {
	var p Purged
	steps := []struct {
		n   *int64
		run func() (int64, error)
	}{
		{&p.Sessions, func() (int64, error) { return d.deleted(ctx, &sessionRow{}, "expires_at < ?", now) }},
		{&p.Tokens, func() (int64, error) { return d.deleted(ctx, &userTokenRow{}, "expires_at < ?", now.Add(-keepTokens)) }},
		{&p.IdempotencyKeys, func() (int64, error) { return d.deleted(ctx, &idempotencyKeyRow{}, "expires_at < ?", now) }},
		{&p.RateWindows, func() (int64, error) {
			return d.deleted(ctx, &rateLimitRow{}, "window_start <= ?", now.Add(-time.Minute).UnixMilli())
		}},
		{&p.Emails, func() (int64, error) {
			return d.deleted(ctx, &outboxEmailRow{}, "(sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < ?", now.Add(-keepMail))
		}},
		{&p.StuckWebhookDeliveries, func() (int64, error) { return d.EndStuckWebhookDeliveries(ctx, now) }},
		{&p.WebhookDeliveries, func() (int64, error) {
			return d.deleted(ctx, &webhookDeliveryRow{}, "status <> 'pending' AND finished_at < ?", now.Add(-keepDeliveries))
		}},
	}
	for _, s := range steps {
		n, err := s.run()
		if err != nil {
			return p, err
		}
		*s.n = n
	}
	return p, nil
}

func (d *DB) deleted(ctx context.Context, model any, where string, arg any) (int64, error) {
	res := d.conn(ctx).Where(where, arg).Delete(model)
	return res.RowsAffected, res.Error
}

// AdoptOpenWork hands to River the messages and bulk jobs that were still
// open when the database moved to River (migration 7 marked them), a
// thousand at a time, each row's mark cleared in the transaction that
// enqueues its job; once they are adopted it is one indexed read.
func (d *DB) AdoptOpenWork(ctx context.Context) (int, error) {
	adopted := 0
	for _, kind := range []struct {
		model any
		job   func(uuid.UUID) domain.JobArgs
	}{
		{&outboxEmailRow{}, func(id uuid.UUID) domain.JobArgs { return domain.SendEmail{EmailID: id} }},
		{&promotionJobRow{}, func(id uuid.UUID) domain.JobArgs { return domain.RunPromotionJob{JobID: id} }},
	} {
		for {
			n, err := d.adoptSome(ctx, kind.model, kind.job)
			adopted += n
			if errors.Is(err, errAdoptedElsewhere) || (err == nil && n == 0) {
				break // done, or another process is adopting them
			}
			if err != nil {
				return adopted, err
			}
		}
	}
	return adopted, nil
}

var errAdoptedElsewhere = errors.New("another process adopted the open work first")

func (d *DB) adoptSome(ctx context.Context, model any, job func(uuid.UUID) domain.JobArgs) (int, error) {
	var ids []uuid.UUID
	if err := d.conn(ctx).Model(model).Where("adopt").Limit(1000).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return 0, err
	}
	err := d.WithinTx(ctx, func(ctx context.Context) error {
		res := d.conn(ctx).Model(model).Where("id IN ? AND adopt", ids).Update("adopt", false)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(ids)) {
			return errAdoptedElsewhere
		}
		args := make([]domain.JobArgs, len(ids))
		for i, id := range ids {
			args[i] = job(id)
		}
		return d.insertJobs(ctx, args)
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}
