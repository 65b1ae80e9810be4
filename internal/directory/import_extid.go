package directory

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Everything an import knows of external ids is in this file: matching
// rows to records for upsert and links given by external id. A created
// record gets the row's external id through its patch.

// externalIDStore finds records by their CRM id.
type externalIDStore interface {
	// ExternalIDs maps each of ids that is on file to its record of the
	// resource (for contacts: the person, contact or user).
	ExternalIDs(ctx context.Context, resource domain.ImportResource, ids []string) (map[string]uuid.UUID, error)
	// ContactsByExternalID maps each of ids that a contact has to it (a
	// user's external id is not a contact's).
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
// ids, and the external ids of the rows that users have.
func (s *Service) matchContacts(ctx context.Context, rows []domain.ImportRow) (map[string]domain.Contact, map[string]bool, error) {
	ids := externalIDsOf(rows, func(r domain.ImportRow) *string { return r.ExternalID })
	contacts, err := s.db.ContactsByExternalID(ctx, ids)
	if err != nil || len(contacts) == len(ids) {
		return contacts, nil, err
	}
	var rest []string
	for _, id := range ids {
		if _, ok := contacts[id]; !ok {
			rest = append(rest, id)
		}
	}
	people, err := s.db.ExternalIDs(ctx, domain.ImportContacts, rest)
	users := make(map[string]bool, len(people))
	for id := range people {
		users[id] = true
	}
	return contacts, users, err
}

// takenExternalID is a row whose external id is on file where it may not
// be: mode=create, or a user (not a contact) has it.
func takenExternalID(row int, kind, ext string) domain.ImportResult {
	return failedRow(row, domain.ErrExternalIDTaken(kind, ext).
		WithResolution("import with mode=upsert to update that record, or give the row another external_id"))
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
		kind := map[domain.ImportResource]string{domain.ImportAccounts: "account", domain.ImportOrganizations: "organization"}[spec.Resource]
		return nil, domain.ErrExternalIDTaken(kind, *r.ExternalID).
			WithResolution("import with mode=upsert to update that record, or give the row another external_id")
	}
	return &id, nil
}
