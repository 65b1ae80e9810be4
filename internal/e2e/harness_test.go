package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/mail"
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
	outbox  *mail.Worker
	sent    *mailbox
	promo   *promotion.Service
}

// start serves the real router on a fresh PostgreSQL database, wired as
// cmd/portico wires it (with a cheap bcrypt cost and a capturing mailer).
func start(t *testing.T) *portico {
	t.Helper()
	db := storetest.Open(t, store.Postgres)
	log := logging.New(io.Discard, "json", slog.LevelError)
	promo := promotion.New(db, db, db, promotion.Config{PublicURL: "http://portal.test", BcryptCost: bcrypt.MinCost})
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{
		Logger:      log,
		DB:          db,
		BodyLimit:   1 << 20,
		Directory:   directory.New(db),
		Promotion:   promo,
		Auth:        access.NewAuthenticator(db, adminToken),
		Idempotency: db,
	}))
	t.Cleanup(srv.Close)
	box := &mailbox{}
	p := &portico{t: t, url: srv.URL, checker: newChecker(t, specPath, srv.URL), sent: box, promo: promo,
		outbox: &mail.Worker{Outbox: db, Sender: box, Log: log, Interval: time.Second, MaxAttempts: 3, BaseBackoff: time.Millisecond}}
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

// runJobs works the queued bulk promotion jobs, as the server's worker does.
func (p *portico) runJobs() {
	p.t.Helper()
	for {
		worked, err := p.promo.RunOneJob(context.Background(), "e2e")
		if err != nil {
			p.t.Fatalf("promotion job: %v", err)
		}
		if !worked {
			return
		}
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
	p.outbox.Drain(context.Background())
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
