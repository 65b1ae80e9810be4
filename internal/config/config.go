// Package config turns the environment into a validated Config. A bad value
// stops the process at start with a one-line reason instead of failing later.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is everything the service reads from its environment.
type Config struct {
	Addr            string        // PORTICO_ADDR
	DatabaseURL     string        // PORTICO_DATABASE_URL; empty selects SQLite
	SQLitePath      string        // PORTICO_SQLITE_PATH
	AdminToken      string        // PORTICO_ADMIN_TOKEN
	PublicURL       string        // PORTICO_PUBLIC_URL
	SMTPURL         string        // PORTICO_SMTP_URL; empty logs mail instead
	BodyLimit       int64         // PORTICO_BODY_LIMIT, bytes
	LogLevel        slog.Level    // PORTICO_LOG_LEVEL
	LogFormat       string        // PORTICO_LOG_FORMAT: json or text
	ShutdownTimeout time.Duration // PORTICO_SHUTDOWN_TIMEOUT
	MailFrom        string        // PORTICO_MAIL_FROM
	ActivationTTL   time.Duration // PORTICO_ACTIVATION_TTL
	SessionTTL      time.Duration // PORTICO_SESSION_TTL
	CORSOrigins     []string      // PORTICO_CORS_ORIGINS, comma-separated
	RatePerClient   int           // PORTICO_RATE_LIMIT_CLIENT, requests/minute
	RatePerAccount  int           // PORTICO_RATE_LIMIT_ACCOUNT, requests/minute
	BulkSyncLimit   int           // PORTICO_BULK_SYNC_LIMIT: larger bulk selections run as jobs
	ConvertedKind   string        // PORTICO_CONVERTED_KIND: kind of organizations made from accounts
	PromotionSlots  int           // PORTICO_PROMOTION_CONCURRENCY: promotions writing at once (0: twice the CPUs)
	DBTimeout       time.Duration // PORTICO_DB_TIMEOUT: longest database statement
	DBAcquire       time.Duration // PORTICO_DB_ACQUIRE_TIMEOUT: longest wait for a pooled connection
}

