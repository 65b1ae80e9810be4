package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

func toAPIKey(r apiKeyRow) domain.APIKey {
	return domain.APIKey{ID: r.ID, Name: r.Name, Role: domain.APIRole(r.Role), LastUsedAt: r.LastUsedAt,
		RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt}
}

// CreateAPIKey stores a key by the hash of its secret; names are unique.
func (d *DB) CreateAPIKey(ctx context.Context, k domain.APIKey, hash string) error {
	row := apiKeyRow{ID: k.ID, Name: k.Name, Role: string(k.Role), KeyHash: hash, CreatedAt: k.CreatedAt}
	err := d.conn(ctx).Create(&row).Error
	if isUniqueViolation(err) {
		return domain.Conflict("api_key_name_taken", fmt.Sprintf("an API key named %q exists already", k.Name))
	}
	return err
}

// APIKeys lists every key, revoked ones included, oldest first.
func (d *DB) APIKeys(ctx context.Context) ([]domain.APIKey, error) {
	var rows []apiKeyRow
	if err := d.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.APIKey, len(rows))
	for i, r := range rows {
		out[i] = toAPIKey(r)
	}
	return out, nil
}

// RevokeAPIKey makes a key unusable at once.
func (d *DB) RevokeAPIKey(ctx context.Context, id uuid.UUID) error {
	res := d.conn(ctx).Model(&apiKeyRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", d.now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("API key", id.String())
	}
	return nil
}

// APIKeyByHash returns the live key with this hash, or nil. It records
// the use, at most once a minute per key, to keep reads cheap.
func (d *DB) APIKeyByHash(ctx context.Context, hash string) (*domain.APIKey, error) {
	var row apiKeyRow
	err := d.conn(ctx).Take(&row, "key_hash = ? AND revoked_at IS NULL", hash).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := d.now()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > time.Minute {
		if err := d.conn(ctx).Model(&apiKeyRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
			return nil, err
		}
		row.LastUsedAt = &now
	}
	k := toAPIKey(row)
	return &k, nil
}
