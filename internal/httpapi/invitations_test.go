package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/config"
	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// invitee is a contact of a fresh organization promoted with body's
// options; it returns the user's id.
func (a *api) invitee(t *testing.T, org, group, email string, body map[string]any) string {
	t.Helper()
	id := a.contact(t, map[string]any{"first_name": "Jane", "email": email, "organization_id": org})
	if body == nil {
		body = map[string]any{}
	}
	body["group_ids"] = []string{group}
	a.do("POST", "/api/v1/contacts/"+id+"/promote", body).ok(t, 201, nil)
	return id
}

func (a *api) invitationsOf(t *testing.T, user string) []Invitation {
	t.Helper()
	var list InvitationList
	a.do("GET", "/api/v1/invitations?user_id="+user, nil).ok(t, 200, &list)
	return list.Data
}

func (a *api) invitation(t *testing.T, id string) Invitation {
	t.Helper()
	var inv Invitation
	a.do("GET", "/api/v1/invitations/"+id, nil).ok(t, 200, &inv)
	return inv
}

const goodPassword = "correct horse battery"

// testConfig is newAPI's configuration, to change before newAPIWith.
func testConfig(t testing.TB, db *store.DB) config.Config {
	cfg := apptest.Config(t, db)
	cfg.AdminToken, cfg.PublicURL = testAdminToken, "http://portal.test"
	cfg.RatePerClient, cfg.RatePerAccount = 0, 0
	return cfg
}

// Every transition of the status machine, through the API: promotion
// creates a pending invitation whose delivery the mail job records; a
// resend supersedes it (its link answers token_superseded); activation
// accepts the new one, which can then not be revoked.
func TestInvitationTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		group := a.group(t, map[string]any{"name": "Resellers"})
		user := a.invitee(t, org, group, "jane@acme.example", nil)
		first := a.lastToken("jane@acme.example")

		invs := a.invitationsOf(t, user)
		if len(invs) != 1 {
			t.Fatalf("invitations after promotion: %+v", invs)
		}
		inv := invs[0]
		if inv.Status != "pending" || inv.Delivery.Status != "sent" || inv.Delivery.Attempts != 1 || inv.SentAt == nil ||
			inv.Locale != "en" || inv.OrganizationID == nil || inv.OrganizationID.String() != org || inv.CreatedBy != "admin-token" {
			t.Fatalf("invitation after promotion: %+v", inv)
		}
		if got := inv.ExpiresAt.Sub(inv.CreatedAt); got != 7*24*time.Hour {
			t.Errorf("default lifetime %v, want 168h", got)
		}
		var u User
		a.do("GET", "/api/v1/users/"+user, nil).ok(t, 200, &u)
		if u.Invitation == nil || u.Invitation.ID != inv.ID {
			t.Fatalf("the user shows invitation %+v, want %s", u.Invitation, inv.ID)
		}

		var resent Invitation
		a.do("POST", "/api/v1/users/"+user+"/activation-email", map[string]any{"invitation_ttl": 3600}).ok(t, 202, &resent)
		if resent.Status != "pending" || resent.ID == inv.ID || resent.ExpiresAt.Sub(resent.CreatedAt) != time.Hour {
			t.Fatalf("resent invitation %+v", resent)
		}
		if old := a.invitation(t, inv.ID.String()); old.Status != "superseded" {
			t.Fatalf("first invitation after the resend is %s, want superseded", old.Status)
		}
		second := a.lastToken("jane@acme.example")
		a.do("POST", "/api/v1/activations", map[string]any{"token": first, "password": goodPassword}).problem(t, 410, "token_superseded")

		a.do("POST", "/api/v1/activations", map[string]any{"token": second, "password": goodPassword}).ok(t, 200, nil)
		accepted := a.invitation(t, resent.ID.String())
		if accepted.Status != "accepted" || accepted.AcceptedAt == nil {
			t.Fatalf("invitation after activation: %+v", accepted)
		}
		a.do("POST", "/api/v1/invitations/"+resent.ID.String()+"/revoke", nil).problem(t, 409, "invitation_accepted")
		a.do("POST", "/api/v1/invitations/"+inv.ID.String()+"/revoke", nil).problem(t, 409, "invitation_not_pending")
		if n := a.count(t, "audit_events", "action = ?", "user.activation_resent"); n != 1 {
			t.Errorf("%d resend audit events, want 1", n)
		}
	})
}

