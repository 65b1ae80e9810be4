package httpapi_test

import (
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// A CSV cell that is not storable text fails its row naming the column,
// rather than being stored as U+FFFD; a bad header refuses the upload.
func TestImportCSVCellText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": "note", "label": "Note", "type": "text"}).ok(t, 201, nil)
		csv := "last_name,email,title\n" +
			"Doe,doe@x.example,Boss\n" +
			"Bad\xff,bad@x.example,\n" +
			"Nul,nul@x.example,a\x00b\n"
		res := a.importCSV(t, "resource=contacts", csv)
		if res.Summary != (ImportSummary{Total: 3, Created: 1, Failed: 2}) {
			t.Fatalf("summary %+v: %+v", res.Summary, res.Results)
		}
		rowFailure(t, res.Results[1], 2, "validation_failed", "last_name")
		rowFailure(t, res.Results[2], 3, "validation_failed", "title")
		if c := res.Results[1].Error.Errors[0].Code; c != "invalid_text" {
			t.Fatalf("row 2 code %s, want invalid_text", c)
		}
		if n := a.count(t, "people", ""); n != 1 {
			t.Fatalf("%d people, want 1", n)
		}
		res = a.importCSV(t, "resource=accounts", "name,custom.note\nAcme,\xfe\xfe\n")
		rowFailure(t, res.Results[0], 1, "validation_failed", "custom.note")

		p := a.do("POST", "/api/v1/imports?resource=contacts", "last_name,em\xffail\nDoe,x\n", "Content-Type", csvType).problem(t, 400, "import_malformed")
		wantContains(t, p.Detail, "column 2", "UTF-8")
		a.do("POST", "/api/v1/imports?resource=contacts", "last_name\x00\nDoe\n", "Content-Type", csvType).problem(t, 400, "import_malformed")
		if n := a.count(t, "people", ""); n != 1 {
			t.Fatalf("%d people after bad headers, want 1", n)
		}
	})
}

// A ragged CSV row fails on its own, named by its data-row number (not
// its physical line, which a quoted line break moves).
func TestImportCSVRaggedRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		csv := "last_name,email,title\n" +
			"Doe,doe@x.example,\"two\nlines\"\n" +
			"Short,short@x.example\n" +
			"Long,long@x.example,t,extra\n" +
			"Roe,roe@x.example,\n"
		res := a.importCSV(t, "resource=contacts", csv)
		if res.Summary != (ImportSummary{Total: 4, Created: 2, Failed: 2}) {
			t.Fatalf("summary %+v: %+v", res.Summary, res.Results)
		}
		for i, cells := range map[int]string{1: "2 cells", 2: "4 cells"} {
			r := res.Results[i]
			rowFailure(t, r, i+1, "validation_failed", "")
			if r.Error.Errors[0].Code != "cell_count" || !strings.Contains(r.Error.Detail, cells) || !strings.Contains(r.Error.Detail, "3 columns") {
				t.Fatalf("row %d: %+v", i+1, r.Error)
			}
		}
		if res.Results[0].Status != "created" || res.Results[3].Status != "created" {
			t.Fatalf("results %+v", res.Results)
		}
		if n := a.count(t, "people", ""); n != 2 {
			t.Fatalf("%d people, want 2", n)
		}
	})
}
