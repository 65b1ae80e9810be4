package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

const csvType = "text/csv; charset=utf-8"

// importCSV posts a CSV import and decodes a 200 answer.
func (a *api) importCSV(t *testing.T, query, body string, header ...string) ImportResponse {
	t.Helper()
	var out ImportResponse
	a.do("POST", "/api/v1/imports?"+query, body, append([]string{"Content-Type", csvType}, header...)...).ok(t, 200, &out)
	return out
}

// rowFailure asserts that a row failed with code and that its errors name
// the columns.
func rowFailure(t *testing.T, r ImportRowResult, row int, code string, columns ...string) {
	t.Helper()
	if r.Row != row || r.Status != "failed" || r.ID != nil || r.Error == nil || r.Error.Code != code {
		t.Fatalf("row %d: %+v (error %+v), want failed %s", row, r, r.Error, code)
	}
	if !strings.Contains(r.Error.Detail, fmt.Sprintf("row %d", row)) {
		t.Errorf("row %d: detail %q does not name the row", row, r.Error.Detail)
	}
	var got []string
	for _, e := range r.Error.Errors {
		got = append(got, e.Field)
	}
	if strings.Join(got, ",") != strings.Join(columns, ",") {
		t.Errorf("row %d: errors on %v, want %v (%+v)", row, got, columns, r.Error.Errors)
	}
}

func TestImportContactsCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		// a byte order mark, CRLF line ends, a quoted cell with a comma, a
		// doubled quote and a line break, and every kind of bad row
		csv := "\ufefffirst_name,last_name,email,title,organization_id,locale\r\n" +
			"Jane,Doe,jane@acme.example,\"Sales, \"\"EMEA\"\"\nand APAC\"," + org + ",de\r\n" +
			"Bad,Mail,not-an-email,,,\r\n" +
			"Nobody,,,,,\r\n" +
			"Lost,Link,lost@acme.example,,00000000-0000-4000-8000-000000000001,\r\n" +
			"Bad,Id,,,not-a-uuid,\r\n" +
			"Bad,Locale,,,,xx-notalanguage-123456789\r\n" +
			"\"Ann\",Lee,ann@acme.example,,,\r\n"
		res := a.importCSV(t, "resource=contacts&mode=create", csv)
		if len(res.Results) != 7 || res.DryRun {
			t.Fatalf("results %+v", res)
		}
		want := ImportSummary{Total: 7, Created: 2, Failed: 5}
		if res.Summary != want {
			t.Fatalf("summary %+v, want %+v", res.Summary, want)
		}
		for i, r := range res.Results {
			if r.Row != i+1 {
				t.Fatalf("result %d is row %d: not in row order", i, r.Row)
			}
		}
		rowFailure(t, res.Results[1], 2, "validation_failed", "email")
		rowFailure(t, res.Results[2], 3, "validation_failed", "last_name")
		rowFailure(t, res.Results[3], 4, "validation_failed", "organization_id")
		rowFailure(t, res.Results[4], 5, "validation_failed", "organization_id")
		rowFailure(t, res.Results[5], 6, "validation_failed", "locale")

		jane := res.Results[0]
		if jane.Status != "created" || jane.ID == nil {
			t.Fatalf("row 1: %+v", jane)
		}
		var c Contact
		a.do("GET", "/api/v1/contacts/"+jane.ID.String(), nil).ok(t, 200, &c)
		if c.FirstName != "Jane" || c.Title != "Sales, \"EMEA\"\nand APAC" || c.OrganizationID == nil || c.OrganizationID.String() != org || c.Locale != "de" {
			t.Fatalf("stored contact %+v", c)
		}
		if ann := res.Results[6]; ann.Status != "created" || ann.ID == nil {
			t.Fatalf("row 7: %+v", ann)
		}
		// failed rows wrote nothing: exactly the two created contacts exist
		if n := a.count(t, "people", ""); n != 2 {
			t.Fatalf("%d people, want 2", n)
		}
	})
}

func TestImportAccountsAndOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": "score", "label": "Score", "type": "number", "max": 100}).ok(t, 201, nil)
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": "vip", "label": "VIP", "type": "boolean"}).ok(t, 201, nil)
		csv := "name,city,custom.score,custom.vip\n" +
			"Acme,Berlin,42,true\n" +
			"Beta,Paris,not a number,false\n" +
			"Gamma,Rome,500,\n" +
			",Oslo,1,\n"
		res := a.importCSV(t, "resource=accounts", csv)
		if res.Summary != (ImportSummary{Total: 4, Created: 1, Failed: 3}) {
			t.Fatalf("summary %+v: %+v", res.Summary, res.Results)
		}
		rowFailure(t, res.Results[1], 2, "validation_failed", "custom_fields.score")
		rowFailure(t, res.Results[2], 3, "validation_failed", "custom_fields.score")
		rowFailure(t, res.Results[3], 4, "validation_failed", "name")
		var acc Account
		a.do("GET", "/api/v1/accounts/"+res.Results[0].ID.String(), nil).ok(t, 200, &acc)
		if acc.Name != "Acme" || acc.City != "Berlin" || acc.CustomFields["score"] != float64(42) || acc.CustomFields["vip"] != true {
			t.Fatalf("stored account %+v", acc)
		}

		// organizations as JSON: the create body of POST /organizations per row
		var orgs ImportResponse
		a.do("POST", "/api/v1/imports?resource=organizations", []map[string]any{
			{"name": "Resellers", "kind": "partner", "email_domains": []string{"resellers.example"}},
			{"name": "No kind"},
			{"name": "Wrong type", "kind": 7},
			{"name": "Unknown", "kind": "customer", "colour": "red"},
			{"name": "Taken domain", "kind": "customer", "email_domains": []string{"resellers.example"}},
		}).ok(t, 200, &orgs)
		if orgs.Summary != (ImportSummary{Total: 5, Created: 1, Failed: 4}) {
			t.Fatalf("organizations %+v", orgs)
		}
		rowFailure(t, orgs.Results[1], 2, "validation_failed", "kind")
		rowFailure(t, orgs.Results[2], 3, "validation_failed", "kind")
		rowFailure(t, orgs.Results[3], 4, "validation_failed", "colour")
		if r := orgs.Results[4]; r.Status != "failed" || r.Error == nil || r.Error.Code != "email_domain_taken" {
			t.Fatalf("row 5: %+v %+v", r, r.Error)
		}
		var o Organization
		a.do("GET", "/api/v1/organizations/"+orgs.Results[0].ID.String(), nil).ok(t, 200, &o)
		if o.Status != "active" || len(o.EmailDomains) != 1 {
			t.Fatalf("stored organization %+v", o)
		}
		if n := a.count(t, "organizations", ""); n != 1 {
			t.Fatalf("%d organizations", n)
		}
	})
}

func TestImportDryRunWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		audits := a.count(t, "audit_events", "")
		res := a.importCSV(t, "resource=contacts&dry_run=true", "last_name,email\nDoe,doe@x.example\n,bad\n")
		if !res.DryRun || res.Summary != (ImportSummary{Total: 2, Created: 1, Failed: 1}) {
			t.Fatalf("dry run %+v", res)
		}
		if r := res.Results[0]; r.Status != "created" || r.ID != nil {
			t.Fatalf("dry run row 1 %+v: created, with no id", r)
		}
		rowFailure(t, res.Results[1], 2, "validation_failed", "email")
		var orgs ImportResponse
		a.do("POST", "/api/v1/imports?resource=organizations&dry_run=true", []map[string]any{{"name": "O", "kind": "partner"}}).ok(t, 200, &orgs)
		if orgs.Summary.Created != 1 {
			t.Fatalf("organizations dry run %+v", orgs)
		}
		if a.count(t, "people", "") != 0 || a.count(t, "organizations", "") != 0 || a.count(t, "audit_events", "") != audits {
			t.Fatal("a dry run wrote")
		}
	})
}

func TestImportWholeRequestProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := newAPI(t, db).cfg
		cfg.ImportLimit = 2048
		a := newAPIWith(t, cfg)
		csvCase := func(query, body string, status int, code string) {
			t.Helper()
			a.do("POST", "/api/v1/imports?"+query, body, "Content-Type", csvType).problem(t, status, code)
		}
		p := a.do("POST", "/api/v1/imports?resource=contacts", "last_name,colour,email\nDoe,red,d@x.example\n", "Content-Type", csvType).
			problem(t, 422, "import_header_invalid")
		wantFields(t, p, []string{"colour"}, []string{"unknown_column"})
		p = a.do("POST", "/api/v1/imports?resource=contacts", "last_name,email,last_name\nDoe,d@x.example,Doe\n", "Content-Type", csvType).
			problem(t, 422, "import_header_invalid")
		wantFields(t, p, []string{"last_name"}, []string{"duplicate_column"})
		p = a.do("POST", "/api/v1/imports?resource=accounts", "name,custom.nothing\nA,1\n", "Content-Type", csvType).problem(t, 422, "import_header_invalid")
		wantFields(t, p, []string{"custom.nothing"}, []string{"unknown_column"})
		csvCase("resource=contacts", "last_name,email\nDoe,\"unclosed\n", 400, "import_malformed")
		csvCase("resource=contacts", "last_name,email\n", 422, "import_empty")
		csvCase("resource=contacts", "", 422, "import_empty")
		csvCase("resource=people", "last_name\nDoe\n", 422, "validation_failed")
		csvCase("", "last_name\nDoe\n", 422, "validation_failed")
		csvCase("resource=contacts&mode=merge", "last_name\nDoe\n", 422, "validation_failed")
		a.do("POST", "/api/v1/imports?resource=contacts", `{"last_name":"Doe"}`).problem(t, 400, "import_malformed")
		a.do("POST", "/api/v1/imports?resource=contacts", `[{"last_name":"Doe"},`).problem(t, 400, "import_malformed")
		a.do("POST", "/api/v1/imports?resource=contacts", `[{"last_name":"Doe"}] []`).problem(t, 400, "import_malformed")
		a.do("POST", "/api/v1/imports?resource=contacts", `[]`).problem(t, 422, "import_empty")
		a.do("POST", "/api/v1/imports?resource=contacts", "last_name\nDoe\n", "Content-Type", "application/xml").problem(t, 415, "unsupported_media_type")

		big := "last_name,email\n" + strings.Repeat("Doe,doe@example.com\n", 200)
		p = a.do("POST", "/api/v1/imports?resource=contacts", big, "Content-Type", csvType).problem(t, 413, "payload_too_large")
		wantContains(t, p.Detail, "2048 bytes", "split the file")
		// streamed without a length, the limit holds too
		p = a.do("POST", "/api/v1/imports?resource=contacts", big, "Content-Type", csvType, "Transfer-Encoding", "chunked").problem(t, 413, "payload_too_large")
		wantContains(t, p.Detail, "PORTICO_IMPORT_BODY_LIMIT")
		if n := a.count(t, "people", ""); n != 0 {
			t.Fatalf("whole-request problems wrote %d people", n)
		}
	})
}

func TestImportIdempotentReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		body := "last_name,email\nDoe,doe@x.example\nRoe,roe@x.example\n"
		first := a.importCSV(t, "resource=contacts", body, "Idempotency-Key", "imp-1")
		r := a.do("POST", "/api/v1/imports?resource=contacts", body, "Content-Type", csvType, "Idempotency-Key", "imp-1")
		var again ImportResponse
		r.ok(t, 200, &again)
		if r.Header.Get("Idempotent-Replayed") != "true" || again.Summary != first.Summary || *again.Results[0].ID != *first.Results[0].ID {
			t.Fatalf("replay %v %+v", r.Header, again)
		}
		if n := a.count(t, "people", ""); n != 2 {
			t.Fatalf("replay imported again: %d people", n)
		}
		// the same key with another query or body is refused
		a.do("POST", "/api/v1/imports?resource=contacts&dry_run=true", body, "Content-Type", csvType, "Idempotency-Key", "imp-1").
			problem(t, 422, "idempotency_key_reused")
		a.do("POST", "/api/v1/imports?resource=contacts", body+"Poe,\n", "Content-Type", csvType, "Idempotency-Key", "imp-1").
			problem(t, 422, "idempotency_key_reused")

		// options count as parsed: async=1 and async=TRUE are the request
		// async=true is, and leaving async out is another request
		var job, same ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=1", body, "Content-Type", csvType, "Idempotency-Key", "imp-2").ok(t, 202, &job)
		r = a.do("POST", "/api/v1/imports?resource=contacts&async=true", body, "Content-Type", csvType, "Idempotency-Key", "imp-2")
		r.ok(t, 202, &same)
		if same.ID != job.ID || r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("async=true after async=1: job %s (replayed %q), want %s", same.ID, r.Header.Get("Idempotent-Replayed"), job.ID)
		}
		a.do("POST", "/api/v1/imports?resource=contacts&async=TRUE&dry_run=0", body, "Content-Type", csvType, "Idempotency-Key", "imp-2").ok(t, 202, &same)
		if same.ID != job.ID {
			t.Fatalf("async=TRUE&dry_run=0 made job %s, want %s", same.ID, job.ID)
		}
		a.do("POST", "/api/v1/imports?resource=contacts", body, "Content-Type", csvType, "Idempotency-Key", "imp-2").
			problem(t, 422, "idempotency_key_reused")
	})
}

