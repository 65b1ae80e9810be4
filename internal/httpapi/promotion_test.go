package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestPromotionRefusals covers every code of SPEC.md's table, each with a
// detail naming the cause and a resolution, and checks nothing is written.
func TestPromotionRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		active := a.org(t, map[string]any{"name": "Acme", "email_domains": []string{"acme.example"}})
		prospect := a.org(t, map[string]any{"name": "Prospect Co", "status": "prospective"})
		inactive := a.org(t, map[string]any{"name": "Gone Co", "status": "inactive"})
		a.org(t, map[string]any{"name": "Other Co", "email_domains": []string{"other.example"}})
		customer := a.org(t, map[string]any{"name": "Cust", "kind": "customer"})
		manual := a.group(t, map[string]any{"name": "Manual"})
		a.group(t, map[string]any{"name": "Smart partners", "smart_rule": map[string]any{"organization_kinds": []string{"partner"}}})
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "organization", "key": "tier", "label": "Tier", "type": "text", "required": true}).ok(t, 201, nil)
		acct := a.account(t, map[string]any{"name": "CRM Co"})

		// a user holding taken@acme.example, pending
		holder := a.contact(t, map[string]any{"email": "taken@acme.example", "organization_id": active})
		a.do("POST", "/api/v1/contacts/"+holder+"/promote", map[string]any{"group_ids": []string{manual}}).ok(t, 201, nil)
		a.contact(t, map[string]any{"email": "shared@acme.example", "organization_id": active})

		cases := []struct {
			name    string
			contact map[string]any
			body    map[string]any
			status  int
			code    string
			names   string // the detail must name this
		}{
			{"already user", nil, map[string]any{}, 409, "already_user", holder},
			{"prospective org", map[string]any{"email": "p@acme.example", "organization_id": prospect}, map[string]any{"group_ids": []string{manual}}, 409, "organization_not_active", "prospective"},
			{"inactive org", map[string]any{"email": "i@acme.example", "organization_id": inactive}, map[string]any{"group_ids": []string{manual}}, 409, "organization_not_active", "Gone Co"},
			{"no organization", map[string]any{"email": "n@acme.example"}, map[string]any{"group_ids": []string{manual}}, 409, "no_organization", "neither"},
			{"email missing", map[string]any{"organization_id": active}, map[string]any{"group_ids": []string{manual}}, 422, "email_missing", "no email"},
			{"email not allowed", map[string]any{"email": "x@acme.example", "organization_id": active}, map[string]any{"email": "y@acme.example", "group_ids": []string{manual}}, 422, "email_not_allowed", "x@acme.example"},
			{"email taken", map[string]any{"email": " TAKEN@acme.example ", "organization_id": active}, map[string]any{"group_ids": []string{manual}}, 409, "email_taken", holder},
			{"email in use", map[string]any{"organization_id": active}, map[string]any{"email": "Shared@acme.example", "group_ids": []string{manual}}, 409, "email_in_use", "shared@acme.example"},
			{"domain conflict", map[string]any{"email": "j@other.example", "organization_id": active}, map[string]any{"group_ids": []string{manual}}, 409, "email_domain_conflict", "Other Co"},
			{"group required", map[string]any{"email": "c@cust.example", "organization_id": customer}, map[string]any{}, 422, "group_required", "group"},
			{"confirmation required", map[string]any{"email": "s@acme.example", "organization_id": active}, map[string]any{}, 422, "confirmation_required", "Smart partners"},
			{"required field missing", map[string]any{"email": "r@crm.example", "account_id": acct}, map[string]any{"group_ids": []string{manual}}, 422, "required_field_missing", "tier"},
			{"group not found", map[string]any{"email": "g@acme.example", "organization_id": active}, map[string]any{"group_ids": []string{"0190a4b2-0000-7000-8000-000000000000"}}, 422, "group_not_found", "0190a4b2-0000-7000-8000-000000000000"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id := holder
				if tc.contact != nil {
					id = a.contact(t, tc.contact)
				}
				users, mails, audits := a.count(t, "people", "kind = 'user'"), a.count(t, "outbox_emails", ""), a.count(t, "audit_events", "")
				orgs := a.count(t, "organizations", "")
				p := a.do("POST", "/api/v1/contacts/"+id+"/promote", tc.body).problem(t, tc.status, tc.code)
				if !strings.Contains(strings.ToLower(p.Detail), strings.ToLower(tc.names)) {
					t.Errorf("detail %q does not name %q", p.Detail, tc.names)
				}
				if tc.code == "required_field_missing" && !slices.Equal(fields(p), []string{"custom_fields.tier"}) {
					t.Errorf("missing fields %v", fields(p))
				}
				if p.Resolution == "" {
					t.Errorf("no resolution for %s", tc.code)
				}
				if got := a.count(t, "people", "kind = 'user'"); got != users {
					t.Errorf("users %d → %d: a refused promotion wrote a user", users, got)
				}
				if a.count(t, "outbox_emails", "") != mails || a.count(t, "audit_events", "") != audits {
					t.Error("a refused promotion queued mail or audited")
				}
				if a.count(t, "organizations", "") != orgs {
					t.Error("a refused conversion created an organization")
				}
			})
		}
	})
}
