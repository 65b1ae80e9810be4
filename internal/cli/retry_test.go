package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// flaky answers the statuses given in turn (then 200) and records every
// request's body and Idempotency-Key.
type flaky struct {
	mu       sync.Mutex
	statuses []int
	header   http.Header // sent with every non-200 answer
	body     string      // sent with every non-200 answer
	got      []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, r.Header.Get("Idempotency-Key")+" "+string(raw))
	if len(f.got) <= len(f.statuses) {
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.statuses[len(f.got)-1])
		_, _ = io.WriteString(w, f.body)
		return
	}
	_, _ = io.WriteString(w, "ok")
}

func TestRetrying(t *testing.T) {
	for _, c := range []struct {
		name     string
		server   *flaky
		method   string
		key      string
		want     int             // final status
		requests int             // requests the server saw
		waits    []time.Duration // exact waits; nil: not checked
	}{
		{name: "503 with Retry-After", server: &flaky{statuses: []int{503}, header: http.Header{"Retry-After": {"3"}}},
			method: "POST", key: "k1", want: 200, requests: 2, waits: []time.Duration{3 * time.Second}},
		{name: "429 then 502", server: &flaky{statuses: []int{429, 502}}, method: "GET", want: 200, requests: 3},
		{name: "idempotency_in_progress", server: &flaky{statuses: []int{409}, body: `{"code":"idempotency_in_progress"}`},
			method: "POST", key: "k2", want: 200, requests: 2},
		{name: "another 409 is the answer", server: &flaky{statuses: []int{409}, body: `{"code":"conflict"}`},
			method: "POST", key: "k3", want: 409, requests: 1},
		{name: "a POST without a key is sent once", server: &flaky{statuses: []int{503}}, method: "POST", want: 503, requests: 1},
		{name: "422 is the answer", server: &flaky{statuses: []int{422}}, method: "GET", want: 422, requests: 1},
		{name: "gives up after four tries", server: &flaky{statuses: []int{500, 500, 500, 500, 500}}, method: "GET", want: 500, requests: 4},
		{name: "Retry-After is capped", server: &flaky{statuses: []int{503}, header: http.Header{"Retry-After": {"86400"}}},
			method: "GET", want: 200, requests: 2, waits: []time.Duration{retryAfterMax}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.server)
			defer srv.Close()
			var waits []time.Duration
			rt := &retrying{next: http.DefaultTransport, tries: 4, sleep: func(_ context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}}
			req, _ := http.NewRequest(c.method, srv.URL, bytes.NewReader([]byte("body")))
			if c.key != "" {
				req.Header.Set("Idempotency-Key", c.key)
			}
			resp, err := (&http.Client{Transport: rt}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != c.want || len(c.server.got) != c.requests {
				t.Fatalf("status %d after %d requests (%s), want %d after %d", resp.StatusCode, len(c.server.got), raw, c.want, c.requests)
			}
			if c.want == 409 && !strings.Contains(string(raw), "conflict") {
				t.Fatalf("the 409's body was lost: %q", raw)
			}
			for _, g := range c.server.got {
				if g != c.key+" body" {
					t.Fatalf("a retry sent %q, want the same key and body %q", g, c.key+" body")
				}
			}
			if c.waits != nil && (len(waits) != len(c.waits) || waits[0] != c.waits[0]) {
				t.Fatalf("waited %v, want %v", waits, c.waits)
			}
		})
	}
}

func TestRetryingTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now
	var waits []time.Duration
	rt := &retrying{next: http.DefaultTransport, tries: 3, sleep: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	_, err := (&http.Client{Transport: rt}).Get(addr)
	if err == nil || len(waits) != 2 || waits[0] < retryBase || waits[1] < 2*retryBase {
		t.Fatalf("err %v after waits %v, want two growing waits", err, waits)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0": 0, "Wed, 02 Dec 2026 12:00:30 GMT": 30 * time.Second, "Wed, 02 Dec 2026 11:00:00 GMT": 0,
	} {
		if got, ok := parseRetryAfter(v, now); !ok || got != want {
			t.Errorf("%q: %v %v, want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "soon", "-3"} {
		if _, ok := parseRetryAfter(v, now); ok {
			t.Errorf("%q parsed", v)
		}
	}
}

func mustUUIDs(t *testing.T, ss ...string) []uuid.UUID {
	t.Helper()
	out := make([]uuid.UUID, len(ss))
	for i, s := range ss {
		out[i] = uuid.MustParse(s)
	}
	return out
}
