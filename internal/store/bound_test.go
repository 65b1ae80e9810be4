package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// Short bounds keep these tests quick, yet leave room to open a
// connection on a loaded machine; boundSlack is for late scheduling.
const (
	boundTimeout = time.Second
	boundAcquire = time.Second
	boundSlack   = time.Second
)

var boundOptions = store.Options{Timeout: boundTimeout, AcquireTimeout: boundAcquire}

func newOrg(name string) domain.Organization {
	now := time.Now().UTC().Truncate(time.Microsecond)
	return domain.Organization{ID: domain.NewID(), Name: name, Kind: domain.OrgPartner, Status: domain.OrgActive,
		Version: 1, CreatedAt: now, UpdatedAt: now}
}

// wantUnavailable asserts a domain.Unavailable error that came within limit.
func wantUnavailable(t *testing.T, what string, err error, start time.Time, limit time.Duration) {
	t.Helper()
	took := time.Since(start)
	if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindUnavailable || de.Code != "database_unavailable" {
		t.Fatalf("%s: error %v (after %s), want database_unavailable", what, err, took)
	}
	if took > limit+boundSlack {
		t.Fatalf("%s: answered after %s, beyond %s", what, took, limit)
	}
}

func eachBounded(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, storetest.OpenWith(t, d, boundOptions)) })
	}
}

// A transaction longer than the timeout, made of short statements (as a
// bulk job's enqueue is), completes: the bound is on each step.
func TestLongTransactionOfShortStatementsCommits(t *testing.T) {
	eachBounded(t, func(t *testing.T, db *store.DB) {
		var orgs []domain.Organization
		start := time.Now()
		err := db.WithinTx(context.Background(), func(ctx context.Context) error {
			for time.Since(start) < 2*boundTimeout {
				o := newOrg("Step")
				if err := db.CreateOrganization(ctx, o); err != nil {
					return err
				}
				orgs = append(orgs, o)
				time.Sleep(boundTimeout / 8)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("after %s: %v", time.Since(start), err)
		}
		for _, o := range orgs {
			if _, err := db.GetOrganization(context.Background(), o.ID, false); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// A transaction left idle past the timeout (a stuck caller holding locks)
// is ended by PostgreSQL itself: its commit answers database_unavailable
// and nothing is written; the next transaction runs normally.
func TestIdleTransactionEndedByTheServer(t *testing.T) {
	db := storetest.OpenWith(t, store.Postgres, boundOptions)
	o := newOrg("Idle")
	err := db.WithinTx(context.Background(), func(ctx context.Context) error {
		if err := db.CreateOrganization(ctx, o); err != nil {
			return err
		}
		time.Sleep(2 * boundTimeout)
		return nil
	})
	if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindUnavailable {
		t.Fatalf("idle transaction: %v, want database_unavailable", err)
	}
	if _, err := db.GetOrganization(context.Background(), o.ID, false); err == nil {
		t.Fatal("the idle transaction committed")
	}
	if err := db.WithinTx(context.Background(), func(ctx context.Context) error { return db.CreateOrganization(ctx, newOrg("Next")) }); err != nil {
		t.Fatal(err)
	}
}

// Background work (no deadline of its own) waiting for a connection held
// elsewhere gives up at the acquire bound, both for one statement and for
// a transaction, and runs once the connection is free.
func TestWaitForAConnectionIsBounded(t *testing.T) {
	eachBounded(t, func(t *testing.T, db *store.DB) {
		pool, err := db.Gorm.DB()
		if err != nil {
			t.Fatal(err)
		}
		var held []*sql.Conn
		for range pool.Stats().MaxOpenConnections {
			c, err := pool.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
		}
		ctx := context.Background()
		start := time.Now()
		_, err = db.DueJobs(ctx)
		wantUnavailable(t, "statement", err, start, boundAcquire)
		start = time.Now()
		err = db.WithinTx(ctx, func(ctx context.Context) error { return db.CreateOrganization(ctx, newOrg("Waiting")) })
		wantUnavailable(t, "transaction", err, start, boundAcquire)
		for _, c := range held {
			_ = c.Close()
		}
		if _, err := db.DueJobs(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// On PostgreSQL through a stalling proxy: a statement in the middle of a
// transaction, a statement of background work and a COMMIT end at the
// timeout; the stalled transaction commits nothing; the server bounds
// sessions itself too; and everything works again once the proxy
// forwards.
func TestStalledPostgres(t *testing.T) {
	_, url, proxy := storetest.ProxiedPostgres(t)
	opts := boundOptions
	opts.URL = url
	db := storetest.OpenAt(t, opts)
	ctx := context.Background()

	var timeout string
	if err := db.Gorm.Raw("SHOW statement_timeout").Scan(&timeout).Error; err != nil || timeout != "1s" {
		t.Fatalf("statement_timeout %q, %v; want 1s", timeout, err)
	}
	var idle string
	if err := db.Gorm.Raw("SHOW idle_in_transaction_session_timeout").Scan(&idle).Error; err != nil || idle != "1s" {
		t.Fatalf("idle_in_transaction_session_timeout %q, %v; want 1s", idle, err)
	}

	first, second := newOrg("First"), newOrg("Second")
	var start time.Time
	err := db.WithinTx(ctx, func(ctx context.Context) error {
		if err := db.CreateOrganization(ctx, first); err != nil {
			return err
		}
		proxy.Stall()
		start = time.Now()
		return db.CreateOrganization(ctx, second)
	})
	wantUnavailable(t, "stalled transaction", err, start, boundTimeout)

	start = time.Now()
	_, err = db.GetOrganization(ctx, first.ID, false)
	wantUnavailable(t, "stalled statement", err, start, boundAcquire+boundTimeout)

	proxy.Resume()
	if _, err := db.GetOrganization(ctx, first.ID, false); err == nil {
		t.Fatal("the stalled transaction committed")
	} else if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindNotFound {
		t.Fatalf("after resume: %v", err)
	}

	// a stall at COMMIT ends the transaction too
	err = db.WithinTx(ctx, func(ctx context.Context) error {
		if err := db.CreateOrganization(ctx, newOrg("Third")); err != nil {
			return err
		}
		proxy.Stall()
		start = time.Now()
		return nil
	})
	wantUnavailable(t, "stalled commit", err, start, boundTimeout)
	proxy.Resume()
	if err := db.WithinTx(ctx, func(ctx context.Context) error { return db.CreateOrganization(ctx, newOrg("Fourth")) }); err != nil {
		t.Fatalf("after resume: %v", err)
	}
}
