package main

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portico/portico/internal/mail/smtptest"
	"github.com/portico/portico/internal/store/storetest"
)

// testMailSettings: the invitation reaches the SMTP server the test runs,
// from PORTICO_MAIL_FROM, with its link on PORTICO_PUBLIC_URL.
func testMailSettings(t *testing.T) {
	smtp := smtptest.Start(t)
	p := startBinary(t, "PORTICO_SMTP_URL="+smtp.URL, "PORTICO_PUBLIC_URL=https://portal.example.test/base",
		"PORTICO_MAIL_FROM=Acme Portal <portal@acme.test>")
	id := p.contact("mailme")
	if r := p.promote(id); r.status != 201 {
		t.Fatalf("promote: %d %s", r.status, r.body)
	}
	m := smtp.Wait(t, 1, 15*time.Second)[0]
	if m.To != "mailme@"+p.world().domain || !strings.Contains(m.Header.Get("From"), "portal@acme.test") {
		t.Fatalf("envelope to %q, From %q", m.To, m.Header.Get("From"))
	}
	if !regexp.MustCompile(`https://portal\.example\.test/base/activate\?token=[A-Za-z0-9_-]{20,}`).MatchString(m.Text()) {
		t.Fatalf("no link on the public URL in:\n%s", m.Text())
	}
}

func preflight(t *testing.T, p *proc, origin string) http.Header {
	t.Helper()
	req, _ := http.NewRequest("OPTIONS", p.url+"/api/v1/sessions", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode >= 300 && resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from %s: %d with CORS headers", origin, resp.StatusCode)
	}
	return resp.Header
}

func testCORSOrigins(t *testing.T) {
	const spa = "http://spa.example.test:5173"
	p := startBinary(t, "PORTICO_CORS_ORIGINS=https://other.example, "+spa)
	h := preflight(t, p, spa)
	if h.Get("Access-Control-Allow-Methods") == "" || h.Get("Access-Control-Allow-Origin") != spa || h.Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Fatalf("preflight from the SPA: %v", h)
	}
	r := p.call("GET", "/api/v1/organizations", nil, "Origin", spa)
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != spa ||
		!strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "X-Request-Id") {
		t.Fatalf("actual request from the SPA: %d %v", r.status, r.header)
	}
	if h := preflight(t, p, "http://evil.example"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin allowed: %v", h)
	}
	if r := p.call("GET", "/api/v1/organizations", nil, "Origin", "http://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("a request from another origin is allowed")
	}
	any := startBinary(t, "PORTICO_CORS_ORIGINS=*")
	if h := preflight(t, any, "http://anywhere.example"); h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("wildcard preflight: %v", h)
	}
	if h := preflight(t, startBinary(t), spa); h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS without the setting: %v", h)
	}
}

// signIns sends n wrong sign-ins, for email(i), and returns the statuses
// and the last Retry-After.
func signIns(p *proc, n int, email func(i int) string) (codes []int, retryAfter string) {
	for i := range n {
		r := p.call("POST", "/api/v1/sessions", map[string]any{"email": email(i), "password": "wrong password 123"}, "Authorization", "")
		codes = append(codes, r.status)
		retryAfter = r.header.Get("Retry-After")
	}
	return codes, retryAfter
}

func wantLimited(t *testing.T, codes []int, allowed int, retryAfter string) {
	t.Helper()
	for i, c := range codes {
		if (i < allowed && c == 429) || (i >= allowed && c != 429) {
			t.Fatalf("answers %v: want %d let through, then 429", codes, allowed)
		}
	}
	if secs, err := strconv.Atoi(retryAfter); err != nil || secs < 1 || secs > 60 {
		t.Fatalf("Retry-After %q", retryAfter)
	}
}

func testRateLimitClient(t *testing.T) {
	p := startBinary(t, "PORTICO_RATE_LIMIT_CLIENT=5", "PORTICO_RATE_LIMIT_ACCOUNT=0")
	codes, ra := signIns(p, 7, func(i int) string { return fmt.Sprintf("client%d@x.example", i) })
	wantLimited(t, codes, 5, ra)
	off := startBinary(t, "PORTICO_RATE_LIMIT_CLIENT=0", "PORTICO_RATE_LIMIT_ACCOUNT=0")
	if codes, _ := signIns(off, 30, func(i int) string { return fmt.Sprintf("c%d@x.example", i) }); strings.Contains(fmt.Sprint(codes), "429") {
		t.Fatalf("0 turns the limit off, got %v", codes)
	}
}

