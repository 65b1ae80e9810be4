package directory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/conversion"
	"github.com/portico/portico/internal/domain"
)

// FieldMappingStore persists the custom field mappings of conversions.
type FieldMappingStore interface {
	CreateFieldMapping(ctx context.Context, m domain.FieldMapping) error
	GetFieldMapping(ctx context.Context, id uuid.UUID, lock bool) (domain.FieldMapping, error)
	FieldMappings(ctx context.Context) ([]domain.FieldMapping, error)
	UpdateFieldMapping(ctx context.Context, m domain.FieldMapping, prev int64) error
	DeleteFieldMapping(ctx context.Context, id uuid.UUID, prev int64) error
}

// Mapping is a field mapping with the warning its current definitions
// give: domain.TruncationMessage when the organization field may hold less
// than the account field, "" otherwise.
type Mapping struct {
	domain.FieldMapping
	Warning string
}

// FieldMappingPatch changes the keys that are not nil.
type FieldMappingPatch struct {
	AccountField      *string
	OrganizationField *string
}

// CreateFieldMapping maps an account custom field to an organization custom
// field: both must exist and their types align. A lossy mapping is stored
// and answered with its warning.
func (s *Service) CreateFieldMapping(ctx context.Context, m domain.FieldMapping) (Mapping, error) {
	fields, err := s.customFields(ctx)
	if err != nil {
		return Mapping{}, err
	}
	warning, err := fields.check(m)
	if err != nil {
		return Mapping{}, err
	}
	now := s.now()
	m.ID, m.Version, m.CreatedAt, m.UpdatedAt = domain.NewID(), 1, now, now
	err = s.create(ctx, subject{"field_mapping", m.ID.String(), nil}, func(ctx context.Context) error {
		return s.db.CreateFieldMapping(ctx, m)
	})
	if err != nil {
		return Mapping{}, err
	}
	return Mapping{FieldMapping: m, Warning: warning}, nil
}

// GetFieldMapping reads one mapping, its warning computed from the current
// definitions.
func (s *Service) GetFieldMapping(ctx context.Context, id uuid.UUID) (Mapping, error) {
	m, err := s.db.GetFieldMapping(ctx, id, false)
	if err != nil {
		return Mapping{}, err
	}
	fields, err := s.customFields(ctx)
	if err != nil {
		return Mapping{}, err
	}
	return Mapping{FieldMapping: m, Warning: fields.warning(m)}, nil
}

// FieldMappings lists every mapping in organization field order.
func (s *Service) FieldMappings(ctx context.Context) ([]Mapping, error) {
	ms, err := s.db.FieldMappings(ctx)
	if err != nil {
		return nil, err
	}
	fields, err := s.customFields(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Mapping, len(ms))
	for i, m := range ms {
		out[i] = Mapping{FieldMapping: m, Warning: fields.warning(m)}
	}
	return out, nil
}

// StaticFields are the fields every conversion copies as they are; the
// answer is a copy.
func (s *Service) StaticFields() []string { return append([]string(nil), conversion.StaticFields...) }

// UpdateFieldMapping changes either key if ifMatch (0: any) is the current
// version, checking the result as on create. Organizations created earlier
// keep their values.
func (s *Service) UpdateFieldMapping(ctx context.Context, id uuid.UUID, ifMatch int64, patch FieldMappingPatch) (Mapping, error) {
	var warning string
	m, err := mutate(ctx, s, ifMatch,
		func(ctx context.Context) (domain.FieldMapping, error) { return s.db.GetFieldMapping(ctx, id, true) },
		func(m *domain.FieldMapping) (*int64, *time.Time) { return &m.Version, &m.UpdatedAt },
		func(ctx context.Context, m *domain.FieldMapping) error {
			if patch.AccountField != nil {
				m.AccountField = *patch.AccountField
			}
			if patch.OrganizationField != nil {
				m.OrganizationField = *patch.OrganizationField
			}
			fields, err := s.customFields(ctx)
			if err != nil {
				return err
			}
			if warning, err = fields.check(*m); err != nil {
				return err
			}
			return s.targetFree(ctx, *m)
		},
		s.db.UpdateFieldMapping, func(m domain.FieldMapping) subject { return subject{"field_mapping", m.ID.String(), nil} })
	return Mapping{FieldMapping: m, Warning: warning}, err
}

