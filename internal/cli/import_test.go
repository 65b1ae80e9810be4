package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// importServer answers as the imports endpoint does (cmd/portico's tests
// drive the real one): a small file at once, a large one (over two rows)
// as a job that finishes on the second read.
func importServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var reads atomic.Int32
	const job = "01a2373c-0000-7000-8000-0000000000aa"
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/imports", func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "text/csv" || !strings.HasPrefix(r.Header.Get("Idempotency-Key"), "portico-cli-import-") ||
			r.URL.Query().Get("resource") != "contacts" || r.URL.Query().Get("mode") != "upsert" || r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("import request: %v %v", r.URL, r.Header)
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.Count(string(raw), "\n") <= 3 {
			_, _ = io.WriteString(w, `{"results":[{"row":1,"status":"created","id":"01a2373c-0000-7000-8000-0000000000c1"},{"row":2,"status":"failed","error":{"code":"validation_failed","detail":"row 2 is invalid","errors":[{"field":"email","code":"email","message":"not an email"}]}}],"summary":{}}`)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = fmt.Fprintf(w, `{"id":%q,"status":"queued","total":3}`, job)
	})
	mux.HandleFunc("GET /api/v1/import-jobs/"+job, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if reads.Add(1) < 2 {
			_, _ = io.WriteString(w, `{"id":"01a2373c-0000-7000-8000-0000000000aa","status":"running","total":3,"processed":1}`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"01a2373c-0000-7000-8000-0000000000aa","status":"succeeded","total":3,"processed":3}`)
	})
	mux.HandleFunc("GET /api/v1/import-jobs/"+job+"/results", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("cursor") == "" {
			_, _ = io.WriteString(w, `{"data":[{"row":1,"status":"created","id":"01a2373c-0000-7000-8000-00000000000a"},{"row":2,"status":"updated","id":"01a2373c-0000-7000-8000-00000000000b"}],"next_cursor":"2"}`)
			return
		}
		_, _ = io.WriteString(w, `{"data":[{"row":3,"status":"unchanged","id":"01a2373c-0000-7000-8000-00000000000c"}]}`)
	})
	return httptest.NewServer(mux), &reads
}

func TestImportCommand(t *testing.T) {
	srv, reads := importServer(t)
	defer srv.Close()
	dir := t.TempDir()
	run := func(file string, extra ...string) (int, string, string) {
		path := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errOut strings.Builder
		e := &env{getenv: lookup(map[string]string{"PORTICO_URL": srv.URL, "PORTICO_TOKEN": "tok"}), out: &out, err: &errOut}
		args := append([]string{"import", path, "--resource", "contacts", "--mode", "upsert"}, extra...)
		return exitStatus(&errOut, dispatch(context.Background(), e, args)), out.String(), errOut.String()
	}

	code, out, errOut := run("email,last_name\njo@x.example,Doe\nnope,Roe\n", "--results", filepath.Join(dir, "sync.csv"))
	if code != ExitRowsFailed || out != "2 rows: 1 created, 1 failed\n" || !strings.Contains(errOut, "row 2 failed: validation_failed: row 2 is invalid; email: not an email") {
		t.Fatalf("sync: exit %d\n%s\n%s", code, out, errOut)
	}
	recs := readResults(t, filepath.Join(dir, "sync.csv"))
	if strings.Join(recs[0], ",") != "row,id,status,code,detail,resolution" || strings.Join(recs[1], ",") != "1,01a2373c-0000-7000-8000-0000000000c1,created,,," {
		t.Fatalf("results %v", recs)
	}

	code, out, errOut = run("email\na@x\nb@x\nc@x\n", "--every", "1ms", "--results", filepath.Join(dir, "job.csv"))
	if code != ExitOK || !strings.Contains(out, "import job 01a2373c-0000-7000-8000-0000000000aa: 3 rows") ||
		!strings.HasSuffix(out, "3 rows: 1 created, 1 updated, 1 unchanged\n") || reads.Load() < 2 {
		t.Fatalf("job: exit %d\n%s\n%s", code, out, errOut)
	}
	if recs := readResults(t, filepath.Join(dir, "job.csv")); len(recs) != 4 || strings.Join(recs[3], ",") != "3,01a2373c-0000-7000-8000-00000000000c,unchanged,,," {
		t.Fatalf("job results %v", recs)
	}

	if code, _, errOut = run("email\na@x\n", "--mode", "merge"); code != ExitError || !strings.Contains(errOut, "--mode must be create or upsert") {
		t.Fatalf("bad mode: exit %d %s", code, errOut)
	}
}

func TestWatchAnImportJob(t *testing.T) {
	srv, _ := importServer(t)
	defer srv.Close()
	var out, errOut strings.Builder
	e := &env{getenv: lookup(map[string]string{"PORTICO_URL": srv.URL, "PORTICO_TOKEN": "tok"}), out: &out, err: &errOut}
	start := time.Now()
	// the promotion jobs lookup answers 404 here, so the import kind is tried next
	code := exitStatus(&errOut, dispatch(context.Background(), e, []string{"jobs", "watch", "01a2373c-0000-7000-8000-0000000000aa"}))
	if code != ExitOK || !strings.HasSuffix(out.String(), "3 rows: 1 created, 1 updated, 1 unchanged\n") || time.Since(start) > 10*time.Second {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
}

func lookup(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func readResults(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
