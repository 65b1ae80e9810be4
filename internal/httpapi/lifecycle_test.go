package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestLifecycle walks promote → mail → activate → sign in → demote →
// sign-in refused → re-promote with memberships intact.
func TestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme", "email_domains": []string{"acme.example"}})
		manual := a.group(t, map[string]any{"name": "Resellers"})
		smart := a.group(t, map[string]any{"name": "All partners", "smart_rule": map[string]any{"organization_kinds": []string{"partner"}}})
		id := a.contact(t, map[string]any{"first_name": "Jane", "email": "Jane@Acme.example", "organization_id": org})

		var dry PromotionResult
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{manual}, "role": "creator", "dry_run": true}).ok(t, 200, &dry)
		if !dry.DryRun || dry.User.Status != "pending" || len(dry.User.GroupIDs) != 2 {
			t.Fatalf("dry run answer: %+v", dry)
		}
		if a.count(t, "people", "kind = 'user'") != 0 || a.count(t, "outbox_emails", "") != 0 || a.count(t, "user_tokens", "") != 0 {
			t.Fatal("dry run wrote")
		}

		var res PromotionResult
		r := a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{manual}, "role": "creator"}).ok(t, 201, &res)
		if r.Header.Get("Location") != "/api/v1/users/"+id {
			t.Errorf("Location %q", r.Header.Get("Location"))
		}
		u := res.User
		if u.ID.String() != id || u.Status != "pending" || u.Role != "creator" || u.OrganizationID.String() != org ||
			res.OrganizationCreated || len(res.Warnings) != 0 {
			t.Fatalf("promoted user: %+v", res)
		}
		wantGroups := []string{manual, smart}
		slices.Sort(wantGroups)
		if got := ids(u.GroupIDs); !slices.Equal(got, wantGroups) {
			t.Fatalf("groups %v, want %v", got, wantGroups)
		}
		a.do("GET", "/api/v1/contacts/"+id, nil).problem(t, 404, "not_found")
		a.do("GET", "/api/v1/users/"+id, nil).ok(t, 200, nil)
		if n := a.count(t, "audit_events", "action = 'user.promoted' AND subject_id = ?", id); n != 1 {
			t.Fatalf("%d promotion audit events", n)
		}

		// the link opens a page without spending the token
		mails := a.mails()
		if len(mails) != 1 || mails[0].To != "Jane@Acme.example" || !strings.Contains(mails[0].Body, "http://portal.test/activate?token=") {
			t.Fatalf("invitation: %+v", mails)
		}
		token := a.lastToken("jane@acme.example")
		if a.count(t, "user_tokens", "token_hash = ?", token) != 0 {
			t.Fatal("the raw token is stored")
		}
		page := a.do("GET", "/activate?token="+token, nil)
		if page.Status != 200 || !strings.Contains(string(page.Body), "/api/v1/activations") {
			t.Fatalf("activation page: %d", page.Status)
		}
		a.do("POST", "/api/v1/sessions", map[string]any{"email": "jane@acme.example", "password": "correct horse battery"}).problem(t, 401, "invalid_credentials")
		a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": "jane@acme.example"}).problem(t, 422, "password_too_weak")
		var active User
		a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": "correct horse battery"}).ok(t, 200, &active)
		if active.Status != "active" || active.ActivatedAt == nil {
			t.Fatalf("activated: %+v", active)
		}
		a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": "correct horse battery"}).problem(t, 410, "token_used")

		session := a.signIn(t, "JANE@acme.example", "correct horse battery")
		var me User
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+session).ok(t, 200, &me)
		if me.ID.String() != id {
			t.Fatalf("me = %s", me.ID)
		}

		var demoted Contact
		a.do("POST", "/api/v1/users/"+id+"/demote", nil).ok(t, 200, &demoted)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+session).problem(t, 401, "unauthenticated")
		a.do("POST", "/api/v1/sessions", map[string]any{"email": "jane@acme.example", "password": "correct horse battery"}).problem(t, 401, "invalid_credentials")
		a.do("GET", "/api/v1/contacts/"+id, nil).ok(t, 200, nil)
		a.do("GET", "/api/v1/users/"+id, nil).problem(t, 404, "not_found")

		// re-promotion needs no groups: the manual one was kept; the role too
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{}).ok(t, 201, &res)
		if got := ids(res.User.GroupIDs); !slices.Equal(got, wantGroups) || res.User.Role != "creator" || res.User.Status != "pending" {
			t.Fatalf("re-promoted: %+v", res.User)
		}
		again := a.lastToken("jane@acme.example")
		if again == token {
			t.Fatal("re-promotion reused the old link")
		}
		a.do("POST", "/api/v1/activations", map[string]any{"token": again, "password": "another good password"}).ok(t, 200, nil)
		a.signIn(t, "jane@acme.example", "another good password")
	})
}

func (a *api) signIn(t *testing.T, email, password string) string {
	t.Helper()
	var s SessionResponse
	a.do("POST", "/api/v1/sessions", map[string]any{"email": email, "password": password}).ok(t, 201, &s)
	if s.Token == "" || s.ExpiresAt.IsZero() {
		t.Fatalf("session: %+v", s)
	}
	return s.Token
}

func ids[T interface{ String() string }](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = v.String()
	}
	slices.Sort(out)
	return out
}
