package httpapi_test

import (
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestBodyTextNULAndInvalidUTF8Are422 guards defect 1 for bodies: a NUL
// (which PostgreSQL cannot store and SQLite silently does) or invalid
// UTF-8 in any JSON string, key or nested value is a 422 naming the field,
// anonymous routes included, and nothing is written.
func TestBodyTextNULAndInvalidUTF8Are422(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Before"})
		cases := []struct {
			name, method, path, body, field string
			anonymous                       bool
		}{
			{"sign-in email", "POST", "/api/v1/sessions", `{"email":"a\u0000@x","password":"x"}`, "email", true},
			{"sign-in password", "POST", "/api/v1/sessions", `{"email":"a@x.example","password":"x\u0000"}`, "password", true},
			{"password reset", "POST", "/api/v1/password-resets", `{"email":"a\u0000@x.example"}`, "email", true},
			{"password reset confirm", "POST", "/api/v1/password-resets/confirm", `{"token":"t\u0000","password":"a strong password!"}`, "token", true},
			{"activation", "POST", "/api/v1/activations", `{"token":"t\u0000k","password":"a strong password!"}`, "token", true},
			{"activation invalid UTF-8", "POST", "/api/v1/activations", "{\"token\":\"t\xffk\",\"password\":\"a strong password!\"}", "token", true},
			{"organization name", "POST", "/api/v1/organizations", `{"name":"A\u0000","kind":"partner"}`, "name", false},
			{"organization name invalid UTF-8", "POST", "/api/v1/organizations", "{\"name\":\"A\xc3\",\"kind\":\"partner\"}", "name", false},
			{"nested custom field", "POST", "/api/v1/organizations", `{"name":"B","kind":"partner","custom_fields":{"note":"x\u0000"}}`, "custom_fields.note", false},
			{"custom field key", "POST", "/api/v1/organizations", `{"name":"B","kind":"partner","custom_fields":{"no\u0000te":"x"}}`, `custom_fields.no\u0000te`, false},
			{"array item", "POST", "/api/v1/groups", `{"name":"G","smart_rule":{"regions":["EU","\u0000"]}}`, "smart_rule.regions[1]", false},
			{"array of strings", "POST", "/api/v1/organizations", `{"name":"B","kind":"partner","email_domains":["ok.example","b\u0000.example"]}`, "email_domains[1]", false},
			{"contact", "POST", "/api/v1/contacts", `{"last_name":"Doe\u0000"}`, "last_name", false},
			{"patch", "PATCH", "/api/v1/organizations/" + org, `{"name":"After\u0000"}`, "name", false},
			{"ignored domain", "POST", "/api/v1/ignored-email-domains", `{"domain":"x\u0000.example"}`, "domain", false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var header []string
				if tc.anonymous {
					header = []string{"Authorization", ""}
				}
				p := a.do(tc.method, tc.path, tc.body, header...).problem(t, 422, "validation_failed")
				wantFields(t, p, []string{tc.field}, []string{"invalid_text"})
			})
		}
		if n := a.count(t, "organizations", ""); n != 1 {
			t.Errorf("%d organizations stored, want the 1 made before", n)
		}
		if n := a.count(t, "people", ""); n != 0 {
			t.Errorf("%d people stored, want none", n)
		}
		var o Organization
		a.do("GET", "/api/v1/organizations/"+org, nil).ok(t, 200, &o)
		if o.Name != "Before" {
			t.Errorf("name %q after a refused patch", o.Name)
		}
	})
}

