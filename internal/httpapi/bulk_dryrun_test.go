package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// A dry run as a job counts its would-be promotions apart from promotions,
// as the synchronous answer does.
func TestDryRunJobCountsWouldPromoteApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newBulkWorld(t, a)
		var job PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"filter": map[string]any{"region": "EMEA"},
			"group_ids": []string{w.group}, "async": true, "dry_run": true}).ok(t, 202, &job)
		a.idle()
		a.do("GET", "/api/v1/promotion-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || !job.DryRun || job.Promoted != 0 || job.WouldPromote != len(w.eligible) || job.Failed != 3 {
			t.Fatalf("dry-run job %+v", job)
		}
		if n := a.count(t, "people", "kind = 'user'"); n != 1 {
			t.Fatalf("a dry-run job wrote users: %d", n)
		}
	})
}
