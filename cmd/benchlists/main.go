// Command benchlists measures the contact and user lists under load on
// PostgreSQL against the floor of this machine: the same queries issued
// straight through pgx.
//
//	go run ./cmd/benchlists -n 10000,1000000
//
// For each N it seeds N contacts and N/10 users (each in one group) across
// 50 organizations by COPY in a fresh database, starts the service the
// binary builds (app.New) on a loopback port, and for each list shape runs
// 16 clients (-clients) for -duration against Portico over HTTP, then the
// same SQL (page and, for users, their groups) over 16 pgx connections. It
// prints requests/s, p50 and p99 of both and Portico's p99 as a multiple of
// the floor's.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/benchkit"
	"github.com/portico/portico/internal/config"
)

const adminToken = "benchlists-admin-token-0123456789"

func main() {
	admin := flag.String("admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "server to create benchmark databases on")
	sizes := flag.String("n", "10000,1000000", "comma-separated contact counts")
	clients := flag.Int("clients", 16, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each shape runs, for Portico and for the floor")
	flag.StringVar(&only, "only", "", "run only the list shapes whose name contains this")
	profile := flag.String("cpuprofile", "", "write a CPU profile of Portico's runs (server and load generator) to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fail(err)
		}
		profiling = f
	}
	ctx := context.Background()
	fmt.Printf("%9s %-34s %9s %9s %9s | %9s %9s %9s | %7s\n", "N", "list", "req/s", "p50", "p99", "floor/s", "p50", "p99", "p99 ×")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		if err := run(ctx, *admin, n, *clients, *duration); err != nil {
			fail(err)
		}
	}
}

func run(ctx context.Context, admin string, n, clients int, d time.Duration) error {
	dsn, drop, err := benchkit.FreshDB(ctx, admin, "portico_benchlists_")
	if err != nil {
		return err
	}
	defer drop()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		return err
	}
	cfg.DatabaseURL, cfg.Addr, cfg.AdminToken = dsn, "127.0.0.1:0", adminToken
	cfg.RatePerClient, cfg.RatePerAccount = 0, 0
	a, err := app.New(ctx, cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	if err := a.Start(); err != nil {
		return err
	}
	defer func() { _ = a.Shutdown() }()
	w, err := seed(ctx, dsn, n)
	if err != nil {
		return err
	}
	floor, err := newFloor(ctx, dsn, clients)
	if err != nil {
		return err
	}
	defer floor.Close()
	for _, sh := range shapes(w) {
		if !strings.Contains(sh.name, only) {
			continue
		}
		startProfile()
		api := measure(clients, d, httpGet(a.URL(), sh.path))
		stopProfile()
		base := measure(clients, d, floor.query(sh))
		if api.errors > 0 || base.errors > 0 {
			return fmt.Errorf("%s: %d failed requests, %d failed floor queries (first: %w)", sh.name, api.errors, base.errors, api.first)
		}
		fmt.Printf("%9d %-34s %9.0f %9s %9s | %9.0f %9s %9s | %6.2fx\n", n, sh.name, api.rate, api.p50, api.p99,
			base.rate, base.p50, base.p99, float64(api.p99)/float64(base.p99))
	}
	return nil
}

// only selects list shapes by name.
var only string

// profiling, when set, receives one CPU profile of every Portico run.
var profiling *os.File

func startProfile() {
	if profiling != nil {
		_ = pprof.StartCPUProfile(profiling)
	}
}

func stopProfile() {
	if profiling != nil {
		pprof.StopCPUProfile()
		profiling = nil // one profile per file: the first shape's
	}
}

func fail(err error) {
	slog.Error("benchlists", slog.String("error", err.Error()))
	os.Exit(1)
}
