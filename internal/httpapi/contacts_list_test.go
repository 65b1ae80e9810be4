package httpapi_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// listEnvelope is the answer of every list endpoint.
type listEnvelope[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor"`
}

// collectPages follows next_cursor from path until it is empty and returns
// every item and the size of each page.
func collectPages[T any](t *testing.T, a *api, path string) (items []T, sizes []int) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	cursor := ""
	for range 100 {
		p := path
		if cursor != "" {
			p += sep + "cursor=" + url.QueryEscape(cursor)
		}
		var page listEnvelope[T]
		resp := a.do("GET", p, nil).ok(t, 200, &page)
		if page.Data == nil {
			t.Fatalf("GET %s: data is not an array: %s", p, resp.Body)
		}
		items = append(items, page.Data...)
		sizes = append(sizes, len(page.Data))
		if page.NextCursor == "" {
			return items, sizes
		}
		cursor = page.NextCursor
	}
	t.Fatalf("GET %s: still a next_cursor after 100 pages", path)
	return nil, nil
}

// lastNames lists the contacts' last names in order.
func lastNames(cs []Contact) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.LastName
	}
	return strings.Join(names, ",")
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func TestContactListFilters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		acme := s.org("Acme", "partner", "active", "gold", "EMEA")
		bolt := s.org("Bolt", "distributor", "prospective", "", "APAC")
		cove := s.org("Cove", "customer", "inactive", "silver", "EMEA")
		crm := s.account("CRM")
		for _, c := range []map[string]any{
			{"first_name": "Ann", "last_name": "Archer", "email": "ann@acme.example", "organization_id": acme.ID},
			{"first_name": "Ben", "last_name": "Baker", "email": "Ben@ACME.example", "organization_id": acme.ID, "account_id": crm.ID},
			{"first_name": "Cid", "last_name": "Cole", "email": "cid@bolt.example", "organization_id": bolt.ID},
			{"first_name": "Dee", "last_name": "Dunn", "email": "dee@cove.example", "organization_id": cove.ID},
			{"first_name": "Eve", "last_name": "Eder", "email": "eve@free.example", "account_id": crm.ID},
			{"first_name": "Fay", "last_name": "Fox"},
		} {
			s.contact(c)
		}
		cases := []struct{ query, want string }{
			{"", "Archer,Baker,Cole,Dunn,Eder,Fox"},
			{"organization_id=" + acme.ID.String(), "Archer,Baker"},
			{"organization_id=" + uuid.NewString(), ""},
			{"account_id=" + crm.ID.String(), "Baker,Eder"},
			{"organization_id=" + acme.ID.String() + "&account_id=" + crm.ID.String(), "Baker"},
			{"organization_status=active", "Archer,Baker"},
			{"organization_status=prospective", "Cole"},
			{"organization_status=inactive", "Dunn"},
			{"kind=partner", "Archer,Baker"},
			{"kind=distributor", "Cole"},
			{"kind=customer", "Dunn"},
			{"partner_type=gold", "Archer,Baker"},
			{"partner_type=silver", "Dunn"},
			{"region=EMEA", "Archer,Baker,Dunn"},
			{"region=APAC", "Cole"},
			{"kind=partner&region=EMEA", "Archer,Baker"},
			{"kind=distributor&region=EMEA", ""},
			{"kind=customer&organization_status=inactive&partner_type=silver&region=EMEA", "Dunn"},
			{"q=acme", "Archer,Baker"}, // email, case-insensitive both ways
			{"q=ACME.EXAMPLE", "Archer,Baker"},
			{"q=bAkEr", "Baker"}, // last name
			{"q=eve", "Eder"},    // first name
			{"q=%20fox%20", "Fox"},
			{"q=free.example", "Eder"},
			{"q=nobody", ""},
			{"kind=partner&q=ann", "Archer"},
			{"account_id=" + crm.ID.String() + "&q=eve", "Eder"},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				got, _ := collectPages[Contact](t, a, "/api/v1/contacts?"+tc.query)
				if lastNames(got) != tc.want {
					t.Errorf("got %q, want %q", lastNames(got), tc.want)
				}
			})
		}
	})
}

