package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations
var migrations embed.FS

// migrationLock is the PostgreSQL advisory lock held while migrating, so
// that processes starting together migrate one after the other.
const migrationLock = 0x706f727469636f // "portico"

// Migrate applies every pending migration of the database's dialect —
// Portico's own (goose) and River's (rivermigrate) — and returns Portico's
// resulting schema version. It is safe to run at every start, by several
// processes at once. On PostgreSQL migrations run on a pool of their own
// without the statement bounds, so that building an index on a large table
// is not cut short; ctx bounds them.
func (d *DB) Migrate(ctx context.Context) (int64, error) {
	pool, err := d.Gorm.DB()
	if err != nil {
		return 0, err
	}
	if d.Dialect == Postgres {
		if pool, err = openPostgres(d.url, 0); err != nil {
			return 0, err
		}
		defer func() { _ = pool.Close() }()
		unlock, err := lockMigrations(ctx, pool)
		if err != nil {
			return 0, err
		}
		defer unlock()
	}
	p, err := d.migrator(pool)
	if err != nil {
		return 0, err
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate %s: %w", d.Dialect, err)
	}
	if err := migrateRiver(ctx, d.Dialect, pool); err != nil {
		return 0, fmt.Errorf("migrate %s background jobs: %w", d.Dialect, err)
	}
	return p.GetDBVersion(ctx)
}

func (d *DB) migrator(pool *sql.DB) (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+string(d.Dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectPostgres
	if d.Dialect == SQLite {
		dialect = goose.DialectSQLite3
	}
	return goose.NewProvider(dialect, pool, dir)
}

// migrateRiver applies River's own versioned migrations.
func migrateRiver(ctx context.Context, dialect Dialect, pool *sql.DB) error {
	m, err := rivermigrate.New(riverDriver(dialect, pool, nil), nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// lockMigrations holds PostgreSQL's advisory lock on a connection of its
// own until the returned function runs.
func lockMigrations(ctx context.Context, pool *sql.DB) (func(), error) {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("wait for another process's migrations: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
		_ = conn.Close()
	}, nil
}
