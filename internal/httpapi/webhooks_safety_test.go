package httpapi_test

import (
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/domain"
	. "github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// newAPIResolving is newAPIWith whose webhook host names resolve through dns.
func newAPIResolving(t testing.TB, cfg config.Config, dns *fakeDNS) *api {
	t.Helper()
	box := &mailbox{}
	srv := apptest.Start(t, cfg, app.Options{Logger: logging.New(io.Discard, "json", slog.LevelError), Mailer: box, Resolver: dns})
	return &api{t: t, url: srv.URL(), app: srv, cfg: cfg, db: srv.DB, promo: srv.Promotion, sent: box, router: srv.Router.(*echo.Echo)}
}

// Without PORTICO_WEBHOOK_ALLOW_PRIVATE, URLs whose host is or resolves to
// loopback, private, link-local (metadata) or multicast addresses are
// refused with a field error on url; so are other schemes.
func TestWebhookRefusesPrivateTargets(t *testing.T) {
	db := storetest.Open(t, store.SQLite) // the rule does not depend on the database
	cfg := webhookConfig(t, db)
	cfg.WebhookAllowPrivate = false
	dns := &fakeDNS{names: map[string]string{"localhost": "127.0.0.1", "rebind.test": "127.0.0.1",
		"intranet.test": "10.1.2.3", "public.test": "93.184.215.14"}}
	a := newAPIResolving(t, cfg, dns)
	for _, target := range []string{
		"http://localhost/hooks", "http://rebind.test/hooks", "http://127.0.0.1:8080/hooks", "http://[::1]/hooks",
		"http://169.254.169.254/latest/meta-data", "http://intranet.test/hooks", "http://192.168.1.10/", "http://[fd00:ec2::254]/",
		"http://224.0.0.1/", "http://0.0.0.0/", "http://100.100.100.200/", "http://[::ffff:127.0.0.1]/",
		"http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::1]/",
		"ftp://public.test/hooks", "http://nowhere.test/hooks", "public.test/hooks",
	} {
		t.Run(url.PathEscape(target), func(t *testing.T) {
			p := a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": target}).problem(t, 422, "validation_failed")
			if f := fields(p); len(f) != 1 || f[0] != "url" {
				t.Fatalf("fields %v: %+v", f, p)
			}
		})
	}
	if n := a.count(t, "webhook_endpoints", ""); n != 0 {
		t.Fatalf("%d endpoints stored", n)
	}
	var e WebhookEndpointCreated
	a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": "https://public.test/hooks"}).ok(t, 201, &e)
	// a change of the URL is checked too
	p := a.do("PATCH", "/api/v1/webhook-endpoints/"+e.ID.String(), map[string]any{"url": "http://localhost:9/"}).problem(t, 422, "validation_failed")
	if f := fields(p); len(f) != 1 || f[0] != "url" {
		t.Fatalf("patch: %+v", p)
	}
}

// A name that resolved to a public address when the endpoint was saved
// and to loopback when the delivery connects (DNS rebinding) is refused
// at connect time: the receiver on loopback gets nothing.
func TestWebhookRefusesRebindingAtConnect(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	cfg := webhookConfig(t, db)
	cfg.WebhookAllowPrivate = false
	cfg.Webhooks.Attempts = 1
	dns := &fakeDNS{names: map[string]string{"rebind.test": "93.184.215.14"}}
	a := newAPIResolving(t, cfg, dns)
	r := newReceiver(t)
	port := r.srv.URL[strings.LastIndex(r.srv.URL, ":")+1:]
	var e WebhookEndpointCreated
	a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": "http://rebind.test:" + port + "/hooks"}).ok(t, 201, &e)
	r.trust(e.Secret)
	dns.set("rebind.test", "127.0.0.1")
	a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
	a.idle()
	d := a.deliveries(t, e.ID.String())
	if len(d) != 1 || d[0].Status != "failed" || d[0].LastResponseCode != nil || !strings.Contains(d[0].LastError, "PORTICO_WEBHOOK_ALLOW_PRIVATE") {
		t.Fatalf("deliveries %+v", d)
	}
	if n := len(r.got()); n != 0 {
		t.Fatalf("the loopback receiver got %d requests", n)
	}
}

// Without PORTICO_SECRET_KEY webhooks are refused with a problem that says
// why, and an endpoint made under a key earlier gets no events (they could
// not be signed); nothing else changes.
func TestWebhooksNeedASecretKey(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	cfg := webhookConfig(t, db)
	cfg.SecretKey = nil
	a := newAPIWith(t, cfg)
	p := a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": "http://127.0.0.1:9/"}).problem(t, 409, "webhooks_not_configured")
	if !strings.Contains(p.Detail, "PORTICO_SECRET_KEY") {
		t.Fatalf("detail %q", p.Detail)
	}
	a.do("GET", "/api/v1/webhook-endpoints", nil).ok(t, 200, nil)
	now := time.Now().UTC()
	earlier := domain.WebhookEndpoint{ID: domain.NewID(), URL: "http://127.0.0.1:9/", Events: []string{domain.AllEvents}, Enabled: true,
		Secret: "sealed under a key this server lacks", Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateWebhookEndpoint(t.Context(), earlier); err != nil {
		t.Fatal(err)
	}
	w := newHookWorld(t, a)
	w.promote(t, a, "nokey@acme.test") // promotion works as before
	a.idle()
	if n := a.count(t, "webhook_deliveries", ""); n != 0 {
		t.Fatalf("%d deliveries without a key to sign them", n)
	}
	var got WebhookEndpoint
	a.do("GET", "/api/v1/webhook-endpoints/"+earlier.ID.String(), nil).ok(t, 200, &got)
	if !got.Enabled {
		t.Fatalf("the endpoint was disabled: %+v", got)
	}
}

// An endpoint whose deliveries fail for longer than the disable span is
// disabled, with an audit event; a redirect is not followed (it fails).
func TestWebhookFailingEndpointIsDisabled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := webhookConfig(t, db)
		cfg.Webhooks = config.WebhookTuning{Attempts: 20, RetryBase: 100 * time.Millisecond, RetryCap: 100 * time.Millisecond, DisableAfter: 300 * time.Millisecond}
		a := newAPIWith(t, cfg)
		r := newReceiver(t)
		e := a.endpoint(t, r, nil)
		r.status.Store(302) // a redirect is a failure: it is not followed
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		eventually(t, func() bool {
			var got WebhookEndpoint
			a.do("GET", "/api/v1/webhook-endpoints/"+e.ID.String(), nil).ok(t, 200, &got)
			return !got.Enabled
		})
		var got WebhookEndpoint
		a.do("GET", "/api/v1/webhook-endpoints/"+e.ID.String(), nil).ok(t, 200, &got)
		if !strings.Contains(got.DisabledReason, "failed for") {
			t.Fatalf("reason %q", got.DisabledReason)
		}
		if n := a.count(t, "audit_events", "action = ? AND subject_id = ?", "webhook_endpoint.disabled", e.ID.String()); n != 1 {
			t.Fatalf("%d audit events", n)
		}
		a.idle()
		d := a.deliveries(t, e.ID.String())
		if len(d) != 1 || d[0].Status != "failed" || d[0].Attempts < 2 || *d[0].LastResponseCode != 302 {
			t.Fatalf("deliveries %+v", d)
		}
		// the metrics count the attempts by outcome
		m := a.do("GET", "/metrics", nil)
		if !strings.Contains(string(m.Body), `portico_webhook_deliveries_total{outcome="failed"}`) ||
			!strings.Contains(string(m.Body), "portico_webhook_delivery_duration_seconds_bucket") {
			t.Fatalf("metrics lack the webhook series")
		}
	})
}
