package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Set-based reads for bulk promotion: each loads a whole batch in one
// statement.

// PeopleByIDs reads contacts and users with their groups; lock holds their
// rows for the caller's transaction.
func (d *DB) PeopleByIDs(ctx context.Context, ids []uuid.UUID, lock bool) (map[uuid.UUID]domain.User, map[uuid.UUID]bool, error) {
	q := d.conn(ctx).Table("people").Select("people.*, m.group_id AS member_of").
		Joins("LEFT JOIN group_memberships m ON m.person_id = people.id").
		Where("people.id IN ?", ids).Order("people.id, m.group_id")
	if lock && d.Dialect == Postgres {
		q = q.Clauses(lockOf("people"))
	}
	var rows []struct {
		Person   personRow `gorm:"embedded"`
		MemberOf *uuid.UUID
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	first := make(map[uuid.UUID]personRow, len(ids))
	groups := map[uuid.UUID][]uuid.UUID{}
	for _, r := range rows {
		if _, seen := first[r.Person.ID]; !seen {
			first[r.Person.ID] = r.Person
		}
		if r.MemberOf != nil {
			groups[r.Person.ID] = append(groups[r.Person.ID], *r.MemberOf)
		}
	}
	people := make(map[uuid.UUID]domain.User, len(first))
	isUser := make(map[uuid.UUID]bool, len(first))
	for id, row := range first {
		people[id], isUser[id] = toUser(row, groups[id]), row.Kind == kindUser
	}
	return people, isUser, nil
}

// OrganizationsByIDs reads organizations with their domains.
func (d *DB) OrganizationsByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.Organization, error) {
	out := map[uuid.UUID]domain.Organization{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		Org         organizationRow `gorm:"embedded"`
		OwnedDomain *string
	}
	err := d.conn(ctx).Table("organizations").Select("organizations.*, email_domains.domain AS owned_domain").
		Joins("LEFT JOIN email_domains ON email_domains.organization_id = organizations.id").
		Where("organizations.id IN ?", ids).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	domains := map[uuid.UUID][]string{}
	for _, r := range rows {
		if r.OwnedDomain != nil {
			domains[r.Org.ID] = append(domains[r.Org.ID], *r.OwnedDomain)
		}
	}
	for _, r := range rows {
		out[r.Org.ID] = toOrganization(r.Org, domains[r.Org.ID])
	}
	return out, nil
}

// OrganizationsOfAccounts maps each converted account to its organization.
func (d *DB) OrganizationsOfAccounts(ctx context.Context, accountIDs []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	out := map[uuid.UUID]uuid.UUID{}
	if len(accountIDs) == 0 {
		return out, nil
	}
	var rows []organizationRow
	if err := d.conn(ctx).Select("id", "account_id").Where("account_id IN ?", accountIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[*r.AccountID] = r.ID
	}
	return out, nil
}

// AccountsByIDs reads accounts.
func (d *DB) AccountsByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.Account, error) {
	out := map[uuid.UUID]domain.Account{}
	if len(ids) == 0 {
		return out, nil
	}
	var views []accountView
	if err := d.accountQuery(ctx).Where("accounts.id IN ?", ids).Find(&views).Error; err != nil {
		return nil, err
	}
	for _, v := range views {
		out[v.Account.ID] = toAccount(v)
	}
	return out, nil
}

// UsersByEmails maps each email key held by a user to that user's id.
func (d *DB) UsersByEmails(ctx context.Context, keys []string) (map[string]uuid.UUID, error) {
	out := map[string]uuid.UUID{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []personRow
	if err := d.conn(ctx).Select("id", "email_key").Where("email_key IN ? AND kind = ?", keys, kindUser).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.EmailKey] = r.ID
	}
	return out, nil
}

// DomainOwners maps each owned domain to its organization.
func (d *DB) DomainOwners(ctx context.Context, domains []string) (map[string]uuid.UUID, error) {
	out := map[string]uuid.UUID{}
	if len(domains) == 0 {
		return out, nil
	}
	var rows []emailDomainRow
	if err := d.conn(ctx).Where("domain IN ? AND organization_id IS NOT NULL", domains).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.Domain] = *r.OrganizationID
	}
	return out, nil
}
