package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies every pending migration of the database's dialect and
// returns the resulting schema version. It is safe to run at every start.
func (d *DB) Migrate(ctx context.Context) (int64, error) {
	p, err := d.migrator()
	if err != nil {
		return 0, err
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate %s: %w", d.Dialect, err)
	}
	return p.GetDBVersion(ctx)
}

func (d *DB) migrator() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+string(d.Dialect))
	if err != nil {
		return nil, err
	}
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectPostgres
	if d.Dialect == SQLite {
		dialect = goose.DialectSQLite3
	}
	return goose.NewProvider(dialect, sqlDB, dir)
}