func TestContactSearchIsLiteral(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		for _, c := range []map[string]any{
			{"first_name": "100%", "last_name": "Percent"},
			{"first_name": "1000", "last_name": "Digits"},
			{"last_name": "Under", "email": "a_b@example.com"},
			{"last_name": "Other", "email": "axb@example.com"},
			{"last_name": `Back\slash`},
			{"last_name": "O'Brien"},
			{"last_name": "Plain"},
		} {
			s.contact(c)
		}
		cases := []struct{ q, want string }{
			{"%", "Percent"},
			{"100%", "Percent"},
			{"0%", "Percent"},
			{"_", "Under"},
			{"a_b", "Under"},
			{"a_b@", "Under"},
			{`\`, `Back\slash`},
			{`k\s`, `Back\slash`},
			{"%%", ""},
			{"x_", ""},
			{"100", "Percent,Digits"},
			// The pattern is written into the statement as a literal
			// (store.containsText): quotes must stay text.
			{"'", "O'Brien"},
			{"o'b", "O'Brien"},
			{"''", ""},
			{`\'`, ""},
			{"'; DELETE FROM people; --", ""},
			{"' OR '1'='1", ""},
		}
		for _, tc := range cases {
			t.Run(tc.q, func(t *testing.T) {
				got, _ := collectPages[Contact](t, a, "/api/v1/contacts?q="+url.QueryEscape(tc.q))
				if lastNames(got) != tc.want {
					t.Errorf("q=%q: got %q, want %q", tc.q, lastNames(got), tc.want)
				}
			})
		}
	})
}

func TestContactPagination(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		s := seeder{t, a}
		acme := s.org("Acme", "partner", "active", "", "")
		var all, inAcme []string
		for i, name := range []string{"C0", "C1", "C2", "C3", "C4", "C5", "C6"} {
			body := map[string]any{"last_name": name}
			if i%2 == 0 {
				body["organization_id"] = acme.ID
				inAcme = append(inAcme, name)
			}
			s.contact(body)
			all = append(all, name)
		}
		cases := []struct {
			query string
			want  []string
			sizes string
		}{
			{"limit=3", all, "3,3,1"},
			{"limit=1", all, "1,1,1,1,1,1,1"},
			{"limit=7", all, "7"},
			{"limit=6", all, "6,1"},
			{"limit=500", all, "7"},
			{"", all, "7"},
			{"limit=2&organization_id=" + acme.ID.String(), inAcme, "2,2"},
			{"limit=3&q=c", all, "3,3,1"},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				got, sizes := collectPages[Contact](t, a, "/api/v1/contacts?"+tc.query)
				if lastNames(got) != strings.Join(tc.want, ",") {
					t.Errorf("walked %q, want %q", lastNames(got), strings.Join(tc.want, ","))
				}
				if got := joinInts(sizes); got != tc.sizes {
					t.Errorf("page sizes %s, want %s", got, tc.sizes)
				}
			})
		}
	})
}

func TestContactListInvalidQuery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		seeder{t, a}.contact(map[string]any{"last_name": "Doe"})
		cases := []struct {
			query  string
			fields []string
		}{
			{"organization_id=acme", []string{"organization_id"}},
			{"account_id=42", []string{"account_id"}},
			{"organization_status=closed", []string{"organization_status"}},
			{"organization_status=Active", []string{"organization_status"}},
			{"kind=vendor", []string{"kind"}},
			{"limit=0", []string{"limit"}},
			{"limit=501", []string{"limit"}},
			{"limit=ten", []string{"limit"}},
			{"cursor=not*a*cursor", []string{"cursor"}},
			{"cursor=" + url.QueryEscape("AAAA"), []string{"cursor"}}, // valid base64, not a UUID
			{"kind=vendor&organization_id=x&limit=-1", []string{"organization_id", "kind", "limit"}},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				p := a.do("GET", "/api/v1/contacts?"+tc.query, nil).problem(t, 422, "validation_failed")
				if got := strings.Join(fields(p), ","); got != strings.Join(tc.fields, ",") {
					t.Errorf("fields %s, want %v", got, tc.fields)
				}
			})
		}
	})
}
