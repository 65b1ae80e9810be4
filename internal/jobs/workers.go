package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/mail"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
)

// mailWorker sends one outbox message. River works a job in one attempt
// at a time, so a message is never sent by two workers at once; a message
// already marked sent (a retry after the mark) is not sent again. The one
// window left is a crash between the SMTP server's acceptance and the
// mark: the next attempt sends it again, with the same Message-ID.
type mailWorker struct {
	river.WorkerDefaults[domain.SendEmail]
	db      *store.DB
	sender  mail.Sender
	send    time.Duration
	log     *slog.Logger
	metrics *Metrics
}

func (w *mailWorker) Work(ctx context.Context, job *river.Job[domain.SendEmail]) error {
	m, err := w.db.OutboxEmail(ctx, job.Args.EmailID)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Kind == domain.KindNotFound {
			return river.JobCancel(err) // purged, or its change was undone
		}
		return err
	}
	if m.SentAt != nil || m.FailedAt != nil {
		return nil
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.send)
	err = w.sender.Send(sendCtx, m.Email)
	cancel()
	// the outcome is recorded even when the job's own context has ended
	record := context.WithoutCancel(ctx)
	if err == nil {
		w.metrics.mailSent.Inc()
		return w.db.MarkEmailSent(record, m.ID, job.Attempt)
	}
	final := job.Attempt >= job.MaxAttempts
	w.log.WarnContext(ctx, "email delivery failed", slog.String("to", m.To), slog.Int("attempt", job.Attempt),
		slog.Bool("will_retry", !final), slog.String("error", err.Error()))
	if final {
		w.metrics.mailGivenUp.Inc()
	}
	if markErr := w.db.MarkEmailFailed(record, m.ID, job.Attempt, err.Error(), final); markErr != nil {
		return markErr
	}
	return err // River retries it, or discards it after the last attempt
}

// runWorker works a bulk promotion job. Each attempt holds the job under
// its own name, so that the batches of an attempt that lost the job (a
// rescue while it was stuck) roll back.
type runWorker struct {
	river.WorkerDefaults[domain.RunPromotionJob]
	promo    *promotion.Service
	stopping <-chan struct{}
	slice    time.Duration
	log      *slog.Logger
}

func (w *runWorker) Work(ctx context.Context, job *river.Job[domain.RunPromotionJob]) error {
	attempt := "river:" + strconv.FormatInt(job.ID, 10) + ":" + strconv.Itoa(job.Attempt)
	// a run pauses after its slice (or at shutdown) and is resumed at once,
	// so no attempt nears its bound however large the job
	stop, release := pauseAfter(w.slice, w.stopping)
	defer release()
	err := w.promo.RunJob(ctx, job.Args.JobID, attempt, stop)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, promotion.ErrStopping):
		return river.JobSnooze(0)
	case job.Attempt >= job.MaxAttempts:
		w.log.ErrorContext(ctx, "promotion job given up", slog.String("job", job.Args.JobID.String()), slog.String("error", err.Error()))
		if ferr := w.promo.FailJob(context.WithoutCancel(ctx), job.Args.JobID, attempt, err.Error()); ferr != nil {
			return ferr
		}
	}
	return err
}

// resetWorker works a password reset request.
type resetWorker struct {
	river.WorkerDefaults[domain.PasswordResetRequest]
	promo *promotion.Service
}

func (w *resetWorker) Work(ctx context.Context, job *river.Job[domain.PasswordResetRequest]) error {
	return w.promo.IssuePasswordReset(ctx, job.Args.Email)
}

// purgeArgs is the periodic purge of expired rows.
type purgeArgs struct{}

func (purgeArgs) Kind() string { return "purge_expired" }

type purgeWorker struct {
	river.WorkerDefaults[purgeArgs]
	db  *store.DB
	log *slog.Logger
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[purgeArgs]) error {
	p, err := w.db.PurgeExpired(ctx, time.Now().UTC())
	if err != nil {
		return err
	}
	w.log.DebugContext(ctx, "purged expired rows", slog.Int64("sessions", p.Sessions), slog.Int64("tokens", p.Tokens),
		slog.Int64("idempotency_keys", p.IdempotencyKeys), slog.Int64("rate_windows", p.RateWindows), slog.Int64("emails", p.Emails),
		slog.Int64("webhook_deliveries", p.WebhookDeliveries), slog.Int64("stuck_webhook_deliveries", p.StuckWebhookDeliveries))
	return nil
}

// pauseAfter returns a channel closed after slice or when stopping closes,
// whichever comes first, for a long job to pause at its next batch and be
// resumed at once; release ends the watch when the work returns first.
func pauseAfter(slice time.Duration, stopping <-chan struct{}) (stop <-chan struct{}, release func()) {
	pause, done := make(chan struct{}), make(chan struct{})
	go func() {
		timer := time.NewTimer(slice)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-stopping:
		case <-done:
			return
		}
		close(pause)
	}()
	return pause, func() { close(done) }
}
