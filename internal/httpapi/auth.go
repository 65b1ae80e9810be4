package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
)

// Authenticator turns a bearer token into an actor.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (domain.Actor, error)
}

const tokenKey = "portico.token"

// actorOf is the caller of the request.
func actorOf(c echo.Context) domain.Actor { return domain.ActorFrom(c.Request().Context()) }

// authenticate resolves "Authorization: Bearer <token>" into the actor of
// the request context; no header is an anonymous caller.
func authenticate(auth Authenticator) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			header := c.Request().Header.Get(echo.HeaderAuthorization)
			if header == "" {
				return next(c)
			}
			scheme, token, ok := strings.Cut(header, " ")
			token = strings.TrimSpace(token)
			if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
				return access.Unauthenticated("use the Authorization header as: Bearer <token>")
			}
			actor, err := auth.Authenticate(c.Request().Context(), token)
			if err != nil {
				return err
			}
			c.Set(tokenKey, token)
			req := c.Request()
			c.SetRequest(req.WithContext(domain.WithActor(req.Context(), actor)))
			return next(c)
		}
	}
}

// authorize applies a route's access rule.
func authorize(rule access.Rule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			read := c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead
			if err := access.Allow(actorOf(c), rule, read); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// sessionToken is the caller's session token, for signing out.
func sessionToken(c echo.Context) (string, error) {
	if actorOf(c).Kind != domain.ActorUser {
		return "", access.Unauthenticated("sign in first: POST /api/v1/sessions, then send Authorization: Bearer <token>")
	}
	token, _ := c.Get(tokenKey).(string)
	return token, nil
}

// scopeFilter narrows a list's organization filter to the caller's scope:
// a primary contact sees its organization only, and asking for another
// organization is 404.
func scopeFilter(c echo.Context, requested *uuid.UUID) (*uuid.UUID, error) {
	scope := access.Scope(actorOf(c))
	switch {
	case scope == nil:
		return requested, nil
	case requested != nil && *requested != *scope:
		return nil, domain.NotFound("organization", requested.String())
	}
	return scope, nil
}
