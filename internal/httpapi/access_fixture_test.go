package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/portico/portico/internal/httpapi"
)

// fill turns a route template into a request of the matrix: a fresh record
// (of organization A where that matters; organization A itself) for each parameter, and a valid
// body, so that an allowed call succeeds or fails only on content.
func (w *world) fill(t *testing.T, method, path string, n int64) (string, any) {
	a := w.a
	email := fmt.Sprintf("c%d@a.example", n)
	newContact := func() string { return a.contact(t, map[string]any{"email": email, "organization_id": w.orgA}) }
	newPending := func() string {
		id := newContact()
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
		return id
	}
	var id string
	switch {
	case strings.HasPrefix(path, "/api/v1/organizations/:id"):
		id = w.orgA // its users keep a DELETE from succeeding (409)
	case strings.HasPrefix(path, "/api/v1/accounts/:id"):
		id = a.account(t, map[string]any{"name": fmt.Sprint("Account ", n)})
	case strings.HasPrefix(path, "/api/v1/contacts/:id"):
		id = newContact()
	case strings.HasPrefix(path, "/api/v1/users/:id"):
		id = newPending()
	case strings.HasPrefix(path, "/api/v1/groups/:id"):
		id = a.group(t, map[string]any{"name": fmt.Sprint("Group ", n), "partner_assignable": true})
	case strings.HasPrefix(path, "/api/v1/field-definitions/:id"):
		var f FieldDefinition
		a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": fmt.Sprint("k", n), "label": "K", "type": "text"}).ok(t, 201, &f)
		id = f.ID.String()
	case strings.HasPrefix(path, "/api/v1/api-keys/:id"):
		var k APIKeyCreated
		a.do("POST", "/api/v1/api-keys", map[string]any{"name": fmt.Sprint("key ", n), "role": "readonly"}).ok(t, 201, &k)
		id = k.ID.String()
	case strings.HasPrefix(path, "/api/v1/promotion-jobs/:id"):
		var j PromotionJob
		a.do("POST", "/api/v1/contacts/promote", map[string]any{"contact_ids": []string{newContact()}, "group_ids": []string{w.group},
			"async": true}).ok(t, 202, &j)
		id = j.ID.String()
	case strings.HasPrefix(path, "/api/v1/import-jobs/:id"):
		var j ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=true", []map[string]any{{"last_name": "Imported"}}).ok(t, 202, &j)
		id = j.ID.String()
	case strings.HasPrefix(path, "/api/v1/invitations/:id"):
		id = w.invitationOf(t, newPending())
	case strings.HasPrefix(path, "/api/v1/invitation-jobs/:id"):
		var j InvitationJob
		a.do("POST", "/api/v1/invitations/resend", map[string]any{"invitation_ids": []string{w.invitationOf(t, newPending())}, "async": true}).ok(t, 202, &j)
		id = j.ID.String()
	case strings.HasPrefix(path, "/api/v1/email-templates/"):
		// a locale of its own (private use), with an override to delete
		locale := fmt.Sprintf("en-x-t%d", n)
		a.do("PUT", "/api/v1/email-templates/invitation/"+locale, w.template()).ok(t, 201, nil)
		path = strings.Replace(strings.Replace(path, ":kind", "invitation", 1), ":locale", locale, 1)
	case strings.HasPrefix(path, "/api/v1/field-mappings/:id"):
		id = w.mapping(t, n)
	case strings.HasPrefix(path, "/api/v1/webhook-endpoints/:id"):
		var e WebhookEndpointCreated
		a.do("POST", "/api/v1/webhook-endpoints", map[string]any{"url": "http://127.0.0.1:9/hooks"}).ok(t, 201, &e)
		id = e.ID.String()
		if strings.Contains(path, ":delivery_id") {
			var d WebhookDelivery
			a.do("POST", "/api/v1/webhook-endpoints/"+id+"/test", nil).ok(t, 202, &d)
			path = strings.Replace(path, ":delivery_id", d.ID.String(), 1)
		}
	case strings.HasSuffix(path, "/:external_id"):
		path = strings.Replace(path, ":external_id", fmt.Sprint("crm-", n), 1)
	case strings.HasSuffix(path, "/:domain"):
		dom := fmt.Sprintf("d%d.example", n)
		a.do("POST", "/api/v1/ignored-email-domains", map[string]any{"domain": dom}).ok(t, 201, nil)
		path = strings.Replace(path, ":domain", dom, 1)
	}
	path = strings.Replace(path, ":id", id, 1)
	return path, w.body(t, method, path, n)
}