func testRateLimitAccount(t *testing.T) {
	p := startBinary(t, "PORTICO_RATE_LIMIT_ACCOUNT=3", "PORTICO_RATE_LIMIT_CLIENT=0")
	codes, ra := signIns(p, 5, func(int) string { return "guess@x.example" })
	wantLimited(t, codes, 3, ra)
	// another account is not affected
	if codes, _ := signIns(p, 1, func(int) string { return "other@x.example" }); codes[0] != 401 {
		t.Fatalf("another account: %v", codes)
	}
	// resets for one email are limited too, and only the allowed ones are mailed
	q := startBinary(t, "PORTICO_RATE_LIMIT_ACCOUNT=3", "PORTICO_RATE_LIMIT_CLIENT=0")
	email, _ := q.activeUser("resetme")
	var statuses []int
	for range 6 {
		statuses = append(statuses, q.call("POST", "/api/v1/password-resets", map[string]any{"email": email}, "Authorization", "").status)
	}
	if fmt.Sprint(statuses) != "[202 202 202 429 429 429]" {
		t.Fatalf("resets: %v", statuses)
	}
	time.Sleep(3 * time.Second) // a mail poll
	resets := strings.Count(q.out.String(), `"subject":"Reset your portal password"`)
	if resets != 3 {
		t.Fatalf("%d reset mails for 3 allowed requests", resets)
	}
}

func testBulkSyncLimit(t *testing.T) {
	p := startBinary(t, "PORTICO_BULK_SYNC_LIMIT=2")
	bulk := func(ids []string) reply {
		return p.call("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": ids, "group_ids": []string{p.world().group}})
	}
	if r := bulk([]string{p.contact("s1"), p.contact("s2")}); r.status != 200 {
		t.Fatalf("two contacts: %d %s", r.status, r.body)
	}
	var five []string
	for i := range 5 {
		five = append(five, p.contact(fmt.Sprint("j", i)))
	}
	if r := bulk(five); r.status != 202 || r.json(t)["id"] == nil {
		t.Fatalf("five contacts: %d %s", r.status, r.body)
	}
	zero := startBinary(t, "PORTICO_BULK_SYNC_LIMIT=0")
	one := zero.contact("alone")
	if r := zero.call("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": []string{one}, "group_ids": []string{zero.world().group}}); r.status != 202 {
		t.Fatalf("0 runs every bulk promotion as a job: %d %s", r.status, r.body)
	}
}

func testConvertedKind(t *testing.T) {
	p := startBinary(t, "PORTICO_CONVERTED_KIND=distributor")
	acct := p.must(201, "POST", "/api/v1/accounts", map[string]any{"name": "CRM Only Ltd"})["id"].(string)
	id := p.must(201, "POST", "/api/v1/contacts", map[string]any{"last_name": "Crm", "email": "crm@crmonly.example", "account_id": acct})["id"].(string)
	r := p.promote(id)
	if r.status != 201 {
		t.Fatalf("promote: %d %s", r.status, r.body)
	}
	org := r.json(t)["organization"].(map[string]any)
	if org["kind"] != "distributor" || r.json(t)["organization_created"] != true {
		t.Fatalf("organization %v", org)
	}
}

