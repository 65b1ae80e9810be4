package httpapi_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// The database bounds of the outage tests: short, so that the tests are
// quick, yet room to open a connection on a loaded machine. A statement
// waits at most outageAcquire for a connection and then runs at most
// outageTimeout, so every answer must come within their sum plus
// outageSlack (a loaded machine schedules late).
const (
	outageTimeout = time.Second
	outageAcquire = time.Second
	outageSlack   = time.Second
	outageBound   = outageAcquire + outageTimeout + outageSlack
	recoverWithin = 10 * time.Second
)

var outageOptions = store.Options{Timeout: outageTimeout, AcquireTimeout: outageAcquire}

// outageRoute is one request the outage tests send, with its answer when
// the database is well.
type outageRoute struct {
	name, method, path string
	body               func() any
	header             []string
	ok                 int
}

// outageRoutes builds, while the database is well, what the routes need:
// an active user who signs in, and their session.
func outageRoutes(t *testing.T, a *api) []outageRoute {
	t.Helper()
	org := a.org(t, map[string]any{"name": "Acme", "email_domains": []string{"acme.example"}})
	group := a.group(t, map[string]any{"name": "Resellers"})
	id := a.contact(t, map[string]any{"first_name": "Jane", "email": "jane@acme.example", "organization_id": org})
	a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{group}}).ok(t, 201, nil)
	a.do("POST", "/api/v1/activations", map[string]any{"token": a.lastToken("jane@acme.example"), "password": "correct horse battery"}).ok(t, 200, nil)
	session := a.signIn(t, "jane@acme.example", "correct horse battery")
	other := a.contact(t, map[string]any{"first_name": "Joe", "email": "joe@acme.example", "organization_id": org})
	return []outageRoute{
		{name: "list contacts", method: "GET", path: "/api/v1/contacts", ok: 200},
		{name: "create contact", method: "POST", path: "/api/v1/contacts", ok: 201,
			body: func() any { return map[string]any{"last_name": "Roe"} }},
		{name: "sign in", method: "POST", path: "/api/v1/sessions", header: []string{"Authorization", ""}, ok: 201,
			body: func() any { return map[string]any{"email": "jane@acme.example", "password": "correct horse battery"} }},
		{name: "session", method: "GET", path: "/api/v1/users/me", header: []string{"Authorization", "Bearer " + session}, ok: 200},
		{name: "dry-run promotion", method: "POST", path: "/api/v1/contacts/" + other + "/promote", ok: 200,
			body: func() any { return map[string]any{"dry_run": true, "group_ids": []string{group}} }},
	}
}

