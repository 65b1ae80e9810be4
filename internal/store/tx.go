package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

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
	if err := fn(context.WithValue(context.WithValue(txCtx, txKey{}, tx), sqlConnKey{}, conn)); err != nil {
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

var savepoints atomic.Int64

// WithinSavepoint runs fn in a savepoint of the transaction ctx carries,
// so that a failure of fn (or keep false: a dry run) undoes what fn wrote
// and leaves the transaction usable for what follows. Without a
// transaction it is a transaction of its own, committed only when fn
// succeeds and keep is true.
func (d *DB) WithinSavepoint(ctx context.Context, keep bool, fn func(ctx context.Context) error) error {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		err := d.WithinTx(ctx, func(ctx context.Context) error {
			if err := fn(ctx); err != nil {
				return err
			}
			if !keep {
				return errUndo
			}
			return nil
		})
		if errors.Is(err, errUndo) {
			return nil
		}
		return err
	}
	name := fmt.Sprintf("portico_sp_%d", savepoints.Add(1))
	if err := tx.SavePoint(name).Error; err != nil {
		return translate(err)
	}
	if err := fn(ctx); err != nil || !keep {
		if rerr := tx.RollbackTo(name).Error; rerr != nil && err == nil {
			return translate(rerr)
		}
		return err
	}
	return translate(tx.Exec("RELEASE SAVEPOINT " + name).Error)
}

// errUndo rolls back a transaction whose work was only a trial.
var errUndo = errors.New("store: undo the trial")
