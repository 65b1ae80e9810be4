// Command benchbulk measures bulk promotion on PostgreSQL against the
// floor of this machine: the same rows written set-based through pgx COPY.
//
//	go run ./cmd/benchbulk -n 1000,10000,100000
//
// For each N it seeds N contacts across 50 organizations (two smart groups,
// a manual group, custom fields and a mapping) in a fresh database, runs a
// bulk promotion job on the service the binary builds (its background jobs
// on River, mail delivered to nowhere meanwhile), then writes the same rows
// (user update, membership, token, outbox email, audit event) with COPY in
// a second fresh database, and prints contacts/s, wall time, peak heap, SQL
// statements, and Portico's time as a multiple of the floor.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/benchkit"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/domain"
)

func main() {
	admin := flag.String("admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "server to create benchmark databases on")
	sizes := flag.String("n", "1000,10000,100000", "comma-separated contact counts")
	flag.Parse()
	ctx := context.Background()
	fmt.Printf("%8s %12s %10s %10s %10s %12s %10s %8s\n", "N", "contacts/s", "wall", "floor", "ratio", "statements", "peak heap", "µs/contact")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		r, err := run(ctx, *admin, n)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%8d %12.0f %10s %10s %9.2fx %12d %8.1fMiB %8.1f\n", n, float64(n)/r.wall.Seconds(), r.wall.Round(time.Millisecond),
			r.floor.Round(time.Millisecond), r.wall.Seconds()/r.floor.Seconds(), r.statements, float64(r.peakHeap)/(1<<20),
			float64(r.wall.Microseconds())/float64(n))
	}
}

type result struct {
	wall, floor time.Duration
	statements  int64
	peakHeap    uint64
}

func run(ctx context.Context, admin string, n int) (result, error) {
	var r result
	portico, dropA, err := benchkit.FreshDB(ctx, admin, "portico_bench_")
	if err != nil {
		return r, err
	}
	defer dropA()
	floor, dropB, err := benchkit.FreshDB(ctx, admin, "portico_bench_")
	if err != nil {
		return r, err
	}
	defer dropB()

	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		return r, err
	}
	cfg.DatabaseURL, cfg.Addr, cfg.DBTimeout = portico, "127.0.0.1:0", time.Minute
	a, err := app.New(ctx, cfg, app.Options{Logger: slog.New(slog.DiscardHandler), Mailer: nowhere{}})
	if err != nil {
		return r, err
	}
	if err := a.Start(); err != nil {
		return r, err
	}
	defer func() { _ = a.Shutdown() }()
	db, svc := a.DB, a.Promotion
	group, ids, err := seed(ctx, db, portico, n)
	if err != nil {
		return r, err
	}
	statements := db.CountStatements()
	runtime.GC()
	stop := benchkit.SampleHeap(&r.peakHeap)
	start := time.Now()
	job, err := svc.Enqueue(ctx, ids, domain.BulkOptions{GroupIDs: []uuid.UUID{group}, ConfirmSmartGroups: true}, "benchmark")
	if err != nil {
		return r, err
	}
	err = finished(ctx, portico, job.ID)
	r.wall = time.Since(start)
	stop()
	r.statements = statements.Load()
	done, _ := svc.Job(ctx, job.ID)
	if err != nil || done.Promoted != n {
		return r, fmt.Errorf("job %+v: %w", done, err)
	}
	r.floor, err = copyFloor(ctx, floor, n)
	return r, err
}

// finished waits for the job to end, polling on a connection of its own so
// that the statement count is the service's.
func finished(ctx context.Context, dsn string, id uuid.UUID) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(ctx) }()
	for {
		var done bool
		if err := conn.QueryRow(ctx, "SELECT finished_at IS NOT NULL FROM promotion_jobs WHERE id = $1", id).Scan(&done); err != nil || done {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// nowhere is a mail transport that accepts every message.
type nowhere struct{}

func (nowhere) Send(context.Context, domain.Email) error { return nil }

func fail(err error) {
	slog.Error("benchbulk", slog.String("error", err.Error()))
	os.Exit(1)
}
