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
