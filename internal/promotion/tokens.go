package promotion

import (
	"context"
	"time"

	"github.com/portico/portico/internal/domain"
)

// TokenStatus is what an emailed link can still do.
type TokenStatus string

// The token statuses. Used, expired, superseded and revoked links no
// longer work; each needs a different next step, so each has its own.
const (
	TokenValid      TokenStatus = "valid"      // the link works
	TokenUsed       TokenStatus = "used"       // the link worked once already
	TokenExpired    TokenStatus = "expired"    // the link's time ran out
	TokenSuperseded TokenStatus = "superseded" // a newer link was sent to the same account
	TokenRevoked    TokenStatus = "revoked"    // withdrawn: the invitation was revoked, or the person is no longer a portal user
	TokenUnknown    TokenStatus = "unknown"    // no such link (mistyped or cut short)
)

// TokenInfo is what a link's page shows before anything is typed.
type TokenInfo struct {
	Status TokenStatus
	// Email and Organization name the account the link is for; empty when
	// the link is unknown or the person is no longer a user.
	Email        string
	Organization string
	UserStatus   domain.UserStatus // empty when Email is
	ExpiresAt    time.Time         // zero when the link is unknown
	Locale       string            // the person's language; empty when unknown
}

// tokenState is the status of a stored token at now, in the order redeem
// refuses them: a used link is reported as used even once it expired.
func tokenState(t domain.Token, now time.Time) TokenStatus {
	switch {
	case t.UsedAt != nil:
		return TokenUsed
	case t.Invitation == domain.InvitationRevoked:
		return TokenRevoked
	case t.RevokedAt != nil:
		return TokenSuperseded
	case !now.Before(t.ExpiresAt):
		return TokenExpired
	}
	return TokenValid
}

// maxTokenLength bounds what is looked up: issued tokens are 43 characters.
const maxTokenLength = 128

// InspectToken tells what a link of purpose can still do and whose account
// it is for, without spending it: opening the page behind a link (as mail
// scanners do) must leave it working.
func (s *Service) InspectToken(ctx context.Context, purpose, token string) (TokenInfo, error) {
	if token == "" || len(token) > maxTokenLength {
		return TokenInfo{Status: TokenUnknown}, nil
	}
	t, err := s.db.TokenByHash(ctx, purpose, domain.HashSecret(token), false)
	if err != nil {
		if _, ok := domain.AsError(err); ok {
			return TokenInfo{Status: TokenUnknown}, nil
		}
		return TokenInfo{}, err
	}
	info := TokenInfo{Status: tokenState(t, s.now()), ExpiresAt: t.ExpiresAt}
	user, err := s.db.GetUser(ctx, t.PersonID, false)
	if err != nil {
		if _, ok := domain.AsError(err); !ok {
			return TokenInfo{}, err
		}
		// demoted since: its links were withdrawn with its credentials
		if info.Status == TokenSuperseded {
			info.Status = TokenRevoked
		}
		return info, nil
	}
	info.Email, info.UserStatus, info.Locale = user.Email, user.Status, user.Locale
	if user.OrganizationID != nil {
		org, err := s.db.GetOrganization(ctx, *user.OrganizationID, false)
		if err != nil {
			return TokenInfo{}, err
		}
		info.Organization = org.Name
	}
	return info, nil
}
