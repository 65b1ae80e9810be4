package main

import (
	"strings"
	"testing"
)

// testPortalURL: the activation page links the portal's sign-in page once
// the password is set, and names no link when the setting is unset.
func testPortalURL(t *testing.T) {
	const portal = "https://portal.example.test/sign-in"
	for _, c := range []struct {
		env  []string
		want bool
	}{{[]string{"PORTICO_PORTAL_URL=" + portal}, true}, {nil, false}} {
		p := startBinary(t, c.env...)
		id := p.contact("portal")
		if r := p.promote(id); r.status != 201 {
			t.Fatalf("promote: %d %s", r.status, r.body)
		}
		page := p.call("GET", "/activate?token="+p.loggedToken("portal@"+p.world().domain), nil, "Authorization", "")
		if page.status != 200 {
			t.Fatalf("activation page: %d", page.status)
		}
		if linked := strings.Contains(string(page.body), `href="`+portal+`"`); linked != c.want {
			t.Fatalf("with %v the page links the portal: %v, want %v", c.env, linked, c.want)
		}
	}
}
