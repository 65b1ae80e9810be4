package store

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// Default bounds, used when Options leave them zero.
const (
	DefaultTimeout        = 5 * time.Second
	DefaultAcquireTimeout = 3 * time.Second
)

// bounds keeps a stalled, unreachable or saturated database from holding
// a caller: every statement outside a transaction and every transaction
// waits at most acquire for a pooled connection, and every statement
// (BEGIN and COMMIT included) runs at most timeout. The caller's context
// is not enough: background work, and requests that finish their
// bookkeeping after the client left, run without a deadline.
//
// database/sql bounds the wait for a connection only through the context
// of the call, and the same context would then bound the work, so the
// two are split by taking the connection first (sql.DB.Conn) under the
// acquire deadline and running on it under the statement's deadline.
type bounds struct {
	pool    *sql.DB
	acquire time.Duration
	timeout time.Duration
}

// conn takes a pooled connection, waiting at most the acquire bound.
func (b *bounds) conn(ctx context.Context) (*sql.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, b.acquire)
	defer cancel()
	return b.pool.Conn(ctx)
}

// step runs one step of a transaction whose context cancel ends: when the
// step outlives the timeout, cancel interrupts it and the step's error
// becomes domain.Unavailable.
func (b *bounds) step(cancel context.CancelFunc, do func() error) error {
	var late atomic.Bool
	timer := time.AfterFunc(b.timeout, func() { late.Store(true); cancel() })
	err := do()
	timer.Stop()
	if err != nil && late.Load() {
		return domain.Unavailable(err)
	}
	return err
}

// pinKey names, in a statement's settings, the connection the statement
// was given, so that the callback after it gives it back.
type pinKey struct{ st *gorm.Statement }

// pinned is what a bounded statement replaced: its pool and context,
// and the connection it was given (nil in a transaction).
type pinned struct {
	pool   gorm.ConnPool
	ctx    context.Context
	conn   *sql.Conn
	cancel context.CancelFunc
}

func (p *pinned) release() {
	if p.conn != nil {
		_ = p.conn.Close()
	}
	p.cancel()
}

// register bounds every GORM statement: a callback first in each chain
// takes a connection and sets the deadline, one last in each chain gives
// the connection back and translates outages into domain.Unavailable.
func (b *bounds) register(g *gorm.DB) error {
	cb := g.Callback()
	return errors.Join(
		cb.Create().Before("*").Register("portico:bound", b.before),
		cb.Create().After("*").Register("portico:release", b.after),
		cb.Query().Before("*").Register("portico:bound", b.before),
		cb.Query().After("*").Register("portico:release", b.after),
		cb.Update().Before("*").Register("portico:bound", b.before),
		cb.Update().After("*").Register("portico:release", b.after),
		cb.Delete().Before("*").Register("portico:bound", b.before),
		cb.Delete().After("*").Register("portico:release", b.after),
		cb.Raw().Before("*").Register("portico:bound", b.before),
		cb.Raw().After("*").Register("portico:release", b.after),
		cb.Row().Before("*").Register("portico:bound", b.before),
		cb.Row().After("*").Register("portico:release", b.afterRows),
	)
}

// before sets the statement's deadline and, for a statement on the pool,
// pins a connection for it. A statement in a transaction (or nested in a
// pinned one) runs on the connection it has.
func (b *bounds) before(db *gorm.DB) {
	st := db.Statement
	if db.Error != nil || db.DryRun {
		return
	}
	p := &pinned{pool: st.ConnPool, ctx: st.Context}
	if st.ConnPool == gorm.ConnPool(b.pool) {
		conn, err := b.conn(st.Context)
		if err != nil {
			_ = db.AddError(translate(err))
			return
		}
		p.conn, st.ConnPool = conn, conn
	}
	st.Context, p.cancel = context.WithTimeout(st.Context, b.timeout)
	st.Settings.Store(pinKey{st}, p)
}

// after gives the statement's connection back and restores the statement,
// which a caller may run again.
func (b *bounds) after(db *gorm.DB) {
	if p := unpin(db.Statement); p != nil {
		p.release()
	}
	db.Error = translate(db.Error)
}

// afterRows is after for Row and Rows, whose rows outlive the callbacks:
// a pinned connection goes back when the caller closes them, or at the
// deadline, when database/sql closes them itself. In a transaction the
// deadline's timer ends the context.
func (b *bounds) afterRows(db *gorm.DB) {
	switch p := unpin(db.Statement); {
	case p == nil:
	case db.Error != nil:
		p.release()
	case p.conn != nil:
		go p.release() // Conn.Close waits for the rows to close
	}
	db.Error = translate(db.Error)
}

func unpin(st *gorm.Statement) *pinned {
	v, ok := st.Settings.LoadAndDelete(pinKey{st})
	if !ok {
		return nil
	}
	p := v.(*pinned)
	st.ConnPool, st.Context = p.pool, p.ctx
	return p
}
