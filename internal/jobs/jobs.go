// Package jobs is Portico's background work on River: one client per
// process, on the service's own database, working the job kinds of
// internal/domain (mail, bulk promotion and import runs, password reset requests) and
// the periodic purge. Jobs are inserted by the store in the transaction of
// the change that asks for them, so a job exists exactly when its change
// commits; River retries failures with backoff, rescues the work of a
// process that died, and shares the queue between every process on one
// database.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/mail"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/webhook"
)

// Config tunes the background work.
type Config struct {
	// MailAttempts is how many times a message is tried before it is given
	// up (PORTICO_MAIL_MAX_ATTEMPTS).
	MailAttempts int
	// Workers is how many jobs this process works at once.
	Workers int
	// PurgeEvery is the period of the purge of expired rows.
	PurgeEvery time.Duration
	// MailFrom is the sender, whose domain ends each Message-ID.
	MailFrom string
	// RescueAfter is how long a job may stay running before another
	// process takes it over (its worker died); every attempt's own bounds
	// derive from it (PORTICO_JOB_RESCUE_AFTER).
	RescueAfter time.Duration
	// Webhooks delivers webhook events on the schedule WebhookSchedule.
	Webhooks        *webhook.Service
	WebhookSchedule webhook.Schedule
}

// bounds are one attempt's limits, derived from the rescue delay so that an
// attempt always ends (and records its outcome) before anyone could rescue
// it: a job is never worked by two live attempts at once.
type bounds struct {
	attempt  time.Duration // River's hard bound of every attempt
	runSlice time.Duration // a bulk run snoozes after this, to resume at once
	send     time.Duration // one SMTP conversation
}

func boundsOf(rescue time.Duration) bounds {
	return bounds{attempt: rescue / 2, runSlice: rescue / 4, send: rescue / 3}
}

// Queue names: mail apart, so that a long bulk job never delays an
// invitation or a reset link.
const (
	queueMail = "mail"
	queueWork = river.QueueDefault
)

// stopGrace is how long Stop waits for running jobs before cancelling them.
const stopGrace = 10 * time.Second

// Runner is the process's River client and what its workers need.
type Runner struct {
	client   *river.Client[*sql.Tx]
	db       *store.DB
	log      *slog.Logger
	stopping chan struct{}
	metrics  *Metrics
	events   func()
}

// New builds the client and registers every worker; nothing is worked
// until Start. The store enqueues through it from then on.
func New(ctx context.Context, db *store.DB, promo *promotion.Service, dir *directory.Service, sender mail.Sender, cfg Config, log *slog.Logger) (*Runner, error) {
	driver, err := db.RiverDriver(ctx)
	if err != nil {
		return nil, err
	}
	r := &Runner{db: db, log: log, stopping: make(chan struct{}), metrics: newMetrics()}
	r.metrics.db = db
	b := boundsOf(cfg.RescueAfter)
	workers := river.NewWorkers()
	river.AddWorker(workers, &mailWorker{db: db, sender: sender, send: b.send, log: log, metrics: r.metrics})
	river.AddWorker(workers, &runWorker{promo: promo, stopping: r.stopping, slice: b.runSlice, log: log})
	river.AddWorker(workers, &resetWorker{promo: promo})
	river.AddWorker(workers, &purgeWorker{db: db, log: log})
	river.AddWorker(workers, &resendWorker{promo: promo, stopping: r.stopping, slice: b.runSlice, log: log})
	river.AddWorker(workers, &expireWorker{promo: promo, log: log})
	river.AddWorker(workers, &webhookWorker{hooks: cfg.Webhooks, schedule: cfg.WebhookSchedule})
	river.AddWorker(workers, &importWorker{dir: dir, stopping: r.stopping, slice: b.runSlice, log: log})
	workersPerQueue := max(cfg.Workers, 1)
	client, err := river.NewClient(driver, &river.Config{
		Logger:  log.With(slog.String("component", "river")),
		Workers: workers,
		Queues: map[string]river.QueueConfig{queueMail: {MaxWorkers: workersPerQueue}, queueWork: {MaxWorkers: workersPerQueue},
			queueWebhooks: {MaxWorkers: workersPerQueue}},
		JobTimeout:           b.attempt,
		RescueStuckJobsAfter: cfg.RescueAfter,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.PurgeEvery), func() (river.JobArgs, *river.InsertOpts) {
				return purgeArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: cfg.PurgeEvery}}
			}, &river.PeriodicJobOpts{RunOnStart: true, ID: "purge_expired"}),
			expirePeriodic(cfg.PurgeEvery),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("background jobs: %w", err)
	}
	r.client = client
	db.UseJobs(inserter{client: client, mailAttempts: cfg.MailAttempts, webhookAttempts: cfg.WebhookSchedule.Attempts})
	return r, nil
}

// Start adopts work left open by the pre-River schema and starts working.
func (r *Runner) Start(ctx context.Context) error {
	if n, err := r.db.AdoptOpenWork(ctx); err != nil {
		return fmt.Errorf("adopt open background work: %w", err)
	} else if n > 0 {
		r.log.Info("background work adopted from before River", slog.Int("jobs", n))
	}
	r.events = r.metrics.follow(r.client)
	return r.client.Start(context.WithoutCancel(ctx))
}

// Stop lets running jobs end: a bulk run stops at its next batch and
// resumes in the next attempt (at once, in any process), a message being
// sent is finished. Jobs still running after the grace (or ctx) are
// cancelled; River marks them for retry.
func (r *Runner) Stop(ctx context.Context) error {
	close(r.stopping)
	soft, cancel := context.WithTimeout(ctx, stopGrace)
	defer cancel()
	err := r.client.Stop(soft)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
		defer cancel()
		err = r.client.StopAndCancel(hard)
	}
	if r.events != nil {
		r.events()
	}
	return err
}

// Metrics returns the collectors of the background work for /metrics.
func (r *Runner) Metrics() *Metrics { return r.metrics }

// WaitIdle returns once no job is running or due, in any process on the
// database: what tests and tools wait for after a change that enqueues
// work.
func (r *Runner) WaitIdle(ctx context.Context) error {
	for {
		n, err := r.db.DueJobs(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("background work not idle (%d jobs due): %w", n, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
