package main

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/portico/portico/internal/config"
)

// settings proves each documented variable on the built binary: every case
// starts the binary with the variable set and watches it take effect from
// outside. Rows of README's configuration table and fields of config.Config
// without a case fail TestEverySettingHasACase.
var settings = map[string]func(t *testing.T){
	"PORTICO_ADDR":                  testAddr,
	"PORTICO_DATABASE_URL":          testDatabaseURL,
	"PORTICO_SQLITE_PATH":           testSQLitePath,
	"PORTICO_ADMIN_TOKEN":           testAdminToken,
	"PORTICO_PUBLIC_URL":            testMailSettings,
	"PORTICO_PORTAL_URL":            testPortalURL,
	"PORTICO_SMTP_URL":              testMailSettings,
	"PORTICO_MAIL_FROM":             testMailSettings,
	"PORTICO_BODY_LIMIT":            testBodyLimit,
	"PORTICO_IMPORT_BODY_LIMIT":     testImportBodyLimit,
	"PORTICO_LOG_LEVEL":             testLogLevel,
	"PORTICO_LOG_FORMAT":            testLogFormat,
	"PORTICO_SHUTDOWN_TIMEOUT":      testShutdownTimeout,
	"PORTICO_ACTIVATION_TTL":        testActivationTTL,
	"PORTICO_SESSION_TTL":           testSessionTTL,
	"PORTICO_CORS_ORIGINS":          testCORSOrigins,
	"PORTICO_RATE_LIMIT_CLIENT":     testRateLimitClient,
	"PORTICO_RATE_LIMIT_ACCOUNT":    testRateLimitAccount,
	"PORTICO_BULK_SYNC_LIMIT":       testBulkSyncLimit,
	"PORTICO_CONVERTED_KIND":        testConvertedKind,
	"PORTICO_PROMOTION_CONCURRENCY": testPromotionConcurrency,
	"PORTICO_BCRYPT_COST":           testBcryptCost,
	"PORTICO_DB_TIMEOUT":            testDBBounds,
	"PORTICO_DB_ACQUIRE_TIMEOUT":    testDBBounds,
	"PORTICO_MAIL_MAX_ATTEMPTS":     testMailMaxAttempts,
	"PORTICO_JOB_WORKERS":           testJobWorkers,
	"PORTICO_JOB_RESCUE_AFTER":      testJobRescueAfter,
	"PORTICO_INVITATION_MAX_TTL":    testInvitationMaxTTL,
	"PORTICO_DEFAULT_LOCALE":        testDefaultLocale,
	"PORTICO_SECRET_KEY":            testWebhookSettings,
	"PORTICO_WEBHOOK_ALLOW_PRIVATE": testWebhookSettings,
}

// badValues are refused at start, each with its variable named.
var badValues = map[string]string{
	"PORTICO_ADDR":                  "nonsense",
	"PORTICO_DATABASE_URL":          "mysql://db.example/portico",
	"PORTICO_SQLITE_PATH":           "/dev/null/portico.db",
	"PORTICO_ADMIN_TOKEN":           "short",
	"PORTICO_PUBLIC_URL":            "ftp://portal.example",
	"PORTICO_PORTAL_URL":            "portal.example/sign-in",
	"PORTICO_SMTP_URL":              "http://mail.example",
	"PORTICO_MAIL_FROM":             "not an address",
	"PORTICO_BODY_LIMIT":            "lots",
	"PORTICO_IMPORT_BODY_LIMIT":     "huge",
	"PORTICO_LOG_LEVEL":             "loud",
	"PORTICO_LOG_FORMAT":            "xml",
	"PORTICO_SHUTDOWN_TIMEOUT":      "1h",
	"PORTICO_ACTIVATION_TTL":        "-1h",
	"PORTICO_SESSION_TTL":           "soon",
	"PORTICO_MAIL_MAX_ATTEMPTS":     "0",
	"PORTICO_JOB_WORKERS":           "many",
	"PORTICO_JOB_RESCUE_AFTER":      "1s",
	"PORTICO_INVITATION_MAX_TTL":    "forever",
	"PORTICO_DEFAULT_LOCALE":        "klingon",
	"PORTICO_CORS_ORIGINS":          "ftp://spa.example",
	"PORTICO_RATE_LIMIT_CLIENT":     "-1",
	"PORTICO_RATE_LIMIT_ACCOUNT":    "ten",
	"PORTICO_BULK_SYNC_LIMIT":       "-5",
	"PORTICO_CONVERTED_KIND":        "vendor",
	"PORTICO_PROMOTION_CONCURRENCY": "many",
	"PORTICO_BCRYPT_COST":           "99",
	"PORTICO_DB_TIMEOUT":            "0s",
	"PORTICO_DB_ACQUIRE_TIMEOUT":    "soon",
	"PORTICO_SECRET_KEY":            "c2hvcnQ=",
	"PORTICO_WEBHOOK_ALLOW_PRIVATE": "maybe",
}

func TestSettings(t *testing.T) {
	names := make([]string, 0, len(settings))
	for name := range settings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			settings[name](t)
		})
	}
}

// TestEverySettingHasACase: README's table, config.Config and the cases
// above name the same variables, and each has a refused bad value.
func TestEverySettingHasACase(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := regexp.MustCompile("(?m)^\\| `(PORTICO_[A-Z_]+)`").FindAllStringSubmatch(string(readme), -1)
	if len(documented) == 0 {
		t.Fatal("README has no configuration table")
	}
	var fromREADME, fromConfig []string
	for _, m := range documented {
		fromREADME = append(fromREADME, m[1])
	}
	typ := reflect.TypeFor[config.Config]()
	for i := range typ.NumField() {
		env := typ.Field(i).Tag.Get("env")
		if env == "-" {
			continue // tuning that tests shorten, not a setting
		}
		if env == "" {
			t.Errorf("config.Config.%s has no env tag", typ.Field(i).Name)
		}
		fromConfig = append(fromConfig, env)
	}
	for _, list := range [][]string{fromREADME, fromConfig} {
		for _, name := range list {
			if settings[name] == nil {
				t.Errorf("%s has no case in the settings suite", name)
			}
			if badValues[name] == "" {
				t.Errorf("%s has no refused bad value", name)
			}
		}
	}
	for name := range settings {
		if !slices.Contains(fromREADME, name) {
			t.Errorf("%s is not in README's configuration table", name)
		}
		if !slices.Contains(fromConfig, name) {
			t.Errorf("%s is not a field of config.Config", name)
		}
	}
}

// TestBadValuesStopTheStart: each bad value stops the binary with one line
// naming its variable.
func TestBadValuesStopTheStart(t *testing.T) {
	for name, value := range badValues {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := execBinary(t, name+"="+value, "PORTICO_SQLITE_PATH="+t.TempDir()+"/p.db")
			if name == "PORTICO_SQLITE_PATH" {
				cmd = execBinary(t, name+"="+value)
			}
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("started with %s=%q", name, value)
			}
			text := strings.TrimSpace(string(out))
			if strings.Contains(text, "\n") || !strings.Contains(text, name) {
				t.Fatalf("want one line naming %s, got:\n%s", name, out)
			}
		})
	}
}
