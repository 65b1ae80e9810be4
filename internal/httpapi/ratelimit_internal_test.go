package httpapi

import (
	"context"
	"testing"
	"time"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// A limit of N a minute lets N requests through in the window opened by
// the first one, answers the next with the seconds until that window ends,
// and opens a new window once it has.
func TestRateLimitLetsNThroughPerWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
		clock := t0
		l := &limiter{name: "account", perWindow: 10, counter: db, now: func() time.Time { return clock }}
		wait := func() time.Duration {
			t.Helper()
			d, err := l.wait(ctx, "jane@acme.example")
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		for i := range 10 {
			if d := wait(); d != 0 {
				t.Fatalf("request %d of 10 refused for %v", i+1, d)
			}
			clock = clock.Add(time.Second)
		}
		if d := wait(); d != 50*time.Second {
			t.Fatalf("11th request 10s into the window: wait %v, want 50s", d)
		}
		clock = t0.Add(time.Minute)
		if d := wait(); d != 0 {
			t.Fatalf("first request of the next window refused for %v", d)
		}

		// 0 disables the limit: nothing refused, nothing counted
		off := &limiter{name: "client", perWindow: 0, counter: db, now: l.now}
		count := func() (n int64) {
			if err := db.Gorm.Table("rate_limit_counters").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		for range 50 {
			if d, err := off.wait(ctx, "127.0.0.1"); d != 0 || err != nil {
				t.Fatalf("disabled limit: wait %v, %v", d, err)
			}
		}
		if after := count(); after != before {
			t.Fatalf("a disabled limit counted: %d rows, want %d", after, before)
		}
	})
}
