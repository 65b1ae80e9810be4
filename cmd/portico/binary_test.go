package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// adminToken is the admin token the settings cases start the binary with.
const adminToken = "settings-admin-token-0123456789"

// proc is the built binary running with a test's environment.
type proc struct {
	t    *testing.T
	url  string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan error
}

// startBinary runs the binary with env (NAME=value) on a free loopback
// port, on a fresh SQLite file unless env names a database, and waits until
// it is healthy. The test's end kills it.
func startBinary(t *testing.T, env ...string) *proc {
	t.Helper()
	addr := freeAddr(t)
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PORTICO_ADDR="); ok {
			addr = v
		}
	}
	base := []string{"PORTICO_ADDR=" + addr, "PORTICO_SQLITE_PATH=" + filepath.Join(t.TempDir(), "portico.db"),
		"PORTICO_ADMIN_TOKEN=" + adminToken, "PORTICO_BCRYPT_COST=4"}
	cmd := exec.Command(bin)
	cmd.Env = append(append(cleanEnv(), base...), env...) // later entries win
	p := &proc{t: t, url: "http://" + addr, cmd: cmd, out: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("binary output:\n%s", p.out.String())
		}
	})
	waitHealthy(t, p.url, p.out)
	return p
}

// cleanEnv is the test's environment without any PORTICO_ setting of the
// developer's shell.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PORTICO_") {
			env = append(env, kv)
		}
	}
	return env
}

// stop sends SIGTERM and returns the exit error and how long it took.
func (p *proc) stop() (time.Duration, error) {
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		return time.Since(start), err
	case <-time.After(20 * time.Second):
		p.t.Fatalf("still running 20 s after SIGTERM\n%s", p.out.String())
		return 0, nil
	}
}

// reply is a finished exchange with the binary.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a map.
func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode %d %s: %v", r.status, r.body, err)
	}
	return m
}

// call sends body (JSON-encoded unless a string) with header pairs; the
// admin token is sent unless the pairs set Authorization.
func (p *proc) call(method, path string, body any, header ...string) reply {
	p.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, p.url+path, r)
	if err != nil {
		p.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: raw}
}

// must asserts the status and returns the decoded body.
func (p *proc) must(status int, method, path string, body any, header ...string) map[string]any {
	p.t.Helper()
	r := p.call(method, path, body, header...)
	if r.status != status {
		p.t.Fatalf("%s %s: %d, want %d: %s", method, path, r.status, status, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(p.t)
}

// world is an active partner organization with a domain and a group.
type world struct{ org, group, domain string }

var worlds sync.Map

func (p *proc) world() world {
	p.t.Helper()
	if w, ok := worlds.Load(p); ok {
		return w.(world)
	}
	w := world{domain: fmt.Sprintf("acme%d.example", time.Now().UnixNano())}
	w.org = p.must(201, "POST", "/api/v1/organizations", map[string]any{"name": "Acme", "kind": "partner", "email_domains": []string{w.domain}})["id"].(string)
	w.group = p.must(201, "POST", "/api/v1/groups", map[string]any{"name": "Resellers"})["id"].(string)
	worlds.Store(p, w)
	return w
}

// contact creates a contact of the world's organization and returns its id.
func (p *proc) contact(local string) string {
	p.t.Helper()
	w := p.world()
	return p.must(201, "POST", "/api/v1/contacts", map[string]any{"first_name": "Jo", "last_name": local,
		"email": local + "@" + w.domain, "organization_id": w.org})["id"].(string)
}

// promote promotes a contact into the world's group.
func (p *proc) promote(id string, header ...string) reply {
	p.t.Helper()
	return p.call("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{p.world().group}}, header...)
}

var loggedLink = regexp.MustCompile(`\?token=([A-Za-z0-9_-]+)`)

// loggedToken waits for the log mailer to write a link mailed to addr and
// returns its token (the binary runs without SMTP).
func (p *proc) loggedToken(addr string) string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(p.out.String(), "\n") {
			if strings.Contains(line, `"to":"`+addr+`"`) {
				if m := loggedLink.FindStringSubmatch(line); m != nil {
					return m[1]
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("no link to %s logged within 10 s", addr)
	return ""
}

// activeUser promotes and activates a contact and returns its email and password.
func (p *proc) activeUser(local string) (email, password string) {
	p.t.Helper()
	id := p.contact(local)
	if r := p.promote(id); r.status != 201 {
		p.t.Fatalf("promote: %d %s", r.status, r.body)
	}
	email, password = local+"@"+p.world().domain, "correct horse battery staple"
	p.must(200, "POST", "/api/v1/activations", map[string]any{"token": p.loggedToken(email), "password": password}, "Authorization", "")
	return email, password
}

// syncBuffer collects a child process's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
