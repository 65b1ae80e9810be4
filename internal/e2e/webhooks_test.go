package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portico/portico/pkg/client"
)

// hookSink verifies each delivery with the official library and holds its
// body to the component the document gives its event type.
type hookSink struct {
	t      *testing.T
	doc    *openapi3.T
	mu     sync.Mutex
	secret string
	types  []string
}

func (s *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	wh, err := standardwebhooks.NewWebhook(s.secret)
	if err == nil {
		err = wh.Verify(body, r.Header)
	}
	if err != nil {
		s.t.Errorf("delivery does not verify: %v", err)
	}
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		s.t.Errorf("body %s: %v", body, err)
		return
	}
	typ, _ := ev["type"].(string)
	schema := s.doc.Components.Schemas[eventSchema(typ)]
	if schema == nil {
		s.t.Errorf("event %s has no component %s in the document", typ, eventSchema(typ))
	} else if err := schema.Value.VisitJSON(ev); err != nil {
		s.t.Errorf("event %s does not match %s: %v\n%s", typ, eventSchema(typ), err, body)
	}
	s.types = append(s.types, typ)
	w.WriteHeader(http.StatusNoContent)
}

// eventSchema is cmd/openapi's component name of an event type.
func eventSchema(t string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Event"
}

// TestWebhookFlow manages an endpoint through the generated client, every
// exchange checked against the document, and holds the events a promotion
// sends to the document's event components.
func TestWebhookFlow(t *testing.T) {
	p := start(t)
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	sink := &hookSink{t: t, doc: doc}
	srv := httptest.NewServer(sink)
	defer srv.Close()

	created, err := p.admin.CreateWebhookEndpointWithResponse(ctx, client.WebhookEndpointCreate{URL: srv.URL + "/hooks", Description: ptr("CRM")})
	want(t, created, err, 201)
	e := created.JSON201
	sink.mu.Lock()
	sink.secret = e.Secret
	sink.mu.Unlock()
	list, err := p.admin.ListWebhookEndpointsWithResponse(ctx, nil)
	want(t, list, err, 200)
	got, err := p.admin.GetWebhookEndpointWithResponse(ctx, e.ID)
	want(t, got, err, 200)
	patched, err := p.admin.UpdateWebhookEndpointWithResponse(ctx, e.ID, nil, client.WebhookEndpointPatch{Description: ptr("CRM sync")})
	want(t, patched, err, 200)

	org, err := p.admin.CreateOrganizationWithResponse(ctx, client.OrganizationCreate{Name: "Hooked", Kind: client.OrganizationCreateKindPartner})
	want(t, org, err, 201)
	g, err := p.admin.CreateGroupWithResponse(ctx, client.GroupCreate{Name: "Hooked group"})
	want(t, g, err, 201)
	c, err := p.admin.CreateContactWithResponse(ctx, client.ContactCreate{LastName: ptr("Hook"), Email: ptr("hook@hooked.example"), OrganizationID: &org.JSON201.ID})
	want(t, c, err, 201)
	promoted, err := p.admin.PromoteContactWithResponse(ctx, c.JSON201.ID, nil, client.PromoteRequest{GroupIds: &[]uuid.UUID{g.JSON201.ID}})
	want(t, promoted, err, 201)
	test, err := p.admin.TestWebhookEndpointWithResponse(ctx, e.ID)
	want(t, test, err, 202)
	p.idle()

	deliveries, err := p.admin.ListWebhookDeliveriesWithResponse(ctx, e.ID, nil)
	want(t, deliveries, err, 200)
	if n := len(deliveries.JSON200.Data); n != 4 {
		t.Fatalf("%d deliveries, want organization.created, user.promoted, invitation.sent, webhook.test", n)
	}
	for _, d := range deliveries.JSON200.Data {
		if d.Status != client.WebhookDeliveryStatusSucceeded {
			t.Errorf("delivery %+v", d)
		}
	}
	retried, err := p.admin.RetryWebhookDeliveryWithResponse(ctx, e.ID, deliveries.JSON200.Data[0].ID)
	want(t, retried, err, 202)
	rotated, err := p.admin.RotateWebhookSecretWithResponse(ctx, e.ID)
	want(t, rotated, err, 200)
	p.idle()
	deleted, err := p.admin.DeleteWebhookEndpointWithResponse(ctx, e.ID)
	want(t, deleted, err, 204)

	sink.mu.Lock()
	types := strings.Join(sink.types, " ")
	sink.mu.Unlock()
	for _, typ := range []string{"organization.created", "user.promoted", "invitation.sent", "webhook.test"} {
		if !strings.Contains(types, typ) {
			t.Errorf("no %s among %s", typ, types)
		}
	}
	if m := p.checker.missing("listWebhookEndpoints", "createWebhookEndpoint", "getWebhookEndpoint", "updateWebhookEndpoint",
		"deleteWebhookEndpoint", "rotateWebhookSecret", "testWebhookEndpoint", "listWebhookDeliveries", "retryWebhookDelivery"); len(m) > 0 {
		t.Errorf("operations not exercised: %v", m)
	}
}
