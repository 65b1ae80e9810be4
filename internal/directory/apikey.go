package directory

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// APIKeyStore persists API keys by the hash of their secret.
type APIKeyStore interface {
	CreateAPIKey(ctx context.Context, k domain.APIKey, hash string) error
	APIKeys(ctx context.Context) ([]domain.APIKey, error)
	RevokeAPIKey(ctx context.Context, id uuid.UUID) error
}

// CreateAPIKey makes a key and returns it with its secret, which is never
// stored and cannot be shown again.
func (s *Service) CreateAPIKey(ctx context.Context, name string, role domain.APIRole) (domain.APIKey, string, error) {
	secret, _ := domain.NewSecret()
	secret = domain.APIKeyPrefix + secret
	k := domain.APIKey{ID: domain.NewID(), Name: name, Role: role, CreatedAt: s.now()}
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateAPIKey(ctx, k, domain.HashSecret(secret)); err != nil {
			return err
		}
		return s.record(ctx, "api_key.created", "api_key", k.ID.String(), nil, map[string]any{"name": name, "role": string(role)})
	})
	return k, secret, err
}

// APIKeys lists every key, without secrets.
func (s *Service) APIKeys(ctx context.Context) ([]domain.APIKey, error) {
	return s.db.APIKeys(ctx)
}

// RevokeAPIKey stops a key at once.
func (s *Service) RevokeAPIKey(ctx context.Context, id uuid.UUID) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.RevokeAPIKey(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "api_key.revoked", "api_key", id.String(), nil, nil)
	})
}
