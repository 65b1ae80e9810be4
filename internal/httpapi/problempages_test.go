package httpapi_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	. "github.com/portico/portico/internal/httpapi"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
	"github.com/portico/portico/pkg/problem"
)

// testPublicURL is the public URL of catalogServer; the trailing slash
// must not double in type URLs.
const testPublicURL = "https://portico.example/base/"

// catalogServer serves the router with a public URL on SQLite, plus probe
// routes that answer codes the catalog lacks.
func catalogServer(t *testing.T) (*probeServer, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := apptest.Config(t, storetest.Open(t, store.SQLite))
	cfg.AdminToken, cfg.PublicURL, cfg.LogLevel = testAdminToken, testPublicURL, slog.LevelInfo
	a := apptest.New(t, cfg, app.Options{LogOutput: logs})
	e := a.Router.(*echo.Echo)
	e.GET("/probe/uncataloged", func(echo.Context) error { return domain.Conflict("made_up_code", "x") })
	e.GET("/probe/wrong-status", func(echo.Context) error { return domain.Invalid("email_taken", "x") })
	e.GET("/probe/field-code", func(echo.Context) error {
		return domain.Invalid("validation_failed", "x", domain.FieldError{Field: "f", Code: "made_up_field", Message: "x"})
	})
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	return &probeServer{URL: a.URL(), app: a}, logs
}

// get fetches path with an Accept header and returns the answer and body.
func get(t *testing.T, url, accept string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

var inlineStyle = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// checkStrictPage asserts an HTML page with no external assets and a CSP
// that allows only its own style, by hash.
func checkStrictPage(t *testing.T, resp *http.Response, body string) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("content type %q", ct)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	m := inlineStyle.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no style")
	}
	sum := sha256.Sum256([]byte(m[1]))
	if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) ||
		!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q does not allow exactly the page's style (%s)", csp, want)
	}
	for _, external := range []string{"<script", "src=", "http://", "https://", "<link"} {
		if strings.Contains(body, external) {
			t.Errorf("the page holds %q: no external assets or scripts allowed", external)
		}
	}
}

func TestProblemTypePage(t *testing.T) {
	srv, _ := catalogServer(t)
	entry, _ := problem.Lookup("email_taken")

	t.Run("HTML for browsers", func(t *testing.T) {
		for _, accept := range []string{browserAccept, "", "*/*"} {
			resp, body := get(t, srv.URL+"/problems/email_taken", accept)
			if resp.StatusCode != 200 {
				t.Fatalf("Accept %q: status %d", accept, resp.StatusCode)
			}
			checkStrictPage(t, resp, body)
			for _, want := range []string{template.HTMLEscapeString(entry.Resolution), template.HTMLEscapeString(entry.When),
				"<code>email_taken</code>", "HTTP 409 Conflict", "How to fix it", "When it happens", `href="../problems"`} {
				if !strings.Contains(body, want) {
					t.Errorf("Accept %q: the page lacks %q", accept, want)
				}
			}
		}
	})
	t.Run("JSON on request", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/problems/email_taken", "application/json")
		var got ProblemType
		if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 200 {
			t.Fatalf("status %d, %v: %s", resp.StatusCode, err, body)
		}
		want := ProblemType{Type: "https://portico.example/base/problems/email_taken", Code: "email_taken", Status: 409,
			Title: entry.Title, Topic: problem.TopicPromotion, When: entry.When, Resolution: entry.Resolution}
		if got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(resp.Header.Get("Vary"), "Accept") {
			t.Errorf("headers %v", resp.Header)
		}
	})
	t.Run("the field codes on validation_failed", func(t *testing.T) {
		_, body := get(t, srv.URL+"/problems/validation_failed", "")
		for _, f := range problem.FieldCodes() {
			if !strings.Contains(body, "<code>"+f.Code+"</code>") {
				t.Errorf("the page lacks field code %s", f.Code)
			}
		}
	})
	t.Run("unknown code", func(t *testing.T) {
		for _, accept := range []string{browserAccept, "application/json"} {
			req, _ := http.NewRequest("GET", srv.URL+"/problems/no_such_code", nil)
			req.Header.Set("Accept", accept)
			p := doProblem(t, req, 404)
			if p.Code != "not_found" || p.Type != "https://portico.example/base/problems/not_found" || !strings.Contains(p.Detail, "no_such_code") {
				t.Errorf("problem %+v", p)
			}
		}
	})
}

