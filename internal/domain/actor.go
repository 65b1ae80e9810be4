package domain

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// ActorKind is what kind of caller an Actor is.
type ActorKind string

// The kinds of caller.
const (
	ActorAnonymous ActorKind = "anonymous"
	ActorAdmin     ActorKind = "admin"   // the bootstrap admin token
	ActorAPIKey    ActorKind = "api_key" // an integrator's key
	ActorUser      ActorKind = "user"    // a signed-in user
	ActorSystem    ActorKind = "system"  // the service itself
)

// Actor is who performs an action.
type Actor struct {
	Kind    ActorKind
	KeyName string  // ActorAPIKey
	KeyRole APIRole // ActorAPIKey
	User    *User   // ActorUser
	OrgKind OrgKind // ActorUser: the kind of the user's organization
}

// String is the actor as the audit log records it.
func (a Actor) String() string {
	switch a.Kind {
	case ActorAdmin:
		return "admin-token"
	case ActorAPIKey:
		return "api-key:" + a.KeyName
	case ActorUser:
		return "user:" + a.User.ID.String()
	case ActorSystem:
		return "system"
	}
	return "anonymous"
}

// IsAdmin reports full rights: the admin token, an admin API key, or a
// user with role admin.
func (a Actor) IsAdmin() bool {
	switch a.Kind {
	case ActorAdmin, ActorSystem:
		return true
	case ActorAPIKey:
		return a.KeyRole == APIRoleAdmin
	case ActorUser:
		return a.User.Role == RoleAdmin
	}
	return false
}

// PrimaryOrg is the organization a partner's or distributor's primary
// contact manages, or nil for everyone else.
func (a Actor) PrimaryOrg() *uuid.UUID {
	if a.Kind != ActorUser || !a.User.PrimaryContact || a.User.OrganizationID == nil ||
		(a.OrgKind != OrgPartner && a.OrgKind != OrgDistributor) {
		return nil
	}
	return a.User.OrganizationID
}

type actorKey struct{}

// WithActor returns a context carrying the actor, for audit and policy.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx (anonymous when none).
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: ActorAnonymous}
}

// APIRole is what an API key may do.
type APIRole string

// The API key roles.
const (
	APIRoleAdmin    APIRole = "admin"    // everything an admin may do
	APIRoleReadOnly APIRole = "readonly" // read every resource, change nothing
)

// APIKeyPrefix starts every API key, so a key is told from a session
// token without a lookup.
const APIKeyPrefix = "pk_"

// APIKey is an integrator's credential; the key itself is shown once.
type APIKey struct {
	ID         uuid.UUID
	Name       string
	Role       APIRole
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}
