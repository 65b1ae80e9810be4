package store_test

import (
	"testing"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// The migrations are the schema of record; the GORM rows must read and
// write exactly their columns, on both databases.
func TestModelsMatchMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mismatches, err := store.CompareModels(db)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mismatches {
			t.Error(m)
		}
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		first, err := db.Migrate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if first < 1 {
			t.Fatalf("schema version %d, want at least 1", first)
		}
		second, err := db.Migrate(t.Context())
		if err != nil || second != first {
			t.Fatalf("second migrate: version %d, err %v; want %d, nil", second, err, first)
		}
	})
}
