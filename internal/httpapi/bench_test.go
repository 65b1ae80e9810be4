package httpapi_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// BenchmarkPromoteHTTP promotes b.N contacts, one request each, from 16
// concurrent clients (BENCH_CLIENTS overrides) over real HTTP against
// PostgreSQL, and reports promotions/s, p50/p99 latency and SQL statements
// per promotion.
//
//	go test ./internal/httpapi -run '^$' -bench PromoteHTTP -benchtime 4000x
func BenchmarkPromoteHTTP(b *testing.B) {
	clients := 16
	if v := os.Getenv("BENCH_CLIENTS"); v != "" {
		clients, _ = strconv.Atoi(v)
	}
	db := storetest.Open(b, store.Postgres)
	t := b
	a := newAPI(t, db)
	orgs := make([]string, 20)
	for i := range orgs {
		orgs[i] = a.org(t, map[string]any{"name": fmt.Sprint("Org ", i), "email_domains": []string{fmt.Sprintf("org%d.example", i)},
			"region": []string{"EMEA", "AMER"}[i%2]})
	}
	group := a.group(t, map[string]any{"name": "Resellers"})
	a.group(t, map[string]any{"name": "EMEA", "smart_rule": map[string]any{"regions": []string{"EMEA"}}})
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = a.contact(t, map[string]any{"first_name": "C", "email": fmt.Sprintf("c%d@org%d.example", i, i%20), "organization_id": orgs[i%20]})
	}
	statements := a.db.CountStatements() // the service's own store, not the fixture's handle
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var failures atomic.Int64
	body := map[string]any{"group_ids": []string{group}}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				t0 := time.Now()
				if r := a.do("POST", "/api/v1/contacts/"+ids[i]+"/promote", body); r.Status != 201 {
					failures.Add(1)
				}
				latencies[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failures.Load() > 0 {
		b.Fatalf("%d promotions failed", failures.Load())
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "promotions/s")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(statements.Load())/float64(b.N), "statements/op")
}
