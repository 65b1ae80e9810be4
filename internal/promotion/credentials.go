package promotion

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/portico/portico/internal/domain"
)

// checkPassword is the password policy: at least 12 characters, at most 72
// bytes (bcrypt's limit), and not the email address.
func checkPassword(password, email string) error {
	fail := func(code, msg string) error {
		return domain.Invalid("password_too_weak", msg, domain.FieldError{Field: "password", Code: code, Message: msg})
	}
	switch {
	case utf8.RuneCountInString(password) < 12:
		return fail("min_length", "the password must have at least 12 characters")
	case len(password) > 72:
		return fail("max_length", "the password must have at most 72 bytes")
	case strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return fail("equals_email", "the password must not be the email address")
	}
	return nil
}

// redeem checks a token of purpose and marks it used, in the caller's
// transaction. Unknown tokens are 422; used, superseded or expired ones 410.
func (s *Service) redeem(ctx context.Context, purpose, token string) (domain.Token, error) {
	t, err := s.db.TokenByHash(ctx, purpose, domain.HashSecret(token), true)
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
			return t, domain.Invalid("token_invalid", "this link is not valid; check that it was copied whole").
				WithResolution("open the newest email, or ask for a new one")
		}
		return t, err
	}
	gone := func(code, detail string) error {
		return &domain.Error{Kind: domain.KindGone, Code: code, Detail: detail,
			Resolution: "ask an administrator to resend the activation email, or request a new password reset"}
	}
	switch tokenState(t, s.now()) {
	case TokenUsed:
		return t, gone("token_used", "this link was used already; links work once")
	case TokenSuperseded:
		return t, gone("token_superseded", "a newer link was sent; only the newest one works")
	case TokenRevoked:
		return t, &domain.Error{Kind: domain.KindGone, Code: "token_revoked", Detail: "this invitation was withdrawn by an administrator",
			Resolution: "ask an administrator or your organization's primary contact for a new invitation"}
	case TokenExpired:
		return t, gone("token_expired", "this link expired on "+t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	ok, err := s.db.UseToken(ctx, t.ID)
	if err != nil {
		return t, err
	}
	if !ok {
		return t, gone("token_used", "this link was used already; links work once")
	}
	return t, nil
}

// Activate sets the password of a pending user from an activation link and
// makes the user active.
func (s *Service) Activate(ctx context.Context, token, password string) (domain.User, error) {
	var user domain.User
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		t, err := s.redeem(ctx, domain.PurposeActivation, token)
		if err != nil {
			return err
		}
		if user, err = s.db.GetUser(ctx, t.PersonID, true); err != nil {
			return err
		}
		if err := checkPassword(password, user.Email); err != nil {
			return err
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cfg.BcryptCost)
		if err != nil {
			return err
		}
		if err := s.db.SetPassword(ctx, user.ID, string(hash), true); err != nil {
			return err
		}
		if err := s.db.AcceptInvitation(ctx, t.ID, s.now()); err != nil {
			return err
		}
		if user, err = s.db.GetUser(ctx, user.ID, false); err != nil {
			return err
		}
		if err := s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: "user:" + user.ID.String(), Action: "user.activated",
			SubjectType: "user", SubjectID: user.ID.String(), OrganizationID: user.OrganizationID}); err != nil {
			return err
		}
		return s.events.Emit(ctx, domain.EventUserActivated, user)
	})
	return user, err
}

// Session is a signed-in user's session; Token is shown once.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      domain.User
}

// errBadCredentials is the one answer to every failed sign-in.
func errBadCredentials() error {
	return &domain.Error{Kind: domain.KindUnauthorized, Code: "invalid_credentials",
		Detail: "the email or password is wrong, or the account cannot sign in"}
}

// SignIn opens a session for an active user of an active organization.
// Every failure does the same work, one lookup and one bcrypt comparison at
// the configured cost (against the dummy hash when there is no password to
// compare), so the answer's timing does not tell an active account from a
// pending, disabled or demoted one, or from an unknown email.
func (s *Service) SignIn(ctx context.Context, email, password string) (Session, error) {
	cred, err := s.db.UserCredentials(ctx, email)
	if err != nil {
		return Session{}, err
	}
	hash := s.dummyHash
	if cred != nil && cred.PasswordHash != "" {
		hash = []byte(cred.PasswordHash)
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if cred == nil || !match || cred.PasswordHash == "" || cred.User.Status != domain.UserActive ||
		cred.OrganizationStatus != domain.OrgActive {
		return Session{}, errBadCredentials()
	}
	token, tokenHash := domain.NewSecret()
	expires := s.now().Add(s.cfg.SessionTTL)
	if err := s.db.CreateSession(ctx, cred.User.ID, tokenHash, expires); err != nil {
		return Session{}, err
	}
	user, err := s.db.GetUser(ctx, cred.User.ID, false)
	return Session{Token: token, ExpiresAt: expires, User: user}, err
}

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.db.DeleteSession(ctx, domain.HashSecret(token))
}

// ConfirmPasswordReset sets a new password from a reset link and ends every
// session of the user.
func (s *Service) ConfirmPasswordReset(ctx context.Context, token, password string) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		t, err := s.redeem(ctx, domain.PurposePasswordReset, token)
		if err != nil {
			return err
		}
		user, err := s.db.GetUser(ctx, t.PersonID, true)
		if err != nil {
			return err
		}
		if err := checkPassword(password, user.Email); err != nil {
			return err
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cfg.BcryptCost)
		if err != nil {
			return err
		}
		if err := s.db.SetPassword(ctx, user.ID, string(hash), false); err != nil {
			return err
		}
		if err := s.db.RevokeCredentials(ctx, user.ID); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: "user:" + user.ID.String(), Action: "user.password_reset",
			SubjectType: "user", SubjectID: user.ID.String(), OrganizationID: user.OrganizationID})
	})
}