// Revoking a pending invitation stops its link at once: the activation
// answers token_revoked and the page explains it; a second revoke changes
// nothing.
func TestRevokeStopsTheLinkAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		group := a.group(t, map[string]any{"name": "Resellers"})
		user := a.invitee(t, org, group, "jane@acme.example", nil)
		token := a.lastToken("jane@acme.example")
		inv := a.invitationsOf(t, user)[0]

		var revoked Invitation
		a.do("POST", "/api/v1/invitations/"+inv.ID.String()+"/revoke", nil).ok(t, 200, &revoked)
		if revoked.Status != "revoked" || revoked.RevokedAt == nil {
			t.Fatalf("revoked invitation %+v", revoked)
		}
		a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": goodPassword}).problem(t, 410, "token_revoked")
		page := a.do("GET", "/activate?token="+token, nil, "Accept", "text/html")
		if page.Status != 410 || !strings.Contains(string(page.Body), "This invitation was withdrawn") {
			t.Fatalf("page of a revoked link: %d %s", page.Status, page.Body)
		}
		a.do("POST", "/api/v1/invitations/"+inv.ID.String()+"/revoke", nil).ok(t, 200, &revoked)
		if n := a.count(t, "audit_events", "action = ? AND subject_id = ?", "invitation.revoked", inv.ID.String()); n != 1 {
			t.Errorf("%d revoke audit events, want 1", n)
		}
		// the user can be invited again
		var again Invitation
		a.do("POST", "/api/v1/users/"+user+"/activation-email", nil).ok(t, 202, &again)
		a.do("POST", "/api/v1/activations", map[string]any{"token": a.lastToken("jane@acme.example"), "password": goodPassword}).ok(t, 200, nil)
	})
}

// A link whose time ran out is expired at once in the API and the
// activation; the periodic job records it, with an audit event.
func TestInvitationExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		group := a.group(t, map[string]any{"name": "Resellers"})
		user := a.invitee(t, org, group, "jane@acme.example", map[string]any{"invitation_ttl": "1s"})
		token := a.lastToken("jane@acme.example")
		inv := a.invitationsOf(t, user)[0]
		time.Sleep(1100 * time.Millisecond)
		if got := a.invitation(t, inv.ID.String()); got.Status != "expired" {
			t.Fatalf("status after its lifetime %s, want expired", got.Status)
		}
		a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": goodPassword}).problem(t, 410, "token_expired")
		// what the periodic expire_invitations job runs (its run at start
		// may come late, once River elected its leader, and do it first)
		if _, err := a.promo.ExpireInvitations(t.Context()); err != nil {
			t.Fatal(err)
		}
		a.idle()
		var list InvitationList
		a.do("GET", "/api/v1/invitations?status=expired&organization_id="+org, nil).ok(t, 200, &list)
		if len(list.Data) != 1 || list.Data[0].ID != inv.ID {
			t.Fatalf("expired invitations %+v", list.Data)
		}
		if n := a.count(t, "audit_events", "action = ?", "invitation.expired"); n != 1 {
			t.Errorf("%d expiry audit events, want 1", n)
		}
		a.do("POST", "/api/v1/invitations/"+inv.ID.String()+"/revoke", nil).problem(t, 409, "invitation_not_pending")
	})
}

