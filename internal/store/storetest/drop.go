package storetest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A test's database is dropped behind its back: DROP DATABASE waits for a
// checkpoint (0.5–3 s here), which the next test need not wait for. A
// process that exits before its drops ran leaves databases behind; their
// names carry their creation time, and the first test database of a later
// process drops those older than staleAfter.
const staleAfter = 15 * time.Minute // far beyond any one test's use of its database

var (
	dropOnce sync.Once
	drops    chan string
)

// testDatabaseName is a new database's name: the prefix, its creation time
// and a random part.
func testDatabaseName() string {
	return fmt.Sprintf("portico_test_%d_%s", time.Now().Unix(), randomHex(4))
}

// dropLater queues the drop of a test's database.
func dropLater(name string) {
	dropOnce.Do(startDropper)
	select {
	case drops <- name:
	default: // the queue is full: drop it now
		drop(name)
	}
}

func startDropper() {
	drops = make(chan string, 1024)
	go func() {
		for _, name := range staleDatabases() {
			drop(name)
		}
		for name := range drops {
			drop(name)
		}
	}()
}

func drop(name string) {
	_, _ = adminDB.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
}

// staleDatabases lists the test databases that earlier processes left.
func staleDatabases() []string {
	rows, err := adminDB.QueryContext(context.Background(), "SELECT datname FROM pg_database WHERE datname LIKE 'portico\\_test\\_%'")
	if err != nil {
		return nil
	}
	defer func() { _ = rows.Close() }()
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(name, "portico_test_"), "_")
		created, err := strconv.ParseInt(parts[0], 10, 64)
		if len(parts) != 2 || err != nil || time.Since(time.Unix(created, 0)) > staleAfter {
			stale = append(stale, name) // old, or named before names carried a time
		}
	}
	return stale
}
