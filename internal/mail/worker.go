package mail

import (
	"context"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Outbox is the queue the worker drains.
type Outbox interface {
	ClaimEmails(ctx context.Context, n int, lease time.Duration) ([]domain.OutboxEmail, error)
	MarkEmailSent(ctx context.Context, id uuid.UUID) error
	MarkEmailFailed(ctx context.Context, id uuid.UUID, cause string, next *time.Time) error
}

// Worker delivers queued mail with retries.
type Worker struct {
	Outbox      Outbox
	Sender      Sender
	Log         *slog.Logger
	Interval    time.Duration // how often to look for due mail
	MaxAttempts int           // then give up and mark failed
	BaseBackoff time.Duration // first retry delay; doubles each attempt, at most an hour

	draining sync.Mutex // one Drain at a time, so a caller's Drain returns after one already under way
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		w.Drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain delivers every message due now and returns how many were sent.
func (w *Worker) Drain(ctx context.Context) int {
	w.draining.Lock()
	defer w.draining.Unlock()
	sent := 0
	for ctx.Err() == nil {
		batch, err := w.Outbox.ClaimEmails(ctx, 20, 2*time.Minute)
		if err != nil {
			w.Log.ErrorContext(ctx, "outbox claim", slog.String("error", err.Error()))
			return sent
		}
		if len(batch) == 0 {
			return sent
		}
		for _, m := range batch {
			if w.deliver(ctx, m) {
				sent++
			}
		}
	}
	return sent
}

func (w *Worker) deliver(ctx context.Context, m domain.OutboxEmail) bool {
	sendCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := w.Sender.Send(sendCtx, m.Email)
	cancel()
	if err == nil {
		if err := w.Outbox.MarkEmailSent(ctx, m.ID); err != nil {
			w.Log.ErrorContext(ctx, "outbox mark sent", slog.String("error", err.Error()))
		}
		return true
	}
	var next *time.Time
	if m.Attempts < w.MaxAttempts {
		at := time.Now().UTC().Add(w.backoff(m.Attempts))
		next = &at
	}
	w.Log.WarnContext(ctx, "email delivery failed", slog.String("to", m.To), slog.Int("attempt", m.Attempts),
		slog.Bool("will_retry", next != nil), slog.String("error", err.Error()))
	if err := w.Outbox.MarkEmailFailed(ctx, m.ID, err.Error(), next); err != nil {
		w.Log.ErrorContext(ctx, "outbox mark failed", slog.String("error", err.Error()))
	}
	return false
}

// backoff is BaseBackoff·2^(attempt-1), at most an hour.
func (w *Worker) backoff(attempt int) time.Duration {
	d := time.Duration(float64(w.BaseBackoff) * math.Pow(2, float64(attempt-1)))
	if d > time.Hour || d <= 0 {
		return time.Hour
	}
	return d
}
