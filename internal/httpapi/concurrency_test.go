package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// race sends n identical requests at once and counts the answers by
// status and code.
func (a *api) race(n int, method string, paths func(i int) string, body any) map[string]int {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		got = map[string]int{}
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := a.do(method, paths(i), body)
			key := "ok"
			if r.Status >= 300 {
				key = problemCode(r.Body)
			}
			mu.Lock()
			got[key]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

func TestConcurrentPromotionsOfOneContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		g := a.group(t, map[string]any{"name": "G"})
		id := a.contact(t, map[string]any{"email": "one@acme.example", "organization_id": org})
		got := a.race(20, "POST", func(int) string { return "/api/v1/contacts/" + id + "/promote" }, map[string]any{"group_ids": []string{g}})
		if got["ok"] != 1 || got["already_user"] != 19 {
			t.Fatalf("answers %v, want 1 ok and 19 already_user", got)
		}
		if n := a.count(t, "people", "kind = 'user'"); n != 1 {
			t.Fatalf("%d users", n)
		}
		if n := a.count(t, "outbox_emails", ""); n != 1 {
			t.Fatalf("%d invitations", n)
		}
	})
}

func TestConcurrentPromotionsOfOneEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		g := a.group(t, map[string]any{"name": "G"})
		var contacts []string
		for range 8 {
			contacts = append(contacts, a.contact(t, map[string]any{"email": "Same@acme.example", "organization_id": org}))
		}
		got := a.race(len(contacts), "POST", func(i int) string { return "/api/v1/contacts/" + contacts[i] + "/promote" },
			map[string]any{"group_ids": []string{g}})
		if got["ok"] != 1 || got["email_taken"] != len(contacts)-1 {
			t.Fatalf("answers %v, want 1 ok and the rest email_taken", got)
		}
		if n := a.count(t, "people", "kind = 'user'"); n != 1 {
			t.Fatalf("%d users share one email", n)
		}
	})
}

// failingAudit fails the last step of a promotion.
type failingAudit struct{}

func (failingAudit) RecordAudit(context.Context, domain.AuditEvent) error {
	return errors.New("audit log unavailable")
}

// TestPromotionIsAtomic fails the last step and checks that nothing of the
// earlier steps remains, including an organization converted from an account.
func TestPromotionIsAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		g := a.group(t, map[string]any{"name": "G"})
		withOrg := a.contact(t, map[string]any{"email": "a@acme.example", "organization_id": org})
		acct := a.account(t, map[string]any{"name": "CRM Co"})
		withAccount := a.contact(t, map[string]any{"email": "b@crm.example", "account_id": acct})
		// the app's database, whose invitations enqueue their jobs: the audit
		// event, written last, is what fails
		broken := promotion.New(a.db, a.db, failingAudit{}, promotion.Config{PublicURL: "http://portal.test"})
		for _, id := range []string{withOrg, withAccount} {
			_, err := broken.Promote(t.Context(), promotion.Request{ContactID: uuid.MustParse(id), GroupIDs: []uuid.UUID{uuid.MustParse(g)}})
			if err == nil || !strings.Contains(err.Error(), "audit") {
				t.Fatalf("promotion without its audit event: %v", err)
			}
			a.do("GET", "/api/v1/contacts/"+id, nil).ok(t, 200, nil)
		}
		if n := a.count(t, "audit_events", "action = 'user.promoted'"); n != 0 {
			t.Errorf("%d promotion audit events after failed promotions", n)
		}
		for table, want := range map[string]int64{"organizations": 1, "group_memberships": 0, "user_tokens": 0, "outbox_emails": 0} {
			if n := a.count(t, table, ""); n != want {
				t.Errorf("%s: %d rows after failed promotions, want %d", table, n, want)
			}
		}
		if n := a.count(t, "people", "kind = 'user'"); n != 0 {
			t.Errorf("%d users after failed promotions", n)
		}
		if n := a.count(t, "river_job", "kind = 'send_email'"); n != 0 {
			t.Errorf("%d mail jobs after failed promotions", n)
		}
	})
}

func problemCode(body []byte) string {
	var p struct{ Code string }
	if err := json.Unmarshal(body, &p); err != nil {
		return "undecodable"
	}
	return p.Code
}
