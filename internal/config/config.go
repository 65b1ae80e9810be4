// Package config turns the environment into a validated Config. A bad value
// stops the process at start with a one-line reason instead of failing later.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Config is everything the service reads from its environment; each
// field's env tag names its variable (the settings suite checks that every
// one is documented and proven on the binary).
type Config struct {
	Addr            string        `env:"PORTICO_ADDR"`
	DatabaseURL     string        `env:"PORTICO_DATABASE_URL"` // empty selects SQLite
	SQLitePath      string        `env:"PORTICO_SQLITE_PATH"`
	AdminToken      string        `env:"PORTICO_ADMIN_TOKEN"`
	PublicURL       string        `env:"PORTICO_PUBLIC_URL"`
	PortalURL       string        `env:"PORTICO_PORTAL_URL"`        // the portal's sign-in page; empty: no link
	SMTPURL         string        `env:"PORTICO_SMTP_URL"`          // empty logs mail instead
	BodyLimit       int64         `env:"PORTICO_BODY_LIMIT"`        // bytes
	ImportLimit     int64         `env:"PORTICO_IMPORT_BODY_LIMIT"` // bytes of one import upload
	LogLevel        slog.Level    `env:"PORTICO_LOG_LEVEL"`
	LogFormat       string        `env:"PORTICO_LOG_FORMAT"` // json or text
	ShutdownTimeout time.Duration `env:"PORTICO_SHUTDOWN_TIMEOUT"`
	MailFrom        string        `env:"PORTICO_MAIL_FROM"`
	ActivationTTL   time.Duration `env:"PORTICO_ACTIVATION_TTL"`
	SessionTTL      time.Duration `env:"PORTICO_SESSION_TTL"`
	CORSOrigins     []string      `env:"PORTICO_CORS_ORIGINS"`          // comma-separated
	RatePerClient   int           `env:"PORTICO_RATE_LIMIT_CLIENT"`     // requests/minute
	RatePerAccount  int           `env:"PORTICO_RATE_LIMIT_ACCOUNT"`    // requests/minute
	BulkSyncLimit   int           `env:"PORTICO_BULK_SYNC_LIMIT"`       // larger bulk selections run as jobs
	ConvertedKind   string        `env:"PORTICO_CONVERTED_KIND"`        // kind of organizations made from accounts
	PromotionSlots  int           `env:"PORTICO_PROMOTION_CONCURRENCY"` // promotions writing at once (0: twice the CPUs)
	BcryptCost      int           `env:"PORTICO_BCRYPT_COST"`           // password hashing cost
	DBTimeout       time.Duration `env:"PORTICO_DB_TIMEOUT"`            // longest database statement
	DBAcquire       time.Duration `env:"PORTICO_DB_ACQUIRE_TIMEOUT"`    // longest wait for a pooled connection
	MailAttempts    int           `env:"PORTICO_MAIL_MAX_ATTEMPTS"`     // tries of one message before it is given up
	JobWorkers      int           `env:"PORTICO_JOB_WORKERS"`           // background jobs this process works at once, per queue
	JobRescueAfter  time.Duration `env:"PORTICO_JOB_RESCUE_AFTER"`      // when a dead process's running job is taken over
	InvitationMax   time.Duration `env:"PORTICO_INVITATION_MAX_TTL"`    // the longest invitation_ttl a request may ask for
	DefaultLocale   string        `env:"PORTICO_DEFAULT_LOCALE"`        // language of people with none (BCP 47)
	// SecretKey encrypts webhook signing secrets (32 bytes; nil: webhooks are refused).
	SecretKey []byte `env:"PORTICO_SECRET_KEY"`
	// WebhookAllowPrivate lets webhook endpoints reach loopback and private addresses.
	WebhookAllowPrivate bool `env:"PORTICO_WEBHOOK_ALLOW_PRIVATE"`
	// Webhooks is tuning that tests shorten; no variable sets it.
	Webhooks WebhookTuning `env:"-"`
}

// WebhookTuning is the webhook retry schedule and the failure span after
// which an endpoint is disabled.
type WebhookTuning struct {
	Attempts     int           // tries of one delivery
	RetryBase    time.Duration // the wait after the first failed attempt
	RetryCap     time.Duration // the longest wait between attempts
	DisableAfter time.Duration // an endpoint failing this long is disabled
}

