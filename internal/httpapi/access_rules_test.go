package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestPrimaryContactLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newWorld(t, a)
		primary := "Bearer " + a.signIn(t, "primary@a.example", w.password)
		adminOnly := a.group(t, map[string]any{"name": "Staff only"})
		contact := a.contact(t, map[string]any{"email": "new@a.example", "organization_id": w.orgA})
		promote := func(body map[string]any) response {
			return a.do("POST", "/api/v1/contacts/"+contact+"/promote", body, "Authorization", primary)
		}
		promote(map[string]any{"group_ids": []string{adminOnly}}).problem(t, 403, "group_not_assignable")
		promote(map[string]any{"group_ids": []string{w.group}, "role": "admin"}).problem(t, 403, "role_not_allowed")

		// a contact of another organization is invisible, even to promote
		other := a.org(t, map[string]any{"name": "C"})
		foreign := a.contact(t, map[string]any{"email": "x@c.example", "organization_id": other})
		a.do("POST", "/api/v1/contacts/"+foreign+"/promote", map[string]any{"group_ids": []string{w.group}}, "Authorization", primary).problem(t, 404, "not_found")
		a.do("GET", "/api/v1/contacts?organization_id="+other, nil, "Authorization", primary).problem(t, 404, "not_found")
		var list ContactList
		a.do("GET", "/api/v1/contacts", nil, "Authorization", primary).ok(t, 200, &list)
		for _, c := range list.Data {
			if c.OrganizationID == nil || c.OrganizationID.String() != w.orgA {
				t.Fatalf("a primary contact listed contact %s of another organization", c.ID)
			}
		}

		var res PromotionResult
		promote(map[string]any{"group_ids": []string{w.group}, "role": "creator"}).ok(t, 201, &res)
		var me User
		a.do("GET", "/api/v1/users/me", nil, "Authorization", primary).ok(t, 200, &me)
		a.do("PATCH", "/api/v1/users/"+me.ID.String(), map[string]any{"role": "creator"}, "Authorization", primary).problem(t, 403, "field_not_allowed")
		a.do("PATCH", "/api/v1/users/"+res.User.ID.String(), map[string]any{"group_ids": []string{adminOnly}}, "Authorization", primary).problem(t, 403, "group_not_assignable")
		a.do("PATCH", "/api/v1/users/"+res.User.ID.String(), map[string]any{"status": "disabled"}, "Authorization", primary).ok(t, 200, nil)

		// a member changes only its own profile
		member := "Bearer " + a.signIn(t, "member@a.example", w.password)
		var m User
		a.do("GET", "/api/v1/users/me", nil, "Authorization", member).ok(t, 200, &m)
		a.do("PATCH", "/api/v1/users/"+m.ID.String(), map[string]any{"title": "CTO"}, "Authorization", member).ok(t, 200, nil)
		a.do("PATCH", "/api/v1/users/"+m.ID.String(), map[string]any{"role": "admin"}, "Authorization", member).problem(t, 403, "field_not_allowed")
		a.do("PATCH", "/api/v1/users/"+m.ID.String(), map[string]any{"primary_contact": true}, "Authorization", member).problem(t, 403, "field_not_allowed")

		// every change is audited with its actor and organization
		if n := a.count(t, "audit_events", "action = 'user.promoted' AND actor = ? AND organization_id = ?", "user:"+me.ID.String(), w.orgA); n != 1 {
			t.Fatalf("%d promotion events by the primary contact", n)
		}
		if n := a.count(t, "audit_events", "action = 'user.updated' AND actor = ?", "user:"+m.ID.String()); n != 1 {
			t.Fatalf("%d profile updates audited for the member", n)
		}
	})
}

func TestRevokedKeyAndEnumeration(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	newWorld(t, a) // a member with a password
	var k APIKeyCreated
	a.do("POST", "/api/v1/api-keys", map[string]any{"name": "temp", "role": "admin"}).ok(t, 201, &k)
	a.do("GET", "/api/v1/organizations", nil, "Authorization", "Bearer "+k.Key).ok(t, 200, nil)
	a.do("DELETE", "/api/v1/api-keys/"+k.ID.String(), nil).ok(t, 204, nil)
	a.do("GET", "/api/v1/organizations", nil, "Authorization", "Bearer "+k.Key).problem(t, 401, "unauthenticated")
	var keys APIKeyList
	a.do("GET", "/api/v1/api-keys", nil).ok(t, 200, &keys)
	for _, key := range keys.Data {
		if key.Name == "temp" && key.RevokedAt == nil {
			t.Fatal("revoked key listed as live")
		}
	}

	// a wrong password and an unknown email answer alike
	wrong := a.do("POST", "/api/v1/sessions", map[string]any{"email": "member@a.example", "password": "not the password"}, "Authorization", "")
	unknown := a.do("POST", "/api/v1/sessions", map[string]any{"email": "ghost@a.example", "password": "not the password"}, "Authorization", "")
	pw, pu := wrong.problem(t, 401, "invalid_credentials"), unknown.problem(t, 401, "invalid_credentials")
	if pw.Detail != pu.Detail || pw.Title != pu.Title {
		t.Fatalf("sign-in answers differ: %q vs %q", pw.Detail, pu.Detail)
	}
	for _, email := range []string{"member@a.example", "ghost@a.example"} {
		r := a.do("POST", "/api/v1/password-resets", map[string]any{"email": email}, "Authorization", "")
		if r.Status != 202 || len(r.Body) != 0 {
			t.Fatalf("reset for %s: %d %s", email, r.Status, r.Body)
		}
	}
}

func TestRateLimits(t *testing.T) {
	cfg := apptest.Config(t, storetest.Open(t, store.SQLite))
	cfg.AdminToken, cfg.RatePerClient, cfg.RatePerAccount = testAdminToken, 6, 3
	a := newAPIWith(t, cfg)
	signIn := func(email string) response {
		return a.do("POST", "/api/v1/sessions", map[string]any{"email": email, "password": "whatever it is"}, "Authorization", "")
	}
	// per account: 3 a minute lets 3 attempts through, the 4th waits
	for range 3 {
		signIn("one@x.example").problem(t, 401, "invalid_credentials")
	}
	r := signIn("one@x.example")
	r.problem(t, 429, "rate_limited")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 60 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// per client: the address has made 4 of its 6; another account gets the other 2
	signIn("two@x.example").problem(t, 401, "invalid_credentials")
	signIn("two@x.example").problem(t, 401, "invalid_credentials")
	signIn("two@x.example").problem(t, 429, "rate_limited")
	// authenticated operations are not limited
	for range 5 {
		a.do("GET", "/api/v1/organizations", nil).ok(t, 200, nil)
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	cfg := apptest.Config(t, storetest.Open(t, store.SQLite))
	cfg.AdminToken, cfg.CORSOrigins = testAdminToken, []string{"https://spa.example"}
	srv := newAPIWith(t, cfg)
	req, _ := http.NewRequest("OPTIONS", srv.url+"/api/v1/organizations", nil)
	req.Header.Set("Origin", "https://spa.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://spa.example" {
		t.Fatalf("preflight: %v", resp.Header)
	}
	req, _ = http.NewRequest("GET", srv.url+"/api/v1/organizations", nil)
	req.Header.Set("Origin", "https://evil.example")
	resp, err = testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS allowed an unknown origin")
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if resp.Header.Get("WWW-Authenticate") == "" || resp.StatusCode != 401 {
		t.Errorf("anonymous API call: %d without WWW-Authenticate", resp.StatusCode)
	}
}
