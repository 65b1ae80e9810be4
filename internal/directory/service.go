// Package directory holds the use cases that keep the records promotion
// works on: organizations, accounts, contacts, users, groups, custom field
// definitions and mappings (with conversion previews) and ignored email
// domains.
package directory

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Tx runs fn in one transaction carried by ctx; WithinSavepoint runs it
// in a savepoint of that transaction (a transaction of its own when there
// is none), undone when fn fails or keep is false.
type Tx interface {
	WithinTx(ctx context.Context, fn func(ctx context.Context) error) error
	WithinSavepoint(ctx context.Context, keep bool, fn func(ctx context.Context) error) error
}

// Store is everything the directory needs from persistence.
type Store interface {
	Tx
	OrganizationStore
	AccountStore
	ContactStore
	UserStore
	GroupStore
	FieldStore
	FieldMappingStore
	IgnoredDomainStore
	AuditStore
	ImportStore
	APIKeyStore
}

// Events sends webhook events in the caller's transaction, one per value.
type Events interface {
	Emit(ctx context.Context, t domain.EventType, data ...any) error
}

// Service runs the directory use cases.
type Service struct {
	db     Store
	events Events // nil: no events
	now    func() time.Time
}

// New returns a Service over db.
func New(db Store) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// WithEvents makes the service send webhook events through e.
func (s *Service) WithEvents(e Events) *Service {
	s.events = e
	return s
}

func (s *Service) emit(ctx context.Context, t domain.EventType, data any) error {
	if s.events == nil {
		return nil
	}
	return s.events.Emit(ctx, t, data)
}

// subject names what a change touched, for the audit log.
type subject struct {
	typ string // e.g. "organization"
	id  string
	org *uuid.UUID // the organization touched, if any
}

// create stores a new record and audits "<typ>.created" in one transaction.
func (s *Service) create(ctx context.Context, subj subject, insert func(context.Context) error) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := insert(ctx); err != nil {
			return err
		}
		return s.record(ctx, subj.typ+".created", subj.typ, subj.id, subj.org, nil)
	})
}

// mutate is the read-modify-write every update shares: in one transaction,
// load the record with a row lock, check If-Match (0: none given), apply
// change, save with the version bumped, and audit "<typ>.updated". The
// save's version predicate backs up the lock, so no update is ever lost.
func mutate[T any](ctx context.Context, s *Service, ifMatch int64,
	load func(context.Context) (T, error),
	meta func(*T) (version *int64, updated *time.Time),
	change func(context.Context, *T) error,
	save func(context.Context, T, int64) error,
	about func(T) subject,
) (T, error) {
	var out T
	now := s.now()
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		v, err := load(ctx)
		if err != nil {
			return err
		}
		version, updated := meta(&v)
		prev := *version
		if ifMatch != 0 && ifMatch != prev {
			return domain.PreconditionFailed()
		}
		if err := change(ctx, &v); err != nil {
			return err
		}
		*version, *updated = prev+1, now
		if err := save(ctx, v, prev); err != nil {
			return err
		}
		out = v
		subj := about(v)
		return s.record(ctx, subj.typ+".updated", subj.typ, subj.id, subj.org, nil)
	})
	return out, err
}

// remove is the delete every resource shares: in one transaction, read
// the current version with a row lock (a missing record is 404), check
// If-Match, delete at that version, and audit "<typ>.deleted".
func (s *Service) remove(ctx context.Context, ifMatch int64,
	version func(context.Context) (int64, subject, error),
	del func(context.Context, int64) error,
) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		v, subj, err := version(ctx)
		if err != nil {
			return err
		}
		if ifMatch != 0 && ifMatch != v {
			return domain.PreconditionFailed()
		}
		if err := del(ctx, v); err != nil {
			return err
		}
		return s.record(ctx, subj.typ+".deleted", subj.typ, subj.id, subj.org, nil)
	})
}

// pageOf clamps a requested page size.
func pageOf(p domain.Page) domain.Page {
	if p.Limit <= 0 {
		p.Limit = domain.DefaultPageLimit
	}
	if p.Limit > domain.MaxPageLimit {
		p.Limit = domain.MaxPageLimit
	}
	return p
}

// invalid wraps field errors as one validation problem, or returns nil.
func invalid(fields []domain.FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return domain.Invalid("validation_failed", "the request body has invalid fields", fields...)
}
