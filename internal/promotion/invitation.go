package promotion

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/letter"
)

// InvitationStore keeps invitations, their bulk resend jobs and the
// email template overrides.
type InvitationStore interface {
	AddInvitations(ctx context.Context, invs []domain.Invitation) error
	AcceptInvitation(ctx context.Context, tokenID uuid.UUID, at time.Time) error
	MoveInvitations(ctx context.Context, userIDs []uuid.UUID, ev domain.InvitationEvent, at time.Time) (int64, error)
	ExpireInvitations(ctx context.Context, now time.Time) ([]domain.Invitation, error)
	SaveInvitationStatus(ctx context.Context, inv domain.Invitation, from domain.InvitationStatus) error
	RevokeToken(ctx context.Context, id uuid.UUID) error
	GetInvitation(ctx context.Context, id uuid.UUID, lock bool) (domain.Invitation, error)
	ListInvitations(ctx context.Context, f domain.InvitationFilter, p domain.Page) ([]domain.Invitation, bool, error)
	SelectInvitations(ctx context.Context, f domain.InvitationFilter, limit int) ([]domain.Invitation, error)
	InvitationsByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.Invitation, error)
	CurrentInvitations(ctx context.Context, userIDs []uuid.UUID) (map[uuid.UUID]domain.Invitation, error)
	LockUsers(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.User, error)
	ApplyResends(ctx context.Context, b domain.ResendBatch) error

	EmailTemplates(ctx context.Context, kind domain.EmailKind) (map[string]domain.EmailTemplate, error)
	PutEmailTemplate(ctx context.Context, t domain.EmailTemplate) (bool, error)
	DeleteEmailTemplate(ctx context.Context, kind domain.EmailKind, locale string) error

	CreateInvitationJob(ctx context.Context, j domain.InvitationJob, invitations []uuid.UUID) error
	GetInvitationJob(ctx context.Context, id uuid.UUID) (domain.InvitationJob, error)
	InvitationJobItems(ctx context.Context, id uuid.UUID, after, limit int, pending bool) ([]domain.ResendItem, bool, error)
	StartInvitationJob(ctx context.Context, id uuid.UUID) (*domain.InvitationJob, error)
	RecordResends(ctx context.Context, jobID uuid.UUID, items []domain.ResendItem) error
	FinishInvitationJob(ctx context.Context, id uuid.UUID, status, cause string) error
}

// CheckInvitation refuses a TTL outside (0, PORTICO_INVITATION_MAX_TTL]
// (0 means the default) and a welcome note that is too long.
func (s *Service) CheckInvitation(o domain.InvitationOptions) error {
	if o.TTL < 0 || o.TTL > s.cfg.InvitationMaxTTL {
		return domain.ErrInvitationTTL(o.TTL, s.cfg.InvitationMaxTTL)
	}
	if n := utf8.RuneCountInString(o.Message); n > domain.MaxInvitationMessage {
		return domain.Invalid("validation_failed", "the message is too long",
			domain.FieldError{Field: "message", Code: "max_length", Message: "message must have at most 2000 characters"})
	}
	return nil
}

// ttl is how long an invitation's link works.
func (s *Service) ttl(o domain.InvitationOptions) time.Duration {
	if o.TTL > 0 {
		return o.TTL
	}
	return min(s.cfg.ActivationTTL, s.cfg.InvitationMaxTTL)
}

// DefaultLocale is the language of people with none.
func (s *Service) DefaultLocale() string { return s.cfg.DefaultLocale }

// writer writes one kind of email for one actor: the overrides are read
// once per batch, and so is the inviter's name.
type writer struct {
	book    letter.Book
	inviter string
}

func (s *Service) writer(ctx context.Context, kind domain.EmailKind, actor string) (writer, error) {
	overrides, err := s.db.EmailTemplates(ctx, kind)
	if err != nil {
		return writer{}, err
	}
	w := writer{book: letter.Book{Kind: kind, Overrides: overrides, Default: s.cfg.DefaultLocale}}
	if id, ok := strings.CutPrefix(actor, "user:"); ok {
		if uid, err := uuid.Parse(id); err == nil {
			if u, err := s.db.GetUser(ctx, uid, false); err == nil {
				w.inviter = strings.TrimSpace(u.FirstName + " " + u.LastName)
			}
		}
	}
	return w, nil
}

