package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// testImportBodyLimit: imports have a limit of their own, above the body
// limit of every other request, and its 413 says how to split the file.
func testImportBodyLimit(t *testing.T) {
	p := startBinary(t, "PORTICO_BODY_LIMIT=1KiB", "PORTICO_IMPORT_BODY_LIMIT=4KiB")
	csv := func(rows int) string {
		var b strings.Builder
		b.WriteString("last_name,email\n")
		for i := range rows {
			fmt.Fprintf(&b, "Doe,doe%04d@example.com\n", i)
		}
		return b.String()
	}
	small := csv(80) // about 2 KiB: over the body limit, under the import limit
	ok := p.must(200, "POST", "/api/v1/imports?resource=contacts", small, "Content-Type", "text/csv")
	if s := ok["summary"].(map[string]any); s["created"] != float64(80) {
		t.Fatalf("summary %v", s)
	}
	large := csv(200) // about 5 KiB
	refused := p.must(http.StatusRequestEntityTooLarge, "POST", "/api/v1/imports?resource=contacts", large, "Content-Type", "text/csv")
	if refused["code"] != "payload_too_large" || !strings.Contains(refused["detail"].(string), "4096 bytes") ||
		!strings.Contains(refused["detail"].(string), "split") {
		t.Fatalf("refusal %v", refused)
	}
}
