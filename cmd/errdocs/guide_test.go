package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portico/portico/pkg/problem"
)

var (
	errorLink = regexp.MustCompile(`errors\.md#([a-z0-9_-]+)`)
	localLink = regexp.MustCompile(`\]\(([^)#:]+\.md)(#[^)]*)?\)`)
)

// TestGuideLinksResolve: every link of the product guide to an error names
// a code of the catalog, and every link to another page finds the page.
func TestGuideLinksResolve(t *testing.T) {
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(pages) < 8 {
		t.Fatalf("guide pages %v: %v", pages, err)
	}
	for _, page := range append(pages, "../../README.md") {
		raw, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range errorLink.FindAllStringSubmatch(string(raw), -1) {
			if _, ok := problem.Lookup(m[1]); !ok && m[1] != "field-codes" {
				t.Errorf("%s links to errors.md#%s, which is no code", page, m[1])
			}
		}
		for _, m := range localLink.FindAllStringSubmatch(string(raw), -1) {
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), m[1])); err != nil {
				t.Errorf("%s links to %s: %v", page, m[1], err)
			}
		}
	}
}

// TestPromotionPageListsTheChecksInOrder: docs/promotion.md shows every
// promotion check of the catalog, in the catalog's (the checks') order.
func TestPromotionPageListsTheChecksInOrder(t *testing.T) {
	raw, err := os.ReadFile("../../docs/promotion.md")
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	last := -1
	for _, e := range problem.Catalog() {
		if e.Topic != problem.TopicPromotion {
			continue
		}
		at := strings.Index(page, "| [`"+e.Code+"`]")
		if at < 0 {
			t.Errorf("docs/promotion.md has no row for %s", e.Code)
			continue
		}
		if at < last {
			t.Errorf("docs/promotion.md lists %s out of order", e.Code)
		}
		last = at
	}
}
