// Command benchimport measures contact imports on PostgreSQL against the
// floor of this machine: the same contacts written with one pgx COPY.
//
//	go run ./cmd/benchimport -n 10000,200000
//
// For each N it writes a CSV file of N contacts (names, email, title,
// phone, locale, a link to one of 50 organizations), starts the service
// the binary builds on a fresh database (its background jobs on River),
// uploads the file to POST /api/v1/imports over HTTP and waits for the
// import job to finish; then it COPYs the same N people rows into a second
// fresh database in one transaction. Each count runs -runs times; it
// prints the medians of wall time and floor, their ratio, rows/s, SQL
// statements and the highest peak heap in use (the server runs in this
// process, so the heap is the server's).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
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
	sizes := flag.String("n", "10000,200000", "comma-separated contact counts")
	runs := flag.Int("runs", 3, "runs per count; the medians are printed (the floor is measured in every run)")
	flag.Parse()
	ctx := context.Background()
	fmt.Printf("%8s %10s %10s %10s %8s %12s %10s %10s\n", "N", "rows/s", "wall", "floor", "ratio", "statements", "peak heap", "upload")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		var all []result
		for range max(*runs, 1) {
			r, err := run(ctx, *admin, n)
			if err != nil {
				fail(err)
			}
			all = append(all, r)
		}
		r := median(all)
		fmt.Printf("%8d %10.0f %10s %10s %7.2fx %12d %8.1fMiB %8.1fMiB\n", n, float64(n)/r.wall.Seconds(), r.wall.Round(time.Millisecond),
			r.floor.Round(time.Millisecond), r.wall.Seconds()/r.floor.Seconds(), r.statements, float64(r.peakHeap)/(1<<20), float64(r.upload)/(1<<20))
	}
}

// median is the run of median wall time, with the median floor of all
// runs and the highest peak heap.
func median(all []result) result {
	walls, floors := make([]time.Duration, len(all)), make([]time.Duration, len(all))
	var peak uint64
	for i, r := range all {
		walls[i], floors[i], peak = r.wall, r.floor, max(peak, r.peakHeap)
	}
	slices.Sort(walls)
	slices.Sort(floors)
	out := all[0]
	out.wall, out.floor, out.peakHeap = walls[len(walls)/2], floors[len(floors)/2], peak
	return out
}

type result struct {
	wall, floor time.Duration
	statements  int64
	peakHeap    uint64
	upload      int64
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
	const token = "benchmark-admin-token-0123456789"
	cfg.DatabaseURL, cfg.Addr, cfg.DBTimeout, cfg.AdminToken = portico, "127.0.0.1:0", time.Minute, token
	cfg.ImportLimit = 1 << 30
	a, err := app.New(ctx, cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return r, err
	}
	if err := a.Start(); err != nil {
		return r, err
	}
	defer func() { _ = a.Shutdown() }()
	orgs, err := seedOrganizations(ctx, a)
	if err != nil {
		return r, err
	}
	file, size, err := writeCSV(n, orgs)
	if err != nil {
		return r, err
	}
	defer func() { _ = os.Remove(file) }()
	r.upload = size

	statements := a.DB.CountStatements()
	runtime.GC()
	stop := benchkit.SampleHeap(&r.peakHeap)
	start := time.Now()
	if p := os.Getenv("BENCH_CPUPROFILE"); p != "" {
		f, _ := os.Create(p)
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	job, err := upload(a.URL(), token, file)
	if err != nil {
		stop()
		return r, err
	}
	if os.Getenv("BENCH_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "upload answered after %s at %s\n", time.Since(start), time.Now().Format("15:04:05.000"))
	}
	err = finished(ctx, portico, job)
	r.wall = time.Since(start)
	stop()
	r.statements = statements.Load()
	if err != nil {
		return r, err
	}
	done, err := a.Directory.ImportJob(ctx, job)
	if err != nil || done.Created != n || done.Status != domain.JobSucceeded {
		return r, fmt.Errorf("job %+v: %w", done, err)
	}
	r.floor, err = copyFloor(ctx, floor, n)
	return r, err
}

// upload posts the file as text/csv, streamed from disk, and returns the job.
func upload(base, token, path string) (uuid.UUID, error) {
	f, err := os.Open(path)
	if err != nil {
		return uuid.Nil, err
	}
	defer func() { _ = f.Close() }()
	req, err := http.NewRequest("POST", base+"/api/v1/imports?resource=contacts&mode=create", f)
	if err != nil {
		return uuid.Nil, err
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return uuid.Nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusAccepted {
		return uuid.Nil, fmt.Errorf("import answered %s", resp.Status)
	}
	loc := resp.Header.Get("Location")
	return uuid.Parse(loc[strings.LastIndex(loc, "/")+1:])
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
		if err := conn.QueryRow(ctx, "SELECT finished_at IS NOT NULL FROM import_jobs WHERE id = $1", id).Scan(&done); err != nil || done {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func fail(err error) {
	slog.Error("benchimport", slog.String("error", err.Error()))
	os.Exit(1)
}
