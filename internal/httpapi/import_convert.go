package httpapi

import (
	"github.com/portico/portico/internal/domain"
)

// toDomain converts a checked row DTO; nulls are the members sent as null
// (an upsert row clears them).
func (d rowDecoder) toDomain(row int, dto any, nulls map[string]bool) (domain.ImportRow, []domain.FieldError) {
	r := domain.ImportRow{Row: row}
	var ext *string
	var ln importLinks
	switch b := dto.(type) {
	case *contactCreateRow:
		ext, ln = &b.ExternalID, b.importLinks
		r.Contact = &domain.ContactPatch{FirstName: &b.FirstName, LastName: &b.LastName, Email: &b.Email, Phone: &b.Phone,
			Title: &b.Title, Locale: &b.Locale, OrganizationID: b.OrganizationID, AccountID: b.AccountID}
	case *contactUpsertRow:
		ext, ln = b.ExternalID, b.importLinks
		r.Contact = &domain.ContactPatch{FirstName: b.FirstName, LastName: b.LastName, Email: b.Email, Phone: b.Phone,
			Title: b.Title, Locale: b.Locale,
			OrganizationID: link(b.OrganizationID, nulls["organization_id"]), AccountID: link(b.AccountID, nulls["account_id"])}
	case *accountCreateRow:
		ext = &b.ExternalID
		r.Account = &domain.AccountPatch{Name: &b.Name, Address: addressSet(b.AddressInput), CustomFields: b.CustomFields}
	case *accountUpsertRow:
		ext = b.ExternalID
		r.Account = &domain.AccountPatch{Name: b.Name, Address: b.AddressPatch.toDomain(), CustomFields: b.CustomFields}
	case *organizationCreateRow:
		ext = &b.ExternalID
		status := domain.OrgStatus(b.Status)
		if status == "" {
			status = domain.OrgActive
		}
		kind := domain.OrgKind(b.Kind)
		r.Organization = &domain.OrganizationPatch{Name: &b.Name, Kind: &kind, Status: &status, PartnerType: &b.PartnerType,
			Region: &b.Region, Address: addressSet(b.AddressInput), CustomFields: b.CustomFields}
		if b.EmailDomains != nil {
			r.Organization.EmailDomains = &b.EmailDomains
		}
	case *organizationUpsertRow:
		ext = b.ExternalID
		r.Organization = &domain.OrganizationPatch{Name: b.Name, Kind: (*domain.OrgKind)(b.Kind), Status: (*domain.OrgStatus)(b.Status),
			PartnerType: b.PartnerType, Region: b.Region, Address: b.AddressPatch.toDomain(),
			EmailDomains: b.EmailDomains, CustomFields: b.CustomFields}
	}
	var errs, e []domain.FieldError
	r.ExternalID, errs = externalID("external_id", ext, false)
	// the record gets the row's external id (an empty one sets none; a
	// merge keeps the one it matched by)
	switch {
	case r.Contact != nil:
		r.Contact.ExternalID = r.ExternalID
	case r.Account != nil:
		r.Account.ExternalID = r.ExternalID
	case r.Organization != nil:
		r.Organization.ExternalID = r.ExternalID
	}
	r.OrganizationExternalID, e = externalID("organization_external_id", ln.OrganizationExternalID, true)
	errs = append(errs, e...)
	r.AccountExternalID, e = externalID("account_external_id", ln.AccountExternalID, true)
	errs = append(errs, e...)
	if r.Contact == nil {
		return r, errs
	}
	if r.OrganizationExternalID != nil && r.Contact.OrganizationID != nil {
		errs = append(errs, domain.FieldError{Field: "organization_external_id", Code: "not_allowed", Message: "organization_external_id cannot be sent together with organization_id"})
	}
	if r.AccountExternalID != nil && r.Contact.AccountID != nil {
		errs = append(errs, domain.FieldError{Field: "account_external_id", Code: "not_allowed", Message: "account_external_id cannot be sent together with account_id"})
	}
	return r, errs
}

// addressSet is a create body's address as a patch that sets every field.
func addressSet(a AddressInput) domain.AddressPatch {
	return domain.AddressPatch{Street: &a.Street, City: &a.City, State: &a.State, PostalCode: &a.PostalCode,
		Country: &a.Country, Phone: &a.Phone, Website: &a.Website}
}
