// Package httpapi is Portico's HTTP edge: the Echo router, request decoding
// and validation, authentication, and the one place errors become problem
// documents.
//
//	@title						Portico API
//	@version					1.3.0
//	@description				Portico turns contacts into users (and back) for partner, distributor and customer portals. Every error is an RFC 9457 problem document (application/problem+json) with a machine-readable code.
//	@BasePath					/
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by the admin token, an API key or a session token.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	_ "github.com/portico/portico/docs" // registers swag's Swagger 2.0 document (/swagger/doc.json)
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/webhook"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is what the HTTP layer needs from the rest of the service.
type Deps struct {
	Logger    *slog.Logger
	DB        Pinger
	BodyLimit int64 // bytes; larger request bodies get 413
	// ImportBodyLimit bounds the body of an import instead (bytes).
	ImportBodyLimit int64
	Metrics         []prometheus.Collector // extra collectors, e.g. database pool stats
	Directory       *directory.Service
	Promotion       *promotion.Service
	Webhooks        *webhook.Service
	Auth            Authenticator
	Limits          RateLimits
	// Idempotency keeps Idempotency-Key answers; nil ignores the header.
	Idempotency Idempotency
	// BulkSyncLimit: bulk selections up to this size answer at once,
	// larger ones run as jobs (0: every one is a job).
	BulkSyncLimit int
	// CORSOrigins are the SPA origins allowed to call the API; "*" allows
	// any origin (then never with credentials).
	CORSOrigins []string
	// PublicURL is where clients reach Portico (PORTICO_PUBLIC_URL); the
	// type of every problem is PublicURL + "/problems/" + code.
	PublicURL string
	// PortalURL is the portal's sign-in page, linked from the activation
	// and password-reset pages once a password is set; empty: no link.
	PortalURL string
}

// New builds the router with every middleware and route.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(d.Logger, d.PublicURL)
	e.Binder = nil // handlers decode through decodeJSON, never Echo's binder

	e.IPExtractor = echo.ExtractIPDirect() // rate limits key on the peer, not on spoofable headers

	m := newMetrics(d.Metrics...)
	e.Use(requestID, accessLog(d.Logger), m.middleware, recoverPanic, securityHeaders, bodyLimit(d.BodyLimit, d.ImportBodyLimit))
	if len(d.CORSOrigins) > 0 {
		e.Use(cors(d.CORSOrigins))
	}

	e.GET("/healthz", healthz)
	e.GET("/readyz", readyz(d.DB))
	e.GET("/metrics", echo.WrapHandler(m.handler()))
	apiDocs(e, d.PublicURL)
	problemPages(e, d.PublicURL)
	byClient, byAccount := newLimiters(d.Limits, d.DB)
	h := &handlers{dir: d.Directory, promo: d.Promotion, hooks: d.Webhooks, byClient: byClient, byAccount: byAccount,
		keys: d.Idempotency, syncLimit: d.BulkSyncLimit, portalURL: d.PortalURL}
	h.pages(e)
	h.routes(e.Group("/api/v1", authenticate(d.Auth)))
	return e
}

// Server returns an http.Server for the router with conservative timeouts.
func Server(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
}
