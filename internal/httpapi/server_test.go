package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
	"github.com/portico/portico/pkg/problem"
)

// syncBuffer collects log output written from server goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type probeBody struct {
	Name  string   `json:"name" validate:"required,max=5"`
	Email string   `json:"email" validate:"omitempty,email"`
	Tags  []string `json:"tags" validate:"omitempty,max=2,dive,oneof=a b"`
}

// probeServer is the service with two probe routes that exercise decoding
// and panics, over real HTTP.
type probeServer struct {
	URL string
	app *app.App
}

// newTestServer starts the service on db with the given body limit plus
// the probe routes.
func newTestServer(t *testing.T, db *store.DB, bodyLimit int64) (*probeServer, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := apptest.Config(t, db)
	cfg.BodyLimit = bodyLimit
	cfg.LogLevel = slog.LevelInfo
	srv := apptest.New(t, cfg, app.Options{LogOutput: logs})
	e := srv.Router.(*echo.Echo)
	e.POST("/probe/decode", func(c echo.Context) error {
		var b probeBody
		if err := DecodeJSON(c, &b); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, b)
	})
	e.GET("/probe/panic", func(echo.Context) error { panic("secret cause") })
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	return &probeServer{URL: srv.URL(), app: srv}, logs
}

func TestEdgeErrorsAreProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, logs := newTestServer(t, db, 64)
		cases := []struct {
			name, method, path, contentType, body string
			status                                int
			code                                  string
			fields                                []string // expected errors[].field
		}{
			{"unknown route", "GET", "/api/v1/nothing-here", "", "", 404, "not_found", nil},
			{"wrong method", "DELETE", "/healthz", "", "", 405, "method_not_allowed", nil},
			{"malformed json", "POST", "/probe/decode", "application/json", `{"name":`, 400, "malformed_json", nil},
			{"syntax error", "POST", "/probe/decode", "application/json", `{"name" "x"}`, 400, "malformed_json", nil},
			{"empty body", "POST", "/probe/decode", "application/json", ``, 400, "malformed_json", nil},
			{"not an object", "POST", "/probe/decode", "application/json", `[1,2]`, 400, "malformed_json", nil},
			{"trailing data", "POST", "/probe/decode", "application/json", `{"name":"a"} {}`, 400, "malformed_json", nil},
			{"wrong media type", "POST", "/probe/decode", "text/plain", `{"name":"a"}`, 415, "unsupported_media_type", nil},
			{"oversize", "POST", "/probe/decode", "application/json", `{"name":"` + strings.Repeat("x", 100) + `"}`, 413, "payload_too_large", nil},
			{"missing field", "POST", "/probe/decode", "application/json", `{}`, 422, "validation_failed", []string{"name"}},
			{"many invalid", "POST", "/probe/decode", "application/json", `{"name":"toolong","email":"nope","tags":["c"]}`, 422, "validation_failed", []string{"name", "email", "tags[0]"}},
			{"wrong type", "POST", "/probe/decode", "application/json", `{"name":5}`, 422, "validation_failed", []string{"name"}},
			{"unknown field", "POST", "/probe/decode", "application/json", `{"name":"a","nickname":"b"}`, 422, "validation_failed", []string{"nickname"}},
			{"panic", "GET", "/probe/panic", "", "", 500, "internal", nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
				if tc.contentType != "" {
					req.Header.Set("Content-Type", tc.contentType)
				}
				p := doProblem(t, req, tc.status)
				if p.Code != tc.code || p.Type != problem.TypePrefix+tc.code || p.Title == "" || p.Detail == "" {
					t.Errorf("problem = %+v, want code %s with type, title, detail", p, tc.code)
				}
				if p.Instance != tc.path || p.RequestID == "" {
					t.Errorf("instance %q request_id %q", p.Instance, p.RequestID)
				}
				var got []string
				for _, f := range p.Errors {
					got = append(got, f.Field)
					if f.Code == "" || f.Message == "" {
						t.Errorf("field error without code or message: %+v", f)
					}
				}
				if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
					t.Errorf("error fields = %v, want %v", got, tc.fields)
				}
			})
		}
		t.Run("panic cause logged, not sent", func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/probe/panic", nil)
			req.Header.Set(HeaderRequestID, "trace-me-42")
			p := doProblem(t, req, 500)
			if strings.Contains(p.Detail, "secret") {
				t.Fatalf("500 body leaks the cause: %q", p.Detail)
			}
			if !strings.Contains(logs.String(), `"request_id":"trace-me-42"`) || !strings.Contains(logs.String(), "secret cause") {
				t.Fatalf("log lacks the cause with the request id:\n%s", logs.String())
			}
		})
	})
}

func TestOversizeStreamedBody(t *testing.T) {
	srv, _ := newTestServer(t, storetest.Open(t, store.SQLite), 64)
	// A pipe hides the length, so the limit must trip while reading.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(`{"name":"` + strings.Repeat("y", 500) + `"}`))
		_ = pw.Close()
	}()
	req, _ := http.NewRequest("POST", srv.URL+"/probe/decode", pr)
	req.Header.Set("Content-Type", "application/json")
	if p := doProblem(t, req, 413); p.Code != "payload_too_large" {
		t.Fatalf("code %q", p.Code)
	}
}

func TestHealthReadyMetricsSwagger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, logs := newTestServer(t, db, 1<<20)
		for _, path := range []string{"/healthz", "/readyz", "/swagger/index.html", "/swagger/doc.json"} {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get(HeaderRequestID) == "" {
				t.Errorf("%s: status %d, request id %q", path, resp.StatusCode, resp.Header.Get(HeaderRequestID))
			}
		}
		resp, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		for _, want := range []string{
			`portico_http_requests_total{method="GET",route="/readyz",status="200"} 1`,
			`portico_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		} {
			if !strings.Contains(string(body), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if !strings.Contains(logs.String(), `"route":"/readyz"`) {
			t.Errorf("access log lacks the route template")
		}
	})
}

func TestReadyzWithoutDatabase(t *testing.T) {
	srv, _ := newTestServer(t, storetest.Open(t, store.SQLite), 1<<20)
	_ = srv.app.DB.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/readyz", nil)
	if p := doProblem(t, req, 503); p.Code != "database_unavailable" {
		t.Fatalf("code %q", p.Code)
	}
}

func doProblem(t *testing.T, req *http.Request, status int) problem.Problem {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != status {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != problem.ContentType {
		t.Fatalf("content type %q, want %s", ct, problem.ContentType)
	}
	var p problem.Problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status {
		t.Fatalf("body status %d, want %d", p.Status, status)
	}
	return p
}
