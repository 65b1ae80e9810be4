package store

import (
	"context"

	"github.com/portico/portico/internal/domain"
)

// IgnoredDomains lists the ignored email domains in order.
func (d *DB) IgnoredDomains(ctx context.Context) ([]domain.IgnoredDomain, error) {
	var rows []emailDomainRow
	if err := d.conn(ctx).Where("organization_id IS NULL").Order("domain").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.IgnoredDomain, len(rows))
	for i, r := range rows {
		out[i] = domain.IgnoredDomain{Domain: r.Domain, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// AddIgnoredDomain puts dom on the ignored list. An owned domain is a
// conflict naming its organization; one already ignored is fine.
func (d *DB) AddIgnoredDomain(ctx context.Context, dom string) (domain.IgnoredDomain, error) {
	var existing []emailDomainRow
	if err := d.conn(ctx).Where("domain = ?", dom).Find(&existing).Error; err != nil {
		return domain.IgnoredDomain{}, err
	}
	if len(existing) == 1 {
		if owner := existing[0].OrganizationID; owner != nil {
			return domain.IgnoredDomain{}, d.ownedConflict(ctx, dom, *owner)
		}
		return domain.IgnoredDomain{Domain: dom, CreatedAt: existing[0].CreatedAt}, nil
	}
	row := emailDomainRow{Domain: dom, CreatedAt: d.now()}
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		if isUniqueViolation(err) {
			return domain.IgnoredDomain{}, domainConflict(dom, "was claimed by another request at the same time; retry to see the owner")
		}
		return domain.IgnoredDomain{}, err
	}
	return domain.IgnoredDomain{Domain: dom, CreatedAt: row.CreatedAt}, nil
}

// RemoveIgnoredDomain takes dom off the ignored list.
func (d *DB) RemoveIgnoredDomain(ctx context.Context, dom string) error {
	res := d.conn(ctx).Where("domain = ? AND organization_id IS NULL", dom).Delete(&emailDomainRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("ignored email domain", dom)
	}
	return nil
}