// TestQueryTextNULAndInvalidUTF8Are422 guards defect 1 for query strings:
// NUL, invalid UTF-8 after percent-decoding and broken percent-escapes in
// any filter of the lists are a 422 naming the parameter.
func TestQueryTextNULAndInvalidUTF8Are422(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		cases := []struct{ path, field, code string }{
			{"/api/v1/contacts?q=%00", "q", "invalid_text"},
			{"/api/v1/contacts?q=a%ffb", "q", "invalid_text"},
			{"/api/v1/contacts?q=%c3", "q", "invalid_text"},
			{"/api/v1/contacts?region=%00", "region", "invalid_text"},
			{"/api/v1/contacts?partner_type=%c3", "partner_type", "invalid_text"},
			{"/api/v1/contacts?q=%zz", "q", "invalid_encoding"},
			{"/api/v1/organizations?q=%00", "q", "invalid_text"},
			{"/api/v1/organizations?region=%ff", "region", "invalid_text"},
			{"/api/v1/organizations?partner_type=%00x", "partner_type", "invalid_text"},
			{"/api/v1/users?q=%c3", "q", "invalid_text"},
			{"/api/v1/users?q=x%00", "q", "invalid_text"},
			{"/api/v1/accounts?q=%ff", "q", "invalid_text"},
			{"/api/v1/audit-events?action=%00", "action", "invalid_text"},
			{"/api/v1/audit-events?actor=%ff", "actor", "invalid_text"},
			{"/api/v1/audit-events?subject_id=%c3", "subject_id", "invalid_text"},
			{"/api/v1/contacts?limit=1&q=ok&cursor=%00", "cursor", "invalid_text"},
		}
		for _, tc := range cases {
			t.Run(tc.path, func(t *testing.T) {
				p := a.do("GET", tc.path, nil).problem(t, 422, "validation_failed")
				wantFields(t, p, []string{tc.field}, []string{tc.code})
			})
		}
		t.Run("anonymous sign-in page", func(t *testing.T) {
			a.do("POST", "/api/v1/sessions?x=%00", `{"email":"a@x.example","password":"x"}`, "Authorization", "").
				problem(t, 422, "validation_failed")
		})
	})
}

// TestPathTextNULAndInvalidUTF8Are400 guards defect 1 for path
// parameters, whether Echo hands them over decoded or raw.
func TestPathTextNULAndInvalidUTF8Are400(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		for _, tc := range []struct{ method, path string }{
			{"GET", "/api/v1/organizations/%00"},
			{"GET", "/api/v1/contacts/%ff"},
			{"PATCH", "/api/v1/users/%c3"},
			{"DELETE", "/api/v1/ignored-email-domains/%00.example"},
			{"DELETE", "/api/v1/ignored-email-domains/x%ff.example"},
			{"DELETE", "/api/v1/ignored-email-domains/x%FF.example"},
			{"DELETE", "/api/v1/ignored-email-domains/" + strings.Repeat("d", 300)},
		} {
			t.Run(tc.method+" "+tc.path[:min(len(tc.path), 50)], func(t *testing.T) {
				a.do(tc.method, tc.path, nil).problem(t, 400, "invalid_path")
			})
		}
		t.Run("a parameter Echo leaves escaped reaches the handler decoded", func(t *testing.T) {
			a.do("POST", "/api/v1/ignored-email-domains", map[string]any{"domain": "a-b.example"}).ok(t, 201, nil)
			// %2d is not Go's canonical spelling of "-", so Echo matches the raw path
			a.do("DELETE", "/api/v1/ignored-email-domains/a%2db.example", nil).ok(t, 204, nil)
		})
	})
}

