package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// execBinary is the binary with a clean environment plus env, not started.
func execBinary(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(cleanEnv(), env...)
	return cmd
}

func testAddr(t *testing.T) {
	addr := freeAddr(t)
	p := startBinary(t, "PORTICO_ADDR="+addr)
	if p.url != "http://"+addr {
		t.Fatalf("started on %s", p.url)
	}
	if !strings.Contains(p.out.String(), `"addr":"`+addr+`"`) {
		t.Fatalf("the log does not name %s:\n%s", addr, p.out.String())
	}
}

func testDatabaseURL(t *testing.T) {
	url := storetest.CreatePostgres(t)
	p := startBinary(t, "PORTICO_DATABASE_URL="+url)
	p.must(200, "GET", "/readyz", nil)
	p.must(201, "POST", "/api/v1/organizations", map[string]any{"name": "Stored in PostgreSQL", "kind": "partner"})
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM organizations WHERE name = 'Stored in PostgreSQL'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("PostgreSQL holds %d such organizations (%v)", n, err)
	}
	if !strings.Contains(p.out.String(), `"database":"postgres"`) {
		t.Fatal("the log does not say postgres")
	}
}

func testSQLitePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "portico.db")
	p := startBinary(t, "PORTICO_SQLITE_PATH="+path)
	p.must(201, "POST", "/api/v1/organizations", map[string]any{"name": "Stored in SQLite", "kind": "partner"})
	if _, err := p.stop(); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Options{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var n int64
	if err := db.Gorm.Table("organizations").Where("name = ?", "Stored in SQLite").Count(&n).Error; err != nil || n != 1 {
		t.Fatalf("%s holds %d such organizations (%v)", path, n, err)
	}
}

func testAdminToken(t *testing.T) {
	p := startBinary(t)
	p.must(200, "GET", "/api/v1/organizations", nil)
	p.must(401, "GET", "/api/v1/organizations", nil, "Authorization", "Bearer "+adminToken+"x")
	unset := startBinary(t, "PORTICO_ADMIN_TOKEN=")
	unset.must(401, "GET", "/api/v1/organizations", nil)
	unset.must(401, "GET", "/api/v1/organizations", nil, "Authorization", "Bearer ")
}

func testBodyLimit(t *testing.T) {
	p := startBinary(t, "PORTICO_BODY_LIMIT=1KiB")
	// JSON may carry white space: the bytes count, not the fields
	small := `{"name":"Small","kind":"partner"}` + strings.Repeat(" ", 900)
	p.must(201, "POST", "/api/v1/organizations", small)
	large := `{"name":"Large","kind":"partner"}` + strings.Repeat(" ", 1100)
	if code := p.must(http.StatusRequestEntityTooLarge, "POST", "/api/v1/organizations", large)["code"]; code != "payload_too_large" {
		t.Fatalf("code %v", code)
	}
}

func testLogLevel(t *testing.T) {
	quiet := startBinary(t, "PORTICO_LOG_LEVEL=warn")
	quiet.must(200, "GET", "/healthz", nil)
	if strings.Contains(quiet.out.String(), `"level":"INFO"`) {
		t.Fatalf("warn level logged info lines:\n%s", quiet.out.String())
	}
	chatty := startBinary(t, "PORTICO_LOG_LEVEL=info")
	chatty.must(200, "GET", "/healthz", nil)
	if !strings.Contains(chatty.out.String(), `"route":"/healthz"`) {
		t.Fatalf("info level lacks the access log:\n%s", chatty.out.String())
	}
}

func testLogFormat(t *testing.T) {
	p := startBinary(t, "PORTICO_LOG_FORMAT=text")
	p.must(200, "GET", "/healthz", nil)
	for _, line := range strings.Split(strings.TrimSpace(p.out.String()), "\n") {
		if !strings.HasPrefix(line, "time=") || strings.HasPrefix(line, "{") {
			t.Fatalf("not a text log line: %s", line)
		}
	}
}

// testShutdownTimeout holds a request open (its body never ends): SIGTERM
// waits for it only as long as the setting says.
func testShutdownTimeout(t *testing.T) {
	p := startBinary(t, "PORTICO_SHUTDOWN_TIMEOUT=1s")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	fmt.Fprintf(conn, "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":", adminToken)
	time.Sleep(200 * time.Millisecond)
	took, _ := p.stop()
	if took < 900*time.Millisecond || took > 4*time.Second {
		t.Fatalf("stopped after %v with a request in flight, want about 1s", took)
	}
	if !strings.Contains(p.out.String(), `"timeout":"1s"`) {
		t.Fatalf("the log does not state the timeout:\n%s", p.out.String())
	}
}

func testActivationTTL(t *testing.T) {
	p := startBinary(t, "PORTICO_ACTIVATION_TTL=3s")
	soon, late := p.contact("soon"), p.contact("late")
	for _, id := range []string{soon, late} {
		if r := p.promote(id); r.status != 201 {
			t.Fatalf("promote: %d %s", r.status, r.body)
		}
	}
	w := p.world()
	early := p.loggedToken("soon@" + w.domain)
	expiring := p.loggedToken("late@" + w.domain)
	p.must(200, "POST", "/api/v1/activations", map[string]any{"token": early, "password": "a long enough password"}, "Authorization", "")
	time.Sleep(3500 * time.Millisecond)
	r := p.call("POST", "/api/v1/activations", map[string]any{"token": expiring, "password": "a long enough password"}, "Authorization", "")
	if r.status != 410 || r.json(t)["code"] != "token_expired" {
		t.Fatalf("after the TTL: %d %s", r.status, r.body)
	}
}

func testSessionTTL(t *testing.T) {
	p := startBinary(t, "PORTICO_SESSION_TTL=2s")
	email, password := p.activeUser("sess")
	s := p.must(201, "POST", "/api/v1/sessions", map[string]any{"email": email, "password": password}, "Authorization", "")
	expires, err := time.Parse(time.RFC3339, s["expires_at"].(string))
	if err != nil || time.Until(expires) > 3*time.Second {
		t.Fatalf("expires_at %v (%v), want within 2s", s["expires_at"], err)
	}
	bearer := "Bearer " + s["token"].(string)
	p.must(200, "GET", "/api/v1/users/me", nil, "Authorization", bearer)
	time.Sleep(2500 * time.Millisecond)
	p.must(401, "GET", "/api/v1/users/me", nil, "Authorization", bearer)
}

func testBcryptCost(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portico.db")
	p := startBinary(t, "PORTICO_SQLITE_PATH="+path, "PORTICO_BCRYPT_COST=5")
	email, _ := p.activeUser("hash")
	if _, err := p.stop(); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Options{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var hash string
	if err := db.Gorm.Table("people").Select("password_hash").Where("email = ?", email).Scan(&hash).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$2a$05$") {
		t.Fatalf("hash %q is not bcrypt cost 5", hash)
	}
	_ = os.Remove(path)
}
