package httpapi_test

import (
	"encoding/json"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"
	"golang.org/x/net/http/httpguts"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
	"github.com/portico/portico/pkg/problem"
)

// FuzzEdge drives every route of the router over real HTTP with fuzzed
// method, path parameter, query, body, headers and caller, and asserts
// the edge contract: never a 5xx, and every 4xx a problem document with
// a code. The seeds (every route, valid and hostile) run as a normal test;
// the checked-in corpus under testdata/fuzz/FuzzEdge keeps what fuzzing
// found. Fuzz it with:
//
//	go test ./internal/httpapi -run '^$' -fuzz FuzzEdge -fuzztime 30s
//
// on SQLite, or on PostgreSQL with PORTICO_FUZZ_DIALECT=postgres.
//
// Inputs: route is "METHOD /template" (another string picks a route by
// its hash); method "" is the route's own; id "" fills path parameters
// with a real fixture, "new" with a fresh UUID, anything else with itself;
// {org}, {account}, {contact}, {user}, {group} in query and body become
// fixture ids; headers are "Name: value" lines of the headers in
// fuzzHeaders; caller picks admin, anonymous, a bad token or a user.
func FuzzEdge(f *testing.F) {
	dialect := store.SQLite
	if os.Getenv("PORTICO_FUZZ_DIALECT") == string(store.Postgres) {
		dialect = store.Postgres
	}
	a := newAPI(f, storetest.Open(f, dialect))
	fx := newFuzzFixtures(f, a)
	routes := edgeRoutes(a)
	for _, r := range routes {
		body := fuzzSeedBody[r]
		f.Add(r, "", "", "", body, "", uint8(0))
		f.Add(r, "", "new", "q=x&limit=1", nulInFirstString(body), "Idempotency-Key: seed-"+r, uint8(1))
		f.Add(r, "", "%00", "q=%00&cursor=%ff&region=%c3", body, "X-Request-Id: "+strings.Repeat("r", 100), uint8(3))
		f.Add(r, "", "", "limit=2147483648&cursor=99999999999999", body, "If-Match: \"9223372036854775807\"", uint8(0))
		f.Add(r, "PUT", "%ff", "q="+strings.Repeat("a", 300), "{\"name\":\"\xff\"}", "If-Match: \"x\"", uint8(2))
	}
	f.Fuzz(func(t *testing.T, route, method, id, query, body, headers string, caller uint8) {
		req, template, ok := fx.request(routes, route, method, id, query, body, headers, caller)
		if !ok {
			return // not an HTTP request a client could send
		}
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
		raw, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatalf("%s %s: reading the answer: %v", req.Method, req.URL, err)
		}
		checkEdgeAnswer(t, req, resp, raw)
		fx.replenish(t, req, template, resp.StatusCode)
	})
}

// htmlPages answer people, in HTML, also when the link is bad.
var htmlPages = map[string]bool{"/activate": true, "/reset-password": true}

// checkEdgeAnswer asserts no 5xx, no NUL in a success, and a problem
// document with a code for every 4xx (HEAD answers carry only headers).
func checkEdgeAnswer(t *testing.T, req *http.Request, resp *http.Response, raw []byte) {
	t.Helper()
	if resp.StatusCode >= 500 {
		t.Fatalf("%s %s: %d: %s", req.Method, req.URL, resp.StatusCode, raw)
	}
	if resp.StatusCode < 400 {
		// a NUL in an answer was stored: SQLite keeps what PostgreSQL refuses
		if strings.Contains(string(raw), `\u0000`) {
			t.Fatalf("%s %s: %d with a NUL: %s", req.Method, req.URL, resp.StatusCode, raw)
		}
		return
	}
	ct := resp.Header.Get("Content-Type")
	if htmlPages[req.URL.Path] && strings.HasPrefix(ct, "text/html") {
		return // the pages behind emailed links explain a bad link to a person
	}
	if ct != problem.ContentType {
		t.Fatalf("%s %s: %d with content type %q: %s", req.Method, req.URL, resp.StatusCode, ct, raw)
	}
	if req.Method == http.MethodHead {
		return
	}
	var p problem.Problem
	if err := json.Unmarshal(raw, &p); err != nil || p.Code == "" || p.Status != resp.StatusCode {
		t.Fatalf("%s %s: %d, not a problem document with a code (%v): %s", req.Method, req.URL, resp.StatusCode, err, raw)
	}
}