// contactsCSV is n contact rows.
func contactsCSV(n int) string {
	var b strings.Builder
	b.WriteString("first_name,last_name,email\n")
	for i := range n {
		fmt.Fprintf(&b, "F%d,L%d,c%d@big.example\n", i, i, i)
	}
	return b.String()
}

func TestImportJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := newAPI(t, db).cfg
		cfg.BulkSyncLimit = 5
		a := newAPIWith(t, cfg)
		body := contactsCSV(2500) + ",,bad\n" // 2,501 rows: two chunks, the last row refused at the edge
		var job ImportJob
		r := a.do("POST", "/api/v1/imports?resource=contacts", body, "Content-Type", csvType, "Idempotency-Key", "job-1").ok(t, 202, &job)
		if r.Header.Get("Location") != "/api/v1/import-jobs/"+job.ID.String() || job.Total != 2501 || job.Resource != "contacts" || job.Mode != "create" {
			t.Fatalf("job %+v at %q", job, r.Header.Get("Location"))
		}
		var same ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts", body, "Content-Type", csvType, "Idempotency-Key", "job-1").ok(t, 202, &same)
		if same.ID != job.ID {
			t.Fatalf("a retry made job %s, not %s", same.ID, job.ID)
		}
		a.idle()
		a.do("GET", "/api/v1/import-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || job.Processed != 2501 || job.Created != 2500 || job.Failed != 1 || job.Progress != 1 || job.FinishedAt == nil {
			t.Fatalf("finished job %+v", job)
		}
		if n := a.count(t, "people", ""); n != 2500 {
			t.Fatalf("%d people", n)
		}
		rows, cursor := 0, ""
		var last ImportRowResult
		for {
			var page ImportJobResults
			a.do("GET", "/api/v1/import-jobs/"+job.ID.String()+"/results?limit=500&cursor="+cursor, nil).ok(t, 200, &page)
			for _, res := range page.Data {
				rows++
				if res.Row != rows {
					t.Fatalf("result %d is row %d", rows, res.Row)
				}
				last = res
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if rows != 2501 {
			t.Fatalf("results walk saw %d rows", rows)
		}
		rowFailure(t, last, 2501, "validation_failed", "email")
		a.do("POST", "/api/v1/import-jobs/"+job.ID.String()+"/cancel", nil).problem(t, 409, "job_finished")
		if n := a.count(t, "audit_events", "action = 'import_job.completed'"); n != 1 {
			t.Fatalf("%d completion events", n)
		}
	})
}

func TestImportJobCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		var job ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=true", contactsCSV(8000), "Content-Type", csvType).ok(t, 202, &job)
		var cancelled ImportJob
		a.do("POST", "/api/v1/import-jobs/"+job.ID.String()+"/cancel", nil).ok(t, 200, &cancelled)
		if cancelled.Status != "cancelled" || cancelled.FinishedAt == nil {
			t.Fatalf("cancelled %+v", cancelled)
		}
		a.idle()
		a.do("GET", "/api/v1/import-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		// no batch commits after the cancel: what was written is what it counted
		if job.Status != "cancelled" || job.Processed != cancelled.Processed || job.Processed >= 8000 {
			t.Fatalf("after the cancel %+v, at the cancel %+v", job, cancelled)
		}
		if n := a.count(t, "people", ""); n != int64(job.Created) {
			t.Fatalf("%d people, the job counted %d", n, job.Created)
		}
		if n := a.count(t, "import_job_items", ""); n != int64(job.Processed) {
			t.Fatalf("%d results, the job processed %d", n, job.Processed)
		}
	})
}

func TestImportScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newWorld(t, a)
		var job ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=true", "last_name\nDoe\n", "Content-Type", csvType).ok(t, 202, &job)
		// contacts are created by admins only: a primary contact imports nothing
		primary := w.credentials(t, "primary same org")
		a.do("POST", "/api/v1/imports?resource=contacts", "last_name\nDoe\n", "Content-Type", csvType, "Authorization", primary).problem(t, 403, "insufficient_rights")
		a.do("GET", "/api/v1/import-jobs/"+job.ID.String(), nil, "Authorization", primary).problem(t, 403, "insufficient_rights")
		a.do("GET", "/api/v1/import-jobs/"+job.ID.String()+"/results", nil, "Authorization", primary).problem(t, 403, "insufficient_rights")
	})
}
