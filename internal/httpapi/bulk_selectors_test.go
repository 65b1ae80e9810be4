package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// wantItem is the expected result of one selector value, in request order.
type wantItem struct {
	value, status, code string
	contact             string // "" for the nil UUID
}

func checkItems(t *testing.T, got []BulkResult, byEmail bool, want []wantItem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		r := got[i]
		echoed := r.ExternalID
		if byEmail {
			echoed = r.Email
		}
		contact := ""
		if r.ContactID != uuid.Nil {
			contact = r.ContactID.String()
		}
		code := ""
		if r.Error != nil {
			code = r.Error.Code
		}
		if echoed != w.value || r.Status != w.status || code != w.code || contact != w.contact {
			t.Errorf("result %d: %q %s %s contact %q, want %q %s %s contact %q", i, echoed, r.Status, code, contact, w.value, w.status, w.code, w.contact)
		}
		if r.Status == "promoted" && (r.UserID == nil || r.UserID.String() != w.contact) {
			t.Errorf("result %d: user %v, want %s", i, r.UserID, w.contact)
		}
	}
}

func TestBulkPromotionByEmailsAndExternalIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := testConfig(t, db)
		cfg.BulkSyncLimit = 5
		a := newAPIWith(t, cfg)
		f := newForeignWorld(t, a)
		contact := func(email, ext string) string {
			body := map[string]any{"email": email, "organization_id": f.orgA}
			if ext != "" {
				body["external_id"] = ext
			}
			return a.contact(t, body)
		}
		one, two := contact("one@a.example", "E-1"), contact("Two@A.example", "E-2")
		twinA, twinB := contact("twin@a.example", ""), contact("TWIN@a.example", "")
		three := contact("three@a.example", "E-3")
		groups := []string{f.group}

		// emails: case-insensitive, trimmed, in request order, each echoed
		emails := []string{"ONE@a.example", " two@a.example ", "twin@a.example", "nobody@a.example", "one@A.EXAMPLE"}
		var res BulkPromoteResponse
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"emails": emails, "group_ids": groups}).ok(t, 200, &res)
		checkItems(t, res.Results, true, []wantItem{
			{emails[0], "promoted", "", one},
			{emails[1], "promoted", "", two},
			{emails[2], "failed", "ambiguous_email", ""},
			{emails[3], "failed", "not_found", ""},
			{emails[4], "failed", "duplicate_selection", ""},
		})
		if d := res.Results[2].Error.Detail; !strings.Contains(d, twinA) || !strings.Contains(d, twinB) {
			t.Errorf("ambiguous_email detail %q does not name both contacts", d)
		}
		if !strings.Contains(res.Results[3].Error.Detail, "nobody@a.example") {
			t.Errorf("not_found detail %q does not name the email", res.Results[3].Error.Detail)
		}
		if res.Summary != (BulkSummary{Requested: 5, Promoted: 2, Failed: 3}) {
			t.Errorf("summary %+v", res.Summary)
		}

		// external ids: trimmed; a promoted person answers already_user
		exts := []string{"E-3", "E-404", " E-3", "E-1"}
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"external_ids": exts, "group_ids": groups}).ok(t, 200, &res)
		checkItems(t, res.Results, false, []wantItem{
			{exts[0], "promoted", "", three},
			{exts[1], "failed", "not_found", ""},
			{exts[2], "failed", "duplicate_selection", ""},
			{exts[3], "failed", "already_user", one},
		})

		// exactly one selector
		for name, body := range map[string]map[string]any{
			"two selectors":  {"emails": []string{"x@a.example"}, "contact_ids": []string{twinA}},
			"ids and filter": {"external_ids": []string{"E-1"}, "filter": map[string]any{"region": "x"}},
			"none":           {"group_ids": groups},
			"empty list":     {"emails": []string{}},
			"empty email":    {"emails": []string{""}},
		} {
			p := a.do("POST", "/api/v1/contacts/promote", body).problem(t, 422, "validation_failed")
			if len(p.Errors) == 0 {
				t.Errorf("%s: no field errors", name)
			}
		}

		// a primary contact finds its own organization's contacts only
		a.do("PATCH", "/api/v1/contacts/"+f.contactB, map[string]any{"external_id": "B-1"}).ok(t, 200, nil)
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"emails": []string{"c@b.example"}, "group_ids": groups, "dry_run": true},
			"Authorization", f.primaryA).ok(t, 200, &res)
		checkItems(t, res.Results, true, []wantItem{{"c@b.example", "failed", "not_found", ""}})
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"external_ids": []string{"B-1"}, "group_ids": groups, "dry_run": true},
			"Authorization", f.primaryA).ok(t, 200, &res)
		checkItems(t, res.Results, false, []wantItem{{"B-1", "failed", "not_found", ""}})

		// above the sync limit: a job whose results remember the selector
		var fresh []string
		for i := range 4 {
			fresh = append(fresh, contact(fmt.Sprintf("job%d@a.example", i), ""))
		}
		jobEmails := []string{"JOB0@a.example", "job1@a.example", "nobody@a.example", "twin@a.example", "job0@a.example", "job2@a.example", "job3@a.example"}
		var job PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"emails": jobEmails, "group_ids": groups}, "Idempotency-Key", "by-email").ok(t, 202, &job)
		if job.Total != 7 {
			t.Fatalf("job %+v", job)
		}
		a.idle()
		a.do("GET", "/api/v1/promotion-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || job.Processed != 7 || job.Promoted != 4 || job.Failed != 3 {
			t.Fatalf("finished job %+v", job)
		}
		var page PromotionJobResults
		a.do("GET", "/api/v1/promotion-jobs/"+job.ID.String()+"/results", nil).ok(t, 200, &page)
		checkItems(t, page.Data, true, []wantItem{
			{jobEmails[0], "promoted", "", fresh[0]},
			{jobEmails[1], "promoted", "", fresh[1]},
			{jobEmails[2], "failed", "not_found", ""},
			{jobEmails[3], "failed", "ambiguous_email", ""},
			{jobEmails[4], "failed", "duplicate_selection", ""},
			{jobEmails[5], "promoted", "", fresh[2]},
			{jobEmails[6], "promoted", "", fresh[3]},
		})
		if n := a.count(t, "people", "kind = 'user' AND id IN ?", fresh); n != 4 {
			t.Fatalf("%d of the job's contacts are users", n)
		}
	})
}
