// Package storetest gives tests a fresh, migrated database of each dialect:
// a SQLite file in the test's temporary directory, and a PostgreSQL database
// created for the test and dropped after it.
//
// PostgreSQL is reached through PORTICO_TEST_DATABASE_URL (default: the
// local server as user postgres). When it cannot be reached the PostgreSQL
// tests skip, unless CI=true, where they fail.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for admin statements

	"github.com/portico/portico/internal/store"
)

const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
)

// Each runs fn as a subtest on every dialect, each with its own database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// testBound is the statement and acquire bound of tests that do not set
// their own: far beyond what the suite's own work takes on a loaded
// machine under the race detector, where SQLite's single connection may
// stay busy for tens of seconds (one 2,000-row import batch on the pure-Go
// SQLite takes about 45 s under -race). The tests of the bounds set short
// ones.
const testBound = 2 * time.Minute

// Open returns a fresh migrated database of dialect d, closed (and for
// PostgreSQL dropped) when the test ends.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	return OpenWith(t, d, store.Options{})
}

// OpenWith is Open with the options' bounds; it fills in where the
// database is.
func OpenWith(t testing.TB, d store.Dialect, opts store.Options) *store.DB {
	t.Helper()
	opts.URL, opts.SQLitePath = "", filepath.Join(t.TempDir(), "portico.db")
	if d == store.Postgres {
		opts.URL = createMigrated(t)
	}
	return OpenAt(t, opts)
}

// OpenAt opens and migrates the database opts name (for instance through
// a Proxy), with its bounds (testBound where zero), closed when the test
// ends.
func OpenAt(t testing.TB, opts store.Options) *store.DB {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = testBound
	}
	if opts.AcquireTimeout == 0 {
		opts.AcquireTimeout = testBound
	}
	d := store.SQLite
	if opts.URL != "" {
		d = store.Postgres
	}
	ctx := context.Background()
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// CreatePostgres creates an empty database, registers its drop, and
// returns its URL. It skips (or, with CI=true, fails) without PostgreSQL.
func CreatePostgres(t testing.TB) string {
	t.Helper()
	admin := adminConn(t)
	name := testDatabaseName()
	if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() { dropLater(name) })
	return databaseURL(name)
}

// AdminURL is the PostgreSQL server the tests create their databases on.
func AdminURL() string {
	if v := os.Getenv("PORTICO_TEST_DATABASE_URL"); v != "" {
		return v
	}
	return defaultAdminURL
}

func adminConn(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		adminDB, adminErr = sql.Open("pgx", AdminURL())
		if adminErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		adminErr = adminDB.PingContext(ctx)
	})
	if adminErr != nil {
		msg := fmt.Sprintf("PostgreSQL tests skipped: %s unreachable (%v); set PORTICO_TEST_DATABASE_URL", AdminURL(), adminErr)
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true requires PostgreSQL: " + msg)
		}
		t.Skip(msg)
	}
	return adminDB
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TerminateSessions ends every server session on the database of dbURL,
// as an administrator or a server shutdown does (SQLSTATE 57P01 on the
// next use of each connection), and returns how many it ended.
func TerminateSessions(t testing.TB, dbURL string) int {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = adminConn(t).QueryRowContext(context.Background(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
		strings.TrimPrefix(u.Path, "/")).Scan(&n)
	if err != nil {
		t.Fatalf("terminate sessions: %v", err)
	}
	return n
}
