package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// A re-run of the same file replays by its derived key and says that
// --again runs it anew; --again sends a fresh key, used by the retries of
// that run too.
func TestImportAgain(t *testing.T) {
	var (
		mu   sync.Mutex
		keys []string
		seen = map[string]bool{}
	)
	fail := true // the first attempt of every --again run answers 503
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		k := r.Header.Get("Idempotency-Key")
		keys = append(keys, k)
		if strings.Contains(k, "-again-") && fail {
			fail = false
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if seen[k] {
			w.Header().Set("Idempotent-Replayed", "true")
		}
		seen[k] = true
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"results":[{"row":1,"status":"created","id":"01a2373c-0000-7000-8000-0000000000c1"}],"summary":{}}`)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte("last_name\nDoe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(extra ...string) string {
		var out, errOut strings.Builder
		e := &env{getenv: lookup(map[string]string{"PORTICO_URL": srv.URL, "PORTICO_TOKEN": "tok"}), out: &out, err: &errOut}
		args := append([]string{"import", path, "--resource", "contacts"}, extra...)
		if code := exitStatus(&errOut, dispatch(context.Background(), e, args)); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return errOut.String()
	}
	if errOut := run(); strings.Contains(errOut, "replayed") {
		t.Fatalf("first run: %s", errOut)
	}
	if errOut := run(); !strings.Contains(errOut, "replayed its first answer") || !strings.Contains(errOut, "--again") {
		t.Fatalf("re-run says %q, want the replay and the --again hint", errOut)
	}
	if errOut := run("--again"); strings.Contains(errOut, "replayed its first") {
		t.Fatalf("--again replayed: %s", errOut)
	}
	run("--again")
	if len(keys) != 5 || keys[0] != keys[1] || !strings.HasPrefix(keys[2], keys[0]+"-again-") || keys[2] != keys[3] || keys[4] == keys[2] || !strings.HasPrefix(keys[4], keys[0]+"-again-") {
		t.Fatalf("keys sent %q: want derived, derived, fresh and its retry, another fresh", keys)
	}
	for _, cmd := range []command{importCommand, promoteCommand} {
		if !strings.Contains(strings.Join(cmd.Help.Flags, "\n"), "--again") {
			t.Errorf("%s's help has no --again", cmd.Help.Name)
		}
	}
}

// The file is streamed with its length, and a retried upload sends it
// whole again.
func TestImportStreamsAndRetriesTheFile(t *testing.T) {
	file := "last_name\n" + strings.Repeat("Doe\n", 300_000) // 1.2 MB
	var (
		mu     sync.Mutex
		bodies []string
		sizes  []int64
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies, sizes = append(bodies, string(raw)), append(sizes, r.ContentLength)
		if len(bodies) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"results":[{"row":1,"status":"created","id":"01a2373c-0000-7000-8000-0000000000c1"}],"summary":{}}`)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	e := &env{getenv: lookup(map[string]string{"PORTICO_URL": srv.URL, "PORTICO_TOKEN": "tok"}), out: &out, err: &errOut}
	if code := exitStatus(&errOut, dispatch(context.Background(), e, []string{"import", path, "--resource", "contacts"})); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if len(bodies) != 2 || bodies[0] != file || bodies[1] != file || sizes[0] != int64(len(file)) || sizes[1] != int64(len(file)) {
		t.Fatalf("%d attempts, lengths %v, bodies whole: %t %t", len(bodies), sizes, len(bodies) > 0 && bodies[0] == file, len(bodies) > 1 && bodies[1] == file)
	}
	// a missing file or a directory stops the command before anything is sent
	for _, bad := range []string{filepath.Join(t.TempDir(), "none.csv"), t.TempDir()} {
		errOut.Reset()
		if code := exitStatus(&errOut, dispatch(context.Background(), e, []string{"import", bad, "--resource", "contacts"})); code != ExitError || len(bodies) != 2 {
			t.Fatalf("%s: exit %d, %d requests: %s", bad, code, len(bodies), errOut.String())
		}
	}
}