// body is a valid request body for the operation.
func (w *world) body(t *testing.T, method, path string, n int64) any {
	if method == "GET" || method == "DELETE" {
		return nil
	}
	switch {
	case strings.HasSuffix(path, "/activations"), strings.HasSuffix(path, "/confirm"):
		return map[string]any{"token": "not-a-token", "password": w.password}
	case strings.HasSuffix(path, "/sessions"):
		return map[string]any{"email": w.emails["member"], "password": w.password}
	case strings.HasSuffix(path, "/password-resets"):
		return map[string]any{"email": "nobody@a.example"}
	case strings.HasSuffix(path, "/contacts/promote"):
		id := w.a.contact(t, map[string]any{"email": fmt.Sprintf("bulk%d@a.example", n), "organization_id": w.orgA})
		return map[string]any{"contact_ids": []string{id}, "group_ids": []string{w.group}, "dry_run": true}
	case strings.Contains(path, "/organizations/by-external-id/"):
		return map[string]any{"name": fmt.Sprint("New ", n), "kind": "customer"}
	case strings.Contains(path, "/accounts/by-external-id/"):
		return map[string]any{"name": fmt.Sprint("New ", n)}
	case strings.Contains(path, "/contacts/by-external-id/"):
		return map[string]any{"last_name": "New", "organization_id": w.orgA}
	case strings.HasSuffix(path, "/cancel"), strings.HasSuffix(path, "/revoke"), strings.HasSuffix(path, "/retry"),
		strings.HasSuffix(path, "/rotate-secret"), strings.HasSuffix(path, "/test"):
		return nil
	case strings.HasSuffix(path, "/webhook-endpoints"):
		return map[string]any{"url": fmt.Sprintf("http://127.0.0.1:9/hooks/%d", n)}
	case strings.Contains(path, "/webhook-endpoints/"):
		return map[string]any{"description": "Changed"}
	case strings.HasSuffix(path, "/invitations/resend"):
		id := w.a.contact(t, map[string]any{"email": fmt.Sprintf("resend%d@a.example", n), "organization_id": w.orgA})
		w.a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{w.group}}).ok(t, 201, nil)
		return map[string]any{"invitation_ids": []string{w.invitationOf(t, id)}}
	case strings.Contains(path, "/email-templates/"):
		return w.template()
	case strings.HasSuffix(path, "/promote"):
		return map[string]any{"group_ids": []string{w.group}}
	case strings.HasSuffix(path, "/demote"), strings.HasSuffix(path, "/activation-email"):
		return nil
	case strings.HasSuffix(path, "/organizations"):
		return map[string]any{"name": fmt.Sprint("New ", n), "kind": "customer"}
	case strings.HasSuffix(path, "/accounts"):
		return map[string]any{"name": fmt.Sprint("New ", n)}
	case strings.HasSuffix(path, "/contacts"):
		return map[string]any{"last_name": "New", "organization_id": w.orgA}
	case strings.HasSuffix(path, "/groups"):
		return map[string]any{"name": fmt.Sprint("New group ", n)}
	case strings.HasSuffix(path, "/field-definitions"):
		return map[string]any{"entity": "account", "key": fmt.Sprint("new", n), "label": "New", "type": "text"}
	case strings.HasSuffix(path, "/ignored-email-domains"):
		return map[string]any{"domain": fmt.Sprintf("new%d.example", n)}
	case strings.HasSuffix(path, "/field-mappings"):
		w.fieldPair(t, n)
		return map[string]any{"account_field": fmt.Sprint("src", n), "organization_field": fmt.Sprint("dst", n)}
	case strings.Contains(path, "/field-mappings/"):
		w.fieldPair(t, n+1_000_000)
		return map[string]any{"organization_field": fmt.Sprint("dst", n+1_000_000)}
	case strings.HasSuffix(path, "/api-keys"):
		return map[string]any{"name": fmt.Sprint("new key ", n), "role": "readonly"}
	case strings.Contains(path, "/field-definitions/"):
		return map[string]any{"label": "Changed"}
	case strings.Contains(path, "/groups/"):
		return map[string]any{"description": "Changed"}
	}
	return map[string]any{"title": "Changed"} // contacts and users
}

// fieldPair defines an account field src<n> and an organization field dst<n>.
func (w *world) fieldPair(t *testing.T, n int64) {
	w.a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "account", "key": fmt.Sprint("src", n), "label": "S", "type": "text"}).ok(t, 201, nil)
	w.a.do("POST", "/api/v1/field-definitions", map[string]any{"entity": "organization", "key": fmt.Sprint("dst", n), "label": "D", "type": "text"}).ok(t, 201, nil)
}

// mapping creates a mapping between a fresh field pair and returns its id.
func (w *world) mapping(t *testing.T, n int64) string {
	w.fieldPair(t, n+2_000_000)
	var m struct{ ID string }
	w.a.do("POST", "/api/v1/field-mappings", map[string]any{"account_field": fmt.Sprint("src", n+2_000_000),
		"organization_field": fmt.Sprint("dst", n+2_000_000)}).ok(t, 201, &m)
	return m.ID
}

// invitationOf is the id of the user's newest invitation.
func (w *world) invitationOf(t *testing.T, user string) string {
	var list InvitationList
	w.a.do("GET", "/api/v1/invitations?user_id="+user, nil).ok(t, 200, &list)
	if len(list.Data) == 0 {
		t.Fatalf("user %s has no invitation", user)
	}
	return list.Data[len(list.Data)-1].ID.String()
}

// template is a valid email template override.
func (w *world) template() map[string]any {
	return map[string]any{"subject": "Hello", "text": "{{.Greeting}} {{.Link}}", "html": `<a href="{{.Link}}">Activate</a>`}
}