// send is a.do with a client that gives up after outageBound, so that a
// hanging request fails the test instead of hanging it; it returns how
// long the answer took.
func (a *api) send(t *testing.T, r outageRoute) (response, time.Duration) {
	t.Helper()
	var body io.Reader
	if r.body != nil {
		raw, err := json.Marshal(r.body())
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.method, a.url+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	for i := 0; i+1 < len(r.header); i += 2 {
		req.Header.Set(r.header[i], r.header[i+1])
	}
	client := &http.Client{Timeout: outageBound}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: no answer within %s: %v", r.name, outageBound, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: raw}, time.Since(start)
}

// wantUnavailable asserts that every route answers 503
// database_unavailable with Retry-After, within the bound.
func (a *api) wantUnavailable(t *testing.T, routes []outageRoute) {
	t.Helper()
	for _, r := range routes {
		res, took := a.send(t, r)
		if res.Status != http.StatusServiceUnavailable {
			t.Fatalf("%s: status %d after %s, want 503: %s", r.name, res.Status, took, res.Body)
		}
		p := res.problem(t, http.StatusServiceUnavailable, "database_unavailable")
		if p.Type != "http://portal.test/problems/database_unavailable" || p.Detail == "" {
			t.Errorf("%s: problem %+v", r.name, p)
		}
		if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 1 {
			t.Errorf("%s: Retry-After %q", r.name, res.Header.Get("Retry-After"))
		}
		t.Logf("%s: 503 after %s", r.name, took.Round(time.Millisecond))
		if took > outageAcquire+outageTimeout+outageSlack/2 {
			t.Errorf("%s: answered after %s, beyond the bound %s", r.name, took, outageAcquire+outageTimeout)
		}
	}
}

// wantWell asserts that every route answers as it does when the database
// is well, within recoverWithin: the service recovers without a restart.
// (A step may run late on a loaded machine and hit the short bound, hence
// the retries.)
func (a *api) wantWell(t *testing.T, routes []outageRoute) {
	t.Helper()
	for _, r := range routes {
		deadline := time.Now().Add(recoverWithin)
		for {
			res, took := a.send(t, r)
			if res.Status == r.ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: status %d after %s, want %d: %s", r.name, res.Status, took, r.ok, res.Body)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// TestDatabaseOutage runs the service on PostgreSQL through a proxy that
// stalls (a frozen server: connections open, no bytes) and then refuses
// (a stopped server): every request answers 503 database_unavailable
// within the bound, and answers normally again once the database is back.
// Sessions terminated by the server answer 503 at worst, never 500.
func TestDatabaseOutage(t *testing.T) {
	direct, proxied, proxy := storetest.ProxiedPostgres(t)
	// the fixtures are made with the tests' generous bounds, the outage is
	// met with short ones
	routes := outageRoutes(t, newAPI(t, storetest.OpenAt(t, store.Options{URL: direct})))
	opts := outageOptions
	opts.URL = proxied
	a := newAPI(t, storetest.OpenAt(t, opts))
	a.wantWell(t, routes)

	t.Run("stalled", func(t *testing.T) {
		proxy.Stall()
		a.wantUnavailable(t, routes)
		proxy.Resume()
		a.wantWell(t, routes)
	})
	t.Run("refused", func(t *testing.T) {
		proxy.Refuse()
		a.wantUnavailable(t, routes)
		proxy.Resume()
		a.wantWell(t, routes)
	})
	t.Run("sessions terminated", func(t *testing.T) {
		// every pooled connection dies at once (57P01 on its next use):
		// a request may fail on one, with 503, but none answers 500, and the
		// pool replaces them without a restart
		a.wantWell(t, routes)
		if n := storetest.TerminateSessions(t, direct); n == 0 {
			t.Fatal("no session to terminate")
		}
		for _, r := range routes {
			res, _ := a.send(t, r)
			t.Logf("%s: %d after the sessions ended", r.name, res.Status)
			if res.Status != r.ok {
				res.problem(t, http.StatusServiceUnavailable, "database_unavailable")
			}
		}
		a.wantWell(t, routes)
	})
	t.Run("readyz", func(t *testing.T) {
		proxy.Stall()
		defer proxy.Resume()
		res, _ := a.send(t, outageRoute{name: "readyz", method: "GET", path: "/readyz"})
		res.problem(t, http.StatusServiceUnavailable, "database_unavailable")
		if res.Header.Get("Retry-After") == "" {
			t.Error("readyz 503 without Retry-After")
		}
	})
}

// TestPoolExhausted holds every connection of the pool (SQLite has one)
// the way a long transaction would: requests waiting for a connection
// answer 503 database_unavailable within the acquire bound, and are
// served once the connections come back.
func TestPoolExhausted(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			where := store.Options{SQLitePath: filepath.Join(t.TempDir(), "portico.db")}
			if d == store.Postgres {
				where = store.Options{URL: storetest.CreatePostgres(t)}
			}
			routes := outageRoutes(t, newAPI(t, storetest.OpenAt(t, where)))
			opts := outageOptions
			opts.URL, opts.SQLitePath = where.URL, where.SQLitePath
			a := newAPI(t, storetest.OpenAt(t, opts))
			a.wantWell(t, routes)
			held := holdEveryConnection(t, a.db) // the service's own pool
			a.wantUnavailable(t, routes)
			for _, c := range held {
				_ = c.Close()
			}
			a.wantWell(t, routes)
		})
	}
}

// holdEveryConnection takes every connection the pool may open.
func holdEveryConnection(t *testing.T, db *store.DB) []*sql.Conn {
	t.Helper()
	pool, err := db.Gorm.DB()
	if err != nil {
		t.Fatal(err)
	}
	var held []*sql.Conn
	for range pool.Stats().MaxOpenConnections {
		c, err := pool.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	t.Cleanup(func() {
		for _, c := range held {
			_ = c.Close()
		}
	})
	return held
}
