package domain

import (
	"time"

	"github.com/google/uuid"
)

// Account is the CRM side of a company; it is converted into at most one
// organization.
type Account struct {
	ID             uuid.UUID
	Name           string
	Address        Address
	CustomFields   map[string]any
	OrganizationID *uuid.UUID // set once converted
	ExternalID     string     // the CRM's id; "" for none
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// AccountPatch changes the fields that are not nil; CustomFields merges as
// in OrganizationPatch.
type AccountPatch struct {
	Name         *string
	Address      AddressPatch
	CustomFields map[string]any
	ExternalID   *string // "" clears it
}

// AccountFilter selects accounts.
type AccountFilter struct {
	Query      string // case-insensitive substring of the name
	Converted  *bool  // true: only accounts with an organization
	ExternalID string // exact match
}