// edgeRoutes lists "METHOD /template" of every route the router serves
// but the Swagger UI, whose file server answers its own plain 404s.
func edgeRoutes(a *api) []string {
	var out []string
	for _, r := range a.router.Routes() {
		if slices.Contains(fuzzMethods, r.Method) && !strings.HasPrefix(r.Path, "/swagger/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fuzzMethods are the methods sent; others are Echo's internal routes.
var fuzzMethods = []string{"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"}

// fuzzHeaders are the request headers the fuzzer may set: those the
// service reads. Others would test net/http rather than Portico.
var fuzzHeaders = []string{"Idempotency-Key", HeaderRequestID, "If-Match", "Content-Type", "Origin", "Accept"}

// request builds the HTTP request of one fuzz input and names its route
// template, or answers false when no client could send it.
func (fx *fuzzFixtures) request(routes []string, route, method, id, query, body, headers string, caller uint8) (*http.Request, string, bool) {
	if !slices.Contains(routes, route) {
		h := fnv.New32a()
		_, _ = h.Write([]byte(route))
		route = routes[int(h.Sum32()%uint32(len(routes)))]
	}
	routeMethod, template, _ := strings.Cut(route, " ")
	if !slices.Contains(fuzzMethods, method) {
		method = routeMethod
	}
	target := fx.srvURL + fx.fillPath(template, id)
	if query != "" {
		target += "?" + escapeForRequestLine(fx.fillIDs(query))
	}
	var r io.Reader
	if body != "" {
		r = strings.NewReader(fx.fillIDs(body))
	}
	req, err := http.NewRequest(method, target, r)
	if err != nil {
		return nil, "", false
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth := fx.callers[int(caller)%len(fx.callers)]; auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for line := range strings.SplitSeq(headers, "\n") {
		name, value, _ := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !slices.Contains(fuzzHeaders, name) || !httpguts.ValidHeaderFieldValue(value) {
			continue
		}
		req.Header.Set(name, value)
	}
	return req, template, true
}

// escapeForRequestLine percent-encodes what cannot stand in a request
// line (spaces, controls, '#'), which net/http would answer itself.
func escapeForRequestLine(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		if c <= ' ' || c == 0x7f || c == '#' {
			b.Write([]byte{'%', hex[c>>4], hex[c&15]})
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// fillPath puts values into a template's parameters (":id", ":domain",
// "*"): the fixture of the resource the path names, a fresh UUID, or id.
func (fx *fuzzFixtures) fillPath(template, id string) string {
	segs := strings.Split(template, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") && s != "*" {
			continue
		}
		switch id {
		case "":
			segs[i] = fx.byResource[segs[i-1]]
			if segs[i] == "" {
				segs[i] = uuid.NewString() // a resource the fixtures do not know
			}
		case "new":
			segs[i] = uuid.NewString()
		default:
			segs[i] = escapeForRequestLine(id)
		}
	}
	return strings.Join(segs, "/")
}

// fillIDs replaces the fixture placeholders of a query or body.
func (fx *fuzzFixtures) fillIDs(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return fx.placeholders.Replace(s)
}

// nulInFirstString puts a \u0000 into a body's first string.
func nulInFirstString(body string) string {
	i := strings.Index(body, `":"`)
	if i < 0 {
		return `{"name":"\u0000"}`
	}
	return body[:i+3] + `\u0000` + body[i+3:]
}