// UsesPostgres reports whether the service runs on PostgreSQL.
func (c Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// Load reads the environment through getenv (os.Getenv in production) and
// validates it. The error names the variable and the reason.
func Load(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:        get("PORTICO_ADDR", ":8080"),
		DatabaseURL: get("PORTICO_DATABASE_URL", ""),
		SQLitePath:  get("PORTICO_SQLITE_PATH", "./data/portico.db"),
		AdminToken:  get("PORTICO_ADMIN_TOKEN", ""),
		PublicURL:   strings.TrimRight(get("PORTICO_PUBLIC_URL", "http://localhost:8080"), "/"),
		SMTPURL:     get("PORTICO_SMTP_URL", ""),
		LogFormat:   get("PORTICO_LOG_FORMAT", "json"),
		MailFrom:    get("PORTICO_MAIL_FROM", "Portico <no-reply@localhost>"),
	}
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	check(validateAddr(c.Addr))
	check(validateURL("PORTICO_DATABASE_URL", c.DatabaseURL, "postgres", "postgresql"))
	check(validateURL("PORTICO_PUBLIC_URL", c.PublicURL, "http", "https"))
	check(validateURL("PORTICO_SMTP_URL", c.SMTPURL, "smtp", "smtps"))
	if c.AdminToken != "" && len(c.AdminToken) < 16 {
		check(errors.New("PORTICO_ADMIN_TOKEN: must be at least 16 characters"))
	}
	var err error
	c.BodyLimit, err = parseBytes(get("PORTICO_BODY_LIMIT", "1MiB"))
	check(prefix("PORTICO_BODY_LIMIT", err))
	check(prefix("PORTICO_LOG_LEVEL", c.LogLevel.UnmarshalText([]byte(get("PORTICO_LOG_LEVEL", "info")))))
	if c.LogFormat != "json" && c.LogFormat != "text" {
		check(fmt.Errorf("PORTICO_LOG_FORMAT: %q is not json or text", c.LogFormat))
	}
	c.ShutdownTimeout, err = time.ParseDuration(get("PORTICO_SHUTDOWN_TIMEOUT", "10s"))
	check(prefix("PORTICO_SHUTDOWN_TIMEOUT", err))
	if err == nil && (c.ShutdownTimeout <= 0 || c.ShutdownTimeout > 10*time.Second) {
		check(errors.New("PORTICO_SHUTDOWN_TIMEOUT: must be between 0s and 10s"))
	}
	c.ActivationTTL, err = positiveDuration(get("PORTICO_ACTIVATION_TTL", "168h"))
	check(prefix("PORTICO_ACTIVATION_TTL", err))
	c.SessionTTL, err = positiveDuration(get("PORTICO_SESSION_TTL", "12h"))
	check(prefix("PORTICO_SESSION_TTL", err))
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		check(fmt.Errorf("PORTICO_MAIL_FROM: %q is not an address such as Portico <no-reply@example.com>", c.MailFrom))
	}
	for _, o := range strings.Split(get("PORTICO_CORS_ORIGINS", ""), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if o != "*" {
			check(validateURL("PORTICO_CORS_ORIGINS", o, "http", "https"))
		}
		c.CORSOrigins = append(c.CORSOrigins, strings.TrimRight(o, "/"))
	}
	if len(c.CORSOrigins) > 1 && slices.Contains(c.CORSOrigins, "*") {
		check(errors.New("PORTICO_CORS_ORIGINS: * cannot be combined with other origins"))
	}
	c.RatePerClient, err = nonNegative(get("PORTICO_RATE_LIMIT_CLIENT", "60"))
	check(prefix("PORTICO_RATE_LIMIT_CLIENT", err))
	c.RatePerAccount, err = nonNegative(get("PORTICO_RATE_LIMIT_ACCOUNT", "10"))
	check(prefix("PORTICO_RATE_LIMIT_ACCOUNT", err))
	c.BulkSyncLimit, err = nonNegative(get("PORTICO_BULK_SYNC_LIMIT", "100"))
	check(prefix("PORTICO_BULK_SYNC_LIMIT", err))
	c.PromotionSlots, err = nonNegative(get("PORTICO_PROMOTION_CONCURRENCY", "0"))
	check(prefix("PORTICO_PROMOTION_CONCURRENCY", err))
	c.DBTimeout, err = positiveDuration(get("PORTICO_DB_TIMEOUT", "5s"))
	check(prefix("PORTICO_DB_TIMEOUT", err))
	c.DBAcquire, err = positiveDuration(get("PORTICO_DB_ACQUIRE_TIMEOUT", "3s"))
	check(prefix("PORTICO_DB_ACQUIRE_TIMEOUT", err))
	c.ConvertedKind = get("PORTICO_CONVERTED_KIND", "customer")
	if !slices.Contains([]string{"partner", "distributor", "customer"}, c.ConvertedKind) {
		check(fmt.Errorf("PORTICO_CONVERTED_KIND: %q is not partner, distributor or customer", c.ConvertedKind))
	}
	return c, errors.Join(errs...)
}

func nonNegative(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a whole number ≥ 0 (0 disables the limit)", s)
	}
	return n, nil
}

func positiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as 168h", s)
	}
	return d, nil
}

func prefix(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

func validateAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("PORTICO_ADDR: %q is not host:port", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("PORTICO_ADDR: port %q is not a number from 0 to 65535", port)
	}
	return nil
}

func validateURL(name, raw string, schemes ...string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s: not an absolute URL", name)
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return nil
		}
	}
	return fmt.Errorf("%s: scheme %q is not one of %s", name, u.Scheme, strings.Join(schemes, ", "))
}

// parseBytes reads sizes such as "1048576", "512KiB", "1MiB".
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}, {"", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || n <= 0 {
				return 0, fmt.Errorf("%q is not a positive size such as 1MiB", s)
			}
			return n * u.mult, nil
		}
	}
	return 0, fmt.Errorf("%q is not a size", s)
}
