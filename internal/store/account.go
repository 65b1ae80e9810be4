package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// accountView is an account row with the organization converted from it.
// GORM fills only exported fields, hence the named embedded field.
type accountView struct {
	Account        accountRow `gorm:"embedded"`
	OrganizationID *uuid.UUID
}

func toAccount(v accountView) domain.Account {
	r := v.Account
	return domain.Account{
		ID: r.ID, Name: r.Name,
		Address: domain.Address{Street: r.Street, City: r.City, State: r.State, PostalCode: r.PostalCode,
			Country: r.Country, Phone: r.Phone, Website: r.Website},
		CustomFields: map[string]any(r.CustomFields), OrganizationID: v.OrganizationID, ExternalID: deref(r.ExternalID),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromAccount(a domain.Account) accountRow {
	ad := a.Address
	return accountRow{
		ID: a.ID, Name: a.Name, Street: ad.Street, City: ad.City, State: ad.State, PostalCode: ad.PostalCode,
		Country: ad.Country, Phone: ad.Phone, Website: ad.Website, CustomFields: jsonMap(a.CustomFields),
		ExternalID: nullable(a.ExternalID), Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

const accountSelect = "accounts.*, organizations.id AS organization_id"

func (d *DB) accountQuery(ctx context.Context) *gorm.DB {
	return d.conn(ctx).Table("accounts").Select(accountSelect).
		Joins("LEFT JOIN organizations ON organizations.account_id = accounts.id")
}

// CreateAccount inserts a.
func (d *DB) CreateAccount(ctx context.Context, a domain.Account) error {
	row := fromAccount(a)
	return externalIDTaken(d.conn(ctx).Create(&row).Error, accountsExternalID, "accounts", "account", a.ExternalID)
}

// GetAccount reads one account; lock takes a row lock.
func (d *DB) GetAccount(ctx context.Context, id uuid.UUID, lock bool) (domain.Account, error) {
	q := d.accountQuery(ctx).Where("accounts.id = ?", id)
	if lock && d.Dialect == Postgres {
		q = q.Clauses(lockOf("accounts"))
	}
	var v accountView
	if err := q.Take(&v).Error; err != nil {
		return domain.Account{}, notFound(err, "account", id.String())
	}
	return toAccount(v), nil
}

// ListAccounts returns one page in id order and whether more follow.
func (d *DB) ListAccounts(ctx context.Context, f domain.AccountFilter, p domain.Page) ([]domain.Account, bool, error) {
	q := d.accountQuery(ctx)
	if f.Query != "" {
		q = q.Where(containsText("lower(accounts.name)", f.Query))
	}
	if f.ExternalID != "" {
		q = q.Where("accounts.external_id = ?", f.ExternalID)
	}
	if f.Converted != nil {
		if *f.Converted {
			q = q.Where("organizations.id IS NOT NULL")
		} else {
			q = q.Where("organizations.id IS NULL")
		}
	}
	var views []accountView
	if err := page(q, "accounts", p).Find(&views).Error; err != nil {
		return nil, false, err
	}
	views, more := trimPage(views, p.Limit)
	out := make([]domain.Account, len(views))
	for i, v := range views {
		out[i] = toAccount(v)
	}
	return out, more, nil
}

// UpdateAccount writes a if its stored version is still prev.
func (d *DB) UpdateAccount(ctx context.Context, a domain.Account, prev int64) error {
	row := fromAccount(a)
	res := d.conn(ctx).Model(&accountRow{}).Where("id = ? AND version = ?", a.ID, prev).
		Select("*").Omit("id", "created_at").Updates(&row)
	return affected(externalIDTaken(res.Error, accountsExternalID, "accounts", "account", a.ExternalID), res.RowsAffected)
}

// DeleteAccount removes an account no contact refers to. An organization
// converted from it stays and forgets the link.
func (d *DB) DeleteAccount(ctx context.Context, id uuid.UUID, prev int64) error {
	var people int64
	if err := d.conn(ctx).Model(&personRow{}).Where("account_id = ?", id).Count(&people).Error; err != nil {
		return err
	}
	if people > 0 {
		return domain.Conflict("account_in_use", fmt.Sprintf("account %s still has %d contacts or users; move or delete them first", id, people))
	}
	q := d.conn(ctx).Where("id = ?", id)
	if prev != 0 {
		q = q.Where("version = ?", prev)
	}
	res := q.Delete(&accountRow{})
	if isForeignKeyViolation(res.Error) {
		return domain.Conflict("account_in_use", fmt.Sprintf("account %s gained contacts meanwhile; retry", id))
	}
	return affected(res.Error, res.RowsAffected)
}

// affected turns "no row matched the id and version" into 412; callers
// have checked existence first.
func affected(err error, rows int64) error {
	if err != nil {
		return err
	}
	if rows == 0 {
		return domain.PreconditionFailed()
	}
	return nil
}
