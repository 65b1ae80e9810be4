package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the connection under WithinTx's transaction is a pgx one.
// withPgx hands it out, so that the transaction's large writes can use
// pgx's own COPY and native argument encoding (database/sql turns slices
// into text first), and River's pgx driver can insert jobs in it.

// sqlConnKey carries the connection WithinTx's transaction runs on.
type sqlConnKey struct{}

var errNoPgxTx = errors.New("store: pgx work runs inside a PostgreSQL transaction (WithinTx)")

// withPgx runs fn on the pgx connection that holds ctx's transaction.
// Whatever fn runs is part of that transaction; fn must not begin, commit
// or roll back on its own (PgxTx.Begin gives a savepoint).
func withPgx(ctx context.Context, fn func(conn *pgx.Conn) error) error {
	c, ok := ctx.Value(sqlConnKey{}).(*sql.Conn)
	if !ok {
		return errNoPgxTx
	}
	return c.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errNoPgxTx
		}
		return fn(sc.Conn())
	})
}

// WithPgxTx runs fn with ctx's transaction seen as a pgx.Tx (what River's
// pgx driver inserts through). Commit and Rollback stay WithinTx's: on the
// value fn gets they fail.
func WithPgxTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return withPgx(ctx, func(conn *pgx.Conn) error { return fn(pgxTx{conn}) })
}

// pgxTx is the transaction WithinTx opened, as a pgx.Tx over its
// connection; Begin nests a savepoint, as pgx's own transactions do.
type pgxTx struct{ c *pgx.Conn }

var errTxOwned = errors.New("store: WithinTx commits or rolls back this transaction")

func (t pgxTx) Begin(ctx context.Context) (pgx.Tx, error) { return beginSavepoint(ctx, t.c) }
func (pgxTx) Commit(context.Context) error                { return errTxOwned }
func (pgxTx) Rollback(context.Context) error              { return errTxOwned }
func (t pgxTx) Conn() *pgx.Conn                           { return t.c }
func (pgxTx) LargeObjects() pgx.LargeObjects              { return pgx.LargeObjects{} }

func (t pgxTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error) {
	return t.c.CopyFrom(ctx, table, columns, rows)
}

func (t pgxTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.c.SendBatch(ctx, b)
}

func (t pgxTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.c.Prepare(ctx, name, sql)
}

func (t pgxTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.c.Exec(ctx, sql, args...)
}

func (t pgxTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.c.Query(ctx, sql, args...)
}

func (t pgxTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.c.QueryRow(ctx, sql, args...)
}

var pgxSavepoints atomic.Int64

// savepointTx is a savepoint inside a pgxTx, released by Commit.
type savepointTx struct {
	pgxTx
	name   string
	closed bool
}

func beginSavepoint(ctx context.Context, c *pgx.Conn) (pgx.Tx, error) {
	name := "pgx_sp_" + strconv.FormatInt(pgxSavepoints.Add(1), 10)
	if _, err := c.Exec(ctx, "SAVEPOINT "+name); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	return &savepointTx{pgxTx: pgxTx{c}, name: name}, nil
}

func (s *savepointTx) Commit(ctx context.Context) error {
	if s.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	_, err := s.c.Exec(ctx, "RELEASE SAVEPOINT "+s.name)
	return err
}

// Rollback undoes the savepoint; after Commit it does nothing, so that a
// deferred Rollback is safe, as with pgx's own transactions.
func (s *savepointTx) Rollback(ctx context.Context) error {
	if s.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	_, err := s.c.Exec(ctx, "ROLLBACK TO SAVEPOINT "+s.name)
	return err
}
