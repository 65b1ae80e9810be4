package httpapi_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/pkg/problem"
)

// TestEveryCodeInTheSourceIsInTheCatalog: each problem code and field code
// the source can answer has its catalog entry, and each catalog entry is
// still answered somewhere, so the catalog neither lags nor lies.
func TestEveryCodeInTheSourceIsInTheCatalog(t *testing.T) {
	uses := scanCodes(t, "../..", "internal", "cmd", "pkg/problem")
	answered := map[string]bool{
		// Echo's router answers 405 itself; codeFromStatus names it
		CodeFromStatus(http.StatusMethodNotAllowed): true,
	}
	fieldCodes := 0
	for _, u := range uses {
		switch {
		case u.field && !problem.IsFieldCode(u.code):
			t.Errorf("%s: field code %q is not in the catalog (pkg/problem/fields.go)", u.pos, u.code)
		case u.field:
			fieldCodes++
		default:
			if _, ok := problem.Lookup(u.code); !ok {
				t.Errorf("%s: problem code %q is not in the catalog (pkg/problem)", u.pos, u.code)
			}
			answered[u.code] = true
		}
	}
	for _, e := range problem.Catalog() {
		if !answered[e.Code] {
			t.Errorf("the catalog lists %q, but no code answers it", e.Code)
		}
	}
	// the scan must see the source, or the test above proves nothing
	if len(answered) < 45 || fieldCodes < 40 {
		t.Fatalf("the scan found %d problem codes and %d field code uses; is it reading the source?", len(answered), fieldCodes)
	}
}

// TestScanFindsEveryShapeOfCode proves the scanner on a sample holding
// each way the source spells a code.
func TestScanFindsEveryShapeOfCode(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/domain/errors.go", `package domain
type Error struct{ Code string }
type FieldError struct{ Field, Code string }
func Invalid(code, detail string, fields ...FieldError) *Error { return &Error{Code: code} }
func Warn(code string) string { return code }
`)
	writeFile(t, dir+"/use/use.go", `package use
import "example/domain"
type query struct{ errs []domain.FieldError }
func (q *query) fail(name, code string) { q.errs = append(q.errs, domain.FieldError{Field: name, Code: code}) }
func f(q *query) {
	_ = domain.Invalid("p_call", "")
	_ = &domain.Error{Code: "p_literal"}
	_ = edgeError{code: "p_edge"}
	gone := func(code string) error { return &domain.Error{Code: code} }
	_ = gone("p_local")
	_ = domain.FieldError{Code: "f_literal"}
	q.fail("x", "f_method")
	check := func(code string) error { return domain.Invalid("p_wrapped", "", domain.FieldError{Code: code}) }
	_ = check("f_local")
	code := "f_assigned"
	_ = code
	_ = domain.Warn("not_a_code")
}
type edgeError struct{ code string }
`)
	var got []string
	for _, u := range scanCodes(t, dir, "domain", "use") {
		kind := "p"
		if u.field {
			kind = "f"
		}
		got = append(got, kind+":"+u.code)
	}
	slices.Sort(got)
	want := []string{"f:f_assigned", "f:f_literal", "f:f_local", "f:f_method",
		"p:p_call", "p:p_edge", "p:p_literal", "p:p_local", "p:p_wrapped"}
	if !slices.Equal(got, want) {
		t.Errorf("scan found %q, want %q", got, want)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
