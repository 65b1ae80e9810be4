package httpapi

import (
	"context"
	"crypto/subtle"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// Sessions resolves session tokens.
type Sessions interface {
	SessionUser(ctx context.Context, token string) (*domain.User, error)
}

// principal is who is calling.
type principal struct {
	kind  string       // "anonymous", "admin", "user"
	user  *domain.User // for kind "user"
	token string       // the bearer token, for signing out
}

func (p principal) actor() string {
	switch p.kind {
	case "admin":
		return "admin-token"
	case "user":
		return "user:" + p.user.ID.String()
	}
	return "anonymous"
}

const principalKey = "portico.principal"

func principalOf(c echo.Context) principal {
	if p, ok := c.Get(principalKey).(principal); ok {
		return p
	}
	return principal{kind: "anonymous"}
}

// authenticate resolves "Authorization: Bearer <token>": the admin token
// (compared in constant time) or a session token. A token that is neither
// is 401; no header is an anonymous caller.
func authenticate(adminToken string, sessions Sessions) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			header := c.Request().Header.Get(echo.HeaderAuthorization)
			if header == "" {
				return next(c)
			}
			scheme, token, ok := strings.Cut(header, " ")
			token = strings.TrimSpace(token)
			if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
				return errUnauthenticated("use the Authorization header as: Bearer <token>")
			}
			if adminToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(adminToken)) == 1 {
				c.Set(principalKey, principal{kind: "admin", token: token})
				return next(c)
			}
			user, err := sessions.SessionUser(c.Request().Context(), token)
			if err != nil {
				return err
			}
			if user == nil {
				return errUnauthenticated("the token is unknown, expired or revoked; sign in again")
			}
			c.Set(principalKey, principal{kind: "user", user: user, token: token})
			return next(c)
		}
	}
}

func errUnauthenticated(detail string) error {
	return &domain.Error{Kind: domain.KindUnauthorized, Code: "unauthenticated", Detail: detail}
}

// requireUser answers 401 unless the caller is a signed-in user.
func requireUser(c echo.Context) (principal, error) {
	p := principalOf(c)
	if p.kind != "user" {
		return p, errUnauthenticated("sign in first: POST /api/v1/sessions, then send Authorization: Bearer <token>")
	}
	return p, nil
}
