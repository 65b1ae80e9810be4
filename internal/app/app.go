// Package app is Portico's composition root: the one function that builds
// the whole service from a config.Config — store, one promotion service
// shared by the API and the background jobs, River's client, mail, router
// and HTTP server — and starts and stops them in order. cmd/portico calls it, and so
// does every test that serves HTTP, so the tests run the system users run.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/jobs"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/mail"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/webhook"
)

// Options swap what crosses the process boundary; the zero value is what
// the binary uses.
type Options struct {
	// Logger replaces the JSON/text logger on standard output.
	Logger *slog.Logger
	// LogOutput is where the default logger writes (standard output when nil).
	LogOutput io.Writer
	// Mailer replaces the SMTP (or log) mail transport.
	Mailer mail.Sender
	// Listener replaces listening on cfg.Addr.
	Listener net.Listener
	// Resolver replaces DNS for webhook endpoint hosts.
	Resolver webhook.Resolver
}

// App is the assembled service.
type App struct {
	cfg       config.Config
	log       *slog.Logger
	DB        *store.DB
	Directory *directory.Service
	Promotion *promotion.Service
	Webhooks  *webhook.Service
	Router    http.Handler

	jobs     *jobs.Runner
	server   *http.Server
	listener net.Listener
	started  bool
	served   chan error
}

// New opens and migrates the database and builds every part of the
// service; nothing runs until Start.
func New(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	log := opts.Logger
	if log == nil {
		out := opts.LogOutput
		if out == nil {
			out = os.Stdout
		}
		log = logging.New(out, cfg.LogFormat, cfg.LogLevel)
	}
	db, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a, err := assemble(ctx, cfg, opts, log, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

func assemble(ctx context.Context, cfg config.Config, opts Options, log *slog.Logger, db *store.DB) (*App, error) {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return nil, err
	}
	sender := opts.Mailer
	if sender == nil {
		if sender, err = mailSender(cfg, log); err != nil {
			return nil, err
		}
	}
	hooks, err := webhook.New(db, webhook.Config{SecretKey: cfg.SecretKey, AllowPrivate: cfg.WebhookAllowPrivate,
		Resolver: opts.Resolver, DisableAfter: cfg.Webhooks.DisableAfter, Encode: httpapi.EventData, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("PORTICO_SECRET_KEY: %w", err)
	}
	promo := promotion.New(db, db, db, promotion.Config{
		PublicURL:        cfg.PublicURL,
		ActivationTTL:    cfg.ActivationTTL,
		InvitationMaxTTL: cfg.InvitationMax,
		DefaultLocale:    cfg.DefaultLocale,
		SessionTTL:       cfg.SessionTTL,
		BcryptCost:       cfg.BcryptCost,
		ConvertedKind:    domain.OrgKind(cfg.ConvertedKind),
		Concurrency:      cfg.PromotionSlots,
		Logger:           log,
		Events:           hooks,
	})
	dir := directory.New(db).WithEvents(hooks)
	runner, err := jobs.New(ctx, db, promo, dir, sender, jobs.Config{MailAttempts: cfg.MailAttempts, Workers: cfg.JobWorkers,
		PurgeEvery: 15 * time.Minute, MailFrom: cfg.MailFrom, RescueAfter: cfg.JobRescueAfter, Webhooks: hooks,
		WebhookSchedule: webhook.Schedule{Attempts: cfg.Webhooks.Attempts, Base: cfg.Webhooks.RetryBase, Cap: cfg.Webhooks.RetryCap}}, log)
	if err != nil {
		return nil, err
	}
	router := httpapi.New(httpapi.Deps{
		Logger:          log,
		DB:              db,
		BodyLimit:       cfg.BodyLimit,
		ImportBodyLimit: cfg.ImportLimit,
		Metrics:         []prometheus.Collector{collectors.NewDBStatsCollector(sqlDB, "portico"), newAdmissionCollector(promo), runner.Metrics(), hooks.Metrics()},
		Directory:       dir,
		Promotion:       promo,
		Webhooks:        hooks,
		Auth:            access.NewAuthenticator(db, cfg.AdminToken),
		Limits:          httpapi.RateLimits{PerClient: cfg.RatePerClient, PerAccount: cfg.RatePerAccount, Counter: db},
		Idempotency:     db,
		BulkSyncLimit:   cfg.BulkSyncLimit,
		CORSOrigins:     cfg.CORSOrigins,
		PublicURL:       cfg.PublicURL,
		PortalURL:       cfg.PortalURL,
	})
	return &App{
		cfg: cfg, log: log, DB: db, Directory: dir, Promotion: promo, Webhooks: hooks, Router: router,
		jobs:     runner,
		server:   httpapi.Server(cfg.Addr, router),
		listener: opts.Listener,
	}, nil
}

// OpenDB connects and migrates, so that every command sees the current schema.
func OpenDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	setting := "PORTICO_SQLITE_PATH"
	if cfg.UsesPostgres() {
		setting = "PORTICO_DATABASE_URL"
	}
	db, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath,
		Timeout: cfg.DBTimeout, AcquireTimeout: cfg.DBAcquire})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", setting, err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%s: migrate: %w", setting, err)
	}
	return db, nil
}

