package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestNumbersBeyondTheirColumnsAre422 guards two 500s that probing the
// edge found on PostgreSQL, whose integer columns are 32-bit: a field's
// max_length and a job results cursor past that range.
func TestNumbersBeyondTheirColumnsAre422(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		var f FieldDefinition
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": "note", "label": "Note", "type": "text"}).ok(t, 201, &f)
		org := a.org(t, map[string]any{"name": "O"})
		group := a.group(t, map[string]any{"name": "G", "partner_assignable": true})
		contact := a.contact(t, map[string]any{"email": "c@o.example", "organization_id": org})
		var job PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": []string{contact}, "group_ids": []string{group}, "async": true}).ok(t, 202, &job)

		cases := []struct {
			name, method, path, body, field, code string
		}{
			{"create max_length", "POST", "/api/v1/field-definitions",
				`{"entity":"account","key":"big","label":"Big","type":"text","max_length":99999999999}`, "max_length", "max"},
			{"patch max_length", "PATCH", "/api/v1/field-definitions/" + f.ID.String(), `{"max_length":2147483648}`, "max_length", "max"},
			{"results cursor", "GET", "/api/v1/promotion-jobs/" + job.ID.String() + "/results?cursor=99999999999999", "", "cursor", "invalid"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var body any
				if tc.body != "" {
					body = tc.body
				}
				p := a.do(tc.method, tc.path, body).problem(t, 422, "validation_failed")
				wantFields(t, p, []string{tc.field}, []string{tc.code})
			})
		}
		a.do("GET", "/api/v1/promotion-jobs/"+job.ID.String()+"/results?cursor=2147483647", nil).ok(t, 200, nil)
	})
}
