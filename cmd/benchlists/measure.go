package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// shape is one list request and the SQL the store runs for it.
type shape struct {
	name, path string
	sql        string // the page
	args       []any
	groups     bool // users: their groups too
}

func shapes(w world) []shape {
	cols := "SELECT people.* FROM people WHERE people.kind = $1"
	return []shape{
		{name: "contacts, first page", path: "/api/v1/contacts?limit=50",
			sql: cols + " ORDER BY people.id LIMIT 51", args: []any{"contact"}},
		{name: "contacts, page mid-way", path: "/api/v1/contacts?limit=50&cursor=" + cursorOf(w.middle),
			sql: cols + " AND people.id > $2 ORDER BY people.id LIMIT 51", args: []any{"contact", w.middle}},
		{name: "contacts of one organization", path: "/api/v1/contacts?limit=50&organization_id=" + w.org.String(),
			sql: cols + " AND people.organization_id = $2 ORDER BY people.id LIMIT 51", args: []any{"contact", w.org}},
		{name: "contacts, q=no. 4242", path: "/api/v1/contacts?limit=50&q=no.+4242",
			sql:  cols + ` AND lower(people.first_name || ' ' || people.last_name || ' ' || people.email) LIKE $2 ESCAPE '\' ORDER BY people.id LIMIT 51`,
			args: []any{"contact", "%no. 4242%"}},
		{name: "users, first page", path: "/api/v1/users?limit=50",
			sql: cols + " ORDER BY people.id LIMIT 51", args: []any{"user"}, groups: true},
	}
}

// result is what one run measured.
type result struct {
	rate     float64
	p50, p99 time.Duration
	errors   int
	first    error
}

// measure calls do from clients goroutines for d and summarizes.
func measure(clients int, d time.Duration, do func() error) result {
	var mu sync.Mutex
	var lat []time.Duration
	var r result
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				err := do()
				mine = append(mine, time.Since(t0))
				if err != nil {
					mu.Lock()
					r.errors++
					if r.first == nil {
						r.first = err
					}
					mu.Unlock()
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(lat)
	r.rate = float64(len(lat)) / d.Seconds()
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2].Round(100*time.Microsecond), lat[len(lat)*99/100].Round(100*time.Microsecond)
	}
	return r
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}

func httpGet(base, path string) func() error {
	return func() error {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = resp.Body.Close() }()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		return nil
	}
}

// floor runs the store's queries straight through pgx.
type floor struct{ *pgxpool.Pool }

func newFloor(ctx context.Context, dsn string, conns int) (floor, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return floor{}, err
	}
	cfg.MaxConns = int32(conns)
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	return floor{p}, err
}

// query reads the page (every column, as the store does) and, for users,
// the groups of its people.
func (f floor) query(sh shape) func() error {
	return func() error {
		ctx := context.Background()
		rows, err := f.Query(ctx, sh.sql, sh.args...)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, vals[0])
		}
		rows.Close()
		if err := rows.Err(); err != nil || !sh.groups {
			return err
		}
		g, err := f.Query(ctx, "SELECT * FROM group_memberships WHERE person_id = ANY($1) ORDER BY group_id", ids)
		if err != nil {
			return err
		}
		for g.Next() {
		}
		g.Close()
		return g.Err()
	}
}

// cursorOf is the API's opaque cursor after id.
func cursorOf(id uuid.UUID) string { return base64.RawURLEncoding.EncodeToString(id[:]) }
