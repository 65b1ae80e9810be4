package e2e

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// undocumented are the routes the API document leaves out on purpose:
// the document itself and Swagger UI (with the redirects to it), metrics,
// and the HTML pages behind emailed links.
var undocumented = []string{"/openapi.yaml", "/openapi.json", "/swagger/*", "/swagger", "/",
	"/metrics", "/activate", "/reset-password"}

// TestRoutesMatchTheDocument: the routes Echo serves are exactly the
// operations of api/openapi.yaml, method and path, in both directions.
func TestRoutesMatchTheDocument(t *testing.T) {
	srv := apptest.New(t, apptest.Config(t, storetest.Open(t, store.SQLite)), app.Options{Logger: logging.New(io.Discard, "json", slog.LevelError)})
	e := srv.Router.(*echo.Echo)
	served := map[string]bool{}
	for _, r := range e.Routes() {
		if !standardMethod(r.Method) || slices.Contains(undocumented, r.Path) {
			continue // Echo's own not-found routes of groups, and the pages above
		}
		served[r.Method+" "+r.Path] = true
	}
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		t.Fatalf("load %s: %v", specPath, err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+echoPath(path)] = true
		}
	}
	for op := range served {
		if !documented[op] {
			t.Errorf("%s is served but not in the document", op)
		}
	}
	for op := range documented {
		if !served[op] {
			t.Errorf("%s is in the document but not served", op)
		}
	}
	if len(served) < 50 {
		t.Errorf("only %d routes seen; is the router wired?", len(served))
	}
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// echoPath spells an OpenAPI path template the way Echo does: {id} → :id.
func echoPath(p string) string { return pathParam.ReplaceAllString(p, ":$1") }

func standardMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}
