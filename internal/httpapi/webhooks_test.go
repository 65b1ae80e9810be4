package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	. "github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// hookWorld is an organization with a group, for promotions.
type hookWorld struct{ org, group string }

func newHookWorld(t *testing.T, a *api) hookWorld {
	return hookWorld{org: a.org(t, map[string]any{"name": "Acme", "status": "active"}), group: a.group(t, map[string]any{"name": "Partners"})}
}

func (w hookWorld) promote(t *testing.T, a *api, email string) string {
	t.Helper()
	id := a.contact(t, map[string]any{"first_name": "Jo", "email": email, "organization_id": w.org})
	a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
	return id
}

// Promote, activate and demote each send their event with the user (the
// contact, after demotion) as the API shows it; every delivery verifies.
func TestWebhookLifecycleEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		all := a.endpoint(t, r, nil)
		if len(all.Events) != 1 || all.Events[0] != "*" || !all.Enabled || !strings.HasPrefix(all.Secret, "whsec_") {
			t.Fatalf("endpoint %+v", all)
		}
		w := newHookWorld(t, a)
		id := w.promote(t, a, "jo@acme.test")
		a.idle()
		promoted := r.ofType("user.promoted")
		if len(promoted) != 1 || promoted[0].Data["id"] != id || promoted[0].Data["status"] != "pending" || promoted[0].Data["email"] != "jo@acme.test" {
			t.Fatalf("user.promoted: %+v", promoted)
		}
		if sent := r.ofType("invitation.sent"); len(sent) != 1 || sent[0].Data["user_id"] != id {
			t.Fatalf("invitation.sent: %+v", sent)
		}
		a.do("POST", "/api/v1/activations", map[string]any{"token": a.lastToken("jo@acme.test"), "password": goodPassword}).ok(t, 200, nil)
		a.idle()
		if got := r.ofType("user.activated"); len(got) != 1 || got[0].Data["id"] != id || got[0].Data["status"] != "active" {
			t.Fatalf("user.activated: %+v", got)
		}
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "disabled"}).ok(t, 200, nil)
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "active"}).ok(t, 200, nil)
		a.do("POST", "/api/v1/users/"+id+"/demote", nil).ok(t, 200, nil)
		a.idle()
		if got := r.ofType("user.disabled"); len(got) != 1 || got[0].Data["status"] != "disabled" {
			t.Fatalf("user.disabled: %+v", got)
		}
		if got := r.ofType("user.enabled"); len(got) != 1 || got[0].Data["status"] != "active" {
			t.Fatalf("user.enabled: %+v", got)
		}
		demoted := r.ofType("user.demoted")
		if len(demoted) != 1 || demoted[0].Data["id"] != id || demoted[0].Data["status"] != nil {
			t.Fatalf("user.demoted carries the contact: %+v", demoted)
		}
		ids := map[string]bool{}
		for _, c := range r.got() {
			if ids[c.ID] || !strings.HasPrefix(c.ID, "msg_") {
				t.Fatalf("webhook-id %q repeated or malformed", c.ID)
			}
			ids[c.ID] = true
		}
		// organization.created came first, from the fixture
		if got := r.ofType("organization.created"); len(got) != 1 || got[0].Data["id"] != w.org {
			t.Fatalf("organization.created: %+v", got)
		}
		list := a.deliveries(t, all.ID.String())
		if len(list) != len(r.got()) {
			t.Fatalf("%d deliveries listed, %d received", len(list), len(r.got()))
		}
		for _, d := range list {
			if d.Status != "succeeded" || d.Attempts != 1 || d.LastResponseCode == nil || *d.LastResponseCode != 200 ||
				d.LastLatencyMS == nil || d.ResponseExcerpt != "thanks" || d.FinishedAt == nil {
				t.Fatalf("delivery %+v", d)
			}
		}
	})
}

