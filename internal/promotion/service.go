// Package promotion holds the contact ↔ user use cases: promote (creating
// the organization from an account when needed), invite, activate, sign
// in, reset a password, resend, and demote.
package promotion

import (
	"context"
	"log/slog"
	"runtime"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/portico/portico/internal/domain"
)

// Store is what promotion needs from persistence.
type Store interface {
	WithinTx(ctx context.Context, fn func(ctx context.Context) error) error

	GetPerson(ctx context.Context, id uuid.UUID, lock bool) (domain.User, bool, error)
	GetUser(ctx context.Context, id uuid.UUID, lock bool) (domain.User, error)
	GetOrganization(ctx context.Context, id uuid.UUID, lock bool) (domain.Organization, error)
	GetAccount(ctx context.Context, id uuid.UUID, lock bool) (domain.Account, error)
	OrganizationOfAccount(ctx context.Context, accountID uuid.UUID) (*domain.Organization, error)
	ContactWithEmail(ctx context.Context, email string, except uuid.UUID) (*uuid.UUID, error)
	EmailHolders(ctx context.Context, email, dom string) (user, org *uuid.UUID, err error)
	SmartGroups(ctx context.Context) ([]domain.Group, error)
	MissingGroups(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error)
	LockGroups(ctx context.Context, ids []uuid.UUID) (missing []uuid.UUID, err error)
	FieldDefinitions(ctx context.Context, entity domain.FieldEntity) ([]domain.FieldDefinition, error)
	FieldMappings(ctx context.Context) ([]domain.FieldMapping, error)

	ConvertAccount(ctx context.Context, o domain.Organization) (domain.Organization, bool, error)
	PromoteContact(ctx context.Context, u domain.User) error
	DemoteUser(ctx context.Context, id uuid.UUID, version int64) error
	AddMemberships(ctx context.Context, personID uuid.UUID, kept, manual, smart []uuid.UUID) error
	// InsertJob enqueues a background job in the caller's transaction.
	InsertJob(ctx context.Context, args domain.JobArgs) error

	CredentialStore
	BatchStore
	SelectionStore
	JobStore
	InvitationStore
}

// CredentialStore keeps tokens, passwords and sessions.
type CredentialStore interface {
	IssueToken(ctx context.Context, personID uuid.UUID, purpose, hash string, expires time.Time) error
	Invite(ctx context.Context, t domain.NewToken, m domain.Email) error
	TokenByHash(ctx context.Context, purpose, hash string, lock bool) (domain.Token, error)
	UseToken(ctx context.Context, id uuid.UUID) (bool, error)
	RevokeCredentials(ctx context.Context, personID uuid.UUID) error
	UserCredentials(ctx context.Context, email string) (*domain.Credentials, error)
	SetPassword(ctx context.Context, id uuid.UUID, hash string, activate bool) error
	CreateSession(ctx context.Context, personID uuid.UUID, hash string, expires time.Time) error
	DeleteSession(ctx context.Context, hash string) error
}

// Outbox queues mail in the caller's transaction.
type Outbox interface {
	EnqueueEmail(ctx context.Context, m domain.Email) error
}

// AuditLog records events in the caller's transaction.
type AuditLog interface {
	RecordAudit(ctx context.Context, e domain.AuditEvent) error
}

// Events sends webhook events in the caller's transaction, one per value.
type Events interface {
	Emit(ctx context.Context, t domain.EventType, data ...any) error
}

type noEvents struct{}

func (noEvents) Emit(context.Context, domain.EventType, ...any) error { return nil }

// Config holds the promotion settings.
type Config struct {
	PublicURL     string        // base of links in emails
	ActivationTTL time.Duration // how long an activation link works
	ResetTTL      time.Duration // how long a password reset link works
	// InvitationMaxTTL bounds the invitation_ttl of a request (default 30 days).
	InvitationMaxTTL time.Duration
	// DefaultLocale is the language of people with none (default en).
	DefaultLocale string
	SessionTTL    time.Duration  // how long a session lasts
	BcryptCost    int            // password hashing cost (bcrypt's 4..31; 0 selects 12)
	ConvertedKind domain.OrgKind // kind of organizations created from accounts
	// Concurrency bounds the promotions writing at once (default twice the
	// CPUs). Transactions beyond a few per core only add contention; a
	// FIFO queue in front keeps the latency tail flat under load.
	Concurrency int
	// Logger receives what the service logs; nil uses slog.Default().
	Logger *slog.Logger
	// Events receives the webhook events of every change; nil sends none.
	Events Events
}

// Service runs the promotion use cases.
type Service struct {
	db        Store
	outbox    Outbox
	audit     AuditLog
	events    Events
	cfg       Config
	now       func() time.Time
	admission *admission // of writing promotions
	log       *slog.Logger
	// dummyHash is compared when a sign-in has no password hash to compare
	// (unknown email, pending user), made once with the configured cost so
	// that every failed sign-in costs the same.
	dummyHash []byte
}

// New returns a Service. outbox and audit are usually the same store as
// db; they are separate so that their step can be replaced in tests.
func New(db Store, outbox Outbox, audit AuditLog, cfg Config) *Service {
	if cfg.ActivationTTL == 0 {
		cfg.ActivationTTL = 7 * 24 * time.Hour
	}
	if cfg.ResetTTL == 0 {
		cfg.ResetTTL = time.Hour
	}
	if cfg.InvitationMaxTTL == 0 {
		cfg.InvitationMaxTTL = 30 * 24 * time.Hour
	}
	if cfg.DefaultLocale == "" {
		cfg.DefaultLocale = "en"
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = 12
	}
	cfg.BcryptCost = max(bcrypt.MinCost, min(cfg.BcryptCost, bcrypt.MaxCost))
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Events == nil {
		cfg.Events = noEvents{}
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("portico-timing-equalizer"), cfg.BcryptCost)
	if err != nil { // only a cost outside bcrypt's range fails, and the cost was clamped
		panic("promotion: dummy password hash: " + err.Error())
	}
	return &Service{db: db, outbox: outbox, audit: audit, events: cfg.Events, cfg: cfg, admission: newAdmission(cfg.Concurrency),
		log: cfg.Logger, dummyHash: dummy,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
