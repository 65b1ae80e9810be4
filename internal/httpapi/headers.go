package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// securityHeaders sets the headers every answer carries; API answers also
// forbid framing, any active content, and caching of personal data.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// cors lets the SPA's origins call the API with a bearer token. With "*"
// any origin may, and credentials are never allowed with it.
func cors(origins []string) echo.MiddlewareFunc {
	wildcard := len(origins) == 1 && origins[0] == "*"
	return middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:     origins,
		AllowMethods:     []string{"GET", "POST", "PATCH", "DELETE", "OPTIONS"},
		AllowHeaders:     []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "Idempotency-Key", HeaderRequestID},
		ExposeHeaders:    []string{"ETag", echo.HeaderLocation, HeaderRequestID, "Retry-After"},
		AllowCredentials: !wildcard,
		MaxAge:           600,
	})
}
