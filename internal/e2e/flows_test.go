package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

// flow is the state the main flows pass from step to step.
type flow struct {
	p   *portico
	ctx context.Context

	org, group, smartGroup, account uuid.UUID
	jane, john, jim, jill, ann      uuid.UUID // contacts
	session                         string    // jane's session token
}

// TestMainFlows drives the main flows of the service through the generated
// client only: set-up of organizations, groups, mappings and contacts;
// single, bulk and background promotion; activation, sign-in and demotion.
// Every exchange is checked against the published document (checker).
func TestMainFlows(t *testing.T) {
	f := &flow{p: start(t), ctx: context.Background()}
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"health", f.health},
		{"organization and groups", f.organizationAndGroups},
		{"field mappings", f.fieldMappings},
		{"contacts", f.contacts},
		{"promote one", f.promoteOne},
		{"promote from an account", f.promoteFromAccount},
		{"promote in bulk", f.promoteBulk},
		{"promote as a job", f.promoteJob},
		{"activate and sign in", f.activateAndSignIn},
		{"demote", f.demote},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			return // later steps build on this one
		}
	}
	if m := f.p.checker.missing("getHealthz", "getReadyz", "createOrganization", "createGroup",
		"createFieldDefinition", "createFieldMapping", "listFieldMappings", "createAccount", "createContact",
		"listContacts", "promoteContact", "bulkPromoteContacts", "getPromotionJob", "listPromotionJobResults",
		"activateAccount", "signIn", "getCurrentUser", "getUser", "demoteUser", "getContact", "listUsers"); len(m) > 0 {
		t.Errorf("operations the flows did not exercise: %v", m)
	}
}

func (f *flow) health(t *testing.T) {
	h, err := f.p.anon.GetHealthzWithResponse(f.ctx)
	want(t, h, err, 200)
	r, err := f.p.anon.GetReadyzWithResponse(f.ctx)
	want(t, r, err, 200)
	if r.JSON200.Status != "ok" {
		t.Errorf("readyz: %+v", r.JSON200)
	}
}

func (f *flow) organizationAndGroups(t *testing.T) {
	org, err := f.p.admin.CreateOrganizationWithResponse(f.ctx, client.OrganizationCreate{Name: "Acme Resellers",
		Kind: client.OrganizationCreateKindPartner, Region: ptr("EMEA"), EmailDomains: &[]string{"acme.example"}})
	want(t, org, err, 201)
	f.org = org.JSON201.ID
	if org.JSON201.Status != client.OrganizationStatusActive || org.HTTPResponse.Header.Get("ETag") == "" {
		t.Errorf("organization: %+v (ETag %q)", org.JSON201, org.HTTPResponse.Header.Get("ETag"))
	}
	g, err := f.p.admin.CreateGroupWithResponse(f.ctx, client.GroupCreate{Name: "Resellers", PartnerAssignable: ptr(true)})
	want(t, g, err, 201)
	f.group = g.JSON201.ID
	smart, err := f.p.admin.CreateGroupWithResponse(f.ctx, client.GroupCreate{Name: "EMEA partners",
		SmartRule: &client.SmartRuleInput{Regions: &[]string{"EMEA"}}})
	want(t, smart, err, 201)
	f.smartGroup = smart.JSON201.ID
	if smart.JSON201.SmartRule == nil || !slices.Equal(smart.JSON201.SmartRule.Regions, []string{"EMEA"}) {
		t.Errorf("smart rule: %+v", smart.JSON201.SmartRule)
	}
}

// fieldMappings maps an account field onto a shorter organization field:
// the mapping is kept with its warning, and promotion truncates later.
func (f *flow) fieldMappings(t *testing.T) {
	for entity, limit := range map[client.FieldDefinitionCreateEntity]int{
		client.FieldDefinitionCreateEntityAccount: 100, client.FieldDefinitionCreateEntityOrganization: 8,
	} {
		d, err := f.p.admin.CreateFieldDefinitionWithResponse(f.ctx, client.FieldDefinitionCreate{Entity: entity,
			Key: "tier_note", Label: "Tier note", Type: client.FieldDefinitionCreateTypeText, MaxLength: ptr(limit)})
		want(t, d, err, 201)
	}
	m, err := f.p.admin.CreateFieldMappingWithResponse(f.ctx, client.FieldMappingCreate{AccountField: "tier_note", OrganizationField: "tier_note"})
	want(t, m, err, 201)
	if m.JSON201.Warning == nil {
		t.Errorf("a narrowing mapping carries no warning: %+v", m.JSON201)
	}
	list, err := f.p.admin.ListFieldMappingsWithResponse(f.ctx)
	want(t, list, err, 200)
	if len(list.JSON200.Data) != 1 || list.JSON200.Data[0].ID != m.JSON201.ID {
		t.Errorf("mappings: %+v", list.JSON200.Data)
	}
}

func (f *flow) contacts(t *testing.T) {
	acc, err := f.p.admin.CreateAccountWithResponse(f.ctx, client.AccountCreate{Name: "Globex", City: ptr("Lyon"),
		CustomFields: &map[string]any{"tier_note": "platinum reseller"}})
	want(t, acc, err, 201)
	f.account = acc.JSON201.ID
	add := func(first, email string, org, account *uuid.UUID) uuid.UUID {
		c, err := f.p.admin.CreateContactWithResponse(f.ctx, client.ContactCreate{FirstName: ptr(first), LastName: ptr("Doe"),
			Email: ptr(email), OrganizationID: org, AccountID: account})
		want(t, c, err, 201)
		return c.JSON201.ID
	}
	f.jane = add("Jane", "jane@acme.example", &f.org, nil)
	f.john = add("John", "john@acme.example", &f.org, nil)
	f.jim = add("Jim", "jim@acme.example", &f.org, nil)
	f.jill = add("Jill", "jill@acme.example", &f.org, nil)
	f.ann = add("Ann", "ann@globex.example", nil, &f.account)

	// Page through every contact two at a time with the opaque cursor.
	var seen []uuid.UUID
	params := &client.ListContactsParams{Limit: ptr(2)}
	for page := 0; page < 5; page++ {
		l, err := f.p.admin.ListContactsWithResponse(f.ctx, params)
		want(t, l, err, 200)
		for _, c := range l.JSON200.Data {
			seen = append(seen, c.ID)
		}
		if l.JSON200.NextCursor == nil || *l.JSON200.NextCursor == "" {
			break
		}
		params.Cursor = l.JSON200.NextCursor
	}
	if len(seen) != 5 {
		t.Errorf("listed %d of 5 contacts: %v", len(seen), seen)
	}
}
