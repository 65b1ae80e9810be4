package directory

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// FieldStore persists custom field definitions.
type FieldStore interface {
	CreateFieldDefinition(ctx context.Context, f domain.FieldDefinition) error
	GetFieldDefinition(ctx context.Context, id uuid.UUID, lock bool) (domain.FieldDefinition, error)
	FieldDefinitions(ctx context.Context, entity domain.FieldEntity) ([]domain.FieldDefinition, error)
	UpdateFieldDefinition(ctx context.Context, f domain.FieldDefinition, prev int64) error
	DeleteFieldDefinition(ctx context.Context, id uuid.UUID, prev int64) error
}

// CreateFieldDefinition checks that f's bounds fit its type and stores it.
func (s *Service) CreateFieldDefinition(ctx context.Context, f domain.FieldDefinition) (domain.FieldDefinition, error) {
	if f.Options == nil {
		f.Options = []string{}
	}
	if err := invalid(f.Validate()); err != nil {
		return domain.FieldDefinition{}, err
	}
	now := s.now()
	f.ID, f.Version, f.CreatedAt, f.UpdatedAt = domain.NewID(), 1, now, now
	return f, s.create(ctx, subject{"field_definition", f.ID.String(), nil}, func(ctx context.Context) error { return s.db.CreateFieldDefinition(ctx, f) })
}

// GetFieldDefinition reads one definition.
func (s *Service) GetFieldDefinition(ctx context.Context, id uuid.UUID) (domain.FieldDefinition, error) {
	return s.db.GetFieldDefinition(ctx, id, false)
}

// FieldDefinitions lists the definitions of an entity ("" for all).
func (s *Service) FieldDefinitions(ctx context.Context, entity domain.FieldEntity) ([]domain.FieldDefinition, error) {
	return s.db.FieldDefinitions(ctx, entity)
}

// UpdateFieldDefinition applies patch if ifMatch (0: any) is the current
// version. Values already stored are not revalidated or changed.
func (s *Service) UpdateFieldDefinition(ctx context.Context, id uuid.UUID, ifMatch int64, patch domain.FieldDefinitionPatch) (domain.FieldDefinition, error) {
	return mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.FieldDefinition, error) {
			return s.db.GetFieldDefinition(ctx, id, true)
		},
		func(f *domain.FieldDefinition) (*int64, *time.Time) { return &f.Version, &f.UpdatedAt },
		func(_ context.Context, f *domain.FieldDefinition) error {
			patch.Apply(f)
			return invalid(f.Validate())
		},
		s.db.UpdateFieldDefinition, func(f domain.FieldDefinition) subject { return subject{"field_definition", f.ID.String(), nil} })
}

// DeleteFieldDefinition removes a definition; stored values are kept.
func (s *Service) DeleteFieldDefinition(ctx context.Context, id uuid.UUID, ifMatch int64) error {
	return s.remove(ctx, ifMatch, func(ctx context.Context) (int64, subject, error) {
		f, err := s.db.GetFieldDefinition(ctx, id, true)
		return f.Version, subject{"field_definition", id.String(), nil}, err
	}, func(ctx context.Context, prev int64) error { return s.db.DeleteFieldDefinition(ctx, id, prev) })
}
