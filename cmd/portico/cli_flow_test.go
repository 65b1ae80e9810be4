package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico/portico/internal/store/storetest"
)

// TestImportThenPromoteFlow is the round trip of a CRM export on the built
// binary and PostgreSQL: `portico import contacts.csv --resource contacts`
// creates the contacts (a job: the file is larger than the sync limit),
// then `portico promote --csv` of the same file selects them by email and
// promotes them into a group; the contact of an inactive organization
// fails, so promote exits 1. Both results files are checked row by row,
// and the plain (non-terminal) progress lines are printed.
func TestImportThenPromoteFlow(t *testing.T) {
	p := startBinary(t, "PORTICO_DATABASE_URL="+storetest.CreatePostgres(t), "PORTICO_BULK_SYNC_LIMIT=5")
	w := p.world()
	inactive := p.must(201, "POST", "/api/v1/organizations", map[string]any{"name": "Dormant", "kind": "partner", "status": "inactive"})["id"].(string)
	var b strings.Builder
	b.WriteString("first_name,last_name,email,organization_id\r\n")
	const n = 12
	for i := range n {
		org := w.org
		if i == n-1 {
			org = inactive
		}
		fmt.Fprintf(&b, "Jo,\"Flow, %d\",flow%d@%s,%s\r\n", i, i, w.domain, org)
	}
	file := writeFile(t, "contacts.csv", b.String())
	dir := t.TempDir()

	imported := filepath.Join(dir, "imported.csv")
	r := p.client("import", file, "--resource", "contacts", "--results", imported, "--every", "10ms").want(t, 0)
	if m := importJobLine.FindStringSubmatch(r.stdout); m == nil || m[2] != fmt.Sprint(n) || !finalLine.MatchString(r.stdout) ||
		!strings.HasSuffix(r.stdout, fmt.Sprintf("%d rows: %d created\n", n, n)) {
		t.Fatalf("import stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	imp := readCSV(t, imported)
	if len(imp) != n+1 || strings.Join(imp[0], ",") != "row,id,status,code,detail,resolution" {
		t.Fatalf("import results %v", imp)
	}
	for i, rec := range imp[1:] {
		if rec[0] != fmt.Sprint(i+1) || rec[2] != "created" || rec[1] == "" {
			t.Fatalf("import row %d: %v", i+1, rec)
		}
	}

	promoted := filepath.Join(dir, "promoted.csv")
	r = p.client("promote", "--csv", file, "--group", "resellers", "--results", promoted, "--every", "10ms").want(t, 1)
	if m := jobLine.FindStringSubmatch(r.stdout); m == nil || m[2] != fmt.Sprint(n) || !finalLine.MatchString(r.stdout) ||
		!strings.HasSuffix(r.stdout, fmt.Sprintf("%d rows: %d promoted, 1 failed\n", n, n-1)) {
		t.Fatalf("promote stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("row %d failed: organization_not_active: ", n)) {
		t.Fatalf("promote stderr does not name the failed row:\n%s", r.stderr)
	}
	prom := readCSV(t, promoted)
	if len(prom) != n+1 || strings.Join(prom[0], ",") != "row,contact_id,status,code,detail,resolution" {
		t.Fatalf("promote results %v", prom)
	}
	for i, rec := range prom[1:] {
		// the same row of both files is the same person
		if rec[0] != fmt.Sprint(i+1) || rec[1] != imp[i+1][1] {
			t.Fatalf("promote row %d: %v, import row: %v", i+1, rec, imp[i+1])
		}
		want := "promoted"
		if i == n-1 {
			want = "failed"
			if rec[3] != "organization_not_active" || rec[4] == "" || rec[5] == "" {
				t.Fatalf("failed row %v", rec)
			}
		}
		if rec[2] != want {
			t.Fatalf("promote row %d: %v, want %s", i+1, rec, want)
		}
	}
	user := p.must(200, "GET", "/api/v1/users/"+prom[1][1], nil)
	if groups, _ := user["group_ids"].([]any); user["status"] != "pending" || len(groups) != 1 || groups[0] != w.group {
		t.Fatalf("promoted user %v", user)
	}
}
