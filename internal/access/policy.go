package access

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Rule says who may call an operation at all; finer, per-record checks
// (the organization scope) are the Scope methods below.
type Rule int

// The rules, from most to least open. Read-only API keys may call every
// read (GET) of UserScoped, PrimaryScoped and Admin operations.
const (
	Public        Rule = iota + 1 // anyone, no credentials (activation, sign-in, reset)
	SignedIn                      // signed-in users only (their own session and profile)
	UserScoped                    // admins; primary contacts in their organization; a user on itself
	PrimaryScoped                 // admins; primary contacts in their organization
	Admin                         // admins
	Secret                        // admins, never read-only keys (API keys themselves)
)

// Allow answers whether actor may call an operation of rule (read: the
// operation changes nothing): nil, a 401 for a missing identity, or a 403
// for a missing right.
func Allow(a domain.Actor, rule Rule, read bool) error {
	if rule == Public {
		return nil
	}
	if a.Kind == domain.ActorAnonymous {
		return Unauthenticated("this operation needs credentials: Authorization: Bearer <token>")
	}
	user := a.Kind == domain.ActorUser
	readOnlyKey := a.Kind == domain.ActorAPIKey && a.KeyRole == domain.APIRoleReadOnly
	switch {
	case rule == SignedIn:
		if user {
			return nil
		}
		return forbidden("not_a_user", "this operation is for signed-in users; these credentials belong to no user")
	case a.IsAdmin():
		return nil
	case readOnlyKey && read && rule != Secret:
		return nil
	case rule == UserScoped && user:
		return nil // narrowed per record by ScopeUser
	case rule == PrimaryScoped && a.PrimaryOrg() != nil:
		return nil // narrowed per record by Scope
	}
	return forbidden("insufficient_rights", "your credentials do not allow this operation")
}

// Scope is the organization an actor's view is limited to: nil for
// admins and read-only keys (everything), the managed organization for a
// primary contact.
func Scope(a domain.Actor) *uuid.UUID {
	if a.IsAdmin() || a.Kind == domain.ActorAPIKey {
		return nil
	}
	return a.PrimaryOrg()
}

// InScope answers 404 (never 403, so ids cannot be probed) when a record
// of organization org is outside the actor's scope.
func InScope(a domain.Actor, org *uuid.UUID, resource string, id uuid.UUID) error {
	scope := Scope(a)
	if scope == nil || (org != nil && *org == *scope) {
		return nil
	}
	return domain.NotFound(resource, id.String())
}

// ScopeUser answers 404 unless the actor may see user u: admins see all,
// a primary contact its organization's users, anyone else only itself.
func ScopeUser(a domain.Actor, u domain.User) error {
	if a.Kind == domain.ActorUser && a.User.ID == u.ID {
		return nil
	}
	if a.IsAdmin() || a.Kind == domain.ActorAPIKey || a.PrimaryOrg() != nil {
		return InScope(a, u.OrganizationID, "user", u.ID)
	}
	return domain.NotFound("user", u.ID.String())
}

// CheckAssignment limits what a primary contact may hand out: only groups
// flagged partner_assignable, and never the admin role.
func CheckAssignment(a domain.Actor, groups []domain.Group, role domain.Role) error {
	if a.IsAdmin() {
		return nil
	}
	if role == domain.RoleAdmin {
		return forbidden("role_not_allowed", "only administrators can grant the admin role")
	}
	for _, g := range groups {
		if !g.PartnerAssignable {
			return forbidden("group_not_assignable", fmt.Sprintf("group %q (%s) is not partner-assignable; ask an administrator", g.Name, g.ID))
		}
	}
	return nil
}

// CheckUserPatch limits changes to a user the actor may see: a user on
// itself changes only its profile; a primary contact also status, groups
// (CheckAssignment) and role below admin, but never its own role or flag,
// never primary_contact, and never the status or role of an admin or
// another primary contact.
func CheckUserPatch(a domain.Actor, target domain.User, p domain.UserPatch) error {
	if a.IsAdmin() {
		return nil
	}
	self := a.Kind == domain.ActorUser && a.User.ID == target.ID
	managed := a.PrimaryOrg() != nil && !self
	switch {
	case p.PrimaryContact != nil:
		return forbidden("field_not_allowed", "only administrators can change primary_contact")
	case p.Role != nil && (self || !managed):
		return forbidden("field_not_allowed", "you cannot change this user's role")
	case (p.Status != nil || p.GroupIDs != nil) && !managed:
		return forbidden("field_not_allowed", "you can change only your own profile: first_name, last_name, phone, title")
	case (p.Status != nil || p.Role != nil) && (target.Role == domain.RoleAdmin || target.PrimaryContact):
		return forbidden("field_not_allowed", "only administrators can change the status or role of an admin or a primary contact")
	}
	return nil
}

func forbidden(code, detail string) error {
	return &domain.Error{Kind: domain.KindForbidden, Code: code, Detail: detail}
}
