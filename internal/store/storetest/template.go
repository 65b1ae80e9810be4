package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/portico/portico/internal/store"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// createMigrated creates a database for one test as a copy of a migrated
// template: a copy takes a fraction of the second that the migrations
// (Portico's and River's) take, and the suites create hundreds. The
// template is named by a digest of the migration files and kept on the
// server between runs; OpenAt still runs the migrations on the copy, so a
// template behind River's migrations is only slower, never wrong.
func createMigrated(t testing.TB) string {
	t.Helper()
	admin := adminConn(t)
	templateOnce.Do(func() { templateName, templateErr = migratedTemplate() })
	if templateErr != nil {
		t.Fatalf("migrated template database: %v", templateErr)
	}
	name := testDatabaseName()
	if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name+" TEMPLATE "+templateName); err != nil {
		t.Fatalf("create database %s from %s: %v", name, templateName, err)
	}
	t.Cleanup(func() { dropLater(name) })
	return databaseURL(name)
}

// migratedTemplate returns the template for the current migration files,
// building it when the server has none: migrated under a name of its own,
// then renamed, so that concurrent test processes never copy a half-built
// one (the one that loses the rename drops its copy).
func migratedTemplate() (string, error) {
	digest, err := migrationsDigest()
	if err != nil {
		return "", err
	}
	name := "portico_template_" + digest
	ctx := context.Background()
	var exists bool
	if err := adminDB.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := "portico_building_" + randomHex(6)
	if _, err := adminDB.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	drop := func() { _, _ = adminDB.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)") }
	db, err := store.Open(ctx, store.Options{URL: databaseURL(building), Timeout: testBound, AcquireTimeout: testBound})
	if err != nil {
		drop()
		return "", err
	}
	_, err = db.Migrate(ctx)
	_ = db.Close()
	if err != nil {
		drop()
		return "", err
	}
	if _, err := adminDB.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		drop()
		if err := adminDB.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil || !exists {
			return "", fmt.Errorf("rename the migrated template: %w", err)
		}
	}
	return name, nil
}

// migrationsDigest hashes the PostgreSQL migration files, read from the
// source tree beside this file.
func migrationsDigest() (string, error) {
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "migrations", "postgres")
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return "", err
	}
	if len(files) == 0 {
		return "", fmt.Errorf("no migration files under %s", dir)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		_, _ = fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
		_, _ = h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func databaseURL(name string) string {
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}
