package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// sqliteError has the shape of the SQLite driver's error.
type sqliteError int

func (e sqliteError) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteError) Code() int     { return int(e) }

func TestTranslateOutages(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	outages := map[string]error{
		"admin shutdown":          &pgconn.PgError{Code: "57P01", Severity: "FATAL"},
		"crash shutdown":          &pgconn.PgError{Code: "57P02"},
		"shutting down, starting": &pgconn.PgError{Code: "57P03", Message: "the database system is shutting down"},
		"statement timeout":       &pgconn.PgError{Code: "57014"},
		"idle in transaction":     &pgconn.PgError{Code: "25P03"},
		"too many connections":    &pgconn.PgError{Code: "53300"},
		"connection failure":      &pgconn.PgError{Code: "08006"},
		"deadline":                context.DeadlineExceeded,
		"wrapped deadline":        fmt.Errorf("query: %w", context.DeadlineExceeded),
		"connection refused":      refused,
		"connect error":           &pgconn.ConnectError{},
		"bad connection":          driver.ErrBadConn,
		"connection done":         sql.ErrConnDone,
		"pgx conn closed":         pgconn.ErrConnClosed,
		"unexpected EOF":          fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF),
		"sqlite busy":             sqliteError(5),
		"sqlite busy snapshot":    sqliteError(517),
		"sqlite interrupted":      sqliteError(9),
	}
	for name, err := range outages {
		t.Run(name, func(t *testing.T) {
			de, ok := domain.AsError(translate(err))
			if !ok || de.Kind != domain.KindUnavailable || de.Code != "database_unavailable" || !errors.Is(de, err) {
				t.Fatalf("translate(%v) = %v, want database_unavailable wrapping it", err, translate(err))
			}
		})
	}
	others := map[string]error{
		"unique violation":  &pgconn.PgError{Code: "23505"},
		"syntax error":      &pgconn.PgError{Code: "42601"},
		"record not found":  gorm.ErrRecordNotFound,
		"client went away":  context.Canceled,
		"sqlite constraint": sqliteError(19),
		"domain error":      domain.NotFound("contact", "x"),
	}
	for name, err := range others {
		t.Run(name, func(t *testing.T) {
			if de, ok := domain.AsError(translate(err)); ok && de.Kind == domain.KindUnavailable {
				t.Fatalf("translate(%v) = %v, want it left alone", err, de)
			}
		})
	}
}