func TestProblemTypeList(t *testing.T) {
	srv, _ := catalogServer(t)
	t.Run("JSON", func(t *testing.T) {
		_, body := get(t, srv.URL+"/problems", "application/json")
		var list ProblemTypeList
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		catalog := problem.Catalog()
		if len(list.Data) != len(catalog) || len(list.FieldCodes) != len(problem.FieldCodes()) {
			t.Fatalf("%d types and %d field codes, want %d and %d", len(list.Data), len(list.FieldCodes), len(catalog), len(problem.FieldCodes()))
		}
		for i, pt := range list.Data {
			if pt.Code != catalog[i].Code || pt.Type != problem.TypeURL(testPublicURL, pt.Code) || pt.Resolution == "" || pt.When == "" {
				t.Errorf("entry %d: %+v", i, pt)
			}
		}
	})
	t.Run("HTML links every page", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/problems", browserAccept)
		checkStrictPage(t, resp, body)
		for _, e := range problem.Catalog() {
			if !strings.Contains(body, `<a href="problems/`+e.Code+`">`) {
				t.Errorf("the list lacks a link to %s", e.Code)
			}
			// every entry's own page renders
			if resp, _ := get(t, srv.URL+"/problems/"+e.Code, "application/json"); resp.StatusCode != 200 {
				t.Errorf("%s: status %d", e.Code, resp.StatusCode)
			}
		}
	})
}

// TestProblemTypesAreThePublicURL: the type of every kind of answer is
// its page under the public URL, and that page is served.
func TestProblemTypesAreThePublicURL(t *testing.T) {
	srv, _ := catalogServer(t)
	cases := []struct {
		name, method, path, body string
		auth                     bool
		status                   int
		code                     string
	}{
		{"no credentials", "GET", "/api/v1/organizations", "", false, 401, "unauthenticated"},
		{"unknown route", "GET", "/nothing", "", false, 404, "not_found"},
		{"wrong method", "DELETE", "/healthz", "", false, 405, "method_not_allowed"},
		{"malformed JSON", "POST", "/api/v1/organizations", `{"name":`, true, 400, "malformed_json"},
		{"invalid fields", "POST", "/api/v1/organizations", `{}`, true, 422, "validation_failed"},
		{"missing record", "GET", "/api/v1/organizations/00000000-0000-4000-8000-000000000000", "", true, 404, "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.auth {
				req.Header.Set("Authorization", "Bearer "+testAdminToken)
			}
			p := doProblem(t, req, tc.status)
			entry, _ := problem.Lookup(tc.code)
			if p.Code != tc.code || p.Type != "https://portico.example/base/problems/"+tc.code || p.Title != entry.Title {
				t.Fatalf("problem %+v, want code %s with its type URL and title %q", p, tc.code, entry.Title)
			}
			if p.Resolution == "" {
				t.Errorf("no resolution: %+v", p)
			}
			// the type is a page this server serves
			resp, body := get(t, srv.URL+strings.TrimPrefix(p.Type, "https://portico.example/base"), "application/json")
			if resp.StatusCode != 200 || !strings.Contains(body, `"code":"`+tc.code+`"`) {
				t.Errorf("following the type: status %d: %s", resp.StatusCode, body)
			}
		})
	}
}

// TestAnswersMissingFromTheCatalogFailTests: a code, a status or a field
// code the catalog does not describe is logged, and in a test binary
// answered as a 500 naming it, so no test passes over it.
func TestAnswersMissingFromTheCatalogFailTests(t *testing.T) {
	srv, logs := catalogServer(t)
	for path, want := range map[string]string{
		"/probe/uncataloged":  `problem code "made_up_code" (status 409) is not in the catalog`,
		"/probe/wrong-status": `problem code "email_taken" is answered with status 422, but the catalog says 409`,
		"/probe/field-code":   `field code "made_up_field" (field f of validation_failed) is not in the catalog`,
	} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		p := doProblem(t, req, 500)
		if p.Code != "internal" || !strings.Contains(p.Detail, want) {
			t.Errorf("%s: %+v, want a 500 saying %s", path, p, want)
		}
		if !strings.Contains(logs.String(), "problem catalog incomplete") {
			t.Errorf("%s: not logged", path)
		}
	}
}

func TestPrefersJSON(t *testing.T) {
	cases := map[string]bool{
		"":                                    false,
		"*/*":                                 false,
		browserAccept:                         false,
		"application/json":                    true,
		"application/json, */*":               true,
		"application/*":                       true,
		"text/html;q=0.5, application/json":   true,
		"application/json;q=0.4, text/html":   false,
		"application/json;q=0, */*":           false,
		"text/*, application/json;q=0.9":      false,
		"application/json;q=bogus, text/html": false,
	}
	for accept, want := range cases {
		if got := PrefersJSON(accept); got != want {
			t.Errorf("prefersJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}
