package httpapi_test

import (
	"slices"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestConversionPreview shows the losses per account before they happen,
// for one account and page by page for all, and nothing for an account
// converted already.
func TestConversionPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		g := a.setUpConversion(t)
		lossy := a.seedAccount(t, "Lossy")
		a.account(t, obj{"name": "Clean", "custom_fields": obj{"description": "short", "segment": "smb"}})
		a.account(t, obj{"name": "Blocked"}) // no segment: required_field_missing

		var one ConversionPreviewList
		a.do("GET", "/api/v1/field-mappings/preview?account_id="+lossy, nil).ok(t, 200, &one)
		if len(one.Data) != 1 || one.Data[0].AccountName != "Lossy" || one.Data[0].OrganizationID != nil ||
			len(one.Data[0].MissingRequiredFields) != 0 || one.Data[0].Note == "" {
			t.Fatalf("preview %+v", one.Data)
		}
		wantSeedWarnings(t, one.Data[0].Warnings)

		var names []string
		var previews []ConversionPreview
		for cursor := ""; ; {
			var page ConversionPreviewList
			a.do("GET", "/api/v1/field-mappings/preview?limit=2&cursor="+cursor, nil).ok(t, 200, &page)
			if len(page.Data) > 2 {
				t.Fatalf("page of %d", len(page.Data))
			}
			for _, p := range page.Data {
				names = append(names, p.AccountName)
			}
			previews = append(previews, page.Data...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(names, []string{"Lossy", "Clean", "Blocked"}) {
			t.Fatalf("accounts %v, want creation (id) order", names)
		}
		if len(previews[1].Warnings) != 0 || len(previews[1].MissingRequiredFields) != 0 {
			t.Errorf("clean account: %+v", previews[1])
		}
		if !slices.Equal(previews[2].MissingRequiredFields, []string{"segment"}) {
			t.Errorf("blocked account: %+v", previews[2])
		}
		if a.count(t, "organizations", "") != 0 {
			t.Fatal("a preview created an organization")
		}

		id := a.contact(t, obj{"email": "x@lossy.example", "account_id": lossy})
		var res PromotionResult
		a.do("POST", "/api/v1/contacts/"+id+"/promote", obj{"group_ids": []string{g}}).ok(t, 201, &res)
		a.do("GET", "/api/v1/field-mappings/preview?account_id="+lossy, nil).ok(t, 200, &one)
		if p := one.Data[0]; p.OrganizationID == nil || *p.OrganizationID != res.Organization.ID || len(p.Warnings) != 0 {
			t.Fatalf("converted account preview %+v", p)
		}

		a.do("GET", "/api/v1/field-mappings/preview?account_id=nope", nil).problem(t, 422, "validation_failed")
		a.do("GET", "/api/v1/field-mappings/preview?account_id=0190a4b2-0000-7000-8000-000000000000", nil).problem(t, 404, "not_found")
	})
}
