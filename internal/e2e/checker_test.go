package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// checker is the generated client's transport: it holds every request and
// every answer to the published document, so that an operation missing
// from it, an undocumented status, a wrong media type or a body that does
// not match its schema fails the suite.
type checker struct {
	report func(format string, args ...any) // t.Errorf in the suite
	router routers.Router
	next   http.RoundTripper

	mu   sync.Mutex
	seen map[string]bool // operation ids exercised
}

// newChecker loads the document at path and routes it to serverURL (the
// document names the default local server, the suite a random port).
func newChecker(t *testing.T, path, serverURL string) *checker {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("%s is invalid: %v", path, err)
	}
	doc.Servers = openapi3.Servers{{URL: serverURL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return &checker{report: t.Errorf, router: router, next: http.DefaultTransport, seen: map[string]bool{}}
}

// options: credentials are the server's business, not the document's;
// every status an operation answers must be documented.
var options = &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}

func (c *checker) RoundTrip(req *http.Request) (*http.Response, error) {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.report("%s %s is not an operation of the document: %v", req.Method, req.URL.Path, err)
		return c.next.RoundTrip(req)
	}
	op := route.Operation.OperationID
	c.mu.Lock()
	c.seen[op] = true
	c.mu.Unlock()
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: options}
	c.checkRequest(op, in)
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)), Options: options}
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		c.report("%s answered %d against its documented responses: %v\nbody: %s", op, resp.StatusCode, err, body)
	}
	return resp, nil
}

// checkRequest holds what the client sends to the document too, on a copy
// of the body so that the request itself is sent unread.
func (c *checker) checkRequest(op string, in *openapi3filter.RequestValidationInput) {
	req := in.Request
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			c.report("%s: copy the request body: %v", op, err)
			return
		}
		clone := req.Clone(req.Context())
		clone.Body = body
		req = clone
	}
	copied := *in
	copied.Request = req
	if err := openapi3filter.ValidateRequest(req.Context(), &copied); err != nil {
		c.report("%s sent a request the document refuses: %v", op, err)
	}
}

// missing lists the operation ids of ops that no exchange has used.
func (c *checker) missing(ops ...string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, op := range ops {
		if !c.seen[op] {
			out = append(out, op)
		}
	}
	return out
}

// TestCheckerCatchesMismatches proves the checker is not a no-op: a body
// of the wrong shape, an undocumented status, a wrong media type and an
// unknown path are each reported.
func TestCheckerCatchesMismatches(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status": 1}`)) // status is a string
		case "/readyz":
			w.WriteHeader(http.StatusTeapot) // not a documented status
		case "/api/v1/users/me":
			w.Header().Set("Content-Type", "application/json") // errors are application/problem+json
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"type":"x","title":"x","status":401,"code":"unauthenticated"}`))
		}
	}))
	defer fake.Close()
	c := newChecker(t, specPath, fake.URL)
	var reports []string
	c.report = func(format string, args ...any) { reports = append(reports, format) }
	hc := &http.Client{Transport: c}
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/users/me", "/nowhere"} {
		resp, err := hc.Get(fake.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	if len(reports) != 4 {
		t.Fatalf("%d reports for 4 mismatches: %q", len(reports), reports)
	}
	if !slices.ContainsFunc(reports, func(r string) bool { return strings.Contains(r, "not an operation") }) {
		t.Errorf("the unknown path went unreported: %q", reports)
	}
}