// A bulk resend by filter answers per invitation: each pending user gets a
// new invitation, a user no longer pending fails with user_not_pending,
// and an unknown id with not_found.
func TestBulkResendByFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		other := a.org(t, map[string]any{"name": "Other"})
		group := a.group(t, map[string]any{"name": "Resellers"})
		pending := []string{a.invitee(t, org, group, "a@acme.example", nil), a.invitee(t, org, group, "b@acme.example", nil)}
		active := a.invitee(t, org, group, "c@acme.example", nil)
		a.do("POST", "/api/v1/activations", map[string]any{"token": a.lastToken("c@acme.example"), "password": goodPassword}).ok(t, 200, nil)
		elsewhere := a.invitee(t, other, group, "d@other.example", nil)

		var res ResendResponse
		a.do("POST", "/api/v1/invitations/resend", map[string]any{"filter": map[string]any{"organization_id": org},
			"message": "Second try", "invitation_ttl": "48h"}).ok(t, 200, &res)
		if res.Summary != (ResendSummary{Requested: 3, Resent: 2, Failed: 1}) {
			t.Fatalf("summary %+v: %+v", res.Summary, res.Results)
		}
		byUser := map[string]ResendResult{}
		for _, r := range res.Results {
			var inv Invitation
			a.do("GET", "/api/v1/invitations/"+r.InvitationID.String(), nil).ok(t, 200, &inv)
			byUser[inv.UserID.String()] = r
		}
		for _, u := range pending {
			r := byUser[u]
			if r.Status != "resent" || r.NewInvitation == nil || r.NewInvitation.Message != "Second try" ||
				r.NewInvitation.ExpiresAt.Sub(r.NewInvitation.CreatedAt) != 48*time.Hour {
				t.Errorf("user %s: %+v", u, r)
			}
		}
		if r := byUser[active]; r.Status != "failed" || r.Error == nil || r.Error.Code != "user_not_pending" {
			t.Errorf("active user: %+v", r)
		}
		if n := len(a.invitationsOf(t, elsewhere)); n != 1 {
			t.Errorf("the other organization's user has %d invitations, want 1", n)
		}
		for _, addr := range []string{"a@acme.example", "b@acme.example"} {
			if body := lastMail(t, a, addr); !strings.Contains(body, "Second try") || !strings.Contains(body, "for 2 days") {
				t.Errorf("resent mail to %s: %s", addr, body)
			}
		}

		unknown := "0190d5a0-0000-7000-8000-00000000abcd"
		a.do("POST", "/api/v1/invitations/resend", map[string]any{"invitation_ids": []string{unknown}}).ok(t, 200, &res)
		if len(res.Results) != 1 || res.Results[0].Error == nil || res.Results[0].Error.Code != "not_found" {
			t.Fatalf("unknown invitation: %+v", res.Results)
		}
	})
}

// Above PORTICO_BULK_SYNC_LIMIT a resend is a River job with the same
// per-invitation results.
func TestBulkResendJob(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	cfg := testConfig(t, db)
	cfg.BulkSyncLimit = 1
	a := newAPIWith(t, cfg)
	org := a.org(t, map[string]any{"name": "Acme"})
	group := a.group(t, map[string]any{"name": "Resellers"})
	a.invitee(t, org, group, "a@acme.example", nil)
	a.invitee(t, org, group, "b@acme.example", nil)
	var j InvitationJob
	r := a.do("POST", "/api/v1/invitations/resend", map[string]any{"filter": map[string]any{"status": "pending"}}, "Idempotency-Key", "resend-1").ok(t, 202, &j)
	if r.Header.Get("Location") != "/api/v1/invitation-jobs/"+j.ID.String() || j.Total != 2 {
		t.Fatalf("job %+v, Location %q", j, r.Header.Get("Location"))
	}
	var replay InvitationJob
	a.do("POST", "/api/v1/invitations/resend", map[string]any{"filter": map[string]any{"status": "pending"}}, "Idempotency-Key", "resend-1").ok(t, 202, &replay)
	if replay.ID != j.ID {
		t.Fatalf("the retry started job %s, want %s", replay.ID, j.ID)
	}
	a.idle()
	a.do("GET", "/api/v1/invitation-jobs/"+j.ID.String(), nil).ok(t, 200, &j)
	if j.Status != "succeeded" || j.Resent != 2 || j.Processed != 2 {
		t.Fatalf("finished job %+v", j)
	}
	var results InvitationJobResults
	a.do("GET", j.ResultsURL, nil).ok(t, 200, &results)
	if len(results.Data) != 2 || results.Data[0].Status != "resent" || results.Data[0].NewInvitationID == nil {
		t.Fatalf("results %+v", results.Data)
	}
	if n := a.count(t, "invitations", "status = ?", "pending"); n != 2 {
		t.Errorf("%d pending invitations, want 2", n)
	}
}

