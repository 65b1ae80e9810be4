package httpapi_test

import (
	"encoding/json"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

func statuses(res ImportResponse) []string {
	out := make([]string, len(res.Results))
	for i, r := range res.Results {
		out[i] = r.Status
	}
	return out
}

func wantStatuses(t *testing.T, res ImportResponse, want ...string) {
	t.Helper()
	got := statuses(res)
	if len(got) != len(want) {
		t.Fatalf("statuses %v, want %v: %+v", got, want, res.Results)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v: %+v", got, want, res.Results)
		}
	}
}

func TestImportContactsUpsertByExternalID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme", "external_id": "ORG-1"})
		acc := a.account(t, map[string]any{"name": "Acme CRM", "external_id": "ACC-1"})
		group := a.group(t, map[string]any{"name": "G"})

		created := a.importCSV(t, "resource=contacts&mode=create",
			"external_id,last_name,email,title,organization_external_id,account_external_id\n"+
				"C-1,Doe,doe@acme.example,Buyer,ORG-1,ACC-1\n"+
				"C-2,Roe,roe@acme.example,Seller,ORG-1,\n"+
				"C-3,Lost,lost@acme.example,,ORG-404,\n"+
				"C-1,Twin,twin@acme.example,,,\n"+
				" ,Nobody,nobody@acme.example,,,\n")
		wantStatuses(t, created, "created", "created", "failed", "failed", "created")
		rowFailure(t, created.Results[2], 3, "validation_failed", "organization_external_id")
		rowFailure(t, created.Results[3], 4, "duplicate_external_id", "external_id")
		var c Contact
		a.do("GET", "/api/v1/contacts/"+created.Results[0].ID.String(), nil).ok(t, 200, &c)
		if c.ExternalID == nil || *c.ExternalID != "C-1" || c.OrganizationID == nil || c.OrganizationID.String() != org ||
			c.AccountID == nil || c.AccountID.String() != acc {
			t.Fatalf("C-1 stored as %+v", c)
		}
		// a blank external id is none: that contact has no external id
		a.do("GET", "/api/v1/contacts/"+created.Results[4].ID.String(), nil).ok(t, 200, &c)
		if c.ExternalID != nil {
			t.Fatalf("blank external id stored as %q", *c.ExternalID)
		}

		// create again: the external id is taken
		again := a.importCSV(t, "resource=contacts", "external_id,last_name\nC-1,Doe\n")
		if r := again.Results[0]; r.Status != "failed" || r.Error.Code != "external_id_taken" {
			t.Fatalf("create of a taken external id: %+v %+v", r, r.Error)
		}

		// C-2 becomes a user: its external id is no contact's any more
		a.do("POST", "/api/v1/contacts/"+created.Results[1].ID.String()+"/promote", map[string]any{"group_ids": []string{group}}).ok(t, 201, nil)

		up := a.importCSV(t, "resource=contacts&mode=upsert",
			"external_id,last_name,title\n"+
				"C-1,Doe,Head of Buying\n"+ // changed
				"C-4,New,\n"+ // not on file: created
				"C-2,Roe,Seller\n") // a user's
		wantStatuses(t, up, "updated", "created", "failed")
		if *up.Results[0].ID != *created.Results[0].ID {
			t.Fatalf("upsert updated %s, not C-1 %s", up.Results[0].ID, created.Results[0].ID)
		}
		if up.Results[2].Error.Code != "external_id_taken" {
			t.Fatalf("a user's external id: %+v", up.Results[2].Error)
		}
		a.do("GET", "/api/v1/contacts/"+created.Results[0].ID.String(), nil).ok(t, 200, &c)
		// an empty cell left the email and the links as they were
		if c.Title != "Head of Buying" || c.Email != "doe@acme.example" || c.OrganizationID == nil || c.Version != 2 {
			t.Fatalf("merged C-1: %+v", c)
		}

		// the same row again changes nothing; JSON null clears a field
		same := a.importCSV(t, "resource=contacts&mode=upsert", "external_id,title\nC-1,Head of Buying\n")
		wantStatuses(t, same, "unchanged")
		var cleared ImportResponse
		a.do("POST", "/api/v1/imports?resource=contacts&mode=upsert", []map[string]any{
			{"external_id": "C-1", "title": nil, "organization_external_id": ""},
		}).ok(t, 200, &cleared)
		wantStatuses(t, cleared, "updated")
		a.do("GET", "/api/v1/contacts/"+created.Results[0].ID.String(), nil).ok(t, 200, &c)
		if c.Title != "" || c.OrganizationID != nil || c.Version != 3 {
			t.Fatalf("cleared C-1: %+v", c)
		}
		if n := a.count(t, "people", ""); n != 4 { // C-1, C-2 (a user), the blank one, C-4
			t.Fatalf("%d people", n)
		}
	})
}

