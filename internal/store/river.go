package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// JobInserter is what enqueues background jobs in a transaction: the River
// client.
type JobInserter interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyFastTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) (int, error)
}

// riverDriver picks River's driver for a pool: River's database/sql driver
// on PostgreSQL, so that a job is inserted in the very transaction GORM
// runs, with a pgx pool of its own for LISTEN when listen is given (else
// River polls); River's SQLite driver on the embedded database. Both
// drivers' transactions are *sql.Tx, so one client type serves both.
func riverDriver(dialect Dialect, pool *sql.DB, listen *pgxpool.Pool) riverdriver.Driver[*sql.Tx] {
	switch {
	case dialect == SQLite:
		return riversqlite.New(pool)
	case listen != nil:
		return riverdatabasesql.NewWithPgxListener(pool, listen)
	default:
		return riverdatabasesql.New(pool)
	}
}

// RiverDriver returns River's driver on the service's own pool. On
// PostgreSQL it also opens the small pool LISTEN takes its connection from;
// Close closes it.
func (d *DB) RiverDriver(ctx context.Context) (riverdriver.Driver[*sql.Tx], error) {
	pool, err := d.Gorm.DB()
	if err != nil {
		return nil, err
	}
	if d.Dialect == Postgres && d.listen == nil {
		cfg, err := pgxpool.ParseConfig(d.url)
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL URL: %w", err)
		}
		cfg.MinConns, cfg.MaxConns = 0, 1
		if d.listen, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
			return nil, err
		}
	}
	return riverDriver(d.Dialect, pool, d.listen), nil
}

// UseJobs makes the store enqueue background jobs through jobs.
func (d *DB) UseJobs(jobs JobInserter) { d.jobs = jobs }

// InsertJob enqueues a job in the caller's transaction (in one of its own
// outside one), so that the job exists exactly when the change that asked
// for it commits.
func (d *DB) InsertJob(ctx context.Context, args domain.JobArgs) error {
	return d.withSQLTx(ctx, func(tx *sql.Tx) error {
		_, err := d.jobs.InsertTx(ctx, tx, args, nil)
		return err
	})
}

// insertJobs enqueues many jobs of one kind in the caller's transaction in
// one statement.
func (d *DB) insertJobs(ctx context.Context, args []domain.JobArgs) error {
	if len(args) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a}
	}
	return d.withSQLTx(ctx, func(tx *sql.Tx) error {
		_, err := d.jobs.InsertManyFastTx(ctx, tx, params)
		return err
	})
}

// withSQLTx runs fn on the database/sql transaction under ctx's GORM one.
func (d *DB) withSQLTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if d.jobs == nil {
		return fmt.Errorf("store: background jobs are not configured (UseJobs)")
	}
	run := func(ctx context.Context) error {
		tx, ok := ctx.Value(txKey{}).(*gorm.DB).Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("store: the transaction is not a database/sql one")
		}
		return fn(tx)
	}
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return run(ctx)
	}
	return d.WithinTx(ctx, run)
}

// JobCount is how many River jobs of a kind are in a state.
type JobCount struct {
	Kind, State string
	Jobs        int64
}

// JobCounts counts River's jobs by kind and state, every process's.
func (d *DB) JobCounts(ctx context.Context) ([]JobCount, error) {
	var out []JobCount
	err := d.conn(ctx).Raw("SELECT kind, state, count(*) AS jobs FROM river_job GROUP BY kind, state ORDER BY kind, state").Scan(&out).Error
	return out, err
}

// dueJobsSQL counts the jobs that are running or could run now.
const dueJobsSQL = `SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'pending')
	OR (state IN ('retryable', 'scheduled') AND scheduled_at <= %s)`

// DueJobs counts River's jobs that are running or due now, every process's:
// zero when background work is idle.
func (d *DB) DueJobs(ctx context.Context) (int64, error) {
	now := "now()"
	if d.Dialect == SQLite {
		now = "datetime('now', 'subsec')"
	}
	var n int64
	err := d.conn(ctx).Raw(fmt.Sprintf(dueJobsSQL, now)).Scan(&n).Error
	return n, err
}
