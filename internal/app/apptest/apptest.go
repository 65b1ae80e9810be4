// Package apptest starts the service for tests through the composition
// root that cmd/portico uses, on a test database, listening on a free
// loopback port.
package apptest

import (
	"context"
	"net"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/store"
)

// Config is the binary's default configuration pointed at db's database
// with its bounds,
// with a cheap password hashing cost so that tests stay fast.
func Config(t testing.TB, db *store.DB) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatalf("default configuration: %v", err)
	}
	cfg.DatabaseURL, cfg.SQLitePath = db.Location()
	cfg.DBTimeout, cfg.DBAcquire = db.Bounds() // the test database's, generous unless the test chose
	cfg.BcryptCost = bcrypt.MinCost
	return cfg
}

// New builds the service on a free loopback port without starting it; the
// test's end shuts it down.
func New(t testing.TB, cfg config.Config, opts app.Options) *app.App {
	t.Helper()
	if opts.Listener == nil {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		opts.Listener = l
	}
	a, err := app.New(context.Background(), cfg, opts)
	if err != nil {
		_ = opts.Listener.Close()
		t.Fatalf("build the service: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return a
}

// Start builds and starts the service; the test's end shuts it down.
func Start(t testing.TB, cfg config.Config, opts app.Options) *app.App {
	t.Helper()
	a := New(t, cfg, opts)
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	return a
}
