package httpapi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// Deleting a group races every change that can make it a user's only
// group: PATCHes of users' groups to only that group (held manually, or
// already held as a smart group, which writes nothing for it), and
// promotions of contacts whose only group is kept from a demotion. Every
// user ends with a group, and every answer is a clean success or refusal.
func TestGroupDeleteRacesMembershipChanges(t *testing.T) {
	db := storetest.Open(t, store.Postgres) // SQLite runs one writer at a time
	a := newAPI(t, db)
	home := a.group(t, map[string]any{"name": "Home"})
	allowed := map[string]bool{"ok": true, "group_in_use": true, "not_found": true, "group_not_found": true, "group_required": true}
	const rounds, each = 8, 6
	for round := range rounds {
		orgS := a.org(t, map[string]any{"name": fmt.Sprint("Smart ", round)})
		orgM := a.org(t, map[string]any{"name": fmt.Sprint("Manual ", round)})
		g := a.group(t, map[string]any{"name": fmt.Sprint("Doomed ", round), "smart_rule": map[string]any{"organization_ids": []string{orgS}}})
		var smart, manual, kept []string
		for i := range each {
			id := a.contact(t, map[string]any{"email": fmt.Sprintf("s%d-%d@race.example", round, i), "organization_id": orgS})
			a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{home}}).ok(t, 201, nil) // + g, smart
			smart = append(smart, id)
			id = a.contact(t, map[string]any{"email": fmt.Sprintf("m%d-%d@race.example", round, i), "organization_id": orgM})
			a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{home, g}}).ok(t, 201, nil)
			manual = append(manual, id)
			id = a.contact(t, map[string]any{"email": fmt.Sprintf("k%d-%d@race.example", round, i), "organization_id": orgM})
			a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{g}}).ok(t, 201, nil)
			a.do("POST", "/api/v1/users/"+id+"/demote", nil).ok(t, 200, nil) // a contact that kept only g
			kept = append(kept, id)
		}
		var (
			mu      sync.Mutex
			wg      sync.WaitGroup
			answers = map[string]int{}
		)
		start := make(chan struct{})
		send := func(method, path string, body any) string {
			r := a.do(method, path, body)
			key := "ok"
			if r.Status >= 300 {
				key = problemCode(r.Body)
				if r.Status >= 500 || !allowed[key] {
					key = fmt.Sprintf("%d %s", r.Status, r.Body)
				}
			}
			mu.Lock()
			answers[key]++
			mu.Unlock()
			return key
		}
		// deleters retry while the group is someone's only group; users
		// go to only g, back home (so the delete may pass), and to g again
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for range 40 {
					if send("DELETE", "/api/v1/groups/"+g, nil) != "group_in_use" {
						return
					}
				}
			}()
		}
		only, back := map[string]any{"group_ids": []string{g}}, map[string]any{"group_ids": []string{home}}
		for i := range each {
			wg.Add(3)
			for _, id := range []string{smart[i], manual[i]} {
				go func() {
					defer wg.Done()
					<-start
					for _, body := range []any{only, back, only, back, only} {
						send("PATCH", "/api/v1/users/"+id, body)
					}
				}()
			}
			go func() {
				defer wg.Done()
				<-start
				send("POST", "/api/v1/contacts/"+kept[i]+"/promote", map[string]any{})
			}()
		}
		close(start)
		wg.Wait()
		for key, n := range answers {
			if !allowed[key] {
				t.Errorf("round %d: %d answers %s", round, n, key)
			}
		}
		if n := a.count(t, "people", "kind = 'user' AND NOT EXISTS (SELECT 1 FROM group_memberships m WHERE m.person_id = people.id)"); n != 0 {
			t.Fatalf("round %d: %d users without a group (answers %v)", round, n, answers)
		}
	}
}

// An organization change that drops its users' smart group races the
// delete of their manual group: each alone leaves them a group, both
// together would not, so one of the two is refused.
func TestOrganizationChangeRacesGroupDelete(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	a := newAPI(t, db)
	allowed := map[string]bool{"ok": true, "group_in_use": true, "users_without_group": true}
	for round := range 6 {
		region := fmt.Sprint("R", round)
		org := a.org(t, map[string]any{"name": fmt.Sprint("Org ", round), "region": region})
		a.group(t, map[string]any{"name": fmt.Sprint("Smart ", round), "smart_rule": map[string]any{"regions": []string{region}}})
		manual := a.group(t, map[string]any{"name": fmt.Sprint("Manual ", round)})
		for i := range 5 {
			id := a.contact(t, map[string]any{"email": fmt.Sprintf("u%d-%d@race.example", round, i), "organization_id": org})
			a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{manual}}).ok(t, 201, nil)
		}
		got := map[string]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{"DELETE", "/api/v1/groups/" + manual, nil},
			{"PATCH", "/api/v1/organizations/" + org, map[string]any{"region": "elsewhere"}},
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r := a.do(req.method, req.path, req.body)
				key := "ok"
				if r.Status >= 300 {
					if key = problemCode(r.Body); r.Status >= 500 || !allowed[key] {
						key = fmt.Sprintf("%d %s", r.Status, r.Body)
					}
				}
				mu.Lock()
				got[key]++
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		if got["ok"] != 1 || got["group_in_use"]+got["users_without_group"] != 1 {
			t.Fatalf("round %d: answers %v, want one success and one refusal", round, got)
		}
		if n := a.count(t, "people", "kind = 'user' AND NOT EXISTS (SELECT 1 FROM group_memberships m WHERE m.person_id = people.id)"); n != 0 {
			t.Fatalf("round %d: %d users without a group", round, n)
		}
	}
}
