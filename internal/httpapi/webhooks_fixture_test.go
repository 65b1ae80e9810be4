package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portico/portico/internal/config"
	. "github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/store"
)

// testSecretKey is PORTICO_SECRET_KEY of webhook tests (32 bytes).
var testSecretKey = []byte("0123456789abcdef0123456789abcdef")

// webhookConfig is testConfig with webhooks on, deliveries to loopback
// allowed (the receiver is a local server) and a retry schedule of
// milliseconds.
func webhookConfig(t testing.TB, db *store.DB) config.Config {
	cfg := testConfig(t, db)
	cfg.SecretKey, cfg.WebhookAllowPrivate = testSecretKey, true
	cfg.Webhooks = config.WebhookTuning{Attempts: 5, RetryBase: 50 * time.Millisecond, RetryCap: 200 * time.Millisecond, DisableAfter: time.Hour}
	return cfg
}

// hookCall is one request the receiver took.
type hookCall struct {
	ID, Timestamp, Signature string
	Type                     string
	Data                     map[string]any
	Body                     []byte
}

// receiver is a webhook endpoint that verifies every delivery with the
// official Standard Webhooks library against each of its secrets, and
// answers with the status the test sets (200 by default).
type receiver struct {
	t       testing.TB
	srv     *httptest.Server
	mu      sync.Mutex
	secrets []string
	calls   []hookCall
	answer  []byte // the body it answers ("thanks" by default)
	status  atomic.Int32
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{t: t, answer: []byte("thanks")}
	r.status.Store(200)
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.secrets) == 0 {
		r.t.Errorf("a delivery came before the receiver knew its secret")
	}
	for _, s := range r.secrets {
		wh, err := standardwebhooks.NewWebhook(s)
		if err != nil {
			r.t.Errorf("secret %q: %v", s, err)
			continue
		}
		if err := wh.Verify(body, req.Header); err != nil {
			r.t.Errorf("delivery %s does not verify with secret %s…: %v (signature %q)", req.Header.Get("webhook-id"), s[:10], err, req.Header.Get("webhook-signature"))
		}
	}
	var ev struct {
		Type      string         `json:"type"`
		Timestamp time.Time      `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Timestamp.IsZero() {
		r.t.Errorf("body %s is not {type, timestamp, data}: %v", body, err)
	}
	r.calls = append(r.calls, hookCall{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"),
		Signature: req.Header.Get("webhook-signature"), Type: ev.Type, Data: ev.Data, Body: body})
	w.WriteHeader(int(r.status.Load()))
	_, _ = w.Write(r.answer)
}

func (r *receiver) trust(secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = append(r.secrets, secret)
}

// got returns the calls so far.
func (r *receiver) got() []hookCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hookCall(nil), r.calls...)
}

// ofType returns the calls of one event type.
func (r *receiver) ofType(typ string) []hookCall {
	var out []hookCall
	for _, c := range r.got() {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// endpoint subscribes the receiver to events (nil: every event) and
// trusts the secret the answer shows.
func (a *api) endpoint(t testing.TB, r *receiver, events []string) WebhookEndpointCreated {
	t.Helper()
	var e WebhookEndpointCreated
	a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": r.srv.URL + "/hooks", "events": events, "description": "test"}).ok(t, 201, &e)
	r.trust(e.Secret)
	return e
}

// deliveries lists an endpoint's deliveries.
func (a *api) deliveries(t testing.TB, id string) []WebhookDelivery {
	t.Helper()
	var list WebhookDeliveryList
	a.do("GET", "/api/v1/webhook-endpoints/"+id+"/deliveries", nil).ok(t, 200, &list)
	return list.Data
}

// fakeDNS answers names from a table the test may change; the function
// onLookup sets runs at each lookup before the answer.
type fakeDNS struct {
	mu     sync.Mutex
	names  map[string]string
	before func(host string)
}

func (f *fakeDNS) onLookup(fn func(host string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.before = fn
}

func (f *fakeDNS) set(name, ip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names[name] = ip
}

func (f *fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.mu.Lock()
	before := f.before
	f.mu.Unlock()
	if before != nil {
		before(host)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ip, ok := f.names[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []netip.Addr{netip.MustParseAddr(ip)}, nil
}

// eventually polls cond for up to a minute.
func eventually(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
