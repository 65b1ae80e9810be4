package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portico/portico/internal/store/storetest"
)

// cliRun is one run of a client command of the built binary.
type cliRun struct {
	code           int
	stdout, stderr string
}

// client runs `portico args...` against p with PORTICO_URL and
// PORTICO_TOKEN set; stdout is a pipe, not a terminal.
func (p *proc) client(args ...string) cliRun {
	p.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cleanEnv(), "PORTICO_URL="+p.url, "PORTICO_TOKEN="+adminToken)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := cliRun{stdout: out.String(), stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		p.t.Fatal(err)
	}
	return r
}

// want asserts the exit status.
func (r cliRun) want(t *testing.T, code int) cliRun {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// writeFile writes content to a new file of the test and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readCSV reads a results file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("results %s: %v\n%s", path, err, raw)
	}
	return recs
}

// contacts creates n contacts named prefix1..prefixN and returns their ids.
func (p *proc) contacts(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = p.contact(prefix + string(rune('a'+i%26)) + strings.Repeat("x", i/26))
	}
	return ids
}

// manyContacts creates n contacts of the world's organization, eight at a
// time, and returns their ids.
func (p *proc) manyContacts(n int) []string {
	p.t.Helper()
	w := p.world()
	ids, errs := make([]string, n), make(chan error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body, _ := json.Marshal(map[string]any{"first_name": "Jo", "last_name": fmt.Sprint("many", i),
					"email": fmt.Sprintf("many%d@%s", i, w.domain), "organization_id": w.org})
				req, _ := http.NewRequest("POST", p.url+"/api/v1/contacts", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+adminToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				var c struct{ ID string }
				err = json.NewDecoder(resp.Body).Decode(&c)
				_ = resp.Body.Close()
				if err != nil || resp.StatusCode != 201 {
					errs <- fmt.Errorf("contact %d: %d %w", i, resp.StatusCode, err)
					continue
				}
				ids[i] = c.ID
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		p.t.Fatal(err)
	}
	return ids
}

var (
	jobLine      = regexp.MustCompile(`(?m)^promotion job ([0-9a-f-]{36}): (\d+) contacts \(watch it again with: portico jobs watch ([0-9a-f-]{36})\)$`)
	progressLine = regexp.MustCompile(`(?m)^processed (\d+)/(\d+) \((\d+)%\), (\d+)/s, eta (\S+)$`)
	finalLine    = regexp.MustCompile(`(?m)^processed (\d+)/(\d+) \(100%\), (\d+|-)/s, succeeded after \S+$`)
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

// TestPromoteInterrupt sends SIGINT to `portico promote` while it watches
// a large job: it exits 130 saying how to watch again, the job runs on to
// its end on the server, and `jobs watch` picks it up.
func TestPromoteInterrupt(t *testing.T) {
	p := startBinary(t, "PORTICO_DATABASE_URL="+storetest.CreatePostgres(t), "PORTICO_BULK_SYNC_LIMIT=5",
		"PORTICO_PROMOTION_CONCURRENCY=1", "PORTICO_JOB_WORKERS=1")
	const n = 2000 // about 3 s of work on a fast machine: long enough to interrupt
	ids := p.manyContacts(n)
	path := writeFile(t, "big.csv", "contact_id\n"+strings.Join(ids, "\n")+"\n")

	cmd := exec.Command(bin, "promote", "--csv", path, "--group", "Resellers", "--every", "100ms")
	cmd.Env = append(cleanEnv(), "PORTICO_URL="+p.url, "PORTICO_TOKEN="+adminToken)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	// a periodic line of an unfinished job: the command is watching
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := progressLine.FindStringSubmatch(stdout.String()); m != nil && m[1] != m[2] {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("ended (%v) before a progress line of the unfinished job:\n%s\n%s", err, stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress line within 60 s:\n%s", stdout)
		}
	}
	t.Logf("progress after %v:\n%s", time.Since(started), stdout)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var exit *exec.ExitError
	select {
	case err := <-done:
		if !errors.As(err, &exit) || exit.ExitCode() != 130 {
			t.Fatalf("exit %v, want 130\n%s\n%s", err, stdout, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGINT:\n%s\n%s", stdout, stderr)
	}
	m := jobLine.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no job line:\n%s", stdout)
	}
	id := m[1]
	if j := p.must(200, "GET", "/api/v1/promotion-jobs/"+id, nil); j["status"] == "cancelled" {
		t.Fatalf("Ctrl-C cancelled the job: %v", j)
	}
	if want := "keeps running on the server; watch it again with: portico jobs watch " + id + "\n"; !strings.HasSuffix(stderr.String(), want) {
		t.Fatalf("stderr does not end with %q:\n%s", want, stderr)
	}

	res := filepath.Join(t.TempDir(), "res.csv")
	r := p.client("jobs", "watch", id, "--results", res).want(t, 0)
	if fm := finalLine.FindStringSubmatch(r.stdout); fm == nil || fm[1] != "2000" || !strings.HasSuffix(r.stdout, "\n2000 rows: 2000 promoted\n") {
		t.Fatalf("jobs watch:\n%s", r.stdout)
	}
	recs := readCSV(t, res)
	if len(recs) != n+1 || recs[n][0] != "2000" || recs[n][1] != ids[n-1] || recs[n][2] != "promoted" {
		t.Fatalf("results: %d rows, last %v", len(recs), recs[len(recs)-1])
	}
	t.Logf("whole job took %v", time.Since(started))
}

// TestHelpListsClientCommands: `portico help` lists the client commands
// with their flags and exit statuses, and `portico promote -h` shows
// promote's help alone, with status 0.
func TestHelpListsClientCommands(t *testing.T) {
	out, err := exec.Command(bin, "help").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"promote --csv FILE", "import FILE.csv", "jobs watch ID", "--group NAME", "--resource KIND",
		"--url URL", "--token TOKEN", "PORTICO_URL", "PORTICO_TOKEN", "130: interrupted", "serve", "apikey create"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("help does not mention %q:\n%s", want, out)
		}
	}
	one, err := exec.Command(bin, "promote", "-h").Output()
	if err != nil || !strings.HasPrefix(string(one), "  promote --csv FILE") || strings.Contains(string(one), "jobs watch") {
		t.Fatalf("promote -h (%v):\n%s", err, one)
	}
	if watch, err := exec.Command(bin, "help", "jobs").Output(); err != nil || !strings.Contains(string(watch), "jobs watch ID") {
		t.Fatalf("help jobs (%v):\n%s", err, watch)
	}
}
