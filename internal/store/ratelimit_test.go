package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestCountRequestWindows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		t0 := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		count := func(key string, at time.Time) (int, time.Time) {
			t.Helper()
			hits, start, err := db.CountRequest(ctx, key, at, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return hits, start
		}
		for i, at := range []time.Time{t0, t0.Add(time.Second), t0.Add(59*time.Second + 999*time.Millisecond)} {
			if hits, start := count("a", at); hits != i+1 || !start.Equal(t0) {
				t.Fatalf("request %d: %d hits since %v, want %d since %v", i+1, hits, start, i+1, t0)
			}
		}
		// other keys count apart
		if hits, _ := count("b", t0.Add(time.Second)); hits != 1 {
			t.Fatalf("key b: %d hits", hits)
		}
		// the window ends a minute after its first request; the next one opens another
		next := t0.Add(time.Minute)
		if hits, start := count("a", next); hits != 1 || !start.Equal(next) {
			t.Fatalf("after the window: %d hits since %v", hits, start)
		}
		// a purge forgets ended windows only
		if err := db.PurgeRateWindows(ctx, next.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if hits, _ := count("a", next.Add(time.Second)); hits != 2 {
			t.Fatalf("purge dropped an open window: %d hits", hits)
		}
		if hits, start := count("b", next.Add(2*time.Second)); hits != 1 || !start.Equal(next.Add(2*time.Second)) {
			t.Fatalf("key b after purge: %d since %v", hits, start)
		}
	})
}

// Two pools on one PostgreSQL database stand for two processes: their
// concurrent requests are counted exactly once each.
func TestCountRequestAcrossProcesses(t *testing.T) {
	url := storetest.CreatePostgres(t)
	ctx := context.Background()
	var pools []*store.DB
	for range 2 {
		db, err := store.Open(ctx, store.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		pools = append(pools, db)
	}
	if _, err := pools[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 40
	now := time.Now()
	got := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			hits, _, err := pools[i%2].CountRequest(ctx, "shared", now, time.Minute)
			if err != nil {
				t.Error(err)
			}
			got[i] = hits
		})
	}
	wg.Wait()
	slices.Sort(got)
	for i, h := range got {
		if h != i+1 {
			t.Fatalf("counts %v, want 1..%d once each", got, n)
		}
	}
}

// BenchmarkCountRequest measures the statement every limited request runs
// against a plain round trip (SELECT 1) on the same pool:
//
//	CI=true go test -run '^$' -bench CountRequest -benchtime 3s ./internal/store
func BenchmarkCountRequest(b *testing.B) {
	for _, d := range []store.Dialect{store.Postgres, store.SQLite} {
		db := storetest.Open(b, d)
		ctx := context.Background()
		b.Run(string(d)+"/select_1", func(b *testing.B) {
			for b.Loop() {
				var one int
				if err := db.Gorm.WithContext(ctx).Raw("SELECT 1").Row().Scan(&one); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(d)+"/one_key", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.CountRequest(ctx, "one", time.Now(), time.Minute); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(d)+"/new_keys", func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				if _, _, err := db.CountRequest(ctx, fmt.Sprint("key-", i), time.Now(), time.Minute); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
