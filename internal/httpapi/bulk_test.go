package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// bulkWorld is a mixed selection: contacts that can be promoted and one
// for every refusal code.
type bulkWorld struct {
	group, orgA string
	eligible    []string
	refused     map[string]string // contact id → expected code
}

func newBulkWorld(t *testing.T, a *api) *bulkWorld {
	w := &bulkWorld{refused: map[string]string{}}
	w.orgA = a.org(t, map[string]any{"name": "Acme", "region": "EMEA", "email_domains": []string{"acme.example"}})
	prospect := a.org(t, map[string]any{"name": "Prospect", "status": "prospective"})
	a.org(t, map[string]any{"name": "Other", "email_domains": []string{"other.example"}})
	w.group = a.group(t, map[string]any{"name": "Resellers"})
	for i := range 5 {
		w.eligible = append(w.eligible, a.contact(t, map[string]any{"email": fmt.Sprintf("ok%d@acme.example", i), "organization_id": w.orgA}))
	}
	user := a.contact(t, map[string]any{"email": "user@acme.example", "organization_id": w.orgA})
	a.do("POST", "/api/v1/contacts/"+user+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
	w.refused[user] = "already_user"
	w.refused[a.contact(t, map[string]any{"email": "p@acme.example", "organization_id": prospect})] = "organization_not_active"
	w.refused[a.contact(t, map[string]any{"email": "n@acme.example"})] = "no_organization"
	w.refused[a.contact(t, map[string]any{"organization_id": w.orgA})] = "email_missing"
	w.refused[a.contact(t, map[string]any{"email": "USER@acme.example", "organization_id": w.orgA})] = "email_taken"
	w.refused[a.contact(t, map[string]any{"email": "x@other.example", "organization_id": w.orgA})] = "email_domain_conflict"
	return w
}

func (w *bulkWorld) all() []string {
	out := append([]string(nil), w.eligible...)
	for id := range w.refused {
		out = append(out, id)
	}
	return out
}

func TestBulkPromotionSync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newBulkWorld(t, a)
		// two contacts, one email: the first in the request wins
		first := a.contact(t, map[string]any{"email": "twin@acme.example", "organization_id": w.orgA})
		second := a.contact(t, map[string]any{"email": "Twin@acme.example", "organization_id": w.orgA})
		ids := append(w.all(), first, second, first) // a duplicate id counts once

		body := map[string]any{"contact_ids": ids, "group_ids": []string{w.group}, "dry_run": true}
		var dry BulkPromoteResponse
		a.do("POST", "/api/v1/contacts/promote", body).ok(t, 200, &dry)
		w.check(t, dry, first, second, "would_promote")
		if n := a.count(t, "people", "kind = 'user'"); n != 1 {
			t.Fatalf("dry run wrote users: %d", n)
		}

		body["dry_run"] = false
		var res BulkPromoteResponse
		a.do("POST", "/api/v1/contacts/promote", body, "Idempotency-Key", "bulk-1").ok(t, 200, &res)
		w.check(t, res, first, second, "promoted")
		if n := a.count(t, "outbox_emails", ""); n != 7 { // the earlier user + 5 + first
			t.Fatalf("%d invitations queued", n)
		}
		// a retry with the key replays the answer and promotes nobody twice
		var again BulkPromoteResponse
		r := a.do("POST", "/api/v1/contacts/promote", body, "Idempotency-Key", "bulk-1").ok(t, 200, &again)
		if r.Header.Get("Idempotent-Replayed") != "true" || again.Summary != res.Summary {
			t.Fatalf("replay: %v %+v", r.Header, again.Summary)
		}
		body["role"] = "creator"
		a.do("POST", "/api/v1/contacts/promote", body, "Idempotency-Key", "bulk-1").problem(t, 422, "idempotency_key_reused")
		if n := a.count(t, "outbox_emails", ""); n != 7 {
			t.Fatalf("replay queued mail: %d", n)
		}
	})
}

func (w *bulkWorld) check(t *testing.T, res BulkPromoteResponse, first, second, okStatus string) {
	t.Helper()
	byID := map[string]BulkResult{}
	for _, r := range res.Results {
		byID[r.ContactID.String()] = r
	}
	if len(res.Results) != len(w.eligible)+len(w.refused)+2 || res.Summary.Requested != len(res.Results) {
		t.Fatalf("%d results, summary %+v", len(res.Results), res.Summary)
	}
	for _, id := range append(append([]string(nil), w.eligible...), first) {
		if r := byID[id]; r.Status != okStatus || r.UserID == nil || r.UserID.String() != id {
			t.Errorf("%s: %+v, want %s", id, r, okStatus)
		}
	}
	ok := len(w.eligible) + 1
	promoted, would := ok, 0
	if okStatus == "would_promote" { // a dry run promotes nobody: its successes are counted apart
		promoted, would = 0, ok
	}
	if res.Summary.Promoted != promoted || res.Summary.WouldPromote != would || res.Summary.Failed != len(w.refused)+1 {
		t.Errorf("summary %+v, want promoted %d, would_promote %d", res.Summary, promoted, would)
	}
	w.refused[second] = "email_taken"
	defer delete(w.refused, second)
	for id, code := range w.refused {
		r := byID[id]
		if r.Status != "failed" || r.Error == nil || r.Error.Code != code || r.Error.Detail == "" || r.Error.Resolution == "" {
			t.Errorf("%s: %+v, want failed %s with detail and resolution", id, r, code)
		}
	}
}

func TestBulkPromotionByFilterAsJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newBulkWorld(t, a)
		var job PromotionJob
		r := a.do("POST", "/api/v1/contacts/promote", map[string]any{"filter": map[string]any{"region": "EMEA"},
			"group_ids": []string{w.group}, "async": true}).ok(t, 202, &job)
		if r.Header.Get("Location") != "/api/v1/promotion-jobs/"+job.ID.String() || job.Status != "queued" {
			t.Fatalf("job %+v at %q", job, r.Header.Get("Location"))
		}
		// region EMEA is organization A: its five eligible contacts and three
		// refused ones (the filter selects contacts, so not its user)
		if job.Total != len(w.eligible)+3 {
			t.Fatalf("total %d", job.Total)
		}
		a.idle()
		a.do("GET", "/api/v1/promotion-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || job.Processed != job.Total || job.Promoted != 5 || job.Failed != 3 || job.Progress != 1 {
			t.Fatalf("finished job %+v", job)
		}
		seen := map[string]bool{}
		cursor := ""
		for {
			var page PromotionJobResults
			a.do("GET", "/api/v1/promotion-jobs/"+job.ID.String()+"/results?limit=4&cursor="+cursor, nil).ok(t, 200, &page)
			for _, r := range page.Data {
				seen[r.ContactID.String()] = true
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != job.Total {
			t.Fatalf("results walk saw %d of %d", len(seen), job.Total)
		}
		a.do("POST", "/api/v1/promotion-jobs/"+job.ID.String()+"/cancel", nil).problem(t, 409, "job_finished")
	})
}

// TestJobResumesAfterShutdown stops the process working a job after its
// first batch; the job is due again at once, a second process on the same
// database finishes it, and every contact is promoted and invited exactly
// once.
func TestJobResumesAfterShutdown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Big"})
		g := a.group(t, map[string]any{"name": "G"})
		var ids []string
		for i := range 1200 { // three batches of 500
			ids = append(ids, a.contact(t, map[string]any{"email": fmt.Sprintf("c%d@big.example", i), "organization_id": org}))
		}
		var job PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": ids, "group_ids": []string{g}}).ok(t, 202, &job)
		waitFor(t, db, "a first batch", "SELECT COALESCE(MAX(processed), 0) FROM promotion_jobs")
		if err := a.app.Shutdown(); err != nil {
			t.Fatal(err)
		}
		var mid int
		db.Gorm.Raw("SELECT processed FROM promotion_jobs").Scan(&mid)
		if mid == 0 || mid == 1200 {
			t.Fatalf("after the shutdown %d of 1200 processed; the test needs a job stopped midway", mid)
		}

		// The second process would rescue a job only after an hour: the job
		// finishes here only if the stopped run left it due at once, not
		// waiting out a lease or a backoff. The bound is generous because
		// 700 promotions and mails on one SQLite connection under -race on a
		// loaded machine can take more than a minute.
		cfg := a.cfg
		cfg.JobRescueAfter = time.Hour
		b := newAPIWith(t, cfg)
		b.idleWithin(4 * time.Minute)
		b.do("GET", "/api/v1/promotion-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || job.Promoted != 1200 || job.Failed != 0 {
			t.Fatalf("job %+v", job)
		}
		for table, want := range map[string]int64{"outbox_emails": 1200, "user_tokens": 1200, "group_memberships": 1200} {
			if n := b.count(t, table, ""); n != want {
				t.Errorf("%s: %d, want %d", table, n, want)
			}
		}
		if n := b.count(t, "audit_events", "action = 'user.promoted'"); n != 1200 {
			t.Errorf("%d promotion events", n)
		}
		if n := len(b.mails()) + len(a.sent.msgs); n != 1200 {
			t.Errorf("%d invitations sent by the two processes, want 1200", n)
		}
	})
}

// waitFor polls query until it returns a positive number.
func waitFor(t *testing.T, db *store.DB, what, query string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var n int
		if err := db.Gorm.Raw(query).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("no %s within a minute", what)
}

// TestTwoProcessesShareJobs runs several jobs with two processes working
// one PostgreSQL database, and with the workers of one process on SQLite
// (an SQLite file serves one process): every contact is promoted and
// invited exactly once.
func TestTwoProcessesShareJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		b := a
		if db.Dialect == store.Postgres {
			b = newAPIWith(t, a.cfg)
		}
		org := a.org(t, map[string]any{"name": "Shared"})
		g := a.group(t, map[string]any{"name": "G"})
		for j := range 4 {
			var ids []string
			for i := range 150 {
				ids = append(ids, a.contact(t, map[string]any{"email": fmt.Sprintf("j%d-%d@shared.example", j, i), "organization_id": org}))
			}
			caller := []*api{a, b}[j%2]
			caller.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": ids, "group_ids": []string{g}}).ok(t, 202, nil)
		}
		sent := len(a.mails())
		if b != a {
			sent += len(b.mails())
		}
		if n := a.count(t, "promotion_jobs", "status = 'succeeded' AND promoted = 150"); n != 4 {
			t.Fatalf("%d of 4 jobs succeeded whole", n)
		}
		if n := a.count(t, "outbox_emails", "sent_at IS NOT NULL"); n != 600 {
			t.Fatalf("%d invitations for 600 contacts", n)
		}
		if sent != 600 {
			t.Fatalf("%d messages sent for 600 invitations", sent)
		}
	})
}
