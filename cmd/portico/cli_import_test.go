package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portico/portico/internal/store/storetest"
)

var importJobLine = regexp.MustCompile(`(?m)^import job ([0-9a-f-]{36}): (\d+) rows \(watch it again with: portico jobs watch ([0-9a-f-]{36})\)$`)

// TestImportCommand runs `portico import FILE.csv --resource contacts`
// against a server on PostgreSQL whose imports of more than 5 rows are
// jobs: a small file with a bad row exits 1, a dry run writes nothing, a
// large file is watched as a job, and jobs watch reads it again.
func TestImportCommand(t *testing.T) {
	p := startBinary(t, "PORTICO_DATABASE_URL="+storetest.CreatePostgres(t), "PORTICO_BULK_SYNC_LIMIT=5")
	w := p.world()
	dir := t.TempDir()
	rows := func(prefix string, n int) string {
		var b strings.Builder
		b.WriteString("first_name,last_name,email,organization_id\r\n")
		for i := range n {
			fmt.Fprintf(&b, "Jo,\"%s, %d\",%s%d@%s,%s\r\n", prefix, i, prefix, i, w.domain, w.org)
		}
		return b.String()
	}

	t.Run("a small file with a bad row exits 1", func(t *testing.T) {
		file := rows("imp", 2) + "Al,Bad,not-an-email," + w.org + "\r\n"
		res := filepath.Join(dir, "small.csv")
		r := p.client("import", writeFile(t, "small.csv", file), "--resource", "contacts", "--results", res).want(t, 1)
		if importJobLine.MatchString(r.stdout) || !strings.HasSuffix(r.stdout, "3 rows: 2 created, 1 failed\n") || !strings.Contains(r.stderr, "row 3 failed: ") {
			t.Fatalf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
		recs := readCSV(t, res)
		if strings.Join(recs[0], ",") != "row,id,status,code,detail,resolution" || recs[1][2] != "created" || recs[1][1] == "" ||
			recs[3][0] != "3" || recs[3][2] != "failed" || !strings.Contains(recs[3][4], "email") {
			t.Fatalf("results %v", recs)
		}
		p.must(200, "GET", "/api/v1/contacts/"+recs[1][1], nil)
	})

	t.Run("a dry run writes nothing", func(t *testing.T) {
		p.client("import", writeFile(t, "dry.csv", rows("dry", 2)), "--resource", "contacts", "--dry-run").want(t, 0)
		list := p.must(200, "GET", "/api/v1/contacts?q=dry0", nil)
		if data, _ := list["data"].([]any); len(data) != 0 {
			t.Fatalf("a dry run created %v", data)
		}
	})

	t.Run("upsert matches by external id", func(t *testing.T) {
		row := func(ext, last string) string {
			return fmt.Sprintf("%s,Jo,%s,%s@%s,%s\n", ext, last, strings.ToLower(ext), w.domain, w.org)
		}
		const header = "external_id,first_name,last_name,email,organization_id\n"
		first := writeFile(t, "up1.csv", header+row("UP-1", "Doe")+row("UP-2", "Roe"))
		if r := p.client("import", first, "--resource", "contacts", "--mode", "upsert").want(t, 0); !strings.HasSuffix(r.stdout, "2 rows: 2 created\n") {
			t.Fatalf("first upsert:\n%s", r.stdout)
		}
		second := writeFile(t, "up2.csv", header+row("UP-1", "Dane")+row("UP-2", "Roe"))
		if r := p.client("import", second, "--resource", "contacts", "--mode", "upsert").want(t, 0); !strings.HasSuffix(r.stdout, "2 rows: 1 updated, 1 unchanged\n") {
			t.Fatalf("second upsert:\n%s", r.stdout)
		}
	})

	t.Run("a large file is a job", func(t *testing.T) {
		res := filepath.Join(dir, "job.csv")
		big := writeFile(t, "big.csv", rows("big", 12))
		r := p.client("import", big, "--resource", "contacts", "--results", res).want(t, 0)
		m := importJobLine.FindStringSubmatch(r.stdout)
		if m == nil || m[2] != "12" || !finalLine.MatchString(r.stdout) || !strings.HasSuffix(r.stdout, "12 rows: 12 created\n") {
			t.Fatalf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
		if recs := readCSV(t, res); len(recs) != 13 || recs[12][0] != "12" || recs[12][2] != "created" {
			t.Fatalf("results %v", recs)
		}
		again := p.client("jobs", "watch", m[1]).want(t, 0)
		if !strings.HasSuffix(again.stdout, "12 rows: 12 created\n") {
			t.Fatalf("jobs watch:\n%s", again.stdout)
		}
		// the same file again gets the first answer: a second import would
		// have failed every row, as the emails are taken
		replay := p.client("import", big, "--resource", "contacts").want(t, 0)
		if !strings.Contains(replay.stderr, "replayed its first answer") || !strings.Contains(replay.stdout, "import job "+m[1]) {
			t.Fatalf("no replay:\n%s\n%s", replay.stdout, replay.stderr)
		}
	})
}