// TestFreeTextParametersAndHeadersAreBounded guards defect 8: every free
// text parameter and header has a documented bound and a 422 naming it
// (a 100 KB q was a 500 on SQLite); within the bound, characters count,
// not bytes.
func TestFreeTextParametersAndHeadersAreBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.contact(t, map[string]any{"last_name": "Doe"}) // a row for the search to scan
		cases := []struct {
			name, path, field string
			header            []string
		}{
			{"q of 201 characters", "/api/v1/contacts?q=" + strings.Repeat("a", 201), "q", nil},
			{"q of 100 KB", "/api/v1/contacts?q=" + strings.Repeat("a", 100_000), "q", nil},
			{"users q", "/api/v1/users?q=" + strings.Repeat("u", 201), "q", nil},
			{"organizations q", "/api/v1/organizations?q=" + strings.Repeat("o", 201), "q", nil},
			{"accounts q", "/api/v1/accounts?q=" + strings.Repeat("c", 201), "q", nil},
			{"region", "/api/v1/organizations?region=" + strings.Repeat("r", 101), "region", nil},
			{"partner type", "/api/v1/contacts?partner_type=" + strings.Repeat("p", 101), "partner_type", nil},
			{"audit action", "/api/v1/audit-events?action=" + strings.Repeat("a", 201), "action", nil},
			{"cursor", "/api/v1/contacts?cursor=" + strings.Repeat("A", 65), "cursor", nil},
			{"organizations cursor", "/api/v1/organizations?cursor=" + strings.Repeat("9", 65), "cursor", nil},
			{"any other parameter", "/api/v1/groups?smart=" + strings.Repeat("t", 257), "smart", nil},
			{"Idempotency-Key", "/api/v1/groups", "Idempotency-Key", []string{"Idempotency-Key", strings.Repeat("k", 256)}},
			{"Idempotency-Key invalid UTF-8", "/api/v1/groups", "Idempotency-Key", []string{"Idempotency-Key", "k\xff"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				method, body := "GET", any(nil)
				if tc.header != nil {
					method, body = "POST", map[string]any{"name": "Bounded " + tc.name}
				}
				p := a.do(method, tc.path, body, tc.header...).problem(t, 422, "validation_failed")
				code := "max_length"
				if strings.Contains(tc.name, "UTF-8") {
					code = "invalid_text"
				}
				wantFields(t, p, []string{tc.field}, []string{code})
			})
		}
		if n := a.count(t, "groups", ""); n != 0 {
			t.Errorf("%d groups stored by refused requests", n)
		}
		t.Run("200 characters of two bytes each are within the bound", func(t *testing.T) {
			a.do("GET", "/api/v1/contacts?q="+strings.Repeat("%C3%A9", 200), nil).ok(t, 200, nil)
		})
		t.Run("an oversize X-Request-Id is replaced, not echoed", func(t *testing.T) {
			sent := strings.Repeat("r", 64<<10)
			r := a.do("GET", "/api/v1/contacts", nil, HeaderRequestID, sent).ok(t, 200, nil)
			if got := r.Header.Get(HeaderRequestID); got == "" || len(got) > 64 {
				t.Errorf("request id %d bytes", len(got))
			}
		})
	})
}

// TestBodyTextErrorsNameTheJSONPath checks the body walk without a server:
// paths through objects and arrays, keys, and what is not an error.
func TestBodyTextErrorsNameTheJSONPath(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"a":"ok","b":{"c":["x",{"d":"\u0000"}]}}`, "b.c[1].d"},
		{`[["ok"],["ok","\u0000"]]`, "[1][1]"},
		{`{"a":{},"b":[],"c":1,"d":"\u0000"}`, "d"},
		{`{"k\u0000":{"inner":"ok"}}`, `k\u0000`},
		{"{\"a\":[\"\xff\"],\"b\":\"\xc3\"}", "a[0],b"},
		{`{"a":"\\u0000 is text, not a NUL"}`, ""},
		{`{"a":"\u0000"`, ""}, // malformed: decoding answers 400
		{`{"a":"é ✓"}`, ""},
	} {
		var got []string
		for _, fe := range BodyTextErrors([]byte(tc.body)) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: fields %v, want %q", tc.body, got, tc.want)
		}
	}
}

// TestQueryTextErrorsCheckEveryPair checks the query walk without a
// server: repeated names, names themselves, and escapes.
func TestQueryTextErrorsCheckEveryPair(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"q=ok&q=%00", "q:invalid_text"},
		{"a=%ff&b=%zz&c", "a:invalid_text,b:invalid_encoding"},
		{"%00=1", `\u0000:invalid_text`},
		{"%zz=1", "%zz:invalid_encoding"},
		{"q=" + strings.Repeat("%C3%A9", 201), "q:max_length"},
		{"q=a+b&region=EU&limit=5", ""},
	} {
		var got []string
		for _, fe := range QueryTextErrors(tc.query) {
			got = append(got, fe.Field+":"+fe.Code)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: %v, want %q", tc.query, got, tc.want)
		}
	}
}
