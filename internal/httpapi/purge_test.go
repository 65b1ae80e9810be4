package httpapi_test

import (
	"testing"
	"time"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// The periodic purge deletes what expired and keeps what is live: an
// expired session stops working and is gone, a live one works on; links
// are kept 30 days past expiry (the activation page tells a used link from
// an unknown one); delivered mail goes after 7 days.
func TestPurgeExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		// The purge River runs on start would race the one below.
		waitFor(t, db, "the purge run on start", "SELECT count(*) FROM river_job WHERE kind = 'purge_expired' AND state = 'completed'")
		org := a.org(t, map[string]any{"name": "Acme", "email_domains": []string{"acme.example"}})
		g := a.group(t, map[string]any{"name": "G"})
		id := a.contact(t, map[string]any{"email": "jane@acme.example", "organization_id": org})
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{g}}).ok(t, 201, nil)
		token := a.lastToken("jane@acme.example")
		a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": "correct horse battery"}).ok(t, 200, nil)
		old := a.signIn(t, "jane@acme.example", "correct horse battery")
		long := time.Now().UTC().Add(-40 * 24 * time.Hour)
		for _, q := range []string{
			"UPDATE sessions SET expires_at = ?",
			"UPDATE user_tokens SET expires_at = ?",
			"UPDATE outbox_emails SET created_at = ?",
		} {
			if err := db.Gorm.Exec(q, long).Error; err != nil {
				t.Fatal(err)
			}
		}
		live := a.signIn(t, "jane@acme.example", "correct horse battery")
		p, err := a.db.PurgeExpired(t.Context(), time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		if p.Sessions != 1 || p.Tokens != 1 || p.Emails != 1 {
			t.Fatalf("purged %+v, want one session, one token, one email", p)
		}
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+old).problem(t, 401, "unauthenticated")
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+live).ok(t, 200, nil)
		if n := a.count(t, "sessions", ""); n != 1 {
			t.Fatalf("%d sessions left, want the live one", n)
		}
	})
}
