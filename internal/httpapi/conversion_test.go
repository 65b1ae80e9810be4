package httpapi_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"unicode/utf8"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

const (
	family       = "\U0001F468\u200D\U0001F469\u200D\U0001F467" // one grapheme of 5 runes
	description  = "Caf\u00e9 " + family + " family-owned since 1999"
	notesHTML    = `<p onclick="x()">Hello <b>bold <i>world</i></b> &amp; more text here</p>`
	storedNotes  = `<p>Hello <b>bold <i>world</i></b> &amp; more text here</p>` // sanitized
	savedSummary = "Caf\u00e9 " + family + " f"                                 // 12 runes
	savedNotes   = `<p>Hello <b>bold <i>world</i></b> </p>`                     // 38 runes: "&amp;" does not fit whole
)

// setUpConversion defines the seed's fields and mappings: the organization
// side is smaller for summary, notes, employees and tier. It returns a
// group to promote into.
func (a *api) setUpConversion(t *testing.T) string {
	t.Helper()
	for _, f := range []obj{
		{"entity": "account", "key": "description", "label": "Description", "type": "text"},
		{"entity": "account", "key": "notes", "label": "Notes", "type": "html"},
		{"entity": "account", "key": "employees", "label": "Employees", "type": "number", "min": 0},
		{"entity": "account", "key": "tier", "label": "Tier", "type": "select", "options": []string{"gold", "silver", "bronze"}},
		{"entity": "account", "key": "founded", "label": "Founded", "type": "date"},
		{"entity": "account", "key": "segment", "label": "Segment", "type": "text"},
		{"entity": "organization", "key": "summary", "label": "Summary", "type": "text", "max_length": 12},
		{"entity": "organization", "key": "notes", "label": "Notes", "type": "html", "max_length": 40},
		{"entity": "organization", "key": "employees", "label": "Employees", "type": "number", "min": 0, "max": 1000},
		{"entity": "organization", "key": "tier", "label": "Tier", "type": "select", "options": []string{"gold", "silver"}},
		{"entity": "organization", "key": "founded", "label": "Founded", "type": "date"},
		{"entity": "organization", "key": "segment", "label": "Segment", "type": "text", "required": true},
	} {
		a.defineField(t, f)
	}
	lossy := map[string]bool{"summary": true, "notes": true, "employees": true, "tier": true}
	for src, dst := range map[string]string{"description": "summary", "notes": "notes", "employees": "employees",
		"tier": "tier", "founded": "founded", "segment": "segment"} {
		var m FieldMapping
		a.do("POST", "/api/v1/field-mappings", obj{"account_field": src, "organization_field": dst}).ok(t, 201, &m)
		if want := map[bool]string{true: domain.TruncationMessage}[lossy[dst]]; m.Warning != want {
			t.Fatalf("mapping %s → %s: warning %q, want %q", src, dst, m.Warning, want)
		}
	}
	return a.group(t, obj{"name": "Customers"})
}

// seedAccount creates an account whose values overflow the organization
// fields: long text with an emoji sequence, long HTML, an out-of-range number.
func (a *api) seedAccount(t *testing.T, name string) string {
	t.Helper()
	return a.account(t, obj{"name": name, "city": "Springfield", "country": "US", "custom_fields": obj{
		"description": description, "notes": notesHTML, "employees": 5000, "tier": "gold",
		"founded": "1999-05-01", "segment": "enterprise"}})
}

// wantSeedWarnings asserts the three losses of seedAccount, in organization field order.
func wantSeedWarnings(t *testing.T, ws []Warning) {
	t.Helper()
	want := []Warning{
		{Code: "value_out_of_range", Message: domain.TruncationMessage, Field: "employees", OriginalLength: 4, SavedLength: 0},
		{Code: "field_truncated", Message: domain.TruncationMessage, Field: "notes", OriginalLength: utf8.RuneCountInString(storedNotes), SavedLength: utf8.RuneCountInString(savedNotes)},
		{Code: "field_truncated", Message: domain.TruncationMessage, Field: "summary", OriginalLength: utf8.RuneCountInString(description), SavedLength: 12},
	}
	if !slices.Equal(ws, want) {
		t.Fatalf("warnings\n%+v\nwant\n%+v", ws, want)
	}
}

