// Package store is Portico's persistence: GORM repositories over PostgreSQL
// or embedded SQLite, the transaction carried in the context, and the
// versioned migrations that are the schema of record.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	pgxuuid "github.com/vgarvardt/pgx-google-uuid/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported engines.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is the opened database and the engine it runs on.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect
	opts    Options
	bounds  *bounds
	url     string // PostgreSQL's, for the migrations' own pool
	jobs    JobInserter
	listen  *pgxpool.Pool // River's LISTEN connection, on PostgreSQL
}

// Location returns what Open was given: the PostgreSQL URL, or the SQLite
// path when the URL is empty.
func (d *DB) Location() (url, sqlitePath string) { return d.opts.URL, d.opts.SQLitePath }

// Bounds returns the statement and connection-acquire bounds in force.
func (d *DB) Bounds() (timeout, acquire time.Duration) { return d.bounds.timeout, d.bounds.acquire }

// Options selects the database: PostgreSQL when URL is set, otherwise the
// SQLite file at SQLitePath (created with its directory when missing).
type Options struct {
	URL        string
	SQLitePath string
	Logger     *slog.Logger
	// Timeout bounds every statement, BEGIN and COMMIT included, once it
	// holds a connection (default DefaultTimeout). On PostgreSQL it is
	// also the session's statement_timeout and
	// idle_in_transaction_session_timeout, unless the URL sets them.
	Timeout time.Duration
	// AcquireTimeout bounds the wait for a pooled connection, or for
	// opening one, of every statement outside a transaction and of every
	// transaction (default DefaultAcquireTimeout).
	AcquireTimeout time.Duration
}

// Open connects to the database and checks that it answers.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.AcquireTimeout <= 0 {
		o.AcquireTimeout = DefaultAcquireTimeout
	}
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         false, // the store translates driver errors itself
		SkipDefaultTransaction: true,  // use cases own transactions
		DisableAutomaticPing:   true,  // Open pings under a deadline itself
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	dialect, dialector, err := dialectorOf(o)
	if err != nil {
		return nil, err
	}
	g, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// SQLite has one writer. One connection serializes every transaction,
		// so concurrent writers queue instead of failing with SQLITE_BUSY.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	b := &bounds{pool: sqlDB, acquire: o.AcquireTimeout, timeout: o.Timeout}
	if err := b.register(g); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("bound %s statements: %w", dialect, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("reach %s: %w", dialect, err)
	}
	return &DB{Gorm: g, Dialect: dialect, bounds: b, url: o.URL, opts: o}, nil
}

// dialectorOf is PostgreSQL when o names a URL, else the SQLite file,
// created with its directory when missing.
func dialectorOf(o Options) (Dialect, gorm.Dialector, error) {
	if o.URL == "" {
		if dir := filepath.Dir(o.SQLitePath); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return SQLite, nil, fmt.Errorf("create sqlite directory: %w", err)
			}
		}
		return SQLite, sqlite.Open(sqliteDSN(o.SQLitePath, o.Timeout)), nil
	}
	pool, err := openPostgres(o.URL, o.Timeout)
	if err != nil {
		return Postgres, nil, err
	}
	return Postgres, postgres.New(postgres.Config{Conn: pool}), nil
}

// openPostgres opens a pool on url. A positive timeout becomes the
// server's side of the bound: PostgreSQL ends a statement, or a session
// idle inside a transaction, that outlives it even when the client is
// gone and cannot cancel; the URL's own values win.
func openPostgres(url string, timeout time.Duration) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL URL: %w", err)
	}
	if timeout > 0 {
		ms := strconv.FormatInt(timeout.Milliseconds(), 10)
		for _, param := range []string{"statement_timeout", "idle_in_transaction_session_timeout"} {
			if _, set := cfg.RuntimeParams[param]; !set {
				cfg.RuntimeParams[param] = ms
			}
		}
	}
	// pgx sends a google/uuid value through its driver.Valuer (text,
	// parsed again) unless told the type: a users page spent a fifth of
	// its CPU encoding the ids of its group and invitation reads.
	return stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
		pgxuuid.Register(c.TypeMap())
		return nil
	})), nil
}

// sqliteDSN opens path with foreign keys on, and waits for another
// process's lock at most timeout.
func sqliteDSN(path string, timeout time.Duration) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(" + strconv.FormatInt(timeout.Milliseconds(), 10) + ")&_pragma=synchronous(NORMAL)"
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the connection pools.
func (d *DB) Close() error {
	if d.listen != nil {
		d.listen.Close()
	}
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// now is the database clock for rows the store stamps itself.
func (d *DB) now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
