package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies every pending migration of the database's dialect and
// returns the resulting schema version. It is safe to run at every start.
// On PostgreSQL migrations run on a pool of their own without the
// statement bounds, so that building an index on a large table is not cut
// short; ctx bounds them.
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
	}
	p, err := d.migrator(pool)
	if err != nil {
		return 0, err
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate %s: %w", d.Dialect, err)
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
