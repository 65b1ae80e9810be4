package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	apidoc "github.com/portico/portico/api"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// loadDoc parses an OpenAPI 3 document and fails the test unless it is valid.
func loadDoc(t *testing.T, raw []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("invalid: %v", err)
	}
	return doc
}

// TestServedOpenAPI: /openapi.yaml and /openapi.json are api/openapi.yaml,
// with this server's public URL as the server, and declare the http bearer
// scheme that protected operations require.
func TestServedOpenAPI(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	published := loadDoc(t, apidoc.OpenAPIYAML)
	for path, contentType := range map[string]string{"/openapi.yaml": "application/yaml", "/openapi.json": "application/json"} {
		r := a.do("GET", path, nil, "Authorization", "")
		if r.Status != 200 || r.Header.Get("Content-Type") != contentType {
			t.Fatalf("%s: %d %q", path, r.Status, r.Header.Get("Content-Type"))
		}
		doc := loadDoc(t, r.Body)
		if doc.OpenAPI != "3.0.3" || len(doc.Servers) != 1 || doc.Servers[0].URL != "http://portal.test" {
			t.Errorf("%s: openapi %q, servers %+v", path, doc.OpenAPI, doc.Servers)
		}
		scheme := doc.Components.SecuritySchemes["BearerAuth"]
		if scheme == nil || scheme.Value.Type != "http" || scheme.Value.Scheme != "bearer" {
			t.Fatalf("%s: BearerAuth is %+v", path, scheme)
		}
		list := doc.Paths.Find("/api/v1/organizations").Get
		if list == nil || list.Security == nil || !requires(*list.Security, "BearerAuth") {
			t.Errorf("%s: GET /api/v1/organizations does not require BearerAuth", path)
		}
		if health := doc.Paths.Find("/healthz").Get; health.Security == nil || len(*health.Security) != 0 {
			t.Errorf("%s: GET /healthz is not public", path)
		}
		// apart from the server, the published file unchanged
		doc.Servers = published.Servers
		if got, want := mustJSON(t, doc), mustJSON(t, published); got != want {
			t.Errorf("%s differs from api/openapi.yaml beyond its servers", path)
		}
	}
	if r := a.do("HEAD", "/openapi.json", nil); r.Status != 200 || len(r.Body) != 0 {
		t.Errorf("HEAD /openapi.json: %d, %d bytes", r.Status, len(r.Body))
	}
}

func requires(reqs openapi3.SecurityRequirements, scheme string) bool {
	for _, req := range reqs {
		if _, ok := req[scheme]; ok {
			return true
		}
	}
	return false
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

var uiDocURL = regexp.MustCompile(`url:\s*"([^"]*)"`)

// TestSwaggerUIReadsTheOpenAPI3Document: the index's initializer loads
// /openapi.json, not swag's Swagger 2.0 document, which stays served.
func TestSwaggerUIReadsTheOpenAPI3Document(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	r := a.do("GET", "/swagger/index.html", nil, "Authorization", "")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("index: %d %q", r.Status, r.Header.Get("Content-Type"))
	}
	urls := uiDocURL.FindAllStringSubmatch(string(r.Body), -1)
	if len(urls) != 1 {
		t.Fatalf("the index names %d documents, want 1: %s", len(urls), r.Body)
	}
	ref, err := url.Parse(strings.ReplaceAll(urls[0][1], `\/`, "/")) // html/template escapes / in scripts
	if err != nil {
		t.Fatal(err)
	}
	index, _ := url.Parse(a.url + "/swagger/index.html")
	if got := index.ResolveReference(ref).Path; got != "/openapi.json" {
		t.Fatalf("Swagger UI reads %s, want /openapi.json", got)
	}
	for _, asset := range []string{"/swagger/swagger-ui-bundle.js", "/swagger/swagger-ui.css"} {
		if r := a.do("GET", asset, nil, "Authorization", ""); r.Status != 200 || len(r.Body) < 1000 {
			t.Errorf("%s: %d, %d bytes", asset, r.Status, len(r.Body))
		}
	}
	var v2 struct {
		Swagger string `json:"swagger"`
	}
	a.do("GET", "/swagger/doc.json", nil, "Authorization", "").ok(t, 200, &v2)
	if v2.Swagger != "2.0" {
		t.Errorf("/swagger/doc.json is %q, want swag's Swagger 2.0 document", v2.Swagger)
	}
}

// TestFrontPageRedirectsToSwaggerUI: / and /swagger send GET and HEAD to
// the index with a temporary redirect.
func TestFrontPageRedirectsToSwaggerUI(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, method := range []string{"GET", "HEAD"} {
		for _, path := range []string{"/", "/swagger"} {
			req, _ := http.NewRequest(method, a.url+path, nil)
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/swagger/index.html" {
				t.Errorf("%s %s: %d to %q", method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
	}
	resp, err := http.Get(a.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/swagger/index.html" {
		t.Errorf("following / ends at %s with %d", resp.Request.URL.Path, resp.StatusCode)
	}
	if !reflect.DeepEqual(resp.Header.Values("X-Content-Type-Options"), []string{"nosniff"}) {
		t.Errorf("the index lacks the security headers: %v", resp.Header)
	}
}
