package cli

import (
	"fmt"
	"strings"
	"testing"
)

func TestReadSelection(t *testing.T) {
	const a, b = "01a2373c-e841-786e-aa61-ff0a7c451e1d", "01a2373c-e8d7-7b1d-bdf4-e533f59a1e02"
	for _, c := range []struct {
		name, file string
		by, column string
		values     []string
		rows       []int
		err        string
	}{
		{name: "contact_id", file: "contact_id\n" + a + "\n" + b + "\n", by: byContactID, column: "contact_id", values: []string{a, b}, rows: []int{1, 2}},
		{name: "id, BOM, CRLF, blank rows", file: "\ufeffID\r\n" + a + "\r\n,\r\n\r\n" + b + "\r\n", by: byContactID, column: "ID", values: []string{a, b}, rows: []int{1, 3}},
		{name: "the first matching column wins", file: "name,email,external_id\n\"Doe, Jo\",jo@x.example,crm-1\n", by: byEmail, column: "email", values: []string{"jo@x.example"}, rows: []int{1}},
		{name: "external_id, short rows", file: "external_id,name\ncrm-1\n crm-2 ,Jo\n", by: byExternalID, column: "external_id", values: []string{"crm-1", "crm-2"}, rows: []int{1, 2}},
		{name: "no selector column", file: "name,phone\nJo,1\n", err: `the header "name,phone" names no contact_id (or id), email or external_id column`},
		{name: "empty file", file: "", err: "the file is empty"},
		{name: "header only", file: "email\n", err: "the file has a email column but no rows"},
		{name: "bad ids and empty cells", file: "name,contact_id\nJo,nope\nAl,\nEd," + a + "\n", err: `row 1: contact_id "nope" is not a UUID; row 2 has no contact_id`},
		{name: "broken quoting", file: "email\n\"jo@x\n", err: "not a CSV file"},
		{name: "too many rows", file: "email\n" + strings.Repeat("a@x.example\n", maxSelection+1), err: fmt.Sprintf("the file has %d rows; one bulk promotion takes at most %d", maxSelection+1, maxSelection)},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := readSelection([]byte(c.file))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.by != c.by || s.column != c.column || fmt.Sprint(s.values) != fmt.Sprint(c.values) || fmt.Sprint(s.rows) != fmt.Sprint(c.rows) {
				t.Fatalf("got %+v", s)
			}
		})
	}
}

func TestRowsOf(t *testing.T) {
	const a, b = "01a2373c-e841-786e-aa61-ff0a7c451e1d", "01a2373c-e8d7-7b1d-bdf4-e533f59a1e02"
	t.Run("one result per row maps by position", func(t *testing.T) {
		sel := selection{by: byEmail, values: []string{"x@e", "x@e"}, rows: []int{1, 4}}
		got := rowsOf(sel, []outcome{{Status: "promoted", ID: a}, {Status: "failed", Code: "duplicate_selection"}})
		if got[0].Row != 1 || got[0].ID != a || got[1].Row != 4 || got[1].Code != "duplicate_selection" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("folded repeats of a contact id map by id", func(t *testing.T) {
		sel := selection{by: byContactID, values: []string{a, b, strings.ToUpper(a)}, rows: []int{1, 2, 3}}
		got := rowsOf(sel, []outcome{{Status: "promoted", ID: a}, {Status: "failed", ID: b, Code: "already_user"}})
		if got[0].Status != "promoted" || got[1].Code != "already_user" || got[2].Status != "promoted" || got[2].Row != 3 {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("a row without a result fails", func(t *testing.T) {
		sel := selection{by: byExternalID, values: []string{"c1", "c2"}, rows: []int{1, 2}}
		got := rowsOf(sel, []outcome{{Status: "promoted"}})
		if !got[0].failed() || got[0].Code != "no_result" || !got[1].failed() {
			t.Fatalf("%+v", got)
		}
	})
}

func TestPromoteKey(t *testing.T) {
	file := []byte("contact_id\n01a2373c-e841-786e-aa61-ff0a7c451e1d\n")
	sel := selection{by: byContactID}
	key := promoteKey(file, sel, nil, false)
	if key != promoteKey(append([]byte{}, file...), sel, nil, false) {
		t.Fatal("the same file and options give another key")
	}
	if len(key) > 255 || !strings.HasPrefix(key, "portico-cli-promote-") {
		t.Fatalf("key %q", key)
	}
	others := []string{
		promoteKey(file, sel, nil, true),
		promoteKey(append(file, 'x'), sel, nil, false),
		promoteKey(file, selection{by: byEmail}, nil, false),
		promoteKey(file, sel, mustUUIDs(t, "01a2373c-e7f8-73d5-ba7c-d5f9e6596084"), false),
	}
	for i, o := range others {
		if o == key {
			t.Fatalf("option %d does not change the key", i)
		}
	}
}
