package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// selectionChunk keeps each IN list far below both databases' limits on
// bound parameters.
const selectionChunk = 1000

// PeopleByEmailKeys maps each email key to the contacts and users with it,
// in id order; with scope, only that organization's people.
func (d *DB) PeopleByEmailKeys(ctx context.Context, keys []string, scope *uuid.UUID) (map[string][]domain.PersonRef, error) {
	out := map[string][]domain.PersonRef{}
	for start := 0; start < len(keys); start += selectionChunk {
		q := d.conn(ctx).Model(&personRow{}).Select("id", "kind", "email_key").
			Where("email_key IN ?", keys[start:min(start+selectionChunk, len(keys))]).Order("id")
		if scope != nil {
			q = q.Where("organization_id = ?", *scope)
		}
		var rows []personRow
		if err := q.Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.EmailKey] = append(out[r.EmailKey], domain.PersonRef{ID: r.ID, User: r.Kind == kindUser})
		}
	}
	return out, nil
}

// PeopleByExternalIDs maps each external id to the contact or user with it;
// with scope, only that organization's people.
func (d *DB) PeopleByExternalIDs(ctx context.Context, ids []string, scope *uuid.UUID) (map[string]uuid.UUID, error) {
	out := map[string]uuid.UUID{}
	for start := 0; start < len(ids); start += selectionChunk {
		q := d.conn(ctx).Model(&personRow{}).Select("id", "external_id").
			Where("external_id IN ?", ids[start:min(start+selectionChunk, len(ids))])
		if scope != nil {
			q = q.Where("organization_id = ?", *scope)
		}
		var rows []personRow
		if err := q.Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[deref(r.ExternalID)] = r.ID
		}
	}
	return out, nil
}
