package store

import (
	"context"

	"github.com/portico/portico/internal/domain"
)

func toFieldMapping(r fieldMappingRow) domain.FieldMapping {
	return domain.FieldMapping{ID: r.ID, AccountField: r.AccountField, OrganizationField: r.OrganizationField,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// FieldMappings returns every mapping in organization field order.
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
