package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
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

// Deliveries to an endpoint deleted after the emitter read its id are
// dropped: the change that emitted them commits, with the deliveries of
// the endpoints still there.
func TestWebhookDeliveriesToADeletedEndpointAreDropped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		kept, gone := a.endpoint(t, r, nil), a.endpoint(t, newReceiver(t), nil)
		a.do("DELETE", "/api/v1/webhook-endpoints/"+gone.ID.String(), nil).ok(t, 204, nil)
		now := time.Now().UTC()
		body, _ := json.Marshal(map[string]any{"type": "webhook.test", "timestamp": now, "data": map[string]any{}})
		var ds []domain.WebhookDelivery
		for _, ep := range []uuid.UUID{kept.ID, gone.ID} { // the ids as read before the delete
			ds = append(ds, domain.WebhookDelivery{ID: domain.NewID(), EndpointID: ep, MessageID: "msg_stale", EventType: domain.EventWebhookTest,
				Payload: body, Status: domain.WebhookPending, CreatedAt: now})
		}
		err := a.db.WithinTx(context.Background(), func(ctx context.Context) error {
			if err := a.db.RecordAudit(ctx, domain.AuditEvent{Actor: "test", Action: "test.change", SubjectType: "test", SubjectID: "1"}); err != nil {
				return err
			}
			return a.db.AddWebhookDeliveries(ctx, ds)
		})
		if err != nil {
			t.Fatalf("the change failed: %v", err)
		}
		a.idle()
		if n := a.count(t, "audit_events", "action = ?", "test.change"); n != 1 {
			t.Fatalf("the change was rolled back (%d audit events)", n)
		}
		if n := a.count(t, "webhook_deliveries", "endpoint_id = ?", gone.ID); n != 0 {
			t.Fatalf("%d deliveries to the deleted endpoint", n)
		}
		if d := a.deliveries(t, kept.ID.String()); len(d) != 1 || d[0].Status != "succeeded" || len(r.got()) != 1 || r.got()[0].ID != "msg_stale" {
			t.Fatalf("kept endpoint: %+v, %d calls", d, len(r.got()))
		}
	})
}

// A change of URL looks the host up before the transaction that saves
// it: during the lookup, which may take seconds, the endpoint is not held
// (another writer changes it at once).
func TestWebhookURLCheckedOutsideTheTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := webhookConfig(t, db)
		cfg.WebhookAllowPrivate = false
		dns := &fakeDNS{names: map[string]string{"first.test": "93.184.215.14", "second.test": "93.184.215.15"}}
		a := newAPIResolving(t, cfg, dns)
		var e WebhookEndpointCreated
		a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": "https://first.test/hooks"}).ok(t, 201, &e)
		probes := make(chan error, 1)
		dns.onLookup(func(host string) {
			if host != "second.test" {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			probes <- db.Gorm.WithContext(ctx).Exec("UPDATE webhook_endpoints SET description = 'changed meanwhile' WHERE id = ?", e.ID).Error
		})
		var got WebhookEndpoint
		a.do("PATCH", "/api/v1/webhook-endpoints/"+e.ID.String(), map[string]any{"url": "https://second.test/hooks"}).ok(t, 200, &got)
		if probed := <-probes; probed != nil {
			t.Fatalf("the endpoint was held during the lookup: %v", probed)
		}
		if got.URL != "https://second.test/hooks" {
			t.Fatalf("updated %+v", got)
		}
	})
}

// promotion_job.completed is sent once per end of a job: a second give-up
// by an attempt that already ended the job changes nothing and sends
// nothing.
func TestWebhookJobCompletedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := webhookConfig(t, db)
		cfg.BulkSyncLimit = 0 // every bulk promotion is a job
		a := newAPIWith(t, cfg)
		r := newReceiver(t)
		a.endpoint(t, r, []string{"promotion_job.completed"})
		w := newHookWorld(t, a)
		id := a.contact(t, map[string]any{"first_name": "Once", "email": "once@acme.test", "organization_id": w.org})
		var job PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": []string{id}, "group_ids": []string{w.group}}).ok(t, 202, &job)
		a.idle()
		if n := len(r.ofType("promotion_job.completed")); n != 1 {
			t.Fatalf("%d events after the run", n)
		}
		// the job running again, held by one attempt, which gives up twice
		if err := db.Gorm.Exec("UPDATE promotion_jobs SET status = 'running', worker = 'attempt-a', finished_at = NULL WHERE id = ?", job.ID).Error; err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := a.promo.FailJob(context.Background(), job.ID, "attempt-a", "gave up"); err != nil {
				t.Fatal(err)
			}
		}
		// and an attempt that never held it gives up too
		if err := a.promo.FailJob(context.Background(), job.ID, "attempt-b", "gave up"); err != nil {
			t.Fatal(err)
		}
		a.idle()
		done := r.ofType("promotion_job.completed")
		if len(done) != 2 || done[1].Data["status"] != "failed" {
			t.Fatalf("promotion_job.completed: %+v", done)
		}
	})
}
