package httpapi_test

import (
	"strconv"
	"testing"

	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/store/storetest"
)

// limitedAPI serves the service on the database at url with the limits
// (per minute), as one process would.
func limitedAPI(t *testing.T, url string, perClient, perAccount int) *api {
	t.Helper()
	cfg := apptest.Config(t, storetest.Open(t, "sqlite"))
	cfg.DatabaseURL, cfg.AdminToken = url, testAdminToken
	cfg.RatePerClient, cfg.RatePerAccount = perClient, perAccount
	return newAPIWith(t, cfg)
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
	// two processes behind one load balancer: two services, each with its
	// own pool, on one PostgreSQL database
	url := storetest.CreatePostgres(t)
	serve := func(t *testing.T, perClient, perAccount int) [2]*api {
		return [2]*api{limitedAPI(t, url, perClient, perAccount), limitedAPI(t, url, perClient, perAccount)}
	}
	t.Run("per account", func(t *testing.T) {
		procs := serve(t, 0, n)
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
		procs := serve(t, n, 0)
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
		procs := serve(t, 0, 0)
		for i := range 3 * n {
			signIn(procs[i%2], "jane@acme.example").problem(t, 401, "invalid_credentials")
		}
	})
}
