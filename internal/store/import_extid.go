package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// ExternalIDs maps each of ids on file to its record of the resource (for
// contacts: the person, contact or user, since both share one unique
// index), in one query per 1,000 ids.
func (d *DB) ExternalIDs(ctx context.Context, resource domain.ImportResource, ids []string) (map[string]uuid.UUID, error) {
	out := make(map[string]uuid.UUID, len(ids))
	table := map[domain.ImportResource]string{domain.ImportContacts: "people", domain.ImportAccounts: "accounts",
		domain.ImportOrganizations: "organizations"}[resource]
	if table == "" {
		return out, nil
	}
	for start := 0; start < len(ids); start += 1000 {
		var rows []struct {
			ID         uuid.UUID
			ExternalID string
		}
		if err := d.conn(ctx).Table(table).Select("id, external_id").Where("external_id IN ?", ids[start:min(start+1000, len(ids))]).
			Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ExternalID] = r.ID
		}
	}
	return out, nil
}

// ContactsByExternalID maps each of ids that a contact (not a user) has to
// that contact.
func (d *DB) ContactsByExternalID(ctx context.Context, ids []string) (map[string]domain.Contact, error) {
	out := make(map[string]domain.Contact, len(ids))
	for start := 0; start < len(ids); start += 1000 {
		var rows []personRow
		if err := d.conn(ctx).Where("kind = ? AND external_id IN ?", kindContact, ids[start:min(start+1000, len(ids))]).
			Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[deref(r.ExternalID)] = toContact(r)
		}
	}
	return out, nil
}
