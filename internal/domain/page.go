package domain

import "github.com/google/uuid"

// Page asks for at most Limit items after the item with id After (UUIDv7
// ids sort by creation time, so id order is stable and cursor-friendly).
type Page struct {
	Limit int
	After uuid.UUID
}

// The page size bounds.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// NewID returns a time-ordered UUIDv7.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
