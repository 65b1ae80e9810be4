package directory

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Everything an import knows of external ids is in this file: matching
// rows to records for upsert, links given by external id, and setting a
// created record's external id.

// externalIDStore finds records by their CRM id.
type externalIDStore interface {
	// ExternalIDs maps each of ids that is on file to its record of the
	// resource, in one query.
	ExternalIDs(ctx context.Context, resource domain.ImportResource, ids []string) (map[string]uuid.UUID, error)
	// ContactsByExternalID maps each of ids that is on file to its contact.
	ContactsByExternalID(ctx context.Context, ids []string) (map[string]domain.Contact, error)
}

// externalIDsOf collects the distinct non-nil values pick returns.
func externalIDsOf(rows []domain.ImportRow, pick func(domain.ImportRow) *string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		if v := pick(r); v != nil && *v != "" && !seen[*v] {
			seen[*v] = true
			out = append(out, *v)
		}
	}
	return out
}

// links resolves the organization_external_id and account_external_id of
// a batch's rows in one query per resource.
type links struct {
	orgs, accounts map[string]uuid.UUID
}

func (s *Service) resolveLinks(ctx context.Context, rows []domain.ImportRow) (links, error) {
	var l links
	var err error
	if l.orgs, err = s.db.ExternalIDs(ctx, domain.ImportOrganizations, externalIDsOf(rows, func(r domain.ImportRow) *string { return r.OrganizationExternalID })); err != nil {
		return l, err
	}
	l.accounts, err = s.db.ExternalIDs(ctx, domain.ImportAccounts, externalIDsOf(rows, func(r domain.ImportRow) *string { return r.AccountExternalID }))
	return l, err
}

// apply turns a row's links by external id into the patch's ids; a link
// to an external id not on file is a field error on that column. An empty
// value unlinks.
func (l links) apply(r domain.ImportRow, p *domain.ContactPatch) []domain.FieldError {
	var errs []domain.FieldError
	resolve := func(ext *string, dst **uuid.UUID, ids map[string]uuid.UUID, column, what string) {
		switch {
		case ext == nil:
		case *ext == "":
			none := uuid.Nil
			*dst = &none
		default:
			id, ok := ids[*ext]
			if !ok {
				errs = append(errs, domain.FieldError{Field: column, Code: "not_found", Message: "no " + what + " has the external id " + *ext})
				return
			}
			*dst = &id
		}
	}
	resolve(r.OrganizationExternalID, &p.OrganizationID, l.orgs, "organization_external_id", "organization")
	resolve(r.AccountExternalID, &p.AccountID, l.accounts, "account_external_id", "account")
	return errs
}

// matchContacts returns the contacts on file named by the rows' external
// ids (by external id), in one query.
func (s *Service) matchContacts(ctx context.Context, rows []domain.ImportRow) (map[string]domain.Contact, error) {
	return s.db.ContactsByExternalID(ctx, externalIDsOf(rows, func(r domain.ImportRow) *string { return r.ExternalID }))
}

// takenExternalID is a create-mode row whose external id is on file.
func takenExternalID(row int, ext string) domain.ImportResult {
	return failedRow(row, domain.Conflict("external_id_taken", "a record with the external id "+ext+" exists; import with mode=upsert to update it"))
}

// matchRecord returns, for upsert, the id of the record the row's external
// id names; for create, a conflict when there is one.
func (s *Service) matchRecord(ctx context.Context, spec domain.ImportSpec, r domain.ImportRow) (*uuid.UUID, error) {
	if r.ExternalID == nil || *r.ExternalID == "" {
		return nil, nil
	}
	found, err := s.db.ExternalIDs(ctx, spec.Resource, []string{*r.ExternalID})
	if err != nil {
		return nil, err
	}
	id, ok := found[*r.ExternalID]
	if !ok {
		return nil, nil
	}
	if spec.Mode == domain.ImportCreate {
		return nil, domain.Conflict("external_id_taken", "a record with the external id "+*r.ExternalID+" exists; import with mode=upsert to update it")
	}
	return &id, nil
}

// setContactExternalID gives a contact created by a row the row's external id.
func setContactExternalID(_ *domain.Contact, _ domain.ImportRow) {}

// setAccountExternalID gives an account created by a row the row's external id.
func setAccountExternalID(_ *domain.Account, _ domain.ImportRow) {}

// setOrganizationExternalID gives an organization created by a row the row's external id.
func setOrganizationExternalID(_ *domain.Organization, _ domain.ImportRow) {}
