// Package access decides who is calling and what they may do: bearer
// tokens become actors, and one policy answers every authorization
// question the handlers ask.
package access

import (
	"context"
	"crypto/subtle"
	"strings"

	"github.com/portico/portico/internal/domain"
)

// Store resolves credentials.
type Store interface {
	APIKeyByHash(ctx context.Context, hash string) (*domain.APIKey, error)
	SessionActor(ctx context.Context, hash string) (*domain.Actor, error)
}

// Authenticator turns bearer tokens into actors.
type Authenticator struct {
	db         Store
	adminToken []byte
}

// NewAuthenticator returns an Authenticator; an empty adminToken disables
// the bootstrap token.
func NewAuthenticator(db Store, adminToken string) *Authenticator {
	return &Authenticator{db: db, adminToken: []byte(adminToken)}
}

// Authenticate resolves a bearer token: the admin token (compared in
// constant time), an API key, or a session token. Unknown, expired and
// revoked tokens are 401.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (domain.Actor, error) {
	if len(a.adminToken) > 0 && subtle.ConstantTimeCompare([]byte(token), a.adminToken) == 1 {
		return domain.Actor{Kind: domain.ActorAdmin}, nil
	}
	if strings.HasPrefix(token, domain.APIKeyPrefix) {
		key, err := a.db.APIKeyByHash(ctx, domain.HashSecret(token))
		if err != nil {
			return domain.Actor{}, err
		}
		if key != nil {
			return domain.Actor{Kind: domain.ActorAPIKey, KeyName: key.Name, KeyRole: key.Role}, nil
		}
		return domain.Actor{}, Unauthenticated("the API key is unknown or revoked")
	}
	actor, err := a.db.SessionActor(ctx, domain.HashSecret(token))
	if err != nil {
		return domain.Actor{}, err
	}
	if actor == nil {
		return domain.Actor{}, Unauthenticated("the token is unknown, expired or revoked; sign in again")
	}
	return *actor, nil
}

// Unauthenticated is the 401 for missing or bad credentials.
func Unauthenticated(detail string) error {
	return &domain.Error{Kind: domain.KindUnauthorized, Code: "unauthenticated", Detail: detail}
}
