package store

import (
	"context"

	"gorm.io/gorm"
)

type txKey struct{}

// WithinTx runs fn in one transaction carried by the context it gets.
// Repositories called with that context join it. A nested call joins the
// outer transaction instead of opening another.
//
// The transaction waits at most the acquire bound for its connection;
// BEGIN, COMMIT and every statement in between each run at most the
// timeout, so that a stalled database ends the transaction at its next
// step with domain.Unavailable. The transaction as a whole is not cut: a
// large one made of short statements (a bulk job's items) completes. On
// PostgreSQL the server also ends a session left idle in a transaction
// past the timeout.
func (d *DB) WithinTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	conn, err := d.bounds.conn(ctx)
	if err != nil {
		return translate(err)
	}
	defer func() { _ = conn.Close() }()
	// database/sql ties the transaction to the context of BEGIN; the bound
	// of each step cancels it when that step runs late
	txCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	session := d.Gorm.WithContext(txCtx)
	session.Statement.ConnPool = conn
	var tx *gorm.DB
	if err := d.bounds.step(cancel, func() error { tx = session.Begin(); return tx.Error }); err != nil {
		return translate(err)
	}
	finished := false
	defer func() {
		if !finished { // fn failed or panicked
			_ = d.bounds.step(cancel, func() error { return tx.Rollback().Error })
		}
	}()
	if err := fn(context.WithValue(txCtx, txKey{}, tx)); err != nil {
		return translate(err)
	}
	finished = true
	return translate(d.bounds.step(cancel, func() error { return tx.Commit().Error }))
}

// conn returns the transaction in ctx, or the pool, bound to ctx.
func (d *DB) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return d.Gorm.WithContext(ctx)
}
