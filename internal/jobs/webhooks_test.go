package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/webhook"
)

// The next attempt a delivery records and the one River schedules are the
// same instant: the wait from the attempt's start, or now when the attempt
// outlasted its wait; none after the last attempt.
func TestWebhookRetryAt(t *testing.T) {
	w := &webhookWorker{schedule: webhook.Schedule{Attempts: 3, Base: time.Hour, Cap: 4 * time.Hour}}
	job := func(attempt int, started time.Time) *river.Job[domain.DeliverWebhook] {
		return &river.Job[domain.DeliverWebhook]{JobRow: &rivertype.JobRow{ID: 7, Attempt: attempt, MaxAttempts: 3, AttemptedAt: &started}}
	}
	started := time.Now().Add(-time.Second)
	j := job(2, started)
	at := w.retryAt(j.JobRow)
	if want := started.Add(w.schedule.Delay(7, 2)).UTC(); at == nil || !at.Equal(want) {
		t.Fatalf("retryAt %v, want %v", at, want)
	}
	time.Sleep(5 * time.Millisecond) // River asks after the attempt
	if next := w.NextRetry(j); !next.Equal(*at) {
		t.Fatalf("NextRetry %v, the delivery recorded %v", next, *at)
	}
	before := time.Now()
	late := w.retryAt(job(1, time.Now().Add(-2*time.Hour)).JobRow)
	if late == nil || late.Before(before) || late.After(time.Now()) {
		t.Fatalf("an attempt that outlasted its wait: retry at %v, want now", late)
	}
	if last := w.retryAt(job(3, started).JobRow); last != nil {
		t.Fatalf("retry after the last attempt: %v", last)
	}
}
