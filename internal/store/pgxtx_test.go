package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// What runs through WithPgxTx is part of WithinTx's transaction: COPY and
// statements commit and roll back with it, and Begin nests savepoints.
func TestWithPgxTxJoinsTheTransaction(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := t.Context()
	if err := db.Gorm.Exec("CREATE TABLE probe (n int)").Error; err != nil {
		t.Fatal(err)
	}
	write := func(ctx context.Context) error {
		return store.WithPgxTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO probe VALUES ($1)", 2); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"probe"}, []string{"n"}, pgx.CopyFromRows([][]any{{3}, {4}})); err != nil {
				return err
			}
			undone, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			if _, err := undone.Exec(ctx, "INSERT INTO probe VALUES (5)"); err != nil {
				return err
			}
			if err := undone.Rollback(ctx); err != nil {
				return err
			}
			kept, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			if _, err := kept.Exec(ctx, "INSERT INTO probe VALUES (6)"); err != nil {
				return err
			}
			if err := kept.Commit(ctx); err != nil {
				return err
			}
			if err := kept.Rollback(ctx); !errors.Is(err, pgx.ErrTxClosed) {
				return errors.New("a released savepoint rolled back")
			}
			if tx.Commit(ctx) == nil || tx.Rollback(ctx) == nil {
				return errors.New("the transaction was ended from inside")
			}
			return nil
		})
	}
	rows := func() []int {
		var ns []int
		if err := db.Gorm.Raw("SELECT n FROM probe ORDER BY n").Scan(&ns).Error; err != nil {
			t.Fatal(err)
		}
		return ns
	}

	failed := errors.New("undo")
	err := db.WithinTx(ctx, func(ctx context.Context) error {
		if err := write(ctx); err != nil {
			t.Fatal(err)
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("WithinTx: %v", err)
	}
	if got := rows(); len(got) != 0 {
		t.Fatalf("after a rollback the table holds %v", got)
	}

	if err := db.WithinTx(ctx, write); err != nil {
		t.Fatal(err)
	}
	if got, want := rows(), []int{2, 3, 4, 6}; !slices.Equal(got, want) {
		t.Fatalf("committed %v, want %v", got, want)
	}

	if err := store.WithPgxTx(ctx, func(pgx.Tx) error { return nil }); err == nil {
		t.Fatal("WithPgxTx ran outside a transaction")
	}
	lite := storetest.Open(t, store.SQLite)
	if err := lite.WithinTx(ctx, func(ctx context.Context) error {
		return store.WithPgxTx(ctx, func(pgx.Tx) error { return nil })
	}); err == nil {
		t.Fatal("WithPgxTx ran on SQLite")
	}
}
