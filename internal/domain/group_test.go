package domain

import (
	"testing"

	"github.com/google/uuid"
)

func TestSmartRuleMatches(t *testing.T) {
	t.Parallel()
	gold := Organization{ID: uuid.MustParse("0190c6b2-0000-7000-8000-000000000001"),
		Kind: OrgPartner, PartnerType: "gold", Region: "EMEA"}
	other := uuid.MustParse("0190c6b2-0000-7000-8000-000000000002")
	bare := Organization{ID: other, Kind: OrgCustomer} // no partner type, no region

	cases := []struct {
		name string
		rule SmartRule
		org  Organization
		want bool
	}{
		{"empty rule matches nothing", SmartRule{}, gold, false},
		{"empty non-nil lists match nothing", SmartRule{OrganizationKinds: []OrgKind{}, PartnerTypes: []string{},
			Regions: []string{}, OrganizationIDs: []uuid.UUID{}}, gold, false},
		{"empty rule matches nothing, bare org", SmartRule{}, bare, false},

		{"kind listed", SmartRule{OrganizationKinds: []OrgKind{OrgPartner}}, gold, true},
		{"kind among several", SmartRule{OrganizationKinds: []OrgKind{OrgCustomer, OrgPartner}}, gold, true},
		{"kind not listed", SmartRule{OrganizationKinds: []OrgKind{OrgCustomer, OrgDistributor}}, gold, false},

		{"partner type listed", SmartRule{PartnerTypes: []string{"silver", "gold"}}, gold, true},
		{"partner type not listed", SmartRule{PartnerTypes: []string{"silver"}}, gold, false},
		{"partner type compared exactly", SmartRule{PartnerTypes: []string{"Gold"}}, gold, false},
		{"org without partner type", SmartRule{PartnerTypes: []string{"gold"}}, bare, false},

		{"region listed", SmartRule{Regions: []string{"EMEA"}}, gold, true},
		{"region not listed", SmartRule{Regions: []string{"APAC", "AMER"}}, gold, false},
		{"org without region", SmartRule{Regions: []string{"EMEA"}}, bare, false},

		{"org id listed", SmartRule{OrganizationIDs: []uuid.UUID{other, gold.ID}}, gold, true},
		{"org id not listed", SmartRule{OrganizationIDs: []uuid.UUID{other}}, gold, false},

		{"kind and region both match", SmartRule{OrganizationKinds: []OrgKind{OrgPartner}, Regions: []string{"EMEA"}}, gold, true},
		{"kind matches, region does not", SmartRule{OrganizationKinds: []OrgKind{OrgPartner}, Regions: []string{"APAC"}}, gold, false},
		{"region matches, kind does not", SmartRule{OrganizationKinds: []OrgKind{OrgCustomer}, Regions: []string{"EMEA"}}, gold, false},
		{"org id matches, partner type does not", SmartRule{PartnerTypes: []string{"silver"}, OrganizationIDs: []uuid.UUID{gold.ID}}, gold, false},
		{"empty list beside a set one matches anything", SmartRule{OrganizationKinds: []OrgKind{}, Regions: []string{"EMEA"}}, gold, true},
		{"every condition matches", SmartRule{OrganizationKinds: []OrgKind{OrgPartner}, PartnerTypes: []string{"gold"},
			Regions: []string{"EMEA"}, OrganizationIDs: []uuid.UUID{gold.ID}}, gold, true},
		{"every condition but the id matches", SmartRule{OrganizationKinds: []OrgKind{OrgPartner}, PartnerTypes: []string{"gold"},
			Regions: []string{"EMEA"}, OrganizationIDs: []uuid.UUID{other}}, gold, false},
		{"customer rule matches bare customer", SmartRule{OrganizationKinds: []OrgKind{OrgCustomer}}, bare, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.rule.Matches(tc.org); got != tc.want {
				t.Errorf("%+v.Matches(%+v) = %v, want %v", tc.rule, tc.org, got, tc.want)
			}
		})
	}
}

func TestSmartRuleEmpty(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		rule SmartRule
		want bool
	}{
		{"zero", SmartRule{}, true},
		{"empty lists", SmartRule{OrganizationKinds: []OrgKind{}, PartnerTypes: []string{}, Regions: []string{}, OrganizationIDs: []uuid.UUID{}}, true},
		{"kinds", SmartRule{OrganizationKinds: []OrgKind{OrgPartner}}, false},
		{"partner types", SmartRule{PartnerTypes: []string{"gold"}}, false},
		{"regions", SmartRule{Regions: []string{"EMEA"}}, false},
		{"organization ids", SmartRule{OrganizationIDs: []uuid.UUID{uuid.New()}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.rule.Empty(); got != tc.want {
				t.Errorf("Empty() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGroupPatchApply(t *testing.T) {
	t.Parallel()
	rule := &SmartRule{Regions: []string{"EMEA"}}
	base := Group{Name: "Gold", Description: "d", PartnerAssignable: true, SmartRule: rule}
	name, assignable := "Silver", false
	var noRule *SmartRule
	newRule := &SmartRule{OrganizationKinds: []OrgKind{OrgCustomer}}

	cases := []struct {
		name  string
		patch GroupPatch
		want  Group
	}{
		{"empty patch keeps all", GroupPatch{}, base},
		{"name and flag", GroupPatch{Name: &name, PartnerAssignable: &assignable},
			Group{Name: "Silver", Description: "d", PartnerAssignable: false, SmartRule: rule}},
		{"pointer to nil rule clears it", GroupPatch{SmartRule: &noRule},
			Group{Name: "Gold", Description: "d", PartnerAssignable: true}},
		{"new rule replaces", GroupPatch{SmartRule: &newRule},
			Group{Name: "Gold", Description: "d", PartnerAssignable: true, SmartRule: newRule}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := base
			tc.patch.Apply(&g)
			if g.Name != tc.want.Name || g.Description != tc.want.Description ||
				g.PartnerAssignable != tc.want.PartnerAssignable || g.SmartRule != tc.want.SmartRule {
				t.Errorf("after Apply: %+v, want %+v", g, tc.want)
			}
		})
	}
}