// DefaultWebhookTuning spreads 17 attempts over about three days (5s ×4
// per attempt, capped at 8h) and disables an endpoint failing for 3 days.
var DefaultWebhookTuning = WebhookTuning{Attempts: 17, RetryBase: 5 * time.Second, RetryCap: 8 * time.Hour, DisableAfter: 72 * time.Hour}

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
		PortalURL:   get("PORTICO_PORTAL_URL", ""),
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
	check(validateURL("PORTICO_PORTAL_URL", c.PortalURL, "http", "https"))
	check(validateURL("PORTICO_SMTP_URL", c.SMTPURL, "smtp", "smtps"))
	if c.AdminToken != "" && len(c.AdminToken) < 16 {
		check(errors.New("PORTICO_ADMIN_TOKEN: must be at least 16 characters"))
	}
	var err error
	c.BodyLimit, err = parseBytes(get("PORTICO_BODY_LIMIT", "1MiB"))
	check(prefix("PORTICO_BODY_LIMIT", err))
	c.ImportLimit, err = parseBytes(get("PORTICO_IMPORT_BODY_LIMIT", "64MiB"))
	check(prefix("PORTICO_IMPORT_BODY_LIMIT", err))
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
	const disables = "a whole number ≥ 0 (0 turns the limit off)"
	c.RatePerClient, err = wholeNumber(get("PORTICO_RATE_LIMIT_CLIENT", "60"), 0, math.MaxInt32, disables)
	check(prefix("PORTICO_RATE_LIMIT_CLIENT", err))
	c.RatePerAccount, err = wholeNumber(get("PORTICO_RATE_LIMIT_ACCOUNT", "10"), 0, math.MaxInt32, disables)
	check(prefix("PORTICO_RATE_LIMIT_ACCOUNT", err))
	c.BulkSyncLimit, err = wholeNumber(get("PORTICO_BULK_SYNC_LIMIT", "100"), 0, math.MaxInt32, "a whole number ≥ 0 (0 runs every bulk promotion as a job)")
	check(prefix("PORTICO_BULK_SYNC_LIMIT", err))
	c.PromotionSlots, err = wholeNumber(get("PORTICO_PROMOTION_CONCURRENCY", "0"), 0, math.MaxInt32, "a whole number ≥ 0 (0: twice the CPUs)")
	check(prefix("PORTICO_PROMOTION_CONCURRENCY", err))
	// above 16 one sign-in takes seconds of CPU; below 10 is fast enough to guess offline
	c.BcryptCost, err = wholeNumber(get("PORTICO_BCRYPT_COST", "12"), 4, 16, "a whole number from 4 to 16 (10 or more outside tests)")
	check(prefix("PORTICO_BCRYPT_COST", err))
	c.DBTimeout, err = positiveDuration(get("PORTICO_DB_TIMEOUT", "5s"))
	check(prefix("PORTICO_DB_TIMEOUT", err))
	c.DBAcquire, err = positiveDuration(get("PORTICO_DB_ACQUIRE_TIMEOUT", "3s"))
	check(prefix("PORTICO_DB_ACQUIRE_TIMEOUT", err))
	c.MailAttempts, err = wholeNumber(get("PORTICO_MAIL_MAX_ATTEMPTS", "8"), 1, 25, "a whole number from 1 to 25")
	check(prefix("PORTICO_MAIL_MAX_ATTEMPTS", err))
	c.JobWorkers, err = wholeNumber(get("PORTICO_JOB_WORKERS", "4"), 1, 100, "a whole number from 1 to 100")
	check(prefix("PORTICO_JOB_WORKERS", err))
	c.JobRescueAfter, err = time.ParseDuration(get("PORTICO_JOB_RESCUE_AFTER", "2m"))
	check(prefix("PORTICO_JOB_RESCUE_AFTER", err))
	if err == nil && (c.JobRescueAfter < 10*time.Second || c.JobRescueAfter > time.Hour) {
		check(errors.New("PORTICO_JOB_RESCUE_AFTER: must be between 10s and 1h"))
	}
	c.InvitationMax, err = positiveDuration(get("PORTICO_INVITATION_MAX_TTL", "720h"))
	check(prefix("PORTICO_INVITATION_MAX_TTL", err))
	if err == nil && c.ActivationTTL > c.InvitationMax {
		check(errors.New("PORTICO_ACTIVATION_TTL: must not be longer than PORTICO_INVITATION_MAX_TTL"))
	}
	c.DefaultLocale, err = locale(get("PORTICO_DEFAULT_LOCALE", "en"))
	check(prefix("PORTICO_DEFAULT_LOCALE", err))
	c.SecretKey, err = secretKey(get("PORTICO_SECRET_KEY", ""))
	check(prefix("PORTICO_SECRET_KEY", err))
	c.WebhookAllowPrivate, err = boolean(get("PORTICO_WEBHOOK_ALLOW_PRIVATE", "false"))
	check(prefix("PORTICO_WEBHOOK_ALLOW_PRIVATE", err))
	c.Webhooks = DefaultWebhookTuning
	c.ConvertedKind = get("PORTICO_CONVERTED_KIND", "customer")
	if !slices.Contains([]string{"partner", "distributor", "customer"}, c.ConvertedKind) {
		check(fmt.Errorf("PORTICO_CONVERTED_KIND: %q is not partner, distributor or customer", c.ConvertedKind))
	}
	return c, errors.Join(errs...)
}

// wholeNumber reads an integer from lowest to highest; want says what is
// accepted, and what 0 means where it means something.
func wholeNumber(s string, lowest, highest int, want string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lowest || n > highest {
		return 0, fmt.Errorf("%q is not %s", s, want)
	}
	return n, nil
}

// secretKey reads 32 bytes in standard or URL-safe base64; empty is none.
func secretKey(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			if len(key) != 32 {
				return nil, fmt.Errorf("decodes to %d bytes, not 32 (make a key with: openssl rand -base64 32)", len(key))
			}
			return key, nil
		}
	}
	return nil, errors.New("is not base64 (make a key with: openssl rand -base64 32)")
}

// boolean reads true or false (and the forms strconv.ParseBool takes).
func boolean(s string) (bool, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", s)
	}
	return b, nil
}

// locale reads a BCP 47 language tag in canonical form.
func locale(s string) (string, error) {
	tag, err := language.Parse(s)
	if err != nil || tag.IsRoot() {
		return "", fmt.Errorf("%q is not a language tag such as en, de or fr-CA", s)
	}
	return tag.String(), nil
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
