package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/pkg/problem"
)

// api drives a real server over real HTTP against a real database.
type api struct {
	t   *testing.T
	srv *httptest.Server
	db  *store.DB
}

// newAPI serves the full router on db.
func newAPI(t *testing.T, db *store.DB) *api {
	t.Helper()
	e := New(Deps{
		Logger:    logging.New(io.Discard, "json", slog.LevelError),
		DB:        db,
		BodyLimit: 1 << 20,
		Directory: directory.New(db),
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv, db: db}
}

// response is a finished exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends body (marshalled unless it is a string or nil) with optional
// header pairs ("If-Match", `"1"`).
func (a *api) do(method, path string, body any, header ...string) response {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// ok asserts status and decodes the body into out (if not nil).
func (r response) ok(t *testing.T, status int, out any) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			t.Fatalf("decode %s: %v", r.Body, err)
		}
	}
	return r
}

// problem asserts a problem document with status and code, and returns it.
func (r response) problem(t *testing.T, status int, code string) problem.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != problem.ContentType {
		t.Fatalf("content type %q: %s", ct, r.Body)
	}
	var p problem.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Code != code {
		t.Fatalf("code %q, want %q: %s", p.Code, code, r.Body)
	}
	return p
}

// fields returns the field names of a problem's errors.
func fields(p problem.Problem) []string {
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}
