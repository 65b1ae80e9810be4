package domain

import (
	"errors"
	"time"

	"github.com/google/uuid"
)

// ErrBatchRace means a concurrent change (another promotion of the same
// contact or email) broke a batch; the caller retries contact by contact.
var ErrBatchRace = errors.New("a concurrent change overlapped the batch")

// PromotionBatch is everything a batch of promotions writes, set-based.
type PromotionBatch struct {
	NewOrganizations []Organization // converted from accounts
	UserIDs          []uuid.UUID    // contacts that become pending users
	Role             Role           // "" keeps each person's role
	Memberships      []Membership
	Tokens           []NewToken
	Emails           []Email
	Audits           []AuditEvent
	At               time.Time
}

// Membership places a person in a group.
type Membership struct {
	PersonID, GroupID uuid.UUID
	Source            string // manual or smart
}

// NewToken is the hash of a single-use token to store.
type NewToken struct {
	PersonID uuid.UUID
	Purpose  string
	Hash     string
	Expires  time.Time
}
