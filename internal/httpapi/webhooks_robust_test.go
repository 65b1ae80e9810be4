package httpapi_test

import (
	"strings"
	"testing"
	"time"

	. "github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// A receiver answering a body with NUL bytes, which PostgreSQL text
// refuses, has its answer recorded at the first attempt: the excerpt shows
// U+FFFD in their place, and the delivery is not retried.
func TestWebhookExcerptWithNUL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		r.answer = []byte("ok\x00done\x00")
		e := a.endpoint(t, r, nil)
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		a.idle()
		d := a.deliveries(t, e.ID.String())
		if len(d) != 1 || d[0].Status != "succeeded" || d[0].Attempts != 1 || d[0].ResponseExcerpt != "ok\uFFFDdone\uFFFD" {
			t.Fatalf("deliveries %+v", d)
		}
		if n := len(r.got()); n != 1 {
			t.Fatalf("%d calls, want 1", n)
		}
	})
}

// refuseExcerpt makes the database refuse to record the answer "boom",
// as it refuses a write when it fails in the middle of one.
func refuseExcerpt(t *testing.T, db *store.DB) {
	t.Helper()
	q := "ALTER TABLE webhook_deliveries ADD CONSTRAINT refuse_boom CHECK (response_excerpt <> 'boom')"
	if db.Dialect == store.SQLite {
		q = "CREATE TRIGGER refuse_boom BEFORE UPDATE ON webhook_deliveries WHEN NEW.response_excerpt = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END"
	}
	if err := db.Gorm.Exec(q).Error; err != nil {
		t.Fatal(err)
	}
}

// When even the last attempt cannot be recorded, the delivery ends failed
// with the reason instead of staying pending with no job left.
func TestWebhookLastAttemptNotRecordedEndsFailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := webhookConfig(t, db)
		cfg.Webhooks.Attempts = 2
		a := newAPIWith(t, cfg)
		r := newReceiver(t)
		r.answer = []byte("boom")
		e := a.endpoint(t, r, nil)
		refuseExcerpt(t, db)
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		a.idle()
		d := a.deliveries(t, e.ID.String())
		if len(d) != 1 || d[0].Status != "failed" || d[0].FinishedAt == nil || !strings.Contains(d[0].LastError, "last attempt could not be recorded") {
			t.Fatalf("deliveries %+v", d)
		}
		if n := len(r.got()); n != 2 {
			t.Fatalf("%d calls, want 2 attempts", n)
		}
	})
}

// The periodic purge ends the pending deliveries whose job is over (the
// process died during the last attempt): they fail with the reason and can
// be retried by hand. A delivery whose job waits for its next attempt
// stays pending, and so does its 409 on a manual retry.
func TestPurgeEndsStuckWebhookDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := webhookConfig(t, db)
		cfg.Webhooks.RetryBase, cfg.Webhooks.RetryCap = time.Hour, time.Hour // a failed attempt waits: its job stays live
		a := newAPIWith(t, cfg)
		ok, down := newReceiver(t), newReceiver(t)
		down.status.Store(503)
		good, waiting := a.endpoint(t, ok, nil), a.endpoint(t, down, nil)
		for _, e := range []WebhookEndpointCreated{good, good, waiting} {
			a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		}
		a.idle()
		done := a.deliveries(t, good.ID.String())
		live := a.deliveries(t, waiting.ID.String())
		if len(done) != 2 || len(live) != 1 || live[0].Status != "pending" || live[0].NextAttemptAt == nil {
			t.Fatalf("before: %+v %+v", done, live)
		}
		// its job completed, the delivery still pending: what a crash leaves
		stuck := done[0]
		if err := db.Gorm.Exec("UPDATE webhook_deliveries SET status = 'pending', finished_at = NULL WHERE id = ?", stuck.ID).Error; err != nil {
			t.Fatal(err)
		}
		p, err := a.db.PurgeExpired(t.Context(), time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		if p.StuckWebhookDeliveries != 1 {
			t.Fatalf("ended %d stuck deliveries, want 1", p.StuckWebhookDeliveries)
		}
		after := a.deliveries(t, good.ID.String())
		if after[0].ID != stuck.ID || after[0].Status != "failed" || after[0].FinishedAt == nil || !strings.Contains(after[0].LastError, "without recording an outcome") {
			t.Fatalf("stuck: %+v", after[0])
		}
		if after[1].Status != "succeeded" {
			t.Fatalf("a finished delivery changed: %+v", after[1])
		}
		if got := a.deliveries(t, waiting.ID.String()); got[0].Status != "pending" {
			t.Fatalf("a delivery waiting for its next attempt was ended: %+v", got[0])
		}
		a.do("POST", "/api/v1/webhook-endpoints/"+waiting.ID.String()+"/deliveries/"+live[0].ID.String()+"/retry", nil).
			problem(t, 409, "webhook_delivery_pending")
		a.do("POST", "/api/v1/webhook-endpoints/"+good.ID.String()+"/deliveries/"+stuck.ID.String()+"/retry", nil).ok(t, 202, nil)
		a.idle()
		if got := a.deliveries(t, good.ID.String()); got[0].Status != "succeeded" || len(ok.got()) != 3 {
			t.Fatalf("retried: %+v, %d calls", got[0], len(ok.got()))
		}
	})
}