// promote promotes a contact into group g and returns the answer.
func (a *api) promote(t *testing.T, contact, g string) PromotionResult {
	t.Helper()
	var res PromotionResult
	a.do("POST", "/api/v1/contacts/"+contact+"/promote", obj{"group_ids": []string{g}}).ok(t, 201, &res)
	return res
}

// TestConversionFlow is the third seed end to end: a dry run that writes
// nothing, then the conversion with its truncation warnings.
func TestConversionFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		g := a.setUpConversion(t)
		acct := a.seedAccount(t, "Globex")
		first := a.contact(t, obj{"email": "hank@globex.example", "account_id": acct})

		var dry PromotionResult
		a.do("POST", "/api/v1/contacts/"+first+"/promote", obj{"group_ids": []string{g}, "dry_run": true}).ok(t, 200, &dry)
		if !dry.DryRun || !dry.OrganizationCreated || dry.Organization.CustomFields["summary"] != savedSummary {
			t.Fatalf("dry run %+v", dry)
		}
		wantSeedWarnings(t, dry.Warnings)
		for _, table := range []string{"organizations", "outbox_emails", "user_tokens"} {
			if n := a.count(t, table, ""); n != 0 {
				t.Fatalf("dry run wrote %d %s", n, table)
			}
		}
		if n := a.count(t, "audit_events", "action = 'user.promoted'"); n != 0 {
			t.Fatalf("dry run audited %d promotions", n)
		}
		if n := a.count(t, "people", "kind = 'user'"); n != 0 {
			t.Fatalf("dry run wrote %d users", n)
		}

		res := a.promote(t, first, g)
		org := res.Organization
		if !res.OrganizationCreated || org.Name != "Globex" || org.Kind != "customer" || org.Status != "active" ||
			org.City != "Springfield" || org.Country != "US" || org.AccountID == nil || org.AccountID.String() != acct {
			t.Fatalf("organization %+v", org)
		}
		wantSeedWarnings(t, res.Warnings)
		wantFields := map[string]any{"summary": savedSummary, "notes": savedNotes, "tier": "gold", "founded": "1999-05-01", "segment": "enterprise"}
		if stored := a.getOrg(t, org.ID.String()); !reflect.DeepEqual(stored.CustomFields, wantFields) {
			t.Fatalf("stored custom fields %v, want %v", stored.CustomFields, wantFields)
		}
		if res.User.OrganizationID == nil || *res.User.OrganizationID != org.ID {
			t.Fatalf("user not placed in the organization: %+v", res.User)
		}
		var account Account
		a.do("GET", "/api/v1/accounts/"+acct, nil).ok(t, 200, &account)
		if account.OrganizationID == nil || *account.OrganizationID != org.ID {
			t.Fatalf("account organization_id %v", account.OrganizationID)
		}
	})
}

// TestConversionReuse: a later contact of the account joins the
// organization created first, and changing mappings or definitions
// afterwards leaves that organization alone.
func TestConversionReuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		g := a.setUpConversion(t)
		acct := a.seedAccount(t, "Globex")
		org := a.promote(t, a.contact(t, obj{"email": "hank@globex.example", "account_id": acct}), g).Organization

		again := a.promote(t, a.contact(t, obj{"email": "marge@globex.example", "account_id": acct}), g)
		if again.OrganizationCreated || again.Organization.ID != org.ID || len(again.Warnings) != 0 {
			t.Fatalf("second contact: created %v, organization %s (want %s), warnings %v",
				again.OrganizationCreated, again.Organization.ID, org.ID, again.Warnings)
		}

		before := a.getOrg(t, org.ID.String())
		var list FieldMappingList
		a.do("GET", "/api/v1/field-mappings", nil).ok(t, 200, &list)
		for _, m := range list.Data {
			if m.OrganizationField == "notes" {
				a.do("DELETE", "/api/v1/field-mappings/"+m.ID.String(), nil).ok(t, 204, nil)
			}
		}
		a.setFieldLimit(t, "summary", 3)
		if after := a.getOrg(t, org.ID.String()); !reflect.DeepEqual(after, before) {
			t.Fatalf("organization changed with its mappings:\n%+v\n%+v", before, after)
		}
		if n := a.count(t, "organizations", ""); n != 1 {
			t.Fatalf("%d organizations", n)
		}
	})
}

