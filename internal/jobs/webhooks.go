package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

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
	var next *time.Time
	if job.Attempt < job.MaxAttempts {
		at := time.Now().Add(w.schedule.Delay(job.ID, job.Attempt)).UTC()
		next = &at
	}
	err := w.hooks.Deliver(ctx, job.Args.DeliveryID, job.Attempt, next)
	if errors.Is(err, webhook.ErrNothingToDeliver) {
		return river.JobCancel(err)
	}
	return err
}

// NextRetry follows the webhook schedule instead of River's default.
func (w *webhookWorker) NextRetry(job *river.Job[domain.DeliverWebhook]) time.Time {
	return time.Now().Add(w.schedule.Delay(job.ID, job.Attempt))
}
