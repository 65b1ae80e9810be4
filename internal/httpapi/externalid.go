package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// optional shows "" as null, as the other optional members are.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// externalIDParam reads the ?external_id= filter; stored ids are trimmed,
// so the parameter is too.
func externalIDParam(c echo.Context) string {
	return strings.TrimSpace(c.QueryParam("external_id"))
}
