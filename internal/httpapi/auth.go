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

// ownerFunc finds the organization of the record with id (nil: none).
type ownerFunc func(ctx context.Context, id uuid.UUID) (*uuid.UUID, error)

// recordOwner says how to find the organization of the record a route
// names by :id, and the record's name for a 404; routes whose records
// belong to no organization (groups, accounts, keys, fields) get nil.
// Promotion jobs are scoped to whoever started them (scopedJob in jobaccess.go).
func (h *handlers) recordOwner(path string) (string, ownerFunc) {
	switch {
	case strings.HasPrefix(path, "/organizations/:id"):
		return "organization", func(_ context.Context, id uuid.UUID) (*uuid.UUID, error) { return &id, nil }
	case strings.HasPrefix(path, "/contacts/:id"):
		return "contact", func(ctx context.Context, id uuid.UUID) (*uuid.UUID, error) {
			c, err := h.dir.GetContact(ctx, id)
			return c.OrganizationID, err
		}
	case strings.HasPrefix(path, "/invitations/:id"):
		return "invitation", func(ctx context.Context, id uuid.UUID) (*uuid.UUID, error) {
			inv, err := h.promo.Invitation(ctx, id)
			return inv.OrganizationID, err
		}
	case strings.HasPrefix(path, "/users/:id"):
		return "user", func(ctx context.Context, id uuid.UUID) (*uuid.UUID, error) {
			u, err := h.dir.GetUser(ctx, id)
			return u.OrganizationID, err
		}
	}
	return "", nil
}

// scopeRecord answers 404 to a primary contact for a record that is not of
// its organization (or does not exist), whatever the operation, before the
// route's rule is asked: a 403 would tell that the id exists elsewhere.
// Its own organization's records go on to the rule, which may still be 403.
func scopeRecord(resource string, owner ownerFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := actorOf(c)
			if access.Scope(a) == nil {
				return next(c)
			}
			id, err := pathID(c, "id", resource)
			if err != nil {
				return err
			}
			org, err := owner(c.Request().Context(), id)
			if err != nil {
				return err
			}
			if err := access.InScope(a, org, resource, id); err != nil {
				return err
			}
			return next(c)
		}
	}
}