// mailSender is SMTP when PORTICO_SMTP_URL is set, else the log.
func mailSender(cfg config.Config, log *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPURL == "" {
		return mail.LogSender{Log: log, From: cfg.MailFrom}, nil
	}
	return mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom)
}

// Start listens (unless a listener was given), starts the background
// jobs, then serves HTTP in the background.
func (a *App) Start() error {
	if a.listener == nil {
		l, err := net.Listen("tcp", a.cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
		}
		a.listener = l
	}
	if err := a.jobs.Start(context.Background()); err != nil {
		_ = a.listener.Close()
		return err
	}
	a.started = true
	a.served = make(chan error, 1)
	go func() { a.served <- a.server.Serve(a.listener) }()
	a.log.Info("portico listening", slog.String("addr", a.listener.Addr().String()), slog.String("database", string(a.DB.Dialect)))
	return nil
}

// URL is the base URL the server answers on, once started.
func (a *App) URL() string { return "http://" + a.listener.Addr().String() }

// Served reports the HTTP server's end: nil after a clean shutdown.
func (a *App) Served() <-chan error { return a.served }

// Shutdown drains in-flight requests within the configured timeout, stops
// the background workers and closes the database, in that order.
func (a *App) Shutdown() error {
	a.log.Info("shutting down: draining in-flight requests", slog.String("timeout", a.cfg.ShutdownTimeout.String()))
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	errs := []error{}
	if a.served != nil {
		if err := a.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("requests still in flight after PORTICO_SHUTDOWN_TIMEOUT (%s) were cut off: %w", a.cfg.ShutdownTimeout, err))
		}
		if err := <-a.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		a.served = nil
	} else if a.listener != nil {
		_ = a.listener.Close() // built but never served
	}
	if a.started {
		if err := a.jobs.Stop(context.Background()); err != nil {
			errs = append(errs, fmt.Errorf("stop background jobs: %w", err))
		}
		a.started = false
	}
	errs = append(errs, a.DB.Close())
	if err := errors.Join(errs...); err != nil {
		return err
	}
	a.log.Info("stopped")
	return nil
}

// WaitIdle returns once no background job is running or due, in any
// process on the database: tests call it after a change that mails or
// runs a job.
func (a *App) WaitIdle(ctx context.Context) error { return a.jobs.WaitIdle(ctx) }

// Run builds the service, serves until ctx ends, then shuts down: the
// whole life of `portico serve`.
func Run(ctx context.Context, cfg config.Config, opts Options) error {
	a, err := New(ctx, cfg, opts)
	if err != nil {
		return err
	}
	if err := a.Start(); err != nil {
		_ = a.DB.Close()
		return err
	}
	select {
	case err := <-a.served:
		a.served = nil
		_ = a.Shutdown()
		return err
	case <-ctx.Done():
	}
	return a.Shutdown()
}