// TestConversionRequiredFields: required organization fields without a
// mapped, non-empty value block the conversion before any write, all named.
func TestConversionRequiredFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		g := a.setUpConversion(t)
		a.defineField(t, obj{"entity": "organization", "key": "vat_id", "label": "VAT ID", "type": "text", "required": true})
		acct := a.account(t, obj{"name": "Initech", "custom_fields": obj{"segment": ""}})
		id := a.contact(t, obj{"email": "peter@initech.example", "account_id": acct})
		for _, dry := range []bool{true, false} {
			r := a.do("POST", "/api/v1/contacts/"+id+"/promote", obj{"group_ids": []string{g}, "dry_run": dry})
			p := r.problem(t, 422, "required_field_missing")
			wantFields(t, p, []string{"custom_fields.segment", "custom_fields.vat_id"}, []string{"required", "required"})
			wantContains(t, p.Detail, "segment", "vat_id")
			if got := members(t, r)["missing_fields"]; !reflect.DeepEqual(got, []any{"segment", "vat_id"}) {
				t.Fatalf("missing_fields %v", got)
			}
		}
		for _, table := range []string{"organizations", "outbox_emails", "group_memberships", "user_tokens"} {
			if n := a.count(t, table, ""); n != 0 {
				t.Errorf("%d %s written by a refused conversion", n, table)
			}
		}
		if n := a.count(t, "audit_events", "action = 'user.promoted'"); n != 0 {
			t.Errorf("%d promotions audited for a refused conversion", n)
		}
		if n := a.count(t, "people", "kind = 'user'"); n != 0 {
			t.Errorf("%d users written by a refused conversion", n)
		}
		var page ConversionPreviewList
		a.do("GET", "/api/v1/field-mappings/preview?account_id="+acct, nil).ok(t, 200, &page)
		if len(page.Data) != 1 || !slices.Equal(page.Data[0].MissingRequiredFields, []string{"segment", "vat_id"}) {
			t.Fatalf("preview %+v", page.Data)
		}
	})
}

// TestConcurrentConversions promotes 8 contacts of one account at once:
// exactly one organization is created and every user lands in it.
func TestConcurrentConversions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		g := a.setUpConversion(t)
		acct := a.seedAccount(t, "Umbrella")
		ids := make([]string, 8)
		for i := range ids {
			ids[i] = a.contact(t, obj{"email": fmt.Sprintf("c%d@umbrella.example", i), "account_id": acct})
		}
		results := make([]PromotionResult, len(ids))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, id := range ids {
			wg.Go(func() {
				<-start
				a.do("POST", "/api/v1/contacts/"+id+"/promote", obj{"group_ids": []string{g}}).ok(t, 201, &results[i])
			})
		}
		close(start)
		wg.Wait()
		created, orgs := 0, map[string]bool{}
		for _, r := range results {
			if r.OrganizationCreated {
				created++
				wantSeedWarnings(t, r.Warnings)
			} else if len(r.Warnings) != 0 {
				t.Errorf("a reusing promotion warned: %+v", r.Warnings)
			}
			orgs[r.Organization.ID.String()] = true
		}
		if created != 1 || len(orgs) != 1 {
			t.Fatalf("%d answers created an organization, %d organizations answered", created, len(orgs))
		}
		org := slices.Collect(maps.Keys(orgs))[0]
		if n := a.count(t, "organizations", "account_id = ?", acct); n != 1 {
			t.Fatalf("%d organizations for one account", n)
		}
		if n := a.count(t, "people", "kind = 'user' AND organization_id = ?", org); n != int64(len(ids)) {
			t.Fatalf("%d of %d users in the organization", n, len(ids))
		}
	})
}
