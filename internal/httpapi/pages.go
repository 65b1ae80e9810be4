package httpapi

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
)

//go:embed pages/token.html
var pageFiles embed.FS

var tokenPage = template.Must(template.ParseFS(pageFiles, "pages/token.html"))

// tokenPageData fills the page behind an emailed link.
type tokenPageData struct {
	Title, Button, Endpoint, Done string
}

// tokenPageHandler serves the page an emailed link opens. Opening it does
// not use the token: only the form's POST does.
func tokenPageHandler(data tokenPageData) echo.HandlerFunc {
	var buf bytes.Buffer
	if err := tokenPage.Execute(&buf, data); err != nil {
		panic(err) // the template and data are fixed at build time
	}
	body := buf.Bytes()
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'")
		return c.HTMLBlob(http.StatusOK, body)
	}
}

func (h *handlers) pages(e *echo.Echo) {
	e.GET("/activate", tokenPageHandler(tokenPageData{Title: "Activate your account", Button: "Activate",
		Endpoint: "/api/v1/activations", Done: "Your account is active. You can sign in now."}))
	e.GET("/reset-password", tokenPageHandler(tokenPageData{Title: "Choose a new password", Button: "Save password",
		Endpoint: "/api/v1/password-resets/confirm", Done: "Your password is changed. You can sign in now."}))
}
