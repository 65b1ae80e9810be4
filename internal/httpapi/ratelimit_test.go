package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/logging"
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
		before := (&api{t: t, db: db}).count(t, "rate_limit_counters", "")
		for range 50 {
			if d, err := off.wait(ctx, "127.0.0.1"); d != 0 || err != nil {
				t.Fatalf("disabled limit: wait %v, %v", d, err)
			}
		}
		if after := (&api{t: t, db: db}).count(t, "rate_limit_counters", ""); after != before {
			t.Fatalf("a disabled limit counted: %d rows, want %d", after, before)
		}
	})
}

// limitedAPI serves the router with limits on db, as one process would.
func limitedAPI(t *testing.T, db *store.DB, limits RateLimits) *api {
	t.Helper()
	promo := newAPI(t, db).promo
	e := New(Deps{Logger: logging.New(io.Discard, "json", slog.LevelError), DB: db, BodyLimit: 1 << 20,
		Directory: directory.New(db), Promotion: promo, Auth: access.NewAuthenticator(db, testAdminToken),
		Limits: limits})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv, db: db, promo: promo}
}

// twoProcesses opens two pools on one fresh PostgreSQL database: the
// databases of two Portico processes behind one load balancer.
func twoProcesses(t *testing.T) [2]*store.DB {
	t.Helper()
	url := storetest.CreatePostgres(t)
	var out [2]*store.DB
	for i := range out {
		db, err := store.Open(context.Background(), store.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		out[i] = db
	}
	return out
}

// wantLimited asserts a 429 rate_limited with Retry-After within the minute.
func wantLimited(t *testing.T, r response) {
	t.Helper()
	r.problem(t, 429, "rate_limited")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 60 {
		t.Fatalf("Retry-After %q, want 1..60 seconds", r.Header.Get("Retry-After"))
	}
}

// Two processes on one database share each allowance: together they let
// exactly N attempts through, per account and per client address. (The
// subtests count different keys: the per-account limit leaves the address
// uncounted, and 0 counts nothing.)
func TestRateLimitsSharedByProcesses(t *testing.T) {
	const n = 5
	signIn := func(a *api, email string) response {
		return a.do("POST", "/api/v1/sessions", map[string]any{"email": email, "password": "a wrong password"}, "Authorization", "")
	}
	dbs := twoProcesses(t)
	serve := func(t *testing.T, limits RateLimits) [2]*api {
		return [2]*api{limitedAPI(t, dbs[0], limits), limitedAPI(t, dbs[1], limits)}
	}
	t.Run("per account", func(t *testing.T) {
		procs := serve(t, RateLimits{PerAccount: n})
		for i := range n {
			signIn(procs[i%2], "jane@acme.example").problem(t, 401, "invalid_credentials")
		}
		wantLimited(t, signIn(procs[0], "jane@acme.example"))
		wantLimited(t, signIn(procs[1], "JANE@acme.example")) // the same account, however spelled
		// a reset names the account too; another account is untouched
		wantLimited(t, procs[1].do("POST", "/api/v1/password-resets", map[string]any{"email": "jane@acme.example"}, "Authorization", ""))
		signIn(procs[1], "joe@acme.example").problem(t, 401, "invalid_credentials")
	})
	t.Run("per client", func(t *testing.T) {
		procs := serve(t, RateLimits{PerClient: n})
		for i := range n {
			signIn(procs[i%2], strconv.Itoa(i)+"@acme.example").problem(t, 401, "invalid_credentials")
		}
		wantLimited(t, signIn(procs[1], "another@acme.example"))
		// every public endpoint counts against the address
		wantLimited(t, procs[0].do("POST", "/api/v1/activations", map[string]any{"token": "x", "password": "y"}, "Authorization", ""))
		// authenticated operations are not limited
		procs[0].do("GET", "/api/v1/organizations", nil).ok(t, 200, nil)
	})
	t.Run("0 disables", func(t *testing.T) {
		procs := serve(t, RateLimits{})
		for i := range 3 * n {
			signIn(procs[i%2], "jane@acme.example").problem(t, 401, "invalid_credentials")
		}
	})
}