// A bulk job sends one user.promoted per user and promotion_job.completed;
// an endpoint subscribed to one type gets only that type.
func TestWebhookBulkJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := webhookConfig(t, db)
		cfg.BulkSyncLimit = 0 // every bulk promotion is a job
		a := newAPIWith(t, cfg)
		r, only := newReceiver(t), newReceiver(t)
		a.endpoint(t, r, []string{"user.promoted", "promotion_job.completed"})
		a.endpoint(t, only, []string{"promotion_job.completed"})
		w := newHookWorld(t, a)
		var ids []string
		for _, name := range []string{"a", "b", "c"} {
			ids = append(ids, a.contact(t, map[string]any{"first_name": name, "email": name + "@acme.test", "organization_id": w.org}))
		}
		var job PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": ids, "group_ids": []string{w.group}}).ok(t, 202, &job)
		a.idle()
		got := map[string]bool{}
		for _, c := range r.ofType("user.promoted") {
			got[c.Data["id"].(string)] = true
		}
		for _, id := range ids {
			if !got[id] {
				t.Errorf("no user.promoted for %s", id)
			}
		}
		if n := len(r.ofType("user.promoted")); n != len(ids) {
			t.Errorf("%d user.promoted, want %d", n, len(ids))
		}
		for _, rc := range []*receiver{r, only} {
			done := rc.ofType("promotion_job.completed")
			if len(done) != 1 || done[0].Data["id"] != job.ID.String() || done[0].Data["status"] != "succeeded" || done[0].Data["promoted"] != float64(3) {
				t.Fatalf("promotion_job.completed: %+v", done)
			}
		}
		if n := len(only.got()); n != 1 {
			t.Fatalf("the job-only endpoint got %d events", n)
		}
		if n := len(r.ofType("invitation.sent")); n != 0 {
			t.Fatalf("unsubscribed invitation.sent delivered %d times", n)
		}
	})
}

// A receiver that answers 503 gets the delivery again, with the same
// webhook-id, once it answers 200; the delivery records both attempts.
func TestWebhookRetryKeepsID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		e := a.endpoint(t, r, []string{"user.promoted"})
		r.status.Store(503)
		w := newHookWorld(t, a)
		w.promote(t, a, "retry@acme.test")
		eventually(t, func() bool { d := a.deliveries(t, e.ID.String()); return len(d) == 1 && d[0].Attempts >= 1 })
		d := a.deliveries(t, e.ID.String())
		if len(d) != 1 || d[0].Status != "pending" || d[0].LastResponseCode == nil || *d[0].LastResponseCode != 503 || d[0].NextAttemptAt == nil {
			t.Fatalf("after 503: %+v", d)
		}
		r.status.Store(200)
		a.idle()
		calls := r.got()
		if len(calls) < 2 {
			t.Fatalf("%d calls", len(calls))
		}
		for _, c := range calls {
			if c.ID != calls[0].ID {
				t.Fatalf("webhook-id changed across retries: %q, %q", calls[0].ID, c.ID)
			}
		}
		d = a.deliveries(t, e.ID.String())
		if d[0].Status != "succeeded" || d[0].Attempts != len(calls) || d[0].WebhookID != calls[0].ID || d[0].NextAttemptAt != nil {
			t.Fatalf("after 200: %+v", d[0])
		}
		// a manual retry sends it once more, with the same id
		var again WebhookDelivery
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/deliveries/"+d[0].ID.String()+"/retry", nil).ok(t, 202, &again)
		a.idle()
		if calls = r.got(); len(calls) != d[0].Attempts+1 || calls[len(calls)-1].ID != d[0].WebhookID {
			t.Fatalf("manual retry: %d calls", len(calls))
		}
		if n := a.count(t, "audit_events", "action = ? AND subject_id = ? AND actor <> ''", "webhook_endpoint.delivery_retried", e.ID.String()); n != 1 {
			t.Fatalf("%d audit events of the manual retry", n)
		}
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/deliveries/"+uuid.NewString()+"/retry", nil).problem(t, 404, "not_found")
	})
}