// testPromotionConcurrency: with one slot, a background bulk job and
// concurrent single promotions never write two at a time — one admission
// serves the API and the jobs.
func testPromotionConcurrency(t *testing.T) {
	p := startBinary(t, "PORTICO_PROMOTION_CONCURRENCY=1", "PORTICO_BULK_SYNC_LIMIT=5")
	var bulk, single []string
	for i := range 40 {
		bulk = append(bulk, p.contact(fmt.Sprint("b", i)))
	}
	for i := range 10 {
		single = append(single, p.contact(fmt.Sprint("s", i)))
	}
	job := p.must(202, "POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": bulk, "group_ids": []string{p.world().group}})
	var wg sync.WaitGroup
	for _, id := range single {
		wg.Go(func() {
			if r := p.promote(id); r.status != 201 {
				t.Errorf("promote: %d %s", r.status, r.body)
			}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(20 * time.Second)
	for p.must(200, "GET", "/api/v1/promotion-jobs/"+job["id"].(string), nil)["status"] != "succeeded" {
		if time.Now().After(deadline) {
			t.Fatal("the job did not finish within 20 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	metrics := p.metrics()
	for _, want := range []string{"portico_promotion_slots 1", "portico_promotion_slots_peak 1"} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	single10 := regexp.MustCompile(`portico_promotion_admissions_total\{kind="single"\} (\d+)`).FindStringSubmatch(metrics)
	batches := regexp.MustCompile(`portico_promotion_admissions_total\{kind="batch"\} (\d+)`).FindStringSubmatch(metrics)
	if single10 == nil || batches == nil || single10[1] != "10" || batches[1] == "0" {
		t.Fatalf("admissions single %v batch %v: API and jobs must pass the same admission", single10, batches)
	}
}

func (p *proc) metrics() string {
	p.t.Helper()
	resp, err := http.Get(p.url + "/metrics")
	if err != nil {
		p.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestIdempotencyOnTheBinary: a retried single or bulk promotion with the
// same Idempotency-Key replays the first answer, on both databases.
func TestIdempotencyOnTheBinary(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			var env []string
			if dialect == "postgres" {
				env = append(env, "PORTICO_DATABASE_URL="+storetest.CreatePostgres(t))
			}
			p := startBinary(t, append(env, "PORTICO_BULK_SYNC_LIMIT=2")...)
			id := p.contact("once")
			first := p.promote(id, "Idempotency-Key", "promote-once-1")
			again := p.promote(id, "Idempotency-Key", "promote-once-1")
			if first.status != 201 || again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || string(first.body) != string(again.body) {
				t.Fatalf("single: %d then %d (replayed %q): %s", first.status, again.status, again.header.Get("Idempotent-Replayed"), again.body)
			}
			var ids []string
			for i := range 4 {
				ids = append(ids, p.contact(fmt.Sprint("bulk", i)))
			}
			body := map[string]any{"contact_ids": ids, "group_ids": []string{p.world().group}}
			j1 := p.call("POST", "/api/v1/contacts/promote", body, "Idempotency-Key", "bulk-once-1")
			j2 := p.call("POST", "/api/v1/contacts/promote", body, "Idempotency-Key", "bulk-once-1")
			if j1.status != 202 || j2.status != 202 || j2.header.Get("Idempotent-Replayed") != "true" || j1.json(t)["id"] != j2.json(t)["id"] {
				t.Fatalf("bulk: %d %s then %d %s", j1.status, j1.body, j2.status, j2.body)
			}
			list := p.must(200, "GET", "/api/v1/audit-events?action=promotion_job.created", nil)
			if n := len(list["data"].([]any)); n > 1 {
				t.Fatalf("%d jobs created for one key", n)
			}
		})
	}
}

// testDBBounds stalls PostgreSQL behind a proxy: with the bounds set to a
// second each, a request answers 503 database_unavailable within about two
// seconds (the default bounds would take eight), and 200 once it is back.
func testDBBounds(t *testing.T) {
	_, proxied, proxy := storetest.ProxiedPostgres(t)
	p := startBinary(t, "PORTICO_DATABASE_URL="+proxied, "PORTICO_DB_TIMEOUT=1s", "PORTICO_DB_ACQUIRE_TIMEOUT=1s")
	p.must(200, "GET", "/api/v1/organizations", nil)
	proxy.Stall()
	start := time.Now()
	r := p.call("GET", "/api/v1/organizations", nil)
	took := time.Since(start)
	proxy.Resume()
	if r.status != 503 || r.json(t)["code"] != "database_unavailable" || r.header.Get("Retry-After") == "" {
		t.Fatalf("stalled database: %d %s", r.status, r.body)
	}
	if took > 3500*time.Millisecond {
		t.Fatalf("answered after %v, want within the 1s + 1s bounds", took)
	}
	deadline := time.Now().Add(10 * time.Second)
	for p.call("GET", "/api/v1/organizations", nil).status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("no recovery within 10 s after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
