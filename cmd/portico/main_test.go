package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// bin is the real binary, built once without cgo as a fresh machine would.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portico-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "portico")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		panic(fmt.Sprintf("build: %v\n%s", err, out))
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestServeAndShutdown serves on each database and checks that SIGTERM
// stops the process cleanly well within 10 s.
func TestServeAndShutdown(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			env := []string{"PORTICO_SQLITE_PATH=" + filepath.Join(t.TempDir(), "fresh", "portico.db")}
			if d == store.Postgres {
				env = []string{"PORTICO_DATABASE_URL=" + storetest.CreatePostgres(t)}
			}
			addr := freeAddr(t)
			cmd := exec.Command(bin)
			cmd.Env = append(os.Environ(), append(env, "PORTICO_ADDR="+addr)...)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitHealthy(t, "http://"+addr, &out)
			start := time.Now()
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit: %v\n%s", err, out.String())
				}
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 10 s after SIGTERM\n%s", out.String())
			}
			if !strings.Contains(out.String(), `"msg":"stopped"`) {
				t.Fatalf("no clean stop logged after %v:\n%s", time.Since(start), out.String())
			}
		})
	}
}

func TestBadConfigStopsWithOneLine(t *testing.T) {
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORTICO_ADDR=nonsense", "PORTICO_LOG_LEVEL=loud")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("started with a bad configuration")
	}
	text := strings.TrimSpace(string(out))
	if strings.Contains(text, "\n") || !strings.Contains(text, "PORTICO_ADDR") || !strings.Contains(text, "PORTICO_LOG_LEVEL") {
		t.Fatalf("want one line naming both variables, got:\n%s", out)
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, base string, out fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not healthy within 20 s:\n%s", out.String())
}

// TestAPIKeyCommand creates a key on the command line, uses it over HTTP,
// revokes it, and checks it stops working at once.
func TestAPIKeyCommand(t *testing.T) {
	env := append(os.Environ(), "PORTICO_SQLITE_PATH="+filepath.Join(t.TempDir(), "portico.db"))
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("portico %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	created := run("apikey", "create", "-name", "ci", "-role", "readonly")
	var id, key string
	for _, line := range strings.Split(created, "\n") {
		if v, ok := strings.CutPrefix(line, "id:   "); ok {
			id = v
		}
		if v, ok := strings.CutPrefix(line, "key:  "); ok {
			key = v
		}
	}
	if !strings.HasPrefix(key, "pk_") || id == "" {
		t.Fatalf("create printed:\n%s", created)
	}
	if list := run("apikey", "list"); !strings.Contains(list, "ci") || !strings.Contains(list, "readonly") || strings.Contains(list, key) {
		t.Fatalf("list:\n%s", list)
	}

	addr := freeAddr(t)
	srv := exec.Command(bin)
	srv.Env = append(env, "PORTICO_ADDR="+addr)
	var out strings.Builder
	srv.Stdout, srv.Stderr = &out, &out
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	waitHealthy(t, "http://"+addr, &out)
	status := func(method string) int {
		req, _ := http.NewRequest(method, "http://"+addr+"/api/v1/organizations", strings.NewReader(`{"name":"X","kind":"partner"}`))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("GET"); got != 200 {
		t.Fatalf("read-only key reading: %d", got)
	}
	if got := status("POST"); got != 403 {
		t.Fatalf("read-only key writing: %d, want 403", got)
	}
	run("apikey", "revoke", id)
	if got := status("GET"); got != 401 {
		t.Fatalf("revoked key: %d, want 401", got)
	}
}
