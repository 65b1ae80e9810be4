package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/webhook"
)

// queueWebhooks keeps deliveries apart, so that a slow receiver never
// delays mail or a bulk job.
const queueWebhooks = "webhooks"

// webhookWorker makes one delivery attempt; River retries a failed one on
// the webhook schedule.
type webhookWorker struct {
	river.WorkerDefaults[domain.DeliverWebhook]
	hooks    *webhook.Service
	schedule webhook.Schedule
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[domain.DeliverWebhook]) error {
	err := w.hooks.Deliver(ctx, job.Args.DeliveryID, job.Attempt, func() *time.Time { return w.retryAt(job.JobRow) })
	if errors.Is(err, webhook.ErrNothingToDeliver) {
		return river.JobCancel(err)
	}
	return err
}

// NextRetry follows the webhook schedule instead of River's default.
func (w *webhookWorker) NextRetry(job *river.Job[domain.DeliverWebhook]) time.Time {
	if at := w.retryAt(job.JobRow); at != nil {
		return *at
	}
	return time.Time{} // not asked after the last attempt: River discards the job
}

// retryAt is when a failed attempt of job is tried again, nil after the
// last: its wait counted from the attempt's start, or now when the attempt
// outlasted it. The delivery records it and River schedules it, so both
// come from here and agree.
func (w *webhookWorker) retryAt(job *rivertype.JobRow) *time.Time {
	if job.Attempt >= job.MaxAttempts {
		return nil
	}
	now := time.Now()
	start := now
	if job.AttemptedAt != nil {
		start = *job.AttemptedAt
	}
	at := start.Add(w.schedule.Delay(job.ID, job.Attempt))
	if at.Before(now) {
		at = now // River refuses a retry in the past
	}
	at = at.UTC()
	return &at
}
