package domain

import (
	"fmt"
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

// ErrOrganizationFieldMapped: an organization field takes at most one
// source; source is the account field already mapped to it ("" if unknown,
// when a concurrent write got there first).
func ErrOrganizationFieldMapped(organizationField, source string) *Error {
	detail := fmt.Sprintf("organization field %q already has a source", organizationField)
	if source != "" {
		detail = fmt.Sprintf("organization field %q is already mapped from account field %q", organizationField, source)
	}
	return Conflict("organization_field_mapped", detail).
		WithResolution("an organization field takes at most one source: change or delete its existing mapping first (GET /api/v1/field-mappings)").
		With("organization_field", organizationField)
}