func TestImportAccountsAndOrganizationsUpsert(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": "tier", "label": "Tier", "type": "text"}).ok(t, 201, nil)
		first := a.importCSV(t, "resource=accounts&mode=upsert", "external_id,name,city,custom.tier\nA-1,Acme,Berlin,gold\nA-2,Beta,Paris,\n")
		wantStatuses(t, first, "created", "created")
		second := a.importCSV(t, "resource=accounts&mode=upsert", "external_id,name,city,custom.tier\nA-1,Acme,Berlin,gold\nA-2,Beta,Rome,silver\n,NoId,,\n")
		wantStatuses(t, second, "unchanged", "updated", "created")
		var acc Account
		a.do("GET", "/api/v1/accounts/"+second.Results[1].ID.String(), nil).ok(t, 200, &acc)
		if acc.City != "Rome" || acc.CustomFields["tier"] != "silver" || acc.ExternalID == nil || *acc.ExternalID != "A-2" {
			t.Fatalf("merged account %+v", acc)
		}
		taken := a.importCSV(t, "resource=accounts", "external_id,name\nA-1,Again\n")
		if r := taken.Results[0]; r.Status != "failed" || r.Error.Code != "external_id_taken" {
			t.Fatalf("account create with a taken external id: %+v", r)
		}

		var orgs ImportResponse
		body := []map[string]any{{"external_id": "O-1", "name": "Resellers", "kind": "partner", "email_domains": []string{"resellers.example"}}}
		a.do("POST", "/api/v1/imports?resource=organizations&mode=upsert", body).ok(t, 200, &orgs)
		wantStatuses(t, orgs, "created")
		a.do("POST", "/api/v1/imports?resource=organizations&mode=upsert", body).ok(t, 200, &orgs)
		wantStatuses(t, orgs, "unchanged")
		a.do("POST", "/api/v1/imports?resource=organizations&mode=upsert&dry_run=true",
			[]map[string]any{{"external_id": "O-1", "region": "EMEA"}, {"external_id": "O-2", "name": "Other"}}).ok(t, 200, &orgs)
		wantStatuses(t, orgs, "updated", "failed") // O-2 is a create without kind
		rowFailure(t, orgs.Results[1], 2, "validation_failed", "kind")
		var o Organization
		a.do("GET", "/api/v1/organizations/"+orgs.Results[0].ID.String(), nil).ok(t, 200, &o)
		if o.Region != "" || o.Version != 1 {
			t.Fatalf("a dry run merged: %+v", o)
		}
	})
}

// Two imports racing to create one external id: one row is created, the
// other fails cleanly, and there is one contact.
func TestImportExternalIDRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		const body = "external_id,last_name\nRACE-1,Doe\n"
		out := make(chan ImportResponse, 8)
		for range 8 {
			go func() {
				var res ImportResponse
				r := a.do("POST", "/api/v1/imports?resource=contacts", body, "Content-Type", csvType)
				if r.Status == 200 {
					_ = json.Unmarshal(r.Body, &res)
				}
				out <- res
			}()
		}
		created := 0
		for range 8 {
			res := <-out
			if len(res.Results) != 1 {
				t.Fatalf("an import answered %+v", res)
			}
			switch r := res.Results[0]; {
			case r.Status == "created":
				created++
			case r.Status == "failed" && (r.Error.Code == "external_id_taken" || r.Error.Code == "import_conflict"):
			default:
				t.Fatalf("row %+v %+v", r, r.Error)
			}
		}
		if created != 1 || a.count(t, "people", "") != 1 {
			t.Fatalf("%d created, %d people", created, a.count(t, "people", ""))
		}
	})
}
