package domain

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Group is a set of users; a smart group's rule places users automatically.
type Group struct {
	ID                uuid.UUID
	Name              string
	Description       string
	PartnerAssignable bool
	SmartRule         *SmartRule
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// SmartRule matches organizations. Each non-empty list must contain the
// organization's value; an empty list matches anything. A rule with every
// list empty matches nothing, so a blank rule never captures everyone.
type SmartRule struct {
	OrganizationKinds []OrgKind
	PartnerTypes      []string
	Regions           []string
	OrganizationIDs   []uuid.UUID
}

// Normalize drops repeated values from every list, so that a rule stores
// each condition once.
func (r *SmartRule) Normalize() {
	r.OrganizationKinds = distinct(r.OrganizationKinds)
	r.PartnerTypes = distinct(r.PartnerTypes)
	r.Regions = distinct(r.Regions)
	r.OrganizationIDs = distinct(r.OrganizationIDs)
}

func distinct[T comparable](in []T) []T {
	var out []T
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Empty reports whether the rule sets no condition.
func (r SmartRule) Empty() bool {
	return len(r.OrganizationKinds) == 0 && len(r.PartnerTypes) == 0 &&
		len(r.Regions) == 0 && len(r.OrganizationIDs) == 0
}

// Matches reports whether the organization satisfies every condition.
func (r SmartRule) Matches(o Organization) bool {
	if r.Empty() {
		return false
	}
	return matchList(r.OrganizationKinds, o.Kind) &&
		matchList(r.PartnerTypes, o.PartnerType) &&
		matchList(r.Regions, o.Region) &&
		matchList(r.OrganizationIDs, o.ID)
}

func matchList[T comparable](list []T, v T) bool {
	return len(list) == 0 || slices.Contains(list, v)
}

// GroupPatch changes the fields that are not nil. SmartRule set to a
// pointer to nil (ClearRule) turns a smart group into a manual one.
type GroupPatch struct {
	Name              *string
	Description       *string
	PartnerAssignable *bool
	SmartRule         **SmartRule
}

// Apply sets every field of p that is not nil.
func (p GroupPatch) Apply(g *Group) {
	set(&g.Name, p.Name)
	set(&g.Description, p.Description)
	set(&g.PartnerAssignable, p.PartnerAssignable)
	set(&g.SmartRule, p.SmartRule)
}

// GroupFilter selects groups.
type GroupFilter struct {
	Smart             *bool
	PartnerAssignable *bool
}
