package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico/portico/internal/store/storetest"
)

// TestPromoteByEmailAndExternalID: a CSV whose selector column is email
// or external_id sends emails or external_ids; each value is answered on
// its own, in the file's order (unknown: not_found; repeated:
// duplicate_selection), at once or as a job.
func TestPromoteByEmailAndExternalID(t *testing.T) {
	p := startBinary(t, "PORTICO_DATABASE_URL="+storetest.CreatePostgres(t), "PORTICO_BULK_SYNC_LIMIT=5")
	w := p.world()
	ids, exts := make([]string, 8), make([]string, 8)
	for i := range ids {
		exts[i] = fmt.Sprintf("CRM-%d", i)
		ids[i] = p.must(201, "POST", "/api/v1/contacts", map[string]any{"first_name": "Jo", "last_name": fmt.Sprint("sel", i),
			"email": fmt.Sprintf("sel%d@%s", i, w.domain), "organization_id": w.org, "external_id": exts[i]})["id"].(string)
	}

	t.Run("by email, at once", func(t *testing.T) {
		file := fmt.Sprintf("name,email\nJo,SEL0@%s\nAl,nobody@%s\nEd,sel1@%s\n", strings.ToUpper(w.domain), w.domain, w.domain)
		res := filepath.Join(t.TempDir(), "res.csv")
		r := p.client("promote", "--csv", writeFile(t, "emails.csv", file), "--group", "Resellers", "--results", res).want(t, 1)
		if jobLine.MatchString(r.stdout) || !strings.HasSuffix(r.stdout, "3 rows: 2 promoted, 1 failed\n") || !strings.Contains(r.stderr, "row 2 failed: not_found") {
			t.Fatalf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
		want := [][]string{{"1", ids[0], "promoted"}, {"2", "", "failed"}, {"3", ids[1], "promoted"}}
		for i, rec := range readCSV(t, res)[1:] {
			if strings.Join(rec[:3], ",") != strings.Join(want[i], ",") {
				t.Fatalf("row %d: %v, want %v", i+1, rec, want[i])
			}
		}
	})

	t.Run("by external id, as a job", func(t *testing.T) {
		file := "external_id\n" + strings.Join(exts[2:], "\n") + "\n" + exts[2] + "\n" // 7 rows, the last repeats the first
		res := filepath.Join(t.TempDir(), "res.csv")
		r := p.client("promote", "--csv", writeFile(t, "ext.csv", file), "--group", "Resellers", "--results", res).want(t, 1)
		if m := jobLine.FindStringSubmatch(r.stdout); m == nil || m[2] != "7" || !strings.HasSuffix(r.stdout, "7 rows: 6 promoted, 1 failed\n") {
			t.Fatalf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
		recs := readCSV(t, res)
		for i, rec := range recs[1:7] {
			if rec[1] != ids[i+2] || rec[2] != "promoted" {
				t.Fatalf("row %d: %v, want %s promoted", i+1, rec, ids[i+2])
			}
		}
		if last := recs[7]; last[0] != "7" || last[2] != "failed" || last[3] != "duplicate_selection" {
			t.Fatalf("the repeated row: %v", last)
		}
	})
}
