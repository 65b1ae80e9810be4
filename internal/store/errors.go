package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

// isUniqueViolation reports a unique or primary key violation on either
// database.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isForeignKeyViolation reports a foreign key violation on either database.
func isForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// outageStates are the PostgreSQL SQLSTATEs of a server that cannot serve
// now, besides class 08 (connection exception): shutting down (admin,
// crash), starting up, statement or idle-in-transaction timeout, and too
// many connections.
var outageStates = []string{"57P01", "57P02", "57P03", "57014", "25P03", "53300"}

// SQLite primary result codes of a database that is busy: locked by
// another process past busy_timeout, or interrupted at the deadline.
const (
	sqliteBusy      = 5
	sqliteLocked    = 6
	sqliteInterrupt = 9
)

// isOutage reports an error that says the database is unreachable, down,
// stalled or out of time or connections, rather than that the request or
// the code is wrong.
func isOutage(err error) bool {
	var (
		pg      *pgconn.PgError
		connect *pgconn.ConnectError
		netErr  net.Error
		lite    interface{ Code() int } // the SQLite driver's error
	)
	switch {
	case errors.As(err, &pg):
		return strings.HasPrefix(pg.Code, "08") || slices.Contains(outageStates, pg.Code)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	case errors.As(err, &lite):
		code := lite.Code() & 0xff
		return code == sqliteBusy || code == sqliteLocked || code == sqliteInterrupt
	}
	return false
}

// translate turns a database outage into domain.Unavailable (503) and
// leaves every other error as it is.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := domain.AsError(err); ok || !isOutage(err) {
		return err
	}
	return domain.Unavailable(err)
}

// notFound maps GORM's missing record to the domain's not-found error.
func notFound(err error, resource, id string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.NotFound(resource, id)
	}
	return err
}

// forUpdate locks the selected rows on PostgreSQL; SQLite serializes
// writers on its single connection already.
func (d *DB) forUpdate(q *gorm.DB) *gorm.DB {
	if d.Dialect == Postgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// lockOf locks only the named table's rows of a joined query.
func lockOf(table string) clause.Locking {
	return clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: table}}
}

// page applies cursor pagination in id order, fetching one extra row to
// learn whether a next page exists.
func page(q *gorm.DB, table string, p domain.Page) *gorm.DB {
	if p.After != [16]byte{} {
		q = q.Where(table+".id > ?", p.After)
	}
	return q.Order(table + ".id").Limit(p.Limit + 1)
}

// trimPage cuts the extra row and reports whether there was one.
func trimPage[T any](rows []T, limit int) ([]T, bool) {
	if len(rows) > limit {
		return rows[:limit], true
	}
	return rows, false
}
