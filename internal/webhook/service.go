// Package webhook sends Portico's events to the endpoints that subscribe
// to them, the Standard Webhooks way: Emit writes one delivery per
// subscribed, enabled endpoint and enqueues its River job in the
// transaction of the change, so a rolled-back change sends nothing; the
// job signs the body with the official library and POSTs it, and River
// retries failures with backoff for about three days. Delivery is at
// least once, in no promised order.
package webhook

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Store is what webhooks need from persistence.
type Store interface {
	WithinTx(ctx context.Context, fn func(ctx context.Context) error) error
	CreateWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint) error
	SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint) error
	GetWebhookEndpoint(ctx context.Context, id uuid.UUID, lock bool) (domain.WebhookEndpoint, error)
	ListWebhookEndpoints(ctx context.Context, p domain.Page) ([]domain.WebhookEndpoint, bool, error)
	DeleteWebhookEndpoint(ctx context.Context, id uuid.UUID) error
	SubscribedEndpoints(ctx context.Context, t domain.EventType) ([]uuid.UUID, error)
	AddWebhookDeliveries(ctx context.Context, ds []domain.WebhookDelivery) error
	GetWebhookDelivery(ctx context.Context, id uuid.UUID) (domain.WebhookDelivery, error)
	ListWebhookDeliveries(ctx context.Context, endpoint uuid.UUID, p domain.Page) ([]domain.WebhookDelivery, bool, error)
	RecordWebhookAttempt(ctx context.Context, id uuid.UUID, n int, a domain.Attempt) error
	GiveUpWebhookDelivery(ctx context.Context, id uuid.UUID, reason string, at time.Time) error
	RequeueWebhookDelivery(ctx context.Context, endpoint, id uuid.UUID) (domain.WebhookDelivery, error)
	MarkEndpointAttempt(ctx context.Context, id uuid.UUID, succeeded bool, at time.Time) (domain.WebhookEndpoint, error)
	RecordAudit(ctx context.Context, e domain.AuditEvent) error
}

// Encoder turns an event's domain value into the resource as the API
// shows it (the httpapi package provides it).
type Encoder func(data any) (any, error)

// Config holds the webhook settings.
type Config struct {
	// SecretKey seals signing secrets (PORTICO_SECRET_KEY, 32 bytes); nil
	// refuses webhook endpoints with webhooks_not_configured.
	SecretKey []byte
	// AllowPrivate lets endpoints reach loopback and private addresses
	// (PORTICO_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
	// Resolver looks endpoint hosts up (net.DefaultResolver when nil).
	Resolver Resolver
	// Timeout bounds one delivery attempt (default 10s).
	Timeout time.Duration
	// DisableAfter disables an endpoint failing this long (default 72h).
	DisableAfter time.Duration
	// RotationGrace is how long the previous secret still signs after a
	// rotation (default 24h).
	RotationGrace time.Duration
	Encode        Encoder
	Logger        *slog.Logger
}

// Service runs the webhook use cases and deliveries.
type Service struct {
	db      Store
	cfg     Config
	sealer  *sealer // nil: not configured
	guard   guard
	client  *http.Client
	metrics *Metrics
	log     *slog.Logger
	now     func() time.Time
}

// New returns a Service; a key of the wrong size is an error.
func New(db Store, cfg Config) (*Service, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.DisableAfter == 0 {
		cfg.DisableAfter = 72 * time.Hour
	}
	if cfg.RotationGrace == 0 {
		cfg.RotationGrace = 24 * time.Hour
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{db: db, cfg: cfg, guard: guard{allowPrivate: cfg.AllowPrivate, resolver: cfg.Resolver},
		metrics: newMetrics(), log: cfg.Logger,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	if cfg.SecretKey != nil {
		var err error
		if s.sealer, err = newSealer(cfg.SecretKey); err != nil {
			return nil, err
		}
	}
	s.client = s.guard.client(cfg.Timeout)
	return s, nil
}

// Metrics returns the deliveries' collectors for /metrics.
func (s *Service) Metrics() *Metrics { return s.metrics }

// errNotConfigured refuses webhook work without PORTICO_SECRET_KEY.
func errNotConfigured() error {
	return domain.Conflict("webhooks_not_configured",
		"webhooks need PORTICO_SECRET_KEY, the key that encrypts their signing secrets, and this server has none").
		WithResolution("Set PORTICO_SECRET_KEY to 32 random bytes in base64 (openssl rand -base64 32) and restart Portico.")
}

func (s *Service) configured() error {
	if s.sealer == nil {
		return errNotConfigured()
	}
	return nil
}
