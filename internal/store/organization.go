package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

func toOrganization(r organizationRow, domains []string) domain.Organization {
	slices.Sort(domains)
	return domain.Organization{
		ID: r.ID, Name: r.Name, Kind: domain.OrgKind(r.Kind), Status: domain.OrgStatus(r.Status),
		PartnerType: r.PartnerType, Region: r.Region,
		Address: domain.Address{Street: r.Street, City: r.City, State: r.State, PostalCode: r.PostalCode,
			Country: r.Country, Phone: r.Phone, Website: r.Website},
		CustomFields: map[string]any(r.CustomFields), EmailDomains: domains, AccountID: r.AccountID,
		ExternalID: deref(r.ExternalID), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func fromOrganization(o domain.Organization) organizationRow {
	a := o.Address
	return organizationRow{
		ID: o.ID, Name: o.Name, Kind: string(o.Kind), Status: string(o.Status),
		PartnerType: o.PartnerType, Region: o.Region,
		Street: a.Street, City: a.City, State: a.State, PostalCode: a.PostalCode,
		Country: a.Country, Phone: a.Phone, Website: a.Website,
		CustomFields: jsonMap(o.CustomFields), AccountID: o.AccountID, ExternalID: nullable(o.ExternalID),
		Version: o.Version, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}
}

// CreateOrganization inserts o and claims its email domains.
func (d *DB) CreateOrganization(ctx context.Context, o domain.Organization) error {
	row := fromOrganization(o)
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		err = externalIDTaken(err, organizationsExternalID, "organizations", "organization", o.ExternalID)
		if isUniqueViolation(err) && o.AccountID != nil {
			return domain.Conflict("account_converted", fmt.Sprintf("account %s already has an organization", o.AccountID))
		}
		return err
	}
	return d.claimDomains(ctx, o.ID, o.EmailDomains)
}

// GetOrganization reads one organization; lock takes a row lock for a
// read-modify-write in the caller's transaction.
// It reads the row and its domains in one statement.
func (d *DB) GetOrganization(ctx context.Context, id uuid.UUID, lock bool) (domain.Organization, error) {
	q := d.conn(ctx).Table("organizations").Select("organizations.*, email_domains.domain AS owned_domain").
		Joins("LEFT JOIN email_domains ON email_domains.organization_id = organizations.id").
		Where("organizations.id = ?", id)
	if lock && d.Dialect == Postgres {
		q = q.Clauses(lockOf("organizations"))
	}
	var rows []struct {
		Org         organizationRow `gorm:"embedded"`
		OwnedDomain *string
	}
	if err := q.Find(&rows).Error; err != nil {
		return domain.Organization{}, err
	}
	if len(rows) == 0 {
		return domain.Organization{}, domain.NotFound("organization", id.String())
	}
	var domains []string
	for _, r := range rows {
		if r.OwnedDomain != nil {
			domains = append(domains, *r.OwnedDomain)
		}
	}
	return toOrganization(rows[0].Org, domains), nil
}

// ListOrganizations returns one page in id order and whether more follow.
func (d *DB) ListOrganizations(ctx context.Context, f domain.OrganizationFilter, p domain.Page) ([]domain.Organization, bool, error) {
	q := d.conn(ctx).Model(&organizationRow{})
	if f.ID != nil {
		q = q.Where("id = ?", *f.ID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.PartnerType != "" {
		q = q.Where("partner_type = ?", f.PartnerType)
	}
	if f.Region != "" {
		q = q.Where("region = ?", f.Region)
	}
	if f.Query != "" {
		q = q.Where(containsText("lower(name)", f.Query))
	}
	if f.ExternalID != "" {
		q = q.Where("external_id = ?", f.ExternalID)
	}
	var rows []organizationRow
	if err := page(q, "organizations", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	domains, err := d.domainsOf(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]domain.Organization, len(rows))
	for i, r := range rows {
		out[i] = toOrganization(r, domains[r.ID])
	}
	return out, more, nil
}

// UpdateOrganization writes o if its stored version is still prev, and
// replaces its domains when replaceDomains is set.
func (d *DB) UpdateOrganization(ctx context.Context, o domain.Organization, prev int64, replaceDomains bool) error {
	row := fromOrganization(o)
	res := d.conn(ctx).Model(&organizationRow{}).Where("id = ? AND version = ?", o.ID, prev).
		Select("*").Omit("id", "created_at", "account_id").Updates(&row)
	if res.Error != nil {
		return externalIDTaken(res.Error, organizationsExternalID, "organizations", "organization", o.ExternalID)
	}
	if res.RowsAffected == 0 {
		return domain.PreconditionFailed()
	}
	if !replaceDomains {
		return nil
	}
	del := d.conn(ctx).Where("organization_id = ?", o.ID)
	if len(o.EmailDomains) > 0 {
		del = del.Where("domain NOT IN ?", o.EmailDomains)
	}
	if err := del.Delete(&emailDomainRow{}).Error; err != nil {
		return err
	}
	return d.claimDomains(ctx, o.ID, o.EmailDomains)
}

// DeleteOrganization removes an organization that no person belongs to;
// its domains and smart-rule references go with it.
func (d *DB) DeleteOrganization(ctx context.Context, id uuid.UUID, prev int64) error {
	var counts struct{ Users, Contacts int64 }
	err := d.conn(ctx).Model(&personRow{}).Where("organization_id = ?", id).
		Select("COALESCE(SUM(CASE WHEN kind = 'user' THEN 1 ELSE 0 END), 0) AS users, " +
			"COALESCE(SUM(CASE WHEN kind = 'contact' THEN 1 ELSE 0 END), 0) AS contacts").
		Scan(&counts).Error
	if err != nil {
		return err
	}
	if counts.Users+counts.Contacts > 0 {
		return domain.Conflict("organization_in_use", fmt.Sprintf(
			"organization %s still has %d users and %d contacts; move or delete them first", id, counts.Users, counts.Contacts))
	}
	q := d.conn(ctx).Where("id = ?", id)
	if prev != 0 {
		q = q.Where("version = ?", prev)
	}
	res := q.Delete(&organizationRow{})
	if isForeignKeyViolation(res.Error) {
		return domain.Conflict("organization_in_use", fmt.Sprintf("organization %s gained users or contacts meanwhile; retry", id))
	}
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.PreconditionFailed()
	}
	return nil
}

// claimDomains gives domains to the organization. A domain owned by
// another organization or ignored is a conflict naming the owner; the
// primary key settles races between the check and the insert.
func (d *DB) claimDomains(ctx context.Context, orgID uuid.UUID, domains []string) error {
	if len(domains) == 0 {
		return nil
	}
	var taken []emailDomainRow
	if err := d.conn(ctx).Where("domain IN ?", domains).Find(&taken).Error; err != nil {
		return err
	}
	rows := make([]emailDomainRow, 0, len(domains))
	for _, dom := range domains {
		idx := slices.IndexFunc(taken, func(r emailDomainRow) bool { return r.Domain == dom })
		switch {
		case idx < 0:
			rows = append(rows, emailDomainRow{Domain: dom, OrganizationID: &orgID, CreatedAt: d.now()})
		case taken[idx].OrganizationID == nil:
			return domainConflict(dom, "is on the ignored email domains list; remove it there first")
		case *taken[idx].OrganizationID != orgID:
			return d.ownedConflict(ctx, dom, *taken[idx].OrganizationID)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := d.conn(ctx).Create(&rows).Error; err != nil {
		if isUniqueViolation(err) {
			return domainConflict(strings.Join(domains, ", "), "was claimed by another request at the same time; retry to see the owner")
		}
		return err
	}
	return nil
}

func (d *DB) ownedConflict(ctx context.Context, dom string, owner uuid.UUID) error {
	var name string
	d.conn(ctx).Model(&organizationRow{}).Where("id = ?", owner).Pluck("name", &name)
	return domainConflict(dom, fmt.Sprintf("belongs to organization %q (%s)", name, owner)).
		With("owner_organization_id", owner.String())
}

func domainConflict(dom, why string) *domain.Error {
	return domain.Conflict("email_domain_taken", fmt.Sprintf("email domain %s %s", dom, why)).With("domain", dom)
}

// domainsOf returns the owned domains of each organization.
func (d *DB) domainsOf(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]string, error) {
	out := map[uuid.UUID][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []emailDomainRow
	if err := d.conn(ctx).Where("organization_id IN ?", ids).Order("domain").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[*r.OrganizationID] = append(out[*r.OrganizationID], r.Domain)
	}
	return out, nil
}