// invitation is a new activation token for u, the email carrying its link
// and the invitation tying them together.
func (s *Service) invitation(w writer, u domain.User, org domain.Organization, o domain.InvitationOptions, actor string) (domain.Email, domain.NewToken, domain.Invitation, error) {
	now := s.now()
	ttl := s.ttl(o)
	token, hash := domain.NewSecret()
	locale := u.Locale
	if locale == "" {
		locale = s.cfg.DefaultLocale
	}
	mail, used, err := w.book.Write(locale, letter.Facts{FirstName: u.FirstName, LastName: u.LastName, Email: u.Email,
		Organization: org.Name, Inviter: w.inviter, Message: o.Message, Link: s.link("/activate", token),
		ExpiresAt: now.Add(ttl), ValidFor: ttl})
	if err != nil {
		return mail, domain.NewToken{}, domain.Invitation{}, domain.Internal(err)
	}
	mail.ID = domain.NewID()
	t := domain.NewToken{ID: domain.NewID(), PersonID: u.ID, Purpose: domain.PurposeActivation, Hash: hash, Expires: now.Add(ttl)}
	inv := domain.Invitation{ID: domain.NewID(), UserID: u.ID, OrganizationID: u.OrganizationID, TokenID: t.ID, EmailID: mail.ID,
		Status: domain.InvitationPending, Locale: used, Message: o.Message, ExpiresAt: t.Expires,
		Delivery: domain.Delivery{Status: domain.DeliveryQueued}, CreatedBy: actor, CreatedAt: now}
	return mail, t, inv, nil
}

// Invitation reads one invitation.
func (s *Service) Invitation(ctx context.Context, id uuid.UUID) (domain.Invitation, error) {
	return s.db.GetInvitation(ctx, id, false)
}

// Invitations returns one page of invitations.
func (s *Service) Invitations(ctx context.Context, f domain.InvitationFilter, p domain.Page) ([]domain.Invitation, bool, error) {
	return s.db.ListInvitations(ctx, f, p)
}

// CurrentInvitations returns each user's newest invitation.
func (s *Service) CurrentInvitations(ctx context.Context, userIDs []uuid.UUID) (map[uuid.UUID]domain.Invitation, error) {
	return s.db.CurrentInvitations(ctx, userIDs)
}

// RevokeInvitation withdraws a pending invitation: its link answers
// token_revoked from now on. Revoking it again changes nothing; an
// accepted, expired or superseded one is a conflict.
func (s *Service) RevokeInvitation(ctx context.Context, id uuid.UUID, scope *uuid.UUID, actor string) (domain.Invitation, error) {
	var inv domain.Invitation
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if inv, err = s.db.GetInvitation(ctx, id, true); err != nil {
			return err
		}
		if scope != nil && (inv.OrganizationID == nil || *inv.OrganizationID != *scope) {
			return domain.NotFound("invitation", id.String())
		}
		from := inv.Status
		changed, err := inv.Apply(domain.InvitationRevoke, s.now())
		if err != nil || !changed {
			return err
		}
		if err := s.db.SaveInvitationStatus(ctx, inv, from); err != nil {
			return err
		}
		if err := s.db.RevokeToken(ctx, inv.TokenID); err != nil {
			return err
		}
		if err := s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "invitation.revoked", SubjectType: "invitation",
			SubjectID: inv.ID.String(), OrganizationID: inv.OrganizationID, Details: map[string]any{"user_id": inv.UserID.String()}}); err != nil {
			return err
		}
		return s.events.Emit(ctx, domain.EventInvitationRevoked, inv)
	})
	return inv, err
}

// ExpireInvitations records as expired every pending invitation whose
// time ran out, a thousand per transaction, each with its audit event.
func (s *Service) ExpireInvitations(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := s.db.WithinTx(ctx, func(ctx context.Context) error {
			expired, err := s.db.ExpireInvitations(ctx, s.now())
			if err != nil {
				return err
			}
			n = len(expired)
			for _, inv := range expired {
				if err := s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: "system", Action: "invitation.expired", SubjectType: "invitation",
					SubjectID: inv.ID.String(), OrganizationID: inv.OrganizationID, Details: map[string]any{"user_id": inv.UserID.String()}}); err != nil {
					return err
				}
			}
			return s.events.Emit(ctx, domain.EventInvitationExpired, values(expired)...)
		})
		total += n
		if err != nil || n < 1000 {
			return total, err
		}
	}
}
