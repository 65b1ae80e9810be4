package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portico/portico/internal/store/storetest"
)

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

	// a job cancelled as a whole exits 2, with its rows written: queued
	// behind the first job on the one worker, it is cancelled before it runs
	dry := p.must(202, "POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": ids, "group_ids": []string{p.world().group},
		"dry_run": true})["id"].(string)
	p.must(200, "POST", "/api/v1/promotion-jobs/"+dry+"/cancel", nil)
	cancelled := filepath.Join(t.TempDir(), "cancelled.csv")
	if r := p.client("jobs", "watch", dry, "--results", cancelled).want(t, 2); !strings.Contains(r.stderr, "the promotion job "+dry+" was cancelled after") {
		t.Fatalf("jobs watch of a cancelled job:\n%s", r.stderr)
	}
	if recs := readCSV(t, cancelled); len(recs) != n+1 || recs[1][1] != ids[0] {
		t.Fatalf("cancelled job's results: %d rows, first %v", len(recs), recs[1])
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
