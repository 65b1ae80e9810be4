package main

import (
	"strings"
	"testing"
	"time"
)

// testInvitationMaxTTL: an invitation_ttl above PORTICO_INVITATION_MAX_TTL
// is refused and nothing is written; one within it sets the link's lifetime.
func testInvitationMaxTTL(t *testing.T) {
	p := startBinary(t, "PORTICO_INVITATION_MAX_TTL=2h", "PORTICO_ACTIVATION_TTL=1h")
	id := p.contact("bounded")
	body := func(ttl string) map[string]any {
		return map[string]any{"group_ids": []string{p.world().group}, "invitation_ttl": ttl}
	}
	r := p.call("POST", "/api/v1/contacts/"+id+"/promote", body("3h"))
	if r.status != 422 || r.json(t)["code"] != "invitation_ttl_invalid" || !strings.Contains(string(r.body), "2h0m0s") {
		t.Fatalf("a ttl above the maximum: %d %s", r.status, r.body)
	}
	p.must(201, "POST", "/api/v1/contacts/"+id+"/promote", body("2h"))
	list := p.must(200, "GET", "/api/v1/invitations?user_id="+id, nil)["data"].([]any)
	inv := list[0].(map[string]any)
	created, _ := time.Parse(time.RFC3339, inv["created_at"].(string))
	expires, _ := time.Parse(time.RFC3339, inv["expires_at"].(string))
	if d := expires.Sub(created); d < 2*time.Hour-time.Second || d > 2*time.Hour+time.Second {
		t.Fatalf("the link works %v, want 2h", d)
	}
}

// testDefaultLocale: a contact with no locale is invited in
// PORTICO_DEFAULT_LOCALE's language.
func testDefaultLocale(t *testing.T) {
	p := startBinary(t, "PORTICO_DEFAULT_LOCALE=fr")
	id := p.contact("francais")
	if r := p.promote(id); r.status != 201 {
		t.Fatalf("promote: %d %s", r.status, r.body)
	}
	p.loggedToken("francais@" + p.world().domain)
	if !strings.Contains(p.out.String(), "Votre invitation au portail") {
		t.Fatalf("no French invitation logged:\n%s", grepLines(p.out.String(), "francais"))
	}
	inv := p.must(200, "GET", "/api/v1/invitations?user_id="+id, nil)["data"].([]any)[0].(map[string]any)
	if inv["locale"] != "fr" {
		t.Fatalf("invitation locale %v, want fr", inv["locale"])
	}
}
