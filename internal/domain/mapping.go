package domain

import (
	"time"

	"github.com/google/uuid"
)

// FieldMapping copies an account custom field into an organization custom
// field when an organization is created from an account.
type FieldMapping struct {
	ID                uuid.UUID
	AccountField      string // key of an account field definition
	OrganizationField string // key of an organization field definition
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}