// targetFree answers 409 naming the source when another mapping feeds m's
// organization field; the unique index backs this up against races.
func (s *Service) targetFree(ctx context.Context, m domain.FieldMapping) error {
	all, err := s.db.FieldMappings(ctx)
	if err != nil {
		return err
	}
	for _, other := range all {
		if other.ID != m.ID && other.OrganizationField == m.OrganizationField {
			return domain.ErrOrganizationFieldMapped(m.OrganizationField, other.AccountField).With("mapping_id", other.ID.String())
		}
	}
	return nil
}

// DeleteFieldMapping removes a mapping; organizations created through it
// keep their values.
func (s *Service) DeleteFieldMapping(ctx context.Context, id uuid.UUID, ifMatch int64) error {
	return s.remove(ctx, ifMatch, func(ctx context.Context) (int64, subject, error) {
		m, err := s.db.GetFieldMapping(ctx, id, true)
		return m.Version, subject{"field_mapping", id.String(), nil}, err
	}, func(ctx context.Context, prev int64) error { return s.db.DeleteFieldMapping(ctx, id, prev) })
}

// customFields are the custom field definitions of both entities, by key.
type customFields struct {
	account, organization map[string]domain.FieldDefinition
}

func (s *Service) customFields(ctx context.Context) (customFields, error) {
	defs, err := s.db.FieldDefinitions(ctx, "")
	if err != nil {
		return customFields{}, err
	}
	f := customFields{account: map[string]domain.FieldDefinition{}, organization: map[string]domain.FieldDefinition{}}
	for _, d := range defs {
		if d.Entity == domain.EntityAccount {
			f.account[d.Key] = d
		} else {
			f.organization[d.Key] = d
		}
	}
	return f, nil
}

// check resolves both keys (422 naming each unknown one) and applies the
// type rules of conversion.CheckMapping.
func (f customFields) check(m domain.FieldMapping) (string, error) {
	src, okSrc := f.account[m.AccountField]
	dst, okDst := f.organization[m.OrganizationField]
	var errs []domain.FieldError
	if !okSrc {
		errs = append(errs, unknownField("account_field", domain.EntityAccount, m.AccountField, f.organization))
	}
	if !okDst {
		errs = append(errs, unknownField("organization_field", domain.EntityOrganization, m.OrganizationField, f.account))
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Message
		}
		return "", domain.Invalid("validation_failed", strings.Join(msgs, "; "), errs...)
	}
	return conversion.CheckMapping(src, dst)
}

// warning is the warning of m under the current definitions; a mapping
// whose definitions were deleted or replaced since copies nothing, so it
// warns of nothing.
func (f customFields) warning(m domain.FieldMapping) string {
	src, okSrc := f.account[m.AccountField]
	dst, okDst := f.organization[m.OrganizationField]
	if !okSrc || !okDst {
		return ""
	}
	w, err := conversion.CheckMapping(src, dst)
	if err != nil {
		return ""
	}
	return w
}

// unknownField names a key with no definition of the entity, and says so
// when the key belongs to the other entity.
func unknownField(field string, entity domain.FieldEntity, key string, other map[string]domain.FieldDefinition) domain.FieldError {
	msg := fmt.Sprintf("no %s custom field %q is defined", entity, key)
	if d, ok := other[key]; ok {
		msg += fmt.Sprintf(" (%q is an %s field)", key, d.Entity)
	}
	return domain.FieldError{Field: field, Code: "unknown_field", Message: msg}
}
