package domain

import (
	"time"

	"github.com/google/uuid"
)

// InvitationStatus is where an invitation is: pending until its link is
// used (accepted), its time runs out (expired), an administrator withdraws
// it (revoked) or a later invitation for the same user replaces it
// (superseded).
type InvitationStatus string

// The invitation statuses.
const (
	InvitationPending    InvitationStatus = "pending"
	InvitationAccepted   InvitationStatus = "accepted"
	InvitationExpired    InvitationStatus = "expired"
	InvitationRevoked    InvitationStatus = "revoked"
	InvitationSuperseded InvitationStatus = "superseded"
)

// InvitationStatuses lists every status, for filters.
var InvitationStatuses = []InvitationStatus{InvitationPending, InvitationAccepted, InvitationExpired, InvitationRevoked, InvitationSuperseded}

// InvitationEvent is what happens to an invitation.
type InvitationEvent string

// The invitation events.
const (
	InvitationAccept    InvitationEvent = "accept"
	InvitationExpire    InvitationEvent = "expire"
	InvitationRevoke    InvitationEvent = "revoke"
	InvitationSupersede InvitationEvent = "supersede"
)

// InvitationMove is the status machine, the one place that decides
// transitions: every event moves a pending invitation, and only a pending
// one, to its status. The store's set-based updates read it too (their
// WHERE status = from), so a single revoke and a bulk supersede obey the
// same rule.
func InvitationMove(ev InvitationEvent) (from, to InvitationStatus) {
	switch ev {
	case InvitationAccept:
		return InvitationPending, InvitationAccepted
	case InvitationExpire:
		return InvitationPending, InvitationExpired
	case InvitationRevoke:
		return InvitationPending, InvitationRevoked
	case InvitationSupersede:
		return InvitationPending, InvitationSuperseded
	}
	panic("domain: unknown invitation event " + string(ev))
}

// DeliveryStatus is where an invitation's email is: queued (not sent yet,
// perhaps retrying after a failed attempt), sent, or failed (given up).
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryQueued DeliveryStatus = "queued"
	DeliverySent   DeliveryStatus = "sent"
	DeliveryFailed DeliveryStatus = "failed"
)

// Delivery is the state of an invitation's email.
type Delivery struct {
	Status    DeliveryStatus
	Attempts  int
	LastError string
}

// Invitation is one activation link sent to a pending user, with the
// email that carried it.
type Invitation struct {
	ID             uuid.UUID
	UserID         uuid.UUID
	OrganizationID *uuid.UUID
	TokenID        uuid.UUID
	EmailID        uuid.UUID
	Status         InvitationStatus
	Locale         string // the language its email was written in
	Message        string // the welcome note, plain text
	ExpiresAt      time.Time
	SentAt         *time.Time
	AcceptedAt     *time.Time
	RevokedAt      *time.Time
	Delivery       Delivery
	CreatedBy      string // the actor
	CreatedAt      time.Time
}

// StatusAt is the status at now: a pending invitation whose time ran out
// is expired even before the periodic job records it.
func (i Invitation) StatusAt(now time.Time) InvitationStatus {
	if i.Status == InvitationPending && !now.Before(i.ExpiresAt) {
		return InvitationExpired
	}
	return i.Status
}

// Apply moves i by ev at now. It reports false, with no error, when i is
// already where ev leads (a second revoke); any other status that ev does
// not move from is a conflict.
func (i *Invitation) Apply(ev InvitationEvent, now time.Time) (bool, error) {
	from, to := InvitationMove(ev)
	current := i.StatusAt(now)
	switch {
	case current == to:
		i.Status = to
		return false, nil
	case current == InvitationAccepted:
		return false, Conflict("invitation_accepted", "invitation "+i.ID.String()+" was accepted: the user activated the account").
			WithResolution("nothing to withdraw; to stop the user signing in, disable or demote the user (PATCH or POST /api/v1/users/{id}/demote)")
	case current != from:
		return false, Conflict("invitation_not_pending", "invitation "+i.ID.String()+" is "+string(current)+"; its link works no longer").
			WithResolution("only pending invitations can be changed; list the user's invitations with GET /api/v1/invitations?user_id=")
	}
	i.Status = to
	switch ev {
	case InvitationAccept:
		i.AcceptedAt = &now
	case InvitationRevoke:
		i.RevokedAt = &now
	}
	return true, nil
}

// InvitationFilter selects invitations; empty fields match all.
type InvitationFilter struct {
	Status         InvitationStatus
	OrganizationID *uuid.UUID
	UserID         *uuid.UUID
	CreatedAfter   *time.Time
	CreatedBefore  *time.Time
}

// InvitationOptions are what a promotion or resend may say about the
// invitation it sends: how long the link works (0: the default) and a
// welcome note.
type InvitationOptions struct {
	TTL     time.Duration `json:"ttl,omitempty"`
	Message string        `json:"message,omitempty"`
}

// MaxInvitationMessage bounds the welcome note, in characters.
const MaxInvitationMessage = 2000

// ErrInvitationTTL is a TTL outside (0, max].
func ErrInvitationTTL(ttl, maxTTL time.Duration) *Error {
	detail := "invitation_ttl must be positive"
	if ttl > 0 {
		detail = "invitation_ttl " + ttl.String() + " is longer than the maximum " + maxTTL.String()
	}
	return Invalid("invitation_ttl_invalid", detail,
		FieldError{Field: "invitation_ttl", Code: "range", Message: "invitation_ttl must be more than 0 and at most " + maxTTL.String()}).
		WithResolution("give a duration such as \"72h\" or a number of seconds, at most PORTICO_INVITATION_MAX_TTL (" + maxTTL.String() + ")")
}

// ResendBatch is a checked batch of resends, written set-based: earlier
// links of the users are withdrawn and their pending invitations
// superseded, then the new tokens, emails, invitations and audit events
// are inserted.
type ResendBatch struct {
	UserIDs     []uuid.UUID
	Tokens      []NewToken
	Emails      []Email
	Invitations []Invitation
	Audits      []AuditEvent
	At          time.Time
}

// ResendOptions are what a bulk resend applies to every invitation.
type ResendOptions struct {
	Invitation InvitationOptions `json:"invitation"`
	// Scope limits the selection to one organization (a primary contact's).
	Scope *uuid.UUID `json:"scope,omitempty"`
}

// InvitationJob is a bulk resend run in the background.
type InvitationJob struct {
	ID                   uuid.UUID
	Status               string // the job statuses of promotion jobs
	Options              ResendOptions
	Actor                string
	Total, Processed     int
	Resent, Failed       int
	Error                string
	CreatedAt, UpdatedAt time.Time
	FinishedAt           *time.Time
}

// Resend item statuses.
const (
	ResendPending = "pending"
	ResendDone    = "resent"
	ResendFailed  = "failed"
)

// ResendItem is one selected invitation of a bulk resend and its outcome.
type ResendItem struct {
	Seq             int
	InvitationID    uuid.UUID
	Status          string // pending, resent, failed
	NewInvitationID *uuid.UUID
	Error           *Error
}
