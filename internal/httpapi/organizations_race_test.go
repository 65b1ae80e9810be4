package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
	"github.com/portico/portico/pkg/problem"
)

// raceResult is one racer's answer.
type raceResult struct {
	status int
	code   string
	err    error
}

// race sends every body to POST path at once and returns the answers.
// It avoids a.do, whose failures must stay on the test goroutine.
func race(a *api, path string, bodies []obj) []raceResult {
	out := make([]raceResult, len(bodies))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, b := range bodies {
		raw, _ := json.Marshal(b)
		wg.Go(func() {
			<-start
			req, _ := http.NewRequest(http.MethodPost, a.url+path, bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+testAdminToken)
			resp, err := testClient.Do(req)
			if err != nil {
				out[i].err = err
				return
			}
			defer func() { _ = resp.Body.Close() }()
			body, err := io.ReadAll(resp.Body)
			out[i].status, out[i].err = resp.StatusCode, err
			var p problem.Problem
			if resp.StatusCode != http.StatusCreated && json.Unmarshal(body, &p) == nil {
				out[i].code = p.Code
			}
		})
	}
	close(start)
	wg.Wait()
	return out
}

func TestConcurrentDomainClaims(t *testing.T) {
	t.Parallel()
	const racers = 10
	cases := []struct {
		name    string
		domains func(i int) []string
		owned   []string
	}{
		{"one domain", func(int) []string { return []string{"race.example"} }, []string{"race.example"}},
		// Opposite orders must not deadlock into a 500: one wins, the rest are 409.
		{"two domains in opposite orders", func(i int) []string {
			if i%2 == 0 {
				return []string{"left.example", "right.example"}
			}
			return []string{"Right.example", "LEFT.example"}
		}, []string{"left.example", "right.example"}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		a := newAPI(t, db)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				prefix := tc.name + " racer "
				bodies := make([]obj, racers)
				for i := range bodies {
					bodies[i] = obj{"name": fmt.Sprintf("%s%d", prefix, i), "kind": "partner", "email_domains": tc.domains(i)}
				}
				created := 0
				for i, r := range race(a, "/api/v1/organizations", bodies) {
					switch {
					case r.err != nil:
						t.Fatalf("racer %d: %v", i, r.err)
					case r.status == http.StatusCreated:
						created++
					case r.status != http.StatusConflict || r.code != "email_domain_taken":
						t.Errorf("racer %d: status %d code %q, want 409 email_domain_taken", i, r.status, r.code)
					}
				}
				if created != 1 {
					t.Fatalf("%d racers created an organization, want exactly 1", created)
				}
				// The losers left nothing behind; the winner owns every domain once.
				var page OrganizationList
				a.do("GET", "/api/v1/organizations?"+url.Values{"q": {prefix}}.Encode(), nil).ok(t, 200, &page)
				if len(page.Data) != 1 || !slices.Equal(page.Data[0].EmailDomains, tc.owned) {
					t.Fatalf("organizations after the race: %+v, want one owning %v", page.Data, tc.owned)
				}
				owners := 0
				a.do("GET", "/api/v1/organizations?limit=500", nil).ok(t, 200, &page)
				for _, o := range page.Data {
					if slices.Contains(o.EmailDomains, tc.owned[0]) {
						owners++
					}
				}
				if owners != 1 {
					t.Fatalf("%s is owned by %d organizations", tc.owned[0], owners)
				}
			})
		}
	})
}
