package domain

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"
)

// FieldEntity is the kind of record a custom field belongs to.
type FieldEntity string

// The entities with custom fields.
const (
	EntityAccount      FieldEntity = "account"
	EntityOrganization FieldEntity = "organization"
)

// FieldType is the type of a custom field's values.
type FieldType string

// The custom field types.
const (
	FieldText     FieldType = "text"
	FieldTextarea FieldType = "textarea"
	FieldHTML     FieldType = "html"
	FieldNumber   FieldType = "number"
	FieldDate     FieldType = "date"
	FieldBoolean  FieldType = "boolean"
	FieldSelect   FieldType = "select"
)

// MaxFieldLength is the largest max_length a definition may set: far
// beyond any text a request body can carry, and within the 32-bit column
// that keeps it.
const MaxFieldLength = 1_000_000

// HasLength reports whether values of t are strings limited by max_length.
func (t FieldType) HasLength() bool {
	return t == FieldText || t == FieldTextarea || t == FieldHTML
}

// FieldDefinition defines one custom field of accounts or organizations.
type FieldDefinition struct {
	ID        uuid.UUID
	Entity    FieldEntity
	Key       string
	Label     string
	Type      FieldType
	Required  bool
	MaxLength *int     // text types only; nil: unlimited
	Min, Max  *float64 // number only; nil: unbounded
	Options   []string // select only
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FieldDefinitionPatch changes what may change after creation; entity, key
// and type are fixed because stored values and mappings depend on them.
// MaxLength, Min and Max take a pointer to nil to remove the bound.
type FieldDefinitionPatch struct {
	Label     *string
	Required  *bool
	MaxLength **int
	Min, Max  **float64
	Options   *[]string
}

// Apply sets every field of p that is not nil.
func (p FieldDefinitionPatch) Apply(d *FieldDefinition) {
	set(&d.Label, p.Label)
	set(&d.Required, p.Required)
	set(&d.MaxLength, p.MaxLength)
	set(&d.Min, p.Min)
	set(&d.Max, p.Max)
	set(&d.Options, p.Options)
}

var fieldKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Validate checks that the definition's bounds fit its type.
func (d FieldDefinition) Validate() []FieldError {
	var errs []FieldError
	add := func(field, code, msg string) { errs = append(errs, FieldError{Field: field, Code: code, Message: msg}) }
	if !fieldKey.MatchString(d.Key) {
		add("key", "pattern", "key must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63)")
	}
	if d.MaxLength != nil && !d.Type.HasLength() {
		add("max_length", "not_applicable", fmt.Sprintf("max_length applies to text, textarea and html fields, not %s", d.Type))
	}
	if d.MaxLength != nil && *d.MaxLength < 1 {
		add("max_length", "min", "max_length must be at least 1")
	}
	if d.MaxLength != nil && *d.MaxLength > MaxFieldLength {
		add("max_length", "max", fmt.Sprintf("max_length must be at most %d", MaxFieldLength))
	}
	// Each bound is named on its own, so the error points at what was sent.
	if d.Min != nil && d.Type != FieldNumber {
		add("min", "not_applicable", fmt.Sprintf("min applies to number fields, not %s", d.Type))
	}
	if d.Max != nil && d.Type != FieldNumber {
		add("max", "not_applicable", fmt.Sprintf("max applies to number fields, not %s", d.Type))
	}
	if d.Min != nil && d.Max != nil && *d.Min > *d.Max {
		add("min", "range", "min must not be greater than max")
	}
	switch {
	case d.Type == FieldSelect && len(d.Options) == 0:
		add("options", "required", "a select field needs at least one option")
	case d.Type != FieldSelect && len(d.Options) > 0:
		add("options", "not_applicable", "options apply to select fields only")
	}
	for i, o := range d.Options {
		if o == "" || slices.Index(d.Options, o) != i {
			add(fmt.Sprintf("options[%d]", i), "invalid", "options must be non-empty and distinct")
		}
	}
	return errs
}
