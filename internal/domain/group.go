package domain

import (
	"fmt"
	"slices"
	"strings"
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

// UserRef names a user in a problem.
type UserRef struct {
	ID    uuid.UUID
	Email string
}

// maxNamedUsers bounds the users a problem lists; user_count says how many
// there are in all.
const maxNamedUsers = 100

// withUsers adds the users (at most maxNamedUsers) and their count to e.
func withUsers(e *Error, users []UserRef) *Error {
	listed := make([]map[string]string, 0, min(len(users), maxNamedUsers))
	for _, u := range users[:min(len(users), maxNamedUsers)] {
		listed = append(listed, map[string]string{"id": u.ID.String(), "email": u.Email})
	}
	return e.With("users", listed).With("user_count", len(users))
}

// namedUsers is a short list of emails for a detail message.
func namedUsers(users []UserRef) string {
	const shown = 5
	emails := make([]string, 0, shown)
	for _, u := range users[:min(len(users), shown)] {
		emails = append(emails, u.Email)
	}
	s := strings.Join(emails, ", ")
	if len(users) > shown {
		s += fmt.Sprintf(" and %d more", len(users)-shown)
	}
	return s
}

// ErrUsersWithoutGroup refuses an organization change after which users
// would belong to no group: their smart groups stop matching and none
// starts to. Nothing changed.
func ErrUsersWithoutGroup(org Organization, users []UserRef) *Error {
	return withUsers(Conflict("users_without_group", fmt.Sprintf(
		"this change of organization %q (%s) would leave %d users without any group: their smart groups stop matching and no other smart group matches; every user belongs to at least one group: %s",
		org.Name, org.ID, len(users), namedUsers(users))), users).
		WithResolution("give these users another group first (PATCH /api/v1/users/{id} with group_ids), or create a smart group that matches the new attributes, then retry the change")
}

// ErrGroupInUse refuses to delete the only group of some users.
func ErrGroupInUse(groupID uuid.UUID, users []UserRef) *Error {
	return withUsers(Conflict("group_in_use", fmt.Sprintf(
		"group %s is the only group of %d users; every user belongs to at least one group: %s", groupID, len(users), namedUsers(users))), users).
		WithResolution("give these users another group first (PATCH /api/v1/users/{id} with group_ids), then delete the group")
}
