package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// injectFault makes every insert of an account named boom fail with an
// error that is no row's fault (as a lost database would).
func injectFault(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER boom BEFORE INSERT ON accounts WHEN NEW.name = 'boom' BEGIN INSERT INTO no_such_table VALUES (1); END`}
	if db.Dialect == store.Postgres {
		stmts = []string{
			`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.name = 'boom' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER boom BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION boom()`,
		}
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// A fault at row 3 of a synchronous import writes none of its rows, so
// that the retry the released Idempotency-Key allows does not duplicate
// rows 1 and 2.
func TestImportSyncFaultWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		injectFault(t, db)
		body := "name,city\nA,Berlin\nB,Paris\nboom,Rome\nD,Oslo\n"
		a.do("POST", "/api/v1/imports?resource=accounts", body, "Content-Type", csvType, "Idempotency-Key", "fault-1").problem(t, 500, "internal")
		if n := a.count(t, "accounts", ""); n != 0 {
			t.Fatalf("a faulted import left %d accounts", n)
		}
		if n := a.count(t, "audit_events", "action = 'account.created'"); n != 0 {
			t.Fatalf("a faulted import left %d audit events", n)
		}
		if err := db.Gorm.Exec("DROP TRIGGER boom" + map[bool]string{true: " ON accounts"}[db.Dialect == store.Postgres]).Error; err != nil {
			t.Fatal(err)
		}
		res := a.importCSV(t, "resource=accounts", body, "Idempotency-Key", "fault-1")
		if res.Summary != (ImportSummary{Total: 4, Created: 4}) {
			t.Fatalf("retry %+v", res.Summary)
		}
		if n := a.count(t, "accounts", ""); n != 4 {
			t.Fatalf("%d accounts after the retry, want 4", n)
		}
	})
}

// A dry run of organizations writes each row for real and undoes it, so
// it fails what the write would: a domain another organization owns.
func TestImportDryRunChecksTheWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.org(t, map[string]any{"name": "Acme", "email_domains": []string{"acme.example"}})
		orgs, audits := a.count(t, "organizations", ""), a.count(t, "audit_events", "")
		res := a.importCSV(t, "resource=organizations&dry_run=true", "name,kind,email_domains\nNew,customer,new.example\nCopy,customer,acme.example\n")
		if !res.DryRun || res.Summary != (ImportSummary{Total: 2, Created: 1, Failed: 1}) {
			t.Fatalf("dry run %+v: %+v", res.Summary, res.Results)
		}
		if r := res.Results[0]; r.Status != "created" || r.ID != nil {
			t.Fatalf("row 1: %+v", r)
		}
		if r := res.Results[1]; r.Status != "failed" || r.Error == nil || r.Error.Code != "email_domain_taken" {
			t.Fatalf("row 2: %+v %+v", r, r.Error)
		}
		if n := a.count(t, "organizations", ""); n != orgs {
			t.Fatalf("a dry run left %d organizations, want %d", n, orgs)
		}
		if n := a.count(t, "audit_events", ""); n != audits {
			t.Fatalf("a dry run left %d audit events, want %d", n, audits)
		}
		if n := a.count(t, "email_domains", ""); n != 1 {
			t.Fatalf("a dry run left %d email domains, want 1", n)
		}
	})
}

// A synchronous contacts import is never more than one batch: above it
// the import is a job even when the sync limit is higher.
func TestImportSyncContactsIsOneBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := newAPI(t, db).cfg
		cfg.BulkSyncLimit = 3000
		a := newAPIWith(t, cfg)
		var job ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts", contactsCSV(2001), "Content-Type", csvType).ok(t, 202, &job)
		if job.Total != 2001 {
			t.Fatalf("job %+v", job)
		}
		a.idle()
		if n := a.count(t, "people", ""); n != 2001 {
			t.Fatalf("%d people", n)
		}
	})
}