// Bad options are refused with a clear problem, and nothing is written.
func TestInvitationBadInput(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	org := a.org(t, map[string]any{"name": "Acme"})
	group := a.group(t, map[string]any{"name": "Resellers"})
	contact := a.contact(t, map[string]any{"email": "jane@acme.example", "organization_id": org})
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"negative ttl", map[string]any{"invitation_ttl": "-1h"}, "invitation_ttl_invalid"},
		{"zero ttl", map[string]any{"invitation_ttl": 0}, "invitation_ttl_invalid"},
		{"ttl above the maximum", map[string]any{"invitation_ttl": "721h"}, "invitation_ttl_invalid"},
		{"ttl not a duration", map[string]any{"invitation_ttl": "soon"}, "invitation_ttl_invalid"},
		{"message too long", map[string]any{"message": strings.Repeat("x", 2001)}, "validation_failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.body["group_ids"] = []string{group}
			p := a.do("POST", "/api/v1/contacts/"+contact+"/promote", tc.body).problem(t, 422, tc.code)
			if len(p.Errors) == 0 {
				t.Errorf("no field errors: %+v", p)
			}
			a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": []string{contact}, "group_ids": []string{group},
				"invitation_ttl": tc.body["invitation_ttl"], "message": tc.body["message"]}).problem(t, 422, tc.code)
		})
	}
	a.do("POST", "/api/v1/contacts", map[string]any{"email": "x@acme.example", "locale": "klingon"}).problem(t, 422, "locale_unknown")
	a.do("PATCH", "/api/v1/contacts/"+contact, map[string]any{"locale": "xx"}).problem(t, 422, "locale_unknown")
	a.do("POST", "/api/v1/invitations/resend", map[string]any{"filter": map[string]any{}, "invitation_ttl": "-5s"}).problem(t, 422, "invitation_ttl_invalid")
	if n := a.count(t, "people", "kind = ?", "user") + a.count(t, "invitations", ""); n != 0 {
		t.Errorf("%d users and invitations written", n)
	}
}

// A primary contact sees and revokes its organization's invitations only.
func TestInvitationsScopedToPrimaryContact(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	f := newForeignWorld(t, a)
	var list InvitationList
	a.do("GET", "/api/v1/invitations", nil, "Authorization", f.primaryA).ok(t, 200, &list)
	for _, inv := range list.Data {
		if inv.UserID.String() == f.userB {
			t.Fatalf("organization A's primary contact sees B's invitation %+v", inv)
		}
	}
	b := a.invitationsOf(t, f.userB)[0]
	a.do("GET", "/api/v1/invitations/"+b.ID.String(), nil, "Authorization", f.primaryA).problem(t, 404, "not_found")
	a.do("POST", "/api/v1/invitations/"+b.ID.String()+"/revoke", nil, "Authorization", f.primaryA).problem(t, 404, "not_found")
	var res ResendResponse
	a.do("POST", "/api/v1/invitations/resend", map[string]any{"invitation_ids": []string{b.ID.String()}}, "Authorization", f.primaryA).ok(t, 200, &res)
	if res.Summary.Failed != 1 || res.Results[0].Error.Code != "not_found" {
		t.Fatalf("resend of another organization's invitation: %+v", res)
	}
	a.do("GET", "/api/v1/invitations?organization_id="+f.orgB, nil, "Authorization", f.primaryA).problem(t, 404, "not_found")
}

// The link pages speak the person's language: a German user's activation
// page is German, with its words for page.js; without a link the browser's
// Accept-Language decides.
func TestLinkPagesSpeakTheLocale(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	org := a.org(t, map[string]any{"name": "Acme"})
	group := a.group(t, map[string]any{"name": "Resellers"})
	id := a.contact(t, map[string]any{"email": "jo@acme.example", "organization_id": org, "locale": "de-CH"})
	a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{group}}).ok(t, 201, nil)
	token := a.lastToken("jo@acme.example")
	page := string(a.do("GET", "/activate?token="+token, nil, "Accept-Language", "fr").Body)
	wantContains(t, page, `<html lang="de">`, "Aktivieren Sie Ihr Portal-Konto", "Neues Passwort", `"mismatch":"Die beiden Passwörter`)

	inv := a.invitationsOf(t, id)[0]
	a.do("POST", "/api/v1/invitations/"+inv.ID.String()+"/revoke", nil).ok(t, 200, nil)
	revoked := a.do("GET", "/activate?token="+token, nil)
	if revoked.Status != 410 {
		t.Fatalf("revoked page status %d", revoked.Status)
	}
	wantContains(t, string(revoked.Body), "Diese Einladung wurde zurückgezogen", "Ihr Administrator hat diese Einladung zurückgezogen")

	reset := string(a.do("GET", "/reset-password", nil, "Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5").Body)
	wantContains(t, reset, `<html lang="fr">`, "Réinitialiser votre mot de passe", "M’envoyer un nouveau lien")
	english := string(a.do("GET", "/reset-password", nil).Body)
	wantContains(t, english, `<html lang="en">`, "Reset your password")
}
