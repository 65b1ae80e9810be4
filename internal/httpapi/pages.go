package httpapi

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/letter"
	"github.com/portico/portico/internal/promotion"
)

//go:embed pages/token.html pages/page.css pages/page.js
var pageFiles embed.FS

var (
	tokenTemplate = template.Must(template.ParseFS(pageFiles, "pages/token.html"))
	pageStyle     = mustRead("pages/page.css")
	pageJS        = mustRead("pages/page.js")
	// pageCSP allows exactly the page's own style and script (by hash), and
	// requests to Portico only; nothing is loaded from elsewhere, and the
	// form cannot be sent natively (the script sends it as JSON).
	pageCSP = "default-src 'none'; style-src '" + sha256Source(pageStyle) + "'; script-src '" + sha256Source(pageJS) +
		"'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)

func mustRead(name string) string {
	b, err := pageFiles.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

// sha256Source is the CSP source expression that allows one inline block.
func sha256Source(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// tokenPageData fills the page behind an emailed link.
type tokenPageData struct {
	Kind                pageKind
	State               *pageState // nil: the link works and the form is shown
	Email, Organization string
	Expires, ExpiresISO string // set when the link expired
	PortalURL           string
	Style               template.CSS
	Script              template.JS
	Messages            template.JS // page.js's words in the page's language
}

// tokenPage serves the page an emailed link opens. It checks the link
// first, so a link that cannot work is explained before anything is
// typed, and it never spends the token: only the form's POST does.
// It speaks the person's language (see pageLang).
func (h *handlers) tokenPage(purpose string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var info promotion.TokenInfo
		token := c.QueryParam("token")
		if token != "" {
			var err error
			if info, err = h.promo.InspectToken(c.Request().Context(), purpose, token); err != nil {
				return err
			}
		}
		kind := linkPages[purpose][pageLang(c.Request(), info.Locale, h.promo.DefaultLocale())]
		data := tokenPageData{Kind: kind, PortalURL: h.portalURL, Style: template.CSS(pageStyle), Script: template.JS(pageJS),
			Messages: kind.Text.scriptMessages()}
		state := linkMissing
		if token != "" {
			data.Email, data.Organization = info.Email, info.Organization
			state = pageStateOf(kind, info)
			if info.Status == promotion.TokenExpired {
				data.Expires = letter.Date(kind.Lang, info.ExpiresAt)
				data.ExpiresISO = info.ExpiresAt.UTC().Format(time.RFC3339)
			}
		}
		status := http.StatusOK
		if s, ok := kind.states[state]; ok {
			data.State, status = &s, s.Status
		}
		var buf bytes.Buffer
		if err := tokenTemplate.Execute(&buf, data); err != nil {
			return err
		}
		hd := c.Response().Header()
		hd.Set("Cache-Control", "no-store")
		hd.Set("Content-Security-Policy", pageCSP)
		return c.HTMLBlob(status, buf.Bytes())
	}
}

// pageStateOf is what the page shows for a link: the form (valid) or why
// it cannot be used. An activation link of an account that is active by
// now says so, whatever became of the link.
func pageStateOf(kind pageKind, info promotion.TokenInfo) linkState {
	if kind.Purpose == domain.PurposeActivation && info.UserStatus == domain.UserActive {
		return linkAlreadyActive
	}
	return linkState(info.Status)
}

func (h *handlers) pages(e *echo.Echo) {
	e.GET("/activate", h.tokenPage(domain.PurposeActivation))
	e.GET("/reset-password", h.tokenPage(domain.PurposePasswordReset))
}
