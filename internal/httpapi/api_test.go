package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/pkg/problem"
)

// testClient keeps connections alive for concurrent tests and benchmarks
// (the default transport keeps only two idle connections per host).
var testClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}

// testAdminToken is the admin token of test servers.
const testAdminToken = "test-admin-token-0123456789"

// api drives a real server over real HTTP against a real database.
type api struct {
	t      testing.TB
	url    string
	app    *app.App
	cfg    config.Config
	db     *store.DB
	promo  *promotion.Service
	sent   *mailbox
	router *echo.Echo
}

// newAPI starts the service on db's database through the composition root,
// with a capturing mailer and River working the background jobs (a test
// waits for them with idle or mails); rate limits are off unless the
// test's cfg sets them.
func newAPI(t testing.TB, db *store.DB) *api {
	t.Helper()
	cfg := apptest.Config(t, db)
	cfg.AdminToken, cfg.PublicURL = testAdminToken, "http://portal.test"
	cfg.RatePerClient, cfg.RatePerAccount = 0, 0
	// webhooks on, to local receivers (the authorization matrix makes endpoints)
	cfg.SecretKey, cfg.WebhookAllowPrivate = testSecretKey, true
	return newAPIWith(t, cfg)
}

// newAPIWith starts the service with cfg.
func newAPIWith(t testing.TB, cfg config.Config) *api {
	t.Helper()
	box := &mailbox{}
	srv := apptest.Start(t, cfg, app.Options{Logger: logging.New(io.Discard, "json", slog.LevelError), Mailer: box})
	return &api{t: t, url: srv.URL(), app: srv, cfg: cfg, db: srv.DB, promo: srv.Promotion, sent: box, router: srv.Router.(*echo.Echo)}
}

// mailbox is a Sender that keeps what it is given.
type mailbox struct {
	mu   sync.Mutex
	msgs []domain.Email
}

func (m *mailbox) Send(_ context.Context, e domain.Email) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, e)
	return nil
}

// mails waits for the background jobs (mail, password resets, bulk runs)
// to be idle and returns every message sent so far.
func (a *api) mails() []domain.Email {
	a.t.Helper()
	a.idle()
	a.sent.mu.Lock()
	defer a.sent.mu.Unlock()
	return slices.Clone(a.sent.msgs)
}

// idle waits until no background job is running or due.
func (a *api) idle() {
	a.t.Helper()
	a.idleWithin(time.Minute)
}

// idleWithin is idle with a bound of its own, for tests whose jobs are long.
func (a *api) idleWithin(d time.Duration) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := a.app.WaitIdle(ctx); err != nil {
		a.t.Fatal(err)
	}
}

var linkToken = regexp.MustCompile(`\?token=([A-Za-z0-9_-]+)`)

// lastToken delivers the outbox and returns the token of the newest link
// mailed to addr.
func (a *api) lastToken(addr string) string {
	a.t.Helper()
	msgs := a.mails()
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(msgs[i].To, addr) {
			if m := linkToken.FindStringSubmatch(msgs[i].Body); m != nil {
				return m[1]
			}
		}
	}
	a.t.Fatalf("no link mailed to %s", addr)
	return ""
}

// response is a finished exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends body (marshalled unless it is a string or nil) with optional
// header pairs ("If-Match", `"1"`), as the admin unless the pairs set
// Authorization.
func (a *api) do(method, path string, body any, header ...string) response {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.url+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// the admin token unless the caller names other credentials
	// ("Authorization", "" sends none)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// ok asserts status and decodes the body into out (if not nil).
func (r response) ok(t testing.TB, status int, out any) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			t.Fatalf("decode %s: %v", r.Body, err)
		}
	}
	return r
}

// problem asserts a problem document with status and code, and returns it.
func (r response) problem(t testing.TB, status int, code string) problem.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != problem.ContentType {
		t.Fatalf("content type %q: %s", ct, r.Body)
	}
	var p problem.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Code != code {
		t.Fatalf("code %q, want %q: %s", p.Code, code, r.Body)
	}
	return p
}

// fields returns the field names of a problem's errors.
func fields(p problem.Problem) []string {
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}
