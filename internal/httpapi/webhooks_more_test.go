package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/portico/portico/internal/domain"
	. "github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// Invitations send invitation.sent at promotion and resend,
// invitation.revoked and invitation.expired; a promotion that converts an
// account sends organization.created with the new organization.
func TestWebhookInvitationAndConversionEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		a.endpoint(t, r, []string{"invitation.sent", "invitation.revoked", "invitation.expired", "organization.created"})
		w := newHookWorld(t, a)
		id := w.promote(t, a, "inv@acme.test")
		a.do("POST", "/api/v1/users/"+id+"/activation-email", nil).ok(t, 202, nil)
		invs := a.invitationsOf(t, id)
		latest := invs[len(invs)-1]
		a.do("POST", "/api/v1/invitations/"+latest.ID.String()+"/revoke", nil).ok(t, 200, nil)
		short := a.contact(t, map[string]any{"first_name": "Short", "email": "short@acme.test", "organization_id": w.org})
		a.do("POST", "/api/v1/contacts/"+short+"/promote", map[string]any{"group_ids": []string{w.group}, "invitation_ttl": "1s"}).ok(t, 201, nil)
		time.Sleep(1100 * time.Millisecond)
		if _, err := a.promo.ExpireInvitations(context.Background()); err != nil {
			t.Fatal(err)
		}
		acc := a.account(t, map[string]any{"name": "Globex"})
		conv := a.contact(t, map[string]any{"first_name": "Conv", "email": "conv@globex.test", "account_id": acc})
		var out PromotionResult
		a.do("POST", "/api/v1/contacts/"+conv+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, &out)
		a.idle()
		if sent := r.ofType("invitation.sent"); len(sent) != 4 {
			t.Fatalf("%d invitation.sent, want promotion, resend, short, conversion", len(sent))
		}
		if got := r.ofType("invitation.revoked"); len(got) != 1 || got[0].Data["id"] != latest.ID.String() || got[0].Data["status"] != "revoked" {
			t.Fatalf("invitation.revoked: %+v", got)
		}
		if got := r.ofType("invitation.expired"); len(got) != 1 || got[0].Data["user_id"] != short || got[0].Data["status"] != "expired" {
			t.Fatalf("invitation.expired: %+v", got)
		}
		created := r.ofType("organization.created")
		if len(created) != 2 || created[1].Data["account_id"] != acc || created[1].Data["id"] != out.Organization.ID.String() {
			t.Fatalf("organization.created: %+v", created)
		}
	})
}

// The periodic purge deletes deliveries finished 30 days ago and keeps
// newer ones.
func TestPurgeWebhookDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		e := a.endpoint(t, r, nil)
		for range 2 {
			a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		}
		a.idle()
		d := a.deliveries(t, e.ID.String())
		if len(d) != 2 {
			t.Fatalf("%d deliveries", len(d))
		}
		if err := db.Gorm.Exec("UPDATE webhook_deliveries SET finished_at = ? WHERE id = ?", time.Now().UTC().Add(-31*24*time.Hour), d[0].ID).Error; err != nil {
			t.Fatal(err)
		}
		p, err := a.db.PurgeExpired(t.Context(), time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		if left := a.deliveries(t, e.ID.String()); p.WebhookDeliveries != 1 || len(left) != 1 || left[0].ID != d[1].ID {
			t.Fatalf("purged %d, left %+v", p.WebhookDeliveries, left)
		}
	})
}

// With no endpoint subscribed, emitting is one read however many events:
// a bulk batch pays one statement per event type, not one per user.
func TestEmitWithoutEndpointsIsOneRead(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	a := newAPIWith(t, webhookConfig(t, db))
	r := newReceiver(t)
	a.endpoint(t, r, []string{"invitation.sent"}) // subscribed to another type
	a.idle()
	data := make([]any, 1000)
	for i := range data {
		data[i] = domain.User{}
	}
	statements := a.db.CountStatements()
	if err := a.app.Webhooks.Emit(context.Background(), domain.EventUserPromoted, data...); err != nil {
		t.Fatal(err)
	}
	if n := statements.Load(); n != 1 {
		t.Fatalf("%d statements for 1000 unsubscribed events, want 1", n)
	}
	if n := a.count(t, "webhook_deliveries", ""); n != 0 {
		t.Fatalf("%d deliveries", n)
	}
}
