package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portico/portico/internal/store/storetest"
)

// TestPromoteCommand runs `portico promote --csv` against a server on
// PostgreSQL whose bulk promotions of more than 5 contacts are jobs: the
// job's progress and results, exit statuses, replay, dry run, jobs watch.
func TestPromoteCommand(t *testing.T) {
	p := startBinary(t, "PORTICO_DATABASE_URL="+storetest.CreatePostgres(t), "PORTICO_BULK_SYNC_LIMIT=5")
	dir := t.TempDir()
	ids := p.contacts("job", 8)
	if r := p.promote(ids[2]); r.status != 201 {
		t.Fatalf("promote: %d %s", r.status, r.body)
	}
	// the selector is not the first column, the file has a BOM and CRLF
	file := "\ufeffname,contact_id,note\r\n"
	for i, id := range ids {
		file += "Jo " + string(rune('A'+i)) + "," + id + ",\"a, quoted\"\r\n"
	}
	csvPath := writeFile(t, "contacts.csv", file)
	out := filepath.Join(dir, "out.csv")

	var jobID string
	t.Run("a job with a failing row exits 1", func(t *testing.T) {
		r := p.client("promote", "--csv", csvPath, "--group", "resellers", "--results", out, "--every", "100ms").want(t, 1)
		m := jobLine.FindStringSubmatch(r.stdout)
		if m == nil || m[2] != "8" || m[1] != m[3] {
			t.Fatalf("no job line in:\n%s", r.stdout)
		}
		jobID = m[1]
		if !finalLine.MatchString(r.stdout) || !strings.HasSuffix(r.stdout, "\n8 rows: 7 promoted, 1 failed\n") {
			t.Fatalf("stdout:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "row 3 failed: already_user: ") {
			t.Fatalf("stderr does not name the failed row:\n%s", r.stderr)
		}
		recs := readCSV(t, out)
		if len(recs) != 9 || strings.Join(recs[0], ",") != "row,contact_id,status,code,detail,resolution" {
			t.Fatalf("results:\n%v", recs)
		}
		for i, rec := range recs[1:] {
			if rec[0] != string(rune('1'+i)) || rec[1] != ids[i] {
				t.Fatalf("row %d is %v, want row %d of contact %s", i+1, rec, i+1, ids[i])
			}
			want := []string{"promoted", "", "", ""}
			if i == 2 {
				want = []string{"failed", "already_user", rec[4], rec[5]}
				if rec[4] == "" || rec[5] == "" {
					t.Fatalf("failed row without detail or resolution: %v", rec)
				}
			}
			if strings.Join(rec[2:], "|") != strings.Join(want, "|") {
				t.Fatalf("row %d: %v, want %v", i+1, rec[2:], want)
			}
		}
		user := p.must(200, "GET", "/api/v1/users/"+ids[0], nil)
		if groups, _ := user["group_ids"].([]any); user["status"] != "pending" || len(groups) != 1 || groups[0] != p.world().group {
			t.Fatalf("promoted user: %v", user)
		}
	})

	t.Run("the same file again replays the first run", func(t *testing.T) {
		again := filepath.Join(dir, "again.csv")
		r := p.client("promote", "--csv", csvPath, "--group", "Resellers", "--results", again).want(t, 1)
		if !strings.Contains(r.stderr, "replayed its first answer") || !strings.Contains(r.stdout, "promotion job "+jobID) {
			t.Fatalf("no replay:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
		// a second promotion would have failed every row as already_user
		first, _ := os.ReadFile(out)
		second, _ := os.ReadFile(again)
		if !bytes.Equal(first, second) {
			t.Fatalf("replayed results differ:\n%s\nfirst:\n%s", second, first)
		}
	})

	t.Run("jobs watch reads the finished job", func(t *testing.T) {
		watched := filepath.Join(dir, "watched.csv")
		r := p.client("jobs", "watch", jobID, "--results", watched).want(t, 1)
		if !finalLine.MatchString(r.stdout) || !strings.Contains(r.stdout, "8 rows: ") {
			t.Fatalf("stdout:\n%s", r.stdout)
		}
		first, _ := os.ReadFile(out)
		second, _ := os.ReadFile(watched)
		if !bytes.Equal(first, second) {
			t.Fatalf("watched results differ:\n%s\nfrom the promotion's:\n%s", second, first)
		}
	})

	t.Run("a small file answers at once and exits 0", func(t *testing.T) {
		fresh := p.contacts("sync", 3)
		res := filepath.Join(dir, "sync.csv")
		r := p.client("promote", "--csv", writeFile(t, "sync.csv", "id\n"+strings.Join(fresh, "\n")+"\n"), "--group", "Resellers", "--results", res).want(t, 0)
		if jobLine.MatchString(r.stdout) || strings.TrimSpace(r.stdout) != "3 rows: 3 promoted" || r.stderr != "" {
			t.Fatalf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
		for i, rec := range readCSV(t, res)[1:] {
			if rec[1] != fresh[i] || rec[2] != "promoted" {
				t.Fatalf("row %d: %v", i+1, rec)
			}
		}
		p.must(200, "GET", "/api/v1/users/"+fresh[0], nil)
	})

	t.Run("a dry run writes nothing", func(t *testing.T) {
		fresh := p.contacts("dry", 7)
		path := writeFile(t, "dry.csv", "contact_id\n"+strings.Join(fresh, "\n")+"\n")
		res := filepath.Join(dir, "dry.csv")
		r := p.client("promote", "--csv", path, "--group", "Resellers", "--dry-run", "--results", res).want(t, 0)
		if !jobLine.MatchString(r.stdout) || !strings.Contains(r.stdout, "7 rows: 7 would promote") {
			t.Fatalf("stdout:\n%s", r.stdout)
		}
		for i, rec := range readCSV(t, res)[1:] {
			if rec[1] != fresh[i] || rec[2] != "would_promote" {
				t.Fatalf("row %d: %v", i+1, rec)
			}
		}
		for _, id := range fresh {
			p.must(200, "GET", "/api/v1/contacts/"+id, nil)
			p.must(404, "GET", "/api/v1/users/"+id, nil)
		}
		// the real run has its own Idempotency-Key: it promotes
		p.client("promote", "--csv", path, "--group", "Resellers").want(t, 0)
		p.must(200, "GET", "/api/v1/users/"+fresh[6], nil)
	})

	t.Run("usage and server errors exit 2", func(t *testing.T) {
		fresh := p.contacts("bad", 1)
		good := writeFile(t, "good.csv", "contact_id\n"+fresh[0]+"\n")
		res := filepath.Join(dir, "never.csv")
		for _, c := range []struct {
			name, stderr string
			args         []string
		}{
			{"no file", "promote needs --csv FILE", []string{"promote"}},
			{"a missing file", "no such file", []string{"promote", "--csv", filepath.Join(dir, "missing.csv")}},
			{"no selector column", `names no contact_id (or id), email or external_id column`, []string{"promote", "--csv", writeFile(t, "x.csv", "name,phone\nJo,1\n")}},
			{"a bad contact id", `row 2: contact_id "nope" is not a UUID`, []string{"promote", "--csv", writeFile(t, "y.csv", "contact_id\n"+fresh[0]+"\nnope\n")}},
			{"an unknown group", `--group "Gold": no such group; there are "Resellers"`, []string{"promote", "--csv", good, "--group", "Gold", "--results", res}},
			{"a bad token", "the server answered 401 unauthenticated", []string{"promote", "--csv", good, "--token", "wrong-token-0123456789"}},
			{"an unreachable server", "no answer from the server", []string{"promote", "--csv", good, "--url", "http://" + freeAddr(t)}},
			{"an unknown job", "no promotion or import job", []string{"jobs", "watch", "01a2373c-0000-7000-8000-000000000000"}},
			{"a job id that is no id", `"42" is not a job id`, []string{"jobs", "watch", "42"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := p.client(c.args...).want(t, 2)
				if !strings.Contains(r.stderr, c.stderr) {
					t.Fatalf("stderr does not say %q:\n%s", c.stderr, r.stderr)
				}
			})
		}
		if _, err := os.Stat(res); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a run that sent nothing left a results file: %v", err)
		}
		p.must(200, "GET", "/api/v1/contacts/"+fresh[0], nil) // still a contact
	})
}
