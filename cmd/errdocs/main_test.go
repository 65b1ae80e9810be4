package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/portico/portico/pkg/problem"
)

// TestCommittedPageIsCurrent: docs/errors.md is what the catalog renders,
// so the docs never describe codes the server does not answer, or miss one.
func TestCommittedPageIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("../../docs/errors.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, render()) {
		t.Fatal("docs/errors.md is stale: run make docs and commit it")
	}
}

func TestEveryEntryHasItsSection(t *testing.T) {
	page := string(render())
	for _, e := range problem.Catalog() {
		for _, want := range []string{`<a id="` + e.Code + `"></a>`, e.When, e.Resolution, "(#" + e.Code + ")"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q", e.Code, want)
			}
		}
	}
	for _, f := range problem.FieldCodes() {
		if !strings.Contains(page, "| `"+f.Code+"` |") {
			t.Errorf("field code %s is missing", f.Code)
		}
	}
}
