package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestBulkOptionCodes covers the refusals that depend on the request's
// options, each answered per contact as in single promotion.
func TestBulkOptionCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		partner := a.org(t, map[string]any{"name": "Partner", "kind": "partner"})
		customer := a.org(t, map[string]any{"name": "Customer", "kind": "customer"})
		a.group(t, map[string]any{"name": "Partners", "smart_rule": map[string]any{"organization_kinds": []string{"partner"}}})
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "organization", "key": "vat", "label": "VAT", "type": "text", "required": true}).ok(t, 201, nil)
		acct := a.account(t, map[string]any{"name": "CRM only"})
		withSmart := a.contact(t, map[string]any{"email": "s@p.example", "organization_id": partner})
		noGroup := a.contact(t, map[string]any{"email": "c@c.example", "organization_id": customer})
		fromAccount := a.contact(t, map[string]any{"email": "a@crm.example", "account_id": acct})
		ids := []string{withSmart, noGroup, fromAccount}

		cases := []struct {
			name string
			body map[string]any
			want map[string]string // contact → code ("" promoted)
		}{
			{"no groups", map[string]any{}, map[string]string{withSmart: "confirmation_required", noGroup: "group_required", fromAccount: "group_required"}},
			{"unknown group", map[string]any{"group_ids": []string{"0190a4b2-0000-7000-8000-000000000001"}},
				map[string]string{withSmart: "group_not_found", noGroup: "group_not_found", fromAccount: "required_field_missing"}},
			{"confirmed smart groups", map[string]any{"confirm_smart_groups": true},
				map[string]string{withSmart: "", noGroup: "group_required", fromAccount: "group_required"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.body["contact_ids"] = ids
				tc.body["dry_run"] = true
				var res BulkPromoteResponse
				a.do("POST", "/api/v1/contacts/promote", tc.body).ok(t, 200, &res)
				for _, r := range res.Results {
					want := tc.want[r.ContactID.String()]
					switch {
					case want == "" && r.Status != "would_promote":
						t.Errorf("%s: %+v, want would_promote", r.ContactID, r)
					case want != "" && (r.Error == nil || r.Error.Code != want || r.Error.Resolution == ""):
						t.Errorf("%s: %+v, want %s", r.ContactID, r.Error, want)
					}
				}
			})
		}
	})
}
