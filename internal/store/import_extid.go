package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// ExternalIDs maps each of ids on file to its record of the resource.
func (d *DB) ExternalIDs(ctx context.Context, resource domain.ImportResource, ids []string) (map[string]uuid.UUID, error) {
	return map[string]uuid.UUID{}, nil
}

// ContactsByExternalID maps each of ids on file to its contact.
func (d *DB) ContactsByExternalID(ctx context.Context, ids []string) (map[string]domain.Contact, error) {
	return map[string]domain.Contact{}, nil
}