// A change rolled back sends nothing: its deliveries and jobs go with it.
func TestWebhookRolledBackChangeSendsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		e := a.endpoint(t, r, []string{"user.promoted"})
		w := newHookWorld(t, a)
		id := uuid.MustParse(a.contact(t, map[string]any{"first_name": "Undo", "email": "undo@acme.test", "organization_id": w.org}))
		undo := errors.New("undo")
		err := a.db.WithinTx(context.Background(), func(ctx context.Context) error {
			if _, err := a.promo.Promote(ctx, promotion.Request{ContactID: id, GroupIDs: []uuid.UUID{uuid.MustParse(w.group)}, Actor: "test"}); err != nil {
				return err
			}
			return undo
		})
		if !errors.Is(err, undo) {
			t.Fatal(err)
		}
		a.idle()
		if n := len(r.got()); n != 0 || len(a.deliveries(t, e.ID.String())) != 0 {
			t.Fatalf("a rolled-back promotion sent %d events", n)
		}
		// the same promotion committed sends its event
		if _, err := a.promo.Promote(context.Background(), promotion.Request{ContactID: id, GroupIDs: []uuid.UUID{uuid.MustParse(w.group)}, Actor: "test"}); err != nil {
			t.Fatal(err)
		}
		a.idle()
		if got := r.got(); len(got) != 1 || got[0].Data["id"] != id.String() {
			t.Fatalf("the committed promotion: %+v", got)
		}
	})
}

// 410 Gone disables the endpoint at once, with an audit event; later
// events are not delivered.
func TestWebhookGoneDisables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		e := a.endpoint(t, r, nil)
		r.status.Store(410)
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		a.idle()
		var got WebhookEndpoint
		a.do("GET", "/api/v1/webhook-endpoints/"+e.ID.String(), nil).ok(t, 200, &got)
		if got.Enabled || !strings.Contains(got.DisabledReason, "410") {
			t.Fatalf("after 410: %+v", got)
		}
		if n := a.count(t, "audit_events", "action = ? AND subject_id = ?", "webhook_endpoint.disabled", e.ID.String()); n != 1 {
			t.Fatalf("%d audit events", n)
		}
		d := a.deliveries(t, e.ID.String())
		if len(d) != 1 || d[0].Status != "failed" || d[0].Attempts != 1 || d[0].EventType != "webhook.test" {
			t.Fatalf("deliveries %+v", d)
		}
		newHookWorld(t, a) // organization.created, to a disabled endpoint
		a.idle()
		if n := len(r.got()); n != 1 {
			t.Fatalf("%d calls, want the one answered 410", n)
		}
		// enabling it again clears the reason
		var again WebhookEndpoint
		a.do("PATCH", "/api/v1/webhook-endpoints/"+e.ID.String(), map[string]any{"enabled": true}).ok(t, 200, &again)
		if got = again; !got.Enabled || got.DisabledReason != "" {
			t.Fatalf("re-enabled: %+v", got)
		}
	})
}

// After a rotation both secrets sign during the grace period: the header
// carries two signatures and a receiver with either secret verifies.
func TestWebhookRotationSignsWithBoth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		e := a.endpoint(t, r, nil)
		var rotated WebhookEndpointCreated
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/rotate-secret", nil).ok(t, 200, &rotated)
		if rotated.Secret == e.Secret || !strings.HasPrefix(rotated.Secret, "whsec_") || rotated.PreviousSecretExpiresAt == nil {
			t.Fatalf("rotated %+v", rotated)
		}
		r.trust(rotated.Secret) // the receiver now verifies with the old and the new secret
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		a.idle()
		calls := r.got()
		if len(calls) != 1 || len(strings.Fields(calls[0].Signature)) != 2 || calls[0].Data["endpoint_id"] != e.ID.String() {
			t.Fatalf("calls %+v", calls)
		}
		if n := a.count(t, "audit_events", "action = ? AND subject_id = ? AND actor <> ''", "webhook_endpoint.test_sent", e.ID.String()); n != 1 {
			t.Fatalf("%d audit events of the test", n)
		}
		// the secret is never shown again
		var got map[string]any
		a.do("GET", "/api/v1/webhook-endpoints/"+e.ID.String(), nil).ok(t, 200, &got)
		if _, ok := got["secret"]; ok {
			t.Fatalf("GET shows the secret: %v", got)
		}
	})
}
