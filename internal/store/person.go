package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// Contacts and users share the people table; kind tells them apart.
const (
	kindContact = "contact"
	kindUser    = "user"
)

// searchExpr is what text search matches; migration 00002 indexes it
// (pg_trgm) on PostgreSQL.
const searchExpr = `lower(people.first_name || ' ' || people.last_name || ' ' || people.email)`

func toContact(r personRow) domain.Contact {
	return domain.Contact{
		ID: r.ID, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email, Phone: r.Phone, Title: r.Title,
		OrganizationID: r.OrganizationID, AccountID: r.AccountID, Locale: r.Locale,
		ExternalID: deref(r.ExternalID), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// fromContact fills the contact part of row, leaving user fields as they are.
func fromContact(row *personRow, c domain.Contact) {
	row.ID, row.FirstName, row.LastName, row.Email = c.ID, c.FirstName, c.LastName, c.Email
	row.EmailKey, row.Phone, row.Title = domain.EmailKey(c.Email), c.Phone, c.Title
	row.OrganizationID, row.AccountID, row.Locale = c.OrganizationID, c.AccountID, c.Locale
	row.ExternalID = nullable(c.ExternalID)
	row.Version, row.CreatedAt, row.UpdatedAt = c.Version, c.CreatedAt, c.UpdatedAt
}

// CreateContact inserts c.
func (d *DB) CreateContact(ctx context.Context, c domain.Contact) error {
	row := personRow{Kind: kindContact, Role: string(domain.RoleMember)}
	fromContact(&row, c)
	err := externalIDTaken(d.conn(ctx).Create(&row).Error, peopleExternalID, "people", "contact or user", c.ExternalID)
	if isForeignKeyViolation(err) {
		return domain.Invalid("validation_failed", "the contact refers to a missing organization or account")
	}
	return err
}

// GetContact reads one contact (not a user); lock takes a row lock.
func (d *DB) GetContact(ctx context.Context, id uuid.UUID, lock bool) (domain.Contact, error) {
	row, err := d.getPerson(ctx, id, kindContact, lock)
	if err != nil {
		return domain.Contact{}, notFound(err, "contact", id.String())
	}
	return toContact(row), nil
}

func (d *DB) getPerson(ctx context.Context, id uuid.UUID, kind string, lock bool) (personRow, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var row personRow
	err := q.Take(&row, "id = ? AND kind = ?", id, kind).Error
	return row, err
}

// ListContacts returns one page of contacts in id order.
func (d *DB) ListContacts(ctx context.Context, f domain.ContactFilter, p domain.Page) ([]domain.Contact, bool, error) {
	var rows []personRow
	if err := page(d.contactQuery(ctx, f), "people", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	out := make([]domain.Contact, len(rows))
	for i, r := range rows {
		out[i] = toContact(r)
	}
	return out, more, nil
}

// contactQuery selects the contacts matching f; bulk promotion reuses it.
func (d *DB) contactQuery(ctx context.Context, f domain.ContactFilter) *gorm.DB {
	q := d.conn(ctx).Model(&personRow{}).Select("people.*").Where("people.kind = ?", kindContact)
	if f.OrganizationID != nil {
		q = q.Where("people.organization_id = ?", *f.OrganizationID)
	}
	if f.AccountID != nil {
		q = q.Where("people.account_id = ?", *f.AccountID)
	}
	if f.OrganizationStatus != "" || f.Kind != "" || f.PartnerType != "" || f.Region != "" {
		q = q.Joins("JOIN organizations ON organizations.id = people.organization_id")
		for col, v := range map[string]string{"status": string(f.OrganizationStatus), "kind": string(f.Kind),
			"partner_type": f.PartnerType, "region": f.Region} {
			if v != "" {
				q = q.Where("organizations."+col+" = ?", v)
			}
		}
	}
	if f.Query != "" {
		q = q.Where(containsText(searchExpr, f.Query))
	}
	if f.ExternalID != "" {
		q = q.Where("people.external_id = ?", f.ExternalID)
	}
	return q
}

// UpdateContact writes c if its stored version is still prev.
func (d *DB) UpdateContact(ctx context.Context, c domain.Contact, prev int64) error {
	var row personRow
	fromContact(&row, c)
	res := d.conn(ctx).Model(&personRow{}).Where("id = ? AND kind = ? AND version = ?", c.ID, kindContact, prev).
		Select("first_name", "last_name", "email", "email_key", "phone", "title",
			"organization_id", "account_id", "locale", "external_id", "version", "updated_at").Updates(&row)
	if isForeignKeyViolation(res.Error) {
		return domain.Invalid("validation_failed", "the contact refers to a missing organization or account")
	}
	return affected(externalIDTaken(res.Error, peopleExternalID, "people", "contact or user", c.ExternalID), res.RowsAffected)
}

// DeleteContact removes a contact (never a user) and its kept memberships.
func (d *DB) DeleteContact(ctx context.Context, id uuid.UUID, prev int64) error {
	q := d.conn(ctx).Where("id = ? AND kind = ?", id, kindContact)
	if prev != 0 {
		q = q.Where("version = ?", prev)
	}
	res := q.Delete(&personRow{})
	return affected(res.Error, res.RowsAffected)
}
