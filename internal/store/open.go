// Package store is Portico's persistence: GORM repositories over PostgreSQL
// or embedded SQLite, the transaction carried in the context, and the
// versioned migrations that are the schema of record.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
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
}

// Location returns what Open was given: the PostgreSQL URL, or the SQLite
// path when the URL is empty.
func (d *DB) Location() (url, sqlitePath string) { return d.opts.URL, d.opts.SQLitePath }

// Options selects the database: PostgreSQL when URL is set, otherwise the
// SQLite file at SQLitePath (created with its directory when missing).
type Options struct {
	URL        string
	SQLitePath string
	Logger     *slog.Logger
}

// Open connects to the database and checks that it answers.
func Open(ctx context.Context, o Options) (*DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         false, // the store translates driver errors itself
		SkipDefaultTransaction: true,  // use cases own transactions
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	var (
		g       *gorm.DB
		err     error
		dialect Dialect
	)
	if o.URL != "" {
		dialect = Postgres
		g, err = gorm.Open(postgres.Open(o.URL), cfg)
	} else {
		dialect = SQLite
		if dir := filepath.Dir(o.SQLitePath); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create sqlite directory: %w", err)
			}
		}
		g, err = gorm.Open(sqlite.Open(sqliteDSN(o.SQLitePath)), cfg)
	}
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
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("reach %s: %w", dialect, err)
	}
	return &DB{Gorm: g, Dialect: dialect, opts: o}, nil
}

func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the connection pool.
func (d *DB) Close() error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// now is the database clock for rows the store stamps itself.
func (d *DB) now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
