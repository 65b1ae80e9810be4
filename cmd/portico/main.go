// Command portico runs the Portico service.
//
//	portico            serve HTTP (the default)
//	portico serve      the same
//	portico migrate    apply database migrations and exit
//	portico apikey     create, list or revoke API keys
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/mail"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		// one line, so that a bad configuration reads at a glance
		fmt.Fprintln(os.Stderr, "portico:", strings.ReplaceAll(err.Error(), "\n", "; "))
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := logging.New(os.Stdout, cfg.LogFormat, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer func() { _ = db.Close() }()
		log.Info("migrations applied")
		return nil
	case "apikey":
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer func() { _ = db.Close() }()
		return apikey(ctx, directory.New(db), args[1:], os.Stdout)
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate or apikey)", cmd)
	}
}

// openDB connects and migrates, so that every command sees the current schema.
func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// workerName identifies this process's job worker in job leases.
func workerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), domain.NewID().String()[24:])
}

// mailSender is SMTP when PORTICO_SMTP_URL is set, else the log.
func mailSender(cfg config.Config, log *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPURL == "" {
		return mail.LogSender{Log: log, From: cfg.MailFrom}, nil
	}
	return mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom)
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	sender, err := mailSender(cfg, log)
	if err != nil {
		return err
	}
	worker := &mail.Worker{Outbox: db, Sender: sender, Log: log, Interval: 2 * time.Second, MaxAttempts: 8, BaseBackoff: 30 * time.Second}
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	workerDone, jobsDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workerCtx) }()
	defer func() { stopWorker(); <-workerDone; <-jobsDone }()

	promo := promotion.New(db, db, db, promotion.Config{PublicURL: cfg.PublicURL,
		ActivationTTL: cfg.ActivationTTL, SessionTTL: cfg.SessionTTL, ConvertedKind: domain.OrgKind(cfg.ConvertedKind),
		Concurrency: cfg.PromotionSlots})
	go func() { defer close(jobsDone); promo.RunJobs(workerCtx, workerName(), log) }()

	router := httpapi.New(httpapi.Deps{
		Logger:    log,
		DB:        db,
		BodyLimit: cfg.BodyLimit,
		Metrics:   []prometheus.Collector{collectors.NewDBStatsCollector(sqlDB, "portico")},
		Directory: directory.New(db),
		Promotion: promotion.New(db, db, db, promotion.Config{PublicURL: cfg.PublicURL,
			ActivationTTL: cfg.ActivationTTL, SessionTTL: cfg.SessionTTL, ConvertedKind: domain.OrgKind(cfg.ConvertedKind),
			Concurrency: cfg.PromotionSlots}),
		Auth: access.NewAuthenticator(db, cfg.AdminToken),
	})
	srv := httpapi.Server(cfg.Addr, router)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("portico listening", slog.String("addr", cfg.Addr), slog.String("database", string(db.Dialect)))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", slog.Duration("timeout", cfg.ShutdownTimeout))
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
