package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
	"github.com/portico/portico/pkg/client"
)

// adminToken is the admin token of the server under test.
const adminToken = "e2e-admin-token-0123456789"

// specPath is the published document the suite holds the server to.
const specPath = "../../api/openapi.yaml"

// portico is a running server and the means to reach it.
type portico struct {
	t       *testing.T
	url     string
	admin   *client.ClientWithResponses // with the admin token
	anon    *client.ClientWithResponses // without credentials
	checker *checker
	app     *app.App
	sent    *mailbox
	promo   *promotion.Service
}

// start serves the service on a fresh PostgreSQL database through the
// composition root cmd/portico uses, with a capturing mailer; River works
// the background jobs and the test waits for them (idle).
func start(t *testing.T) *portico {
	t.Helper()
	cfg := apptest.Config(t, storetest.Open(t, store.Postgres))
	cfg.AdminToken, cfg.PublicURL = adminToken, "http://portal.test"
	cfg.RatePerClient, cfg.RatePerAccount = 0, 0
	// webhooks on, delivering to receivers on loopback
	cfg.SecretKey, cfg.WebhookAllowPrivate = []byte("e2e-secret-key-0123456789abcdef!"), true
	box := &mailbox{}
	srv := apptest.Start(t, cfg, app.Options{Logger: logging.New(io.Discard, "json", slog.LevelError), Mailer: box})
	p := &portico{t: t, url: srv.URL(), checker: newChecker(t, specPath, srv.URL()), sent: box, promo: srv.Promotion, app: srv}
	p.admin = p.client(adminToken)
	p.anon = p.client("")
	return p
}

// client is a generated client whose every exchange is checked against
// the document, sending token as the bearer token (none when empty).
func (p *portico) client(token string) *client.ClientWithResponses {
	p.t.Helper()
	hc := &http.Client{Transport: p.checker, Timeout: time.Minute}
	opts := []client.ClientOption{client.WithHTTPClient(hc)}
	if token != "" {
		opts = append(opts, client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	}
	c, err := client.NewClientWithResponses(p.url, opts...)
	if err != nil {
		p.t.Fatalf("client: %v", err)
	}
	return c
}

// idle waits until no background job (bulk run, mail) is running or due.
func (p *portico) idle() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.app.WaitIdle(ctx); err != nil {
		p.t.Fatal(err)
	}
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

var linkToken = regexp.MustCompile(`\?token=([A-Za-z0-9_-]+)`)

// activationToken delivers the outbox and returns the token of the newest
// link mailed to addr.
func (p *portico) activationToken(addr string) string {
	p.t.Helper()
	p.idle()
	p.sent.mu.Lock()
	defer p.sent.mu.Unlock()
	for i := len(p.sent.msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(p.sent.msgs[i].To, addr) {
			if m := linkToken.FindStringSubmatch(p.sent.msgs[i].Body); m != nil {
				return m[1]
			}
		}
	}
	p.t.Fatalf("no link mailed to %s", addr)
	return ""
}

// response is what every generated XxxResponse offers.
type response interface{ StatusCode() int }

// want fails the test unless r has status, showing the body otherwise.
func want(t *testing.T, r response, err error, status int) {
	t.Helper()
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if r.StatusCode() != status {
		t.Fatalf("status %d, want %d", r.StatusCode(), status)
	}
}

// ptr returns a pointer to v, for the optional members of request bodies.
func ptr[T any](v T) *T { return &v }
