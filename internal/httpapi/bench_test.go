package httpapi_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// BenchmarkPromoteHTTP promotes b.N contacts, one request each, from 16
// concurrent clients (BENCH_CLIENTS overrides) over real HTTP against
// PostgreSQL, and as many again through promotionFloor — the same
// statements straight through pgx over as many connections — in
// alternating rounds of b.N/2 each, so that both meet the same machine. It
// reports promotions/s and p50/p99 latency of both, Portico's throughput
// and p99 as multiples of the floor's, and Portico's SQL statements per
// promotion (River's insert and notify, through its own driver, not
// counted).
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
	ids := make([]string, 2*b.N)
	for i := range ids {
		ids[i] = a.contact(t, map[string]any{"first_name": "C", "email": fmt.Sprintf("c%d@org%d.example", i, i%20), "organization_id": orgs[i%20]})
	}
	url, _ := a.db.Location()
	floor, err := newPromotionFloor(context.Background(), url, clients, uuid.MustParse(group))
	if err != nil {
		b.Fatal(err)
	}
	defer floor.Close()
	body := map[string]any{"group_ids": []string{group}}
	viaHTTP := func(id string) error {
		if r := a.do("POST", "/api/v1/contacts/"+id+"/promote", body); r.Status != 201 {
			return fmt.Errorf("promote %s: %d %s", id, r.Status, r.Body)
		}
		return nil
	}
	viaFloor := func(id string) error { return floor.promote(context.Background(), uuid.MustParse(id)) }
	statements := a.db.CountStatements() // the service's own store, not the fixture's handle
	var counted int64                    // during Portico's rounds: the floor's mail is sent by the service too
	var portico, base rounds
	b.ResetTimer()
	half := b.N / 2
	for r, chunk := range [][]string{ids[:half], ids[b.N : b.N+half], ids[half:b.N], ids[b.N+half:]} {
		if r%2 == 0 {
			before := statements.Load()
			portico.run(b, clients, chunk, viaHTTP)
			counted += statements.Load() - before
		} else {
			base.run(b, clients, chunk, viaFloor)
		}
	}
	b.StopTimer()
	b.ReportMetric(portico.rate(), "promotions/s")
	b.ReportMetric(ms(portico.quantile(0.5)), "p50-ms")
	b.ReportMetric(ms(portico.quantile(0.99)), "p99-ms")
	b.ReportMetric(base.rate(), "floor-promotions/s")
	b.ReportMetric(ms(base.quantile(0.5)), "floor-p50-ms")
	b.ReportMetric(ms(base.quantile(0.99)), "floor-p99-ms")
	b.ReportMetric(base.rate()/portico.rate(), "throughput-x")
	b.ReportMetric(float64(portico.quantile(0.99))/float64(base.quantile(0.99)), "p99-x")
	b.ReportMetric(float64(counted)/float64(b.N), "statements/op")
}

// rounds accumulates the latencies and busy time of a side's rounds.
type rounds struct {
	latencies []time.Duration
	elapsed   time.Duration
}

// run promotes ids from clients goroutines and records each latency.
func (r *rounds) run(b *testing.B, clients int, ids []string, promote func(id string) error) {
	lat := make([]time.Duration, len(ids))
	var next, failures atomic.Int64
	var first atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				t0 := time.Now()
				if err := promote(ids[i]); err != nil {
					failures.Add(1)
					first.CompareAndSwap(nil, err)
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	r.elapsed += time.Since(start)
	if failures.Load() > 0 {
		b.Fatalf("%d promotions failed; first: %v", failures.Load(), first.Load())
	}
	r.latencies = append(r.latencies, lat...)
}

func (r *rounds) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

func (r *rounds) quantile(q float64) time.Duration {
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*q)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
