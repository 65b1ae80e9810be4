package httpapi_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func TestOrganizationListFilters(t *testing.T) {
	t.Parallel()
	orgs := []obj{
		{"name": "Alpha Partners", "kind": "partner", "status": "active", "partner_type": "gold", "region": "EMEA"},
		{"name": "Beta Distribution", "kind": "distributor", "status": "active", "region": "APAC"},
		{"name": "Gamma Customer", "kind": "customer", "status": "inactive", "region": "EMEA"},
		{"name": "alpha 100% Club", "kind": "partner", "status": "prospective", "partner_type": "silver", "region": "NA"},
		{"name": "Delta_Gold", "kind": "partner", "status": "active", "partner_type": "platinum", "region": "NA"},
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"Alpha Partners", "Beta Distribution", "Gamma Customer", "alpha 100% Club", "Delta_Gold"}},
		{"kind=partner", []string{"Alpha Partners", "alpha 100% Club", "Delta_Gold"}},
		{"kind=customer", []string{"Gamma Customer"}},
		{"status=active", []string{"Alpha Partners", "Beta Distribution", "Delta_Gold"}},
		{"status=prospective", []string{"alpha 100% Club"}},
		{"partner_type=gold", []string{"Alpha Partners"}},
		{"region=EMEA", []string{"Alpha Partners", "Gamma Customer"}},
		{"region=Mars", nil},
		{"q=ALPHA", []string{"Alpha Partners", "alpha 100% Club"}},
		{"q=" + url.QueryEscape(" tion "), []string{"Beta Distribution"}},
		{"q=" + url.QueryEscape("100%"), []string{"alpha 100% Club"}},
		{"q=" + url.QueryEscape("%"), []string{"alpha 100% Club"}},
		{"q=_", []string{"Delta_Gold"}},
		{"kind=partner&status=active", []string{"Alpha Partners", "Delta_Gold"}},
		{"kind=partner&region=EMEA&q=alpha", []string{"Alpha Partners"}},
		{"kind=distributor&region=EMEA", nil},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		for _, o := range orgs {
			a.createOrg(t, o)
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				q, err := url.ParseQuery(tc.query)
				if err != nil {
					t.Fatal(err)
				}
				if got := a.orgNames(t, q); !slices.Equal(got, tc.want) {
					t.Fatalf("names %q, want %q", got, tc.want)
				}
			})
		}
	})
}

func TestOrganizationPagination(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		var ids, partners []string
		for i := range 7 {
			kind := []string{"partner", "customer"}[i%2]
			o := a.createOrg(t, obj{"name": fmt.Sprintf("Org %d", i), "kind": kind})
			ids = append(ids, o.ID.String())
			if kind == "partner" {
				partners = append(partners, o.ID.String())
			}
		}
		walks := []struct {
			name  string
			query string
			sizes []int
			want  []string
		}{
			{"limit 3", "limit=3", []int{3, 3, 1}, ids},
			{"limit 1", "limit=1", []int{1, 1, 1, 1, 1, 1, 1}, ids},
			{"limit equal to the total", "limit=7", []int{7}, ids},
			{"limit above the total", "limit=500", []int{7}, ids},
			{"default limit", "", []int{7}, ids},
			{"filtered", "kind=partner&limit=2", []int{2, 2}, partners},
		}
		for _, w := range walks {
			t.Run(w.name, func(t *testing.T) {
				got, sizes := walk(t, a, w.query)
				if !slices.Equal(got, w.want) || !slices.Equal(sizes, w.sizes) {
					t.Fatalf("walked %v in pages %v, want %v in pages %v", got, sizes, w.want, w.sizes)
				}
			})
		}

		bad := []struct {
			query  string
			fields []string
		}{
			{"limit=0", []string{"limit"}},
			{"limit=501", []string{"limit"}},
			{"limit=-1", []string{"limit"}},
			{"limit=ten", []string{"limit"}},
			{"cursor=not*base64", []string{"cursor"}},
			{"cursor=" + base64.RawURLEncoding.EncodeToString([]byte("short")), []string{"cursor"}},
			{"limit=0&cursor=%21", []string{"limit", "cursor"}},
			{"kind=vendor&status=gone&limit=3", []string{"kind", "status"}},
		}
		for _, tc := range bad {
			t.Run(tc.query, func(t *testing.T) {
				p := a.do("GET", "/api/v1/organizations?"+tc.query, nil).problem(t, 422, "validation_failed")
				wantFields(t, p, tc.fields, nil)
			})
		}
	})
}

// walk follows next_cursor from the first page of organizations and
// returns every id seen and the size of each page.
func walk(t *testing.T, a *api, query string) (ids []string, sizes []int) {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		var page OrganizationList
		a.do("GET", "/api/v1/organizations?"+q.Encode(), nil).ok(t, 200, &page)
		sizes = append(sizes, len(page.Data))
		for _, o := range page.Data {
			ids = append(ids, o.ID.String())
		}
		if page.NextCursor == "" {
			return ids, sizes
		}
		q.Set("cursor", page.NextCursor)
	}
	t.Fatalf("no last page after 20 pages: %v", sizes)
	return nil, nil
}
