package domain

import (
	"errors"
	"time"

	"github.com/google/uuid"
)

// ErrBatchRace means a concurrent change (another promotion of the same
// contact or email) broke a batch; the caller retries contact by contact.
var ErrBatchRace = errors.New("a concurrent change overlapped the batch")

// ErrJobNotHeld means a job was cancelled, or a later attempt of it took over,
// while a batch ran; the batch is rolled back.
var ErrJobNotHeld = errors.New("the job is no longer held by this attempt")

// PromotionBatch is everything a batch of promotions writes, set-based.
type PromotionBatch struct {
	NewOrganizations []Organization // converted from accounts
	UserIDs          []uuid.UUID    // contacts that become pending users
	Role             Role           // "" keeps each person's role
	Memberships      []Membership
	Tokens           []NewToken
	Emails           []Email
	Audits           []AuditEvent
	Invitations      []Invitation
	At               time.Time
}

// Membership places a person in a group.
type Membership struct {
	PersonID, GroupID uuid.UUID
	Source            string // SourceManual or SourceSmart
}

// Membership sources: chosen by a person, or placed by a smart rule.
const (
	SourceManual = "manual"
	SourceSmart  = "smart"
)

// Token purposes.
const (
	PurposeActivation    = "activation"
	PurposePasswordReset = "password_reset"
)

// NewToken is the hash of a single-use token to store.
type NewToken struct {
	ID       uuid.UUID // set by the caller when something refers to it; else made on insert
	PersonID uuid.UUID
	Purpose  string
	Hash     string
	Expires  time.Time
}

// BulkOptions are the options a bulk promotion applies to every contact.
type BulkOptions struct {
	GroupIDs           []uuid.UUID `json:"group_ids"`
	Role               Role        `json:"role"`
	ConfirmSmartGroups bool        `json:"confirm_smart_groups"`
	DryRun             bool        `json:"dry_run"`
	// Invitation shapes every invitation the run sends.
	Invitation InvitationOptions `json:"invitation"`
	// Scope limits the selection to one organization (a primary contact's).
	Scope *uuid.UUID `json:"scope,omitempty"`
}

// Job statuses.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobSucceeded = "succeeded"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// PromotionJob is a bulk promotion run in the background.
type PromotionJob struct {
	ID                   uuid.UUID
	Status               string
	Options              BulkOptions
	Actor                string
	Total, Processed     int
	Promoted, Failed     int
	WouldPromote         int // a dry run's would-be promotions (Promoted stays 0)
	Error                string
	CreatedAt, UpdatedAt time.Time
	FinishedAt           *time.Time
}

// JobItem is one contact of a job and, once processed, its outcome.
type JobItem struct {
	Seq       int
	ContactID uuid.UUID
	Status    string // pending, promoted, failed, would_promote
	UserID    *uuid.UUID
	Error     *Error
	Warnings  []Warning
	// Email or ExternalID is the value that selected the item, when the
	// request selected by emails or external ids; ContactID is nil when it
	// named no single contact.
	Email, ExternalID string
}

// PersonRef is a contact or user found by a selector value.
type PersonRef struct {
	ID   uuid.UUID
	User bool
}

// IdempotentAnswer is the answer kept for an Idempotency-Key.
type IdempotentAnswer struct {
	RequestHash string
	Status      int // 0 while the first request runs
	Body        []byte
	Location    string
}
