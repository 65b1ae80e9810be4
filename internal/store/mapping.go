package store

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

func toFieldMapping(r fieldMappingRow) domain.FieldMapping {
	return domain.FieldMapping{ID: r.ID, AccountField: r.AccountField, OrganizationField: r.OrganizationField,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromFieldMapping(m domain.FieldMapping) fieldMappingRow {
	return fieldMappingRow{ID: m.ID, AccountField: m.AccountField, OrganizationField: m.OrganizationField,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// CreateFieldMapping inserts m. The unique organization_field decides
// between concurrent writers; the loser learns which source won. The
// insert skips the conflict rather than failing on it, so the lookup still
// works inside a PostgreSQL transaction.
func (d *DB) CreateFieldMapping(ctx context.Context, m domain.FieldMapping) error {
	row := fromFieldMapping(m)
	res := d.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "organization_field"}}, DoNothing: true}).Create(&row)
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error
	}
	var existing fieldMappingRow
	err := d.conn(ctx).Take(&existing, "organization_field = ?", m.OrganizationField).Error
	if errors.Is(err, gorm.ErrRecordNotFound) { // deleted again meanwhile
		return domain.ErrOrganizationFieldMapped(m.OrganizationField, "")
	}
	if err != nil {
		return err
	}
	return domain.ErrOrganizationFieldMapped(m.OrganizationField, existing.AccountField).With("mapping_id", existing.ID.String())
}

// GetFieldMapping reads one mapping; lock takes a row lock.
func (d *DB) GetFieldMapping(ctx context.Context, id uuid.UUID, lock bool) (domain.FieldMapping, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var row fieldMappingRow
	if err := q.Take(&row, "id = ?", id).Error; err != nil {
		return domain.FieldMapping{}, notFound(err, "field mapping", id.String())
	}
	return toFieldMapping(row), nil
}

// FieldMappings returns every mapping in organization field order. There
// are at most as many as organization fields, so there is no paging.
func (d *DB) FieldMappings(ctx context.Context) ([]domain.FieldMapping, error) {
	var rows []fieldMappingRow
	if err := d.conn(ctx).Order("organization_field").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.FieldMapping, len(rows))
	for i, r := range rows {
		out[i] = toFieldMapping(r)
	}
	return out, nil
}

// UpdateFieldMapping writes m if its stored version is still prev. The
// caller checks the target is free; the unique index backs that up.
func (d *DB) UpdateFieldMapping(ctx context.Context, m domain.FieldMapping, prev int64) error {
	row := fromFieldMapping(m)
	res := d.conn(ctx).Model(&fieldMappingRow{}).Where("id = ? AND version = ?", m.ID, prev).
		Select("account_field", "organization_field", "version", "updated_at").Updates(&row)
	if isUniqueViolation(res.Error) {
		return domain.ErrOrganizationFieldMapped(m.OrganizationField, "")
	}
	return affected(res.Error, res.RowsAffected)
}

// DeleteFieldMapping removes a mapping; organizations created through it
// keep their values.
func (d *DB) DeleteFieldMapping(ctx context.Context, id uuid.UUID, prev int64) error {
	q := d.conn(ctx).Where("id = ?", id)
	if prev != 0 {
		q = q.Where("version = ?", prev)
	}
	res := q.Delete(&fieldMappingRow{})
	return affected(res.Error, res.RowsAffected)
}
