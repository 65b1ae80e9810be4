package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.SQLitePath != "./data/portico.db" || c.UsesPostgres() ||
		c.BodyLimit != 1<<20 || c.LogLevel != slog.LevelInfo || c.ShutdownTimeout != 10*time.Second ||
		c.PublicURL != "http://localhost:8080" || c.PortalURL != "" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestValidValues(t *testing.T) {
	c, err := Load(env(map[string]string{
		"PORTICO_ADDR":         "127.0.0.1:9000",
		"PORTICO_DATABASE_URL": "postgres://u@db:5432/portico?sslmode=disable",
		"PORTICO_PUBLIC_URL":   "https://portal.example.com/",
		"PORTICO_SMTP_URL":     "smtp://mail:1025",
		"PORTICO_BODY_LIMIT":   "512KiB",
		"PORTICO_LOG_LEVEL":    "debug",
		"PORTICO_ADMIN_TOKEN":  "0123456789abcdef",
		"PORTICO_PORTAL_URL":   "https://portal.example.com/sign-in",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.UsesPostgres() || c.BodyLimit != 512<<10 || c.PublicURL != "https://portal.example.com" || c.LogLevel != slog.LevelDebug ||
		c.PortalURL != "https://portal.example.com/sign-in" {
		t.Fatalf("parsed: %+v", c)
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	cases := map[string]string{
		"PORTICO_ADDR":             "8080",
		"PORTICO_DATABASE_URL":     "mysql://x/y",
		"PORTICO_PUBLIC_URL":       "portal.example.com",
		"PORTICO_PORTAL_URL":       "javascript:alert(1)",
		"PORTICO_SMTP_URL":         "http://mail",
		"PORTICO_BODY_LIMIT":       "-1",
		"PORTICO_LOG_LEVEL":        "loud",
		"PORTICO_LOG_FORMAT":       "xml",
		"PORTICO_SHUTDOWN_TIMEOUT": "1h",
		"PORTICO_ADMIN_TOKEN":      "short",
		"PORTICO_BCRYPT_COST":      "3",
		"PORTICO_BULK_SYNC_LIMIT":  "-1",
	}
	for name, value := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Load(env(map[string]string{name: value}))
			if err == nil || !strings.HasPrefix(err.Error(), name+":") {
				t.Fatalf("Load(%s=%q) error = %v, want one naming %s", name, value, err, name)
			}
		})
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "10B": 10, "2KiB": 2048, "1MiB": 1 << 20, "1GiB": 1 << 30} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "MiB", "1.5MiB", "abc"} {
		if _, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) accepted", in)
		}
	}
}

func TestBcryptCost(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.BcryptCost != 12 {
		t.Fatalf("default cost %d, %v; want 12", c.BcryptCost, err)
	}
	for in, want := range map[string]int{"4": 4, "10": 10, "16": 16} {
		if c, err := Load(env(map[string]string{"PORTICO_BCRYPT_COST": in})); err != nil || c.BcryptCost != want {
			t.Errorf("PORTICO_BCRYPT_COST=%s: %d, %v", in, c.BcryptCost, err)
		}
	}
	for _, in := range []string{"3", "17", "31", "ten", "-1"} {
		if _, err := Load(env(map[string]string{"PORTICO_BCRYPT_COST": in})); err == nil {
			t.Errorf("PORTICO_BCRYPT_COST=%s accepted", in)
		}
	}
}

// The message of a refused value says what 0 means for that variable, and
// it means that: rate limits are off at 0, a bulk limit of 0 makes every
// bulk promotion a job (the HTTP and settings suites prove the effect).
func TestZeroMeansWhatTheMessageSays(t *testing.T) {
	rates := map[string]func(Config) int{
		"PORTICO_RATE_LIMIT_CLIENT":  func(c Config) int { return c.RatePerClient },
		"PORTICO_RATE_LIMIT_ACCOUNT": func(c Config) int { return c.RatePerAccount },
	}
	for name, rate := range rates {
		c, err := Load(env(map[string]string{name: "0"}))
		if err != nil || rate(c) != 0 {
			t.Fatalf("%s=0: %d, %v", name, rate(c), err)
		}
		_, err = Load(env(map[string]string{name: "-1"}))
		if err == nil || !strings.Contains(err.Error(), "0 turns the limit off") {
			t.Fatalf("%s=-1: %v", name, err)
		}
	}
	if c, err := Load(env(map[string]string{"PORTICO_BULK_SYNC_LIMIT": "0"})); err != nil || c.BulkSyncLimit != 0 {
		t.Fatalf("PORTICO_BULK_SYNC_LIMIT=0: %d, %v", c.BulkSyncLimit, err)
	}
	_, err := Load(env(map[string]string{"PORTICO_BULK_SYNC_LIMIT": "-1"}))
	if err == nil || !strings.Contains(err.Error(), "0 runs every bulk promotion as a job") {
		t.Fatalf("PORTICO_BULK_SYNC_LIMIT=-1: %v", err)
	}
	_, err = Load(env(map[string]string{"PORTICO_PROMOTION_CONCURRENCY": "-1"}))
	if err == nil || !strings.Contains(err.Error(), "0: twice the CPUs") {
		t.Fatalf("PORTICO_PROMOTION_CONCURRENCY=-1: %v", err)
	}
}

func TestDatabaseBounds(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.DBTimeout != 5*time.Second || c.DBAcquire != 3*time.Second {
		t.Fatalf("defaults: %v, %v, %v", c.DBTimeout, c.DBAcquire, err)
	}
	c, err = Load(env(map[string]string{"PORTICO_DB_TIMEOUT": "1500ms", "PORTICO_DB_ACQUIRE_TIMEOUT": "1s"}))
	if err != nil || c.DBTimeout != 1500*time.Millisecond || c.DBAcquire != time.Second {
		t.Fatalf("parsed: %v, %v, %v", c.DBTimeout, c.DBAcquire, err)
	}
	for name, value := range map[string]string{"PORTICO_DB_TIMEOUT": "0s", "PORTICO_DB_ACQUIRE_TIMEOUT": "soon"} {
		if _, err := Load(env(map[string]string{name: value})); err == nil || !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("Load(%s=%q) error = %v, want one naming %s", name, value, err, name)
		}
	}
}

func TestWebhookSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.SecretKey != nil || c.WebhookAllowPrivate || c.Webhooks != DefaultWebhookTuning {
		t.Fatalf("defaults: %v %+v", err, c)
	}
	for _, key := range []string{"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"} {
		c, err = Load(env(map[string]string{"PORTICO_SECRET_KEY": key, "PORTICO_WEBHOOK_ALLOW_PRIVATE": "true"}))
		if err != nil || string(c.SecretKey) != "0123456789abcdef0123456789abcdef" || !c.WebhookAllowPrivate {
			t.Fatalf("%s: %v %q %v", key, err, c.SecretKey, c.WebhookAllowPrivate)
		}
	}
	for value, want := range map[string]string{"c2hvcnQ=": "decodes to 5 bytes, not 32", "not base64!": "is not base64"} {
		_, err := Load(env(map[string]string{"PORTICO_SECRET_KEY": value}))
		if err == nil || !strings.Contains(err.Error(), "PORTICO_SECRET_KEY: "+want) {
			t.Errorf("%q: %v", value, err)
		}
	}
}
