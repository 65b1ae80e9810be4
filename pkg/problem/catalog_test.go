package problem

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var snakeCase = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)

// TestCatalogEntriesAreComplete: every entry can stand as a page on its
// own: a stable code, an error status, and sentences for when and how.
func TestCatalogEntriesAreComplete(t *testing.T) {
	for _, e := range Catalog() {
		switch {
		case !snakeCase.MatchString(e.Code):
			t.Errorf("%q: codes are snake_case", e.Code)
		case e.Status < 400 || e.Status > 599:
			t.Errorf("%s: status %d is not an error", e.Code, e.Status)
		case e.Title == "" || strings.HasSuffix(e.Title, "."):
			t.Errorf("%s: title %q must be a short phrase", e.Code, e.Title)
		case !strings.HasSuffix(e.When, ".") || !strings.HasSuffix(e.Resolution, "."):
			t.Errorf("%s: when and resolution are sentences", e.Code)
		case !slices.Contains(Topics, e.Topic):
			t.Errorf("%s: unknown topic %q", e.Code, e.Topic)
		}
		if got, ok := Lookup(e.Code); !ok || got != e {
			t.Errorf("Lookup(%s) = %+v, %v", e.Code, got, ok)
		}
	}
	for _, f := range FieldCodes() {
		if !snakeCase.MatchString(f.Code) || !strings.HasSuffix(f.Meaning, ".") || !IsFieldCode(f.Code) {
			t.Errorf("field code %+v", f)
		}
	}
	if _, ok := Lookup("no_such_code"); ok {
		t.Error("Lookup found a code that is not in the catalog")
	}
}

// TestCatalogIsInTopicOrder: the docs and the list page show entries in
// catalog order, grouped by topic; a topic must not be split.
func TestCatalogIsInTopicOrder(t *testing.T) {
	last := -1
	for _, e := range Catalog() {
		i := slices.Index(Topics, e.Topic)
		if i < last {
			t.Fatalf("%s (%s) comes after a later topic", e.Code, e.Topic)
		}
		last = i
	}
}

func TestTypeURL(t *testing.T) {
	for base, want := range map[string]string{
		"https://portico.example":        "https://portico.example/problems/email_taken",
		"https://portico.example/":       "https://portico.example/problems/email_taken",
		"https://portico.example/portal": "https://portico.example/portal/problems/email_taken",
		"":                               "/problems/email_taken",
	} {
		if got := TypeURL(base, "email_taken"); got != want {
			t.Errorf("TypeURL(%q) = %q, want %q", base, got, want)
		}
	}
}
