package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

func toFieldDefinition(r fieldDefinitionRow) domain.FieldDefinition {
	opts := []string(r.Options)
	if opts == nil {
		opts = []string{}
	}
	return domain.FieldDefinition{
		ID: r.ID, Entity: domain.FieldEntity(r.Entity), Key: r.Key, Label: r.Label, Type: domain.FieldType(r.Type),
		Required: r.Required, MaxLength: r.MaxLength, Min: r.Min, Max: r.Max, Options: opts,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromFieldDefinition(f domain.FieldDefinition) fieldDefinitionRow {
	return fieldDefinitionRow{
		ID: f.ID, Entity: string(f.Entity), Key: f.Key, Label: f.Label, Type: string(f.Type),
		Required: f.Required, MaxLength: f.MaxLength, Min: f.Min, Max: f.Max, Options: jsonStrings(f.Options),
		Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
	}
}

// CreateFieldDefinition inserts f; a key is unique per entity.
func (d *DB) CreateFieldDefinition(ctx context.Context, f domain.FieldDefinition) error {
	row := fromFieldDefinition(f)
	err := d.conn(ctx).Create(&row).Error
	if isUniqueViolation(err) {
		return domain.Conflict("field_key_taken", fmt.Sprintf("the %s field %q exists already", f.Entity, f.Key))
	}
	return err
}

// GetFieldDefinition reads one definition; lock takes a row lock.
func (d *DB) GetFieldDefinition(ctx context.Context, id uuid.UUID, lock bool) (domain.FieldDefinition, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var row fieldDefinitionRow
	if err := q.Take(&row, "id = ?", id).Error; err != nil {
		return domain.FieldDefinition{}, notFound(err, "field definition", id.String())
	}
	return toFieldDefinition(row), nil
}

// FieldDefinitions returns every definition of an entity ("" for all),
// in key order. There are few, so there is no paging.
func (d *DB) FieldDefinitions(ctx context.Context, entity domain.FieldEntity) ([]domain.FieldDefinition, error) {
	q := d.conn(ctx).Order("entity, key")
	if entity != "" {
		q = q.Where("entity = ?", entity)
	}
	var rows []fieldDefinitionRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.FieldDefinition, len(rows))
	for i, r := range rows {
		out[i] = toFieldDefinition(r)
	}
	return out, nil
}

// UpdateFieldDefinition writes f if its stored version is still prev.
func (d *DB) UpdateFieldDefinition(ctx context.Context, f domain.FieldDefinition, prev int64) error {
	row := fromFieldDefinition(f)
	res := d.conn(ctx).Model(&fieldDefinitionRow{}).Where("id = ? AND version = ?", f.ID, prev).
		Select("label", "required", "max_length", "min", "max", "options", "version", "updated_at").Updates(&row)
	return affected(res.Error, res.RowsAffected)
}

// DeleteFieldDefinition removes a definition; stored values stay as they are.
func (d *DB) DeleteFieldDefinition(ctx context.Context, id uuid.UUID, prev int64) error {
	q := d.conn(ctx).Where("id = ?", id)
	if prev != 0 {
		q = q.Where("version = ?", prev)
	}
	res := q.Delete(&fieldDefinitionRow{})
	return affected(res.Error, res.RowsAffected)
}
