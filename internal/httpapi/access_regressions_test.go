package httpapi_test

import (
	"context"
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// racingStore makes every batch collide, forcing the one-by-one fallback.
type racingStore struct{ *store.DB }

func (racingStore) ApplyPromotions(context.Context, domain.PromotionBatch) (map[uuid.UUID]uuid.UUID, error) {
	return nil, domain.ErrBatchRace
}

// The fallback keeps a primary contact's scope: another organization's
// contact fails not_found and stays a contact.
func TestBulkFallbackKeepsScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newWorld(t, a)
		other := a.org(t, map[string]any{"name": "Elsewhere"})
		own := uuid.MustParse(a.contact(t, map[string]any{"email": "own@a.example", "organization_id": w.orgA}))
		foreign := uuid.MustParse(a.contact(t, map[string]any{"email": "f@else.example", "organization_id": other}))
		scope := uuid.MustParse(w.orgA)
		// the app's database: it enqueues the invitations' jobs on the app's River
		svc := promotion.New(racingStore{a.db}, a.db, a.db, promotion.Config{PublicURL: "http://portal.test"})
		res, err := svc.PromoteNow(t.Context(), []uuid.UUID{own, foreign},
			domain.BulkOptions{GroupIDs: []uuid.UUID{uuid.MustParse(w.group)}, Scope: &scope}, "user:primary")
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 2 || res[0].Status != promotion.ItemPromoted || res[1].Status != promotion.ItemFailed || res[1].Err.Code != "not_found" {
			t.Fatalf("results %+v", res)
		}
		a.do("GET", "/api/v1/contacts/"+foreign.String(), nil).ok(t, 200, nil)
	})
}

// A primary contact cannot restore an admin role kept from a demotion, nor
// change the status or role of an admin or another primary contact.
func TestPrimaryContactCannotReachAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		w := newWorld(t, a)
		primary := "Bearer " + a.signIn(t, "primary@a.example", w.password)
		id := a.contact(t, map[string]any{"email": "boss@a.example", "organization_id": w.orgA})
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}, "role": "admin"}).ok(t, 201, nil)
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "disabled"}, "Authorization", primary).problem(t, 403, "field_not_allowed")
		a.do("POST", "/api/v1/users/"+id+"/demote", nil).ok(t, 200, nil)
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}}, "Authorization", primary).
			problem(t, 403, "role_not_allowed")
		var res PromotionResult
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}, "role": "member"}, "Authorization", primary).
			ok(t, 201, &res)
		if res.User.Role != "member" {
			t.Fatalf("role %s", res.User.Role)
		}
		// a second primary contact of the same organization is out of reach too
		second := a.contact(t, map[string]any{"email": "second@a.example", "organization_id": w.orgA})
		a.do("POST", "/api/v1/contacts/"+second+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
		a.do("PATCH", "/api/v1/users/"+second, map[string]any{"primary_contact": true}).ok(t, 200, nil)
		a.do("PATCH", "/api/v1/users/"+second, map[string]any{"status": "disabled"}, "Authorization", primary).problem(t, 403, "field_not_allowed")
	})
}

// Repeated ids are stored once instead of failing.
func TestRepeatedIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		org := a.org(t, map[string]any{"name": "Acme"})
		var g Group
		a.do("POST", "/api/v1/groups", map[string]any{"name": "Twice", "smart_rule": map[string]any{"organization_ids": []string{org, org}}}).ok(t, 201, &g)
		if len(g.SmartRule.OrganizationIDs) != 1 {
			t.Fatalf("rule %+v", g.SmartRule)
		}
		id := a.promoted(t, "rep@acme.example")
		var u User
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"group_ids": []string{g.ID.String(), g.ID.String()}}).ok(t, 200, &u)
		if len(u.GroupIDs) != 1 || u.GroupIDs[0] != g.ID {
			t.Fatalf("groups %v", u.GroupIDs)
		}
	})
}
