package domain

import (
	"time"

	"github.com/google/uuid"
)

// AuditEvent records who changed what.
type AuditEvent struct {
	ID             uuid.UUID
	OccurredAt     time.Time
	Actor          string // "admin-token", "api-key:<name>", "user:<id>", "anonymous", "system"
	Action         string // e.g. "user.promoted"
	SubjectType    string // e.g. "user"
	SubjectID      string
	OrganizationID *uuid.UUID
	Details        map[string]any
}

// AuditFilter selects audit events; empty fields match all.
type AuditFilter struct {
	SubjectID string
	Actor     string
	Action    string
	From, To  *time.Time
}

// Email is one message for the outbox.
type Email struct {
	// ID is the outbox row's id: the stable Message-ID of every attempt to
	// deliver it, so that a receiver can drop a repeat.
	ID      uuid.UUID
	To      string
	Subject string
	Body    string
	HTML    string // the HTML alternative; empty sends text only
}

// Token is the stored state of a single-use activation or reset token.
type Token struct {
	ID        uuid.UUID
	PersonID  uuid.UUID
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	// Invitation is the status of the invitation the link belongs to
	// (activation links only; empty for others).
	Invitation InvitationStatus
}

// Credentials is what sign-in checks.
type Credentials struct {
	User               User
	PasswordHash       string
	OrganizationStatus OrgStatus
}

// OutboxEmail is a queued message and its delivery state.
type OutboxEmail struct {
	Email
	Attempts  int
	SentAt    *time.Time
	FailedAt  *time.Time
	LastError string
}
