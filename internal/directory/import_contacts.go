package directory

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// contactRow is a checked row: the contact to write and, for a merge, the
// version it was read at.
type contactRow struct {
	at     int // index in the batch
	c      domain.Contact
	prev   int64 // 0: a new contact
	status string
}

// importContacts checks a batch of contact rows against the rules of
// POST and PATCH /contacts, then writes the new contacts in multi-row
// inserts and the merged ones one by one, all in one transaction with
// the batch's results. A concurrent change that breaks the batch makes
// every row run on its own.
func (s *Service) importContacts(ctx context.Context, spec domain.ImportSpec, actor string, rows []domain.ImportRow, record recorder) ([]domain.ImportResult, error) {
	results := make([]domain.ImportResult, len(rows))
	checked, err := s.checkContacts(ctx, spec, rows, results)
	if err != nil {
		return nil, err
	}
	if spec.DryRun {
		for i := range results {
			if results[i].Status == domain.ImportCreated {
				results[i].RecordID = nil // nothing was created
			}
		}
		return results, s.recordOnly(ctx, results, record)
	}
	// a savepoint, so that a synchronous import's transaction survives a
	// broken batch and runs its rows one by one
	err = s.db.WithinSavepoint(ctx, true, func(ctx context.Context) error {
		return s.writeContacts(ctx, spec, actor, checked, results, record)
	})
	if !errors.Is(err, domain.ErrBatchRace) {
		return results, err
	}
	return s.contactsOneByOne(ctx, spec, actor, rows, record)
}

// contactsOneByOne runs each row of a broken batch in its own transaction
// (savepoint),
// so that the row a concurrent change broke fails alone.
func (s *Service) contactsOneByOne(ctx context.Context, spec domain.ImportSpec, actor string, rows []domain.ImportRow, record recorder) ([]domain.ImportResult, error) {
	out := make([]domain.ImportResult, 0, len(rows))
	for _, r := range rows {
		one := make([]domain.ImportResult, 1)
		err := s.db.WithinSavepoint(ctx, true, func(ctx context.Context) error {
			checked, err := s.checkContacts(ctx, spec, []domain.ImportRow{r}, one)
			if err != nil {
				return err
			}
			return s.writeContacts(ctx, spec, actor, checked, one, record)
		})
		if errors.Is(err, domain.ErrBatchRace) {
			one[0] = failedRow(r.Row, domain.Conflict("import_conflict", "a concurrent change to the same record (its external id or its links) came first; import the row again"))
			err = s.recordOnly(ctx, one, record)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, one[0])
	}
	return out, nil
}

// recordOnly records results that write nothing (failures, a dry run).
func (s *Service) recordOnly(ctx context.Context, results []domain.ImportResult, record recorder) error {
	if record == nil {
		return nil
	}
	return s.db.WithinTx(ctx, func(ctx context.Context) error { return record(ctx, results) })
}

// checkContacts fills results for the rows that fail and returns the rest
// ready to write, with their status.
func (s *Service) checkContacts(ctx context.Context, spec domain.ImportSpec, rows []domain.ImportRow, results []domain.ImportResult) ([]contactRow, error) {
	l, err := s.resolveLinks(ctx, rows)
	if err != nil {
		return nil, err
	}
	onFile, users, err := s.matchContacts(ctx, rows)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var checked []contactRow
	for i, r := range rows {
		results[i] = domain.ImportResult{Row: r.Row}
		var base *domain.Contact
		if r.ExternalID != nil {
			c, ok := onFile[*r.ExternalID]
			switch {
			case users[*r.ExternalID]:
				results[i] = takenExternalID(r.Row, "contact or user", *r.ExternalID)
				continue
			case ok && spec.Mode == domain.ImportCreate:
				results[i] = takenExternalID(r.Row, "contact or user", *r.ExternalID)
				continue
			case ok:
				base = &c
			}
		}
		cr, fields, err := mergeContact(r, base, l, now)
		if err != nil {
			if results[i], err = rowFailure(r.Row, err); err != nil {
				return nil, err
			}
			continue
		}
		if len(fields) > 0 {
			results[i] = rowInvalid(r.Row, fields)
			continue
		}
		cr.at = i
		checked = append(checked, cr)
	}
	return s.checkContactLinks(ctx, checked, rows, results)
}

// mergeContact applies a row to a new contact or to the one on file, with
// the checks of the single endpoints.
func mergeContact(r domain.ImportRow, base *domain.Contact, l links, now time.Time) (contactRow, []domain.FieldError, error) {
	patch := domain.ContactPatch{}
	if r.Contact != nil {
		patch = *r.Contact
	}
	fields := l.apply(r, &patch)
	var c domain.Contact
	if base != nil {
		c = *base
	}
	patch.Apply(&c)
	var err error
	badEmail := false
	if c.Email, err = domain.NormalizeEmail(c.Email); err != nil {
		f, ok := fieldsOf(err)
		if !ok {
			return contactRow{}, nil, err
		}
		fields, badEmail = append(fields, f...), true
	}
	if c.Locale, err = domain.ParseLocale(c.Locale, "locale"); err != nil {
		f, _ := fieldsOf(err)
		fields = append(fields, f...)
	}
	if err := checkNamed(c); err != nil && !badEmail { // a bad email is the one cause
		f, _ := fieldsOf(err)
		fields = append(fields, f...)
	}
	if len(fields) > 0 {
		return contactRow{}, fields, nil
	}
	if base == nil {
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt = domain.NewID(), 1, now, now
		return contactRow{c: c, status: domain.ImportCreated}, nil, nil
	}
	if reflect.DeepEqual(c, *base) {
		return contactRow{c: c, prev: base.Version, status: domain.ImportUnchanged}, nil, nil
	}
	c.Version, c.UpdatedAt = base.Version+1, now
	return contactRow{c: c, prev: base.Version, status: domain.ImportUpdated}, nil, nil
}

// checkContactLinks fails the rows whose organization_id or account_id
// names nothing, with two queries for the whole batch.
func (s *Service) checkContactLinks(ctx context.Context, checked []contactRow, rows []domain.ImportRow, results []domain.ImportResult) ([]contactRow, error) {
	var orgIDs, accIDs []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, cr := range checked {
		if id := cr.c.OrganizationID; id != nil && !seen[*id] {
			seen[*id], orgIDs = true, append(orgIDs, *id)
		}
		if id := cr.c.AccountID; id != nil && !seen[*id] {
			seen[*id], accIDs = true, append(accIDs, *id)
		}
	}
	orgs, err := s.db.ExistingIDs(ctx, "organizations", orgIDs)
	if err != nil {
		return nil, err
	}
	accs, err := s.db.ExistingIDs(ctx, "accounts", accIDs)
	if err != nil {
		return nil, err
	}
	kept := checked[:0]
	for _, cr := range checked {
		var fields []domain.FieldError
		if id := cr.c.OrganizationID; id != nil && !orgs[*id] {
			fields = append(fields, domain.FieldError{Field: linkColumn(rows[cr.at].OrganizationExternalID, "organization"), Code: "not_found", Message: "organization " + id.String() + " does not exist"})
		}
		if id := cr.c.AccountID; id != nil && !accs[*id] {
			fields = append(fields, domain.FieldError{Field: linkColumn(rows[cr.at].AccountExternalID, "account"), Code: "not_found", Message: "account " + id.String() + " does not exist"})
		}
		if len(fields) > 0 {
			results[cr.at] = rowInvalid(rows[cr.at].Row, fields)
			continue
		}
		id := cr.c.ID
		results[cr.at].Status, results[cr.at].RecordID = cr.status, &id
		kept = append(kept, cr)
	}
	return kept, nil
}

// linkColumn names the column a link came from.
func linkColumn(ext *string, what string) string {
	if ext != nil {
		return what + "_external_id"
	}
	return what + "_id"
}

// writeContacts writes the checked rows and records the batch, in the
// caller's transaction.
func (s *Service) writeContacts(ctx context.Context, spec domain.ImportSpec, actor string, checked []contactRow, results []domain.ImportResult, record recorder) error {
	var fresh []domain.Contact
	for _, cr := range checked {
		switch cr.status {
		case domain.ImportCreated:
			fresh = append(fresh, cr.c)
		case domain.ImportUpdated:
			if err := s.db.UpdateContact(ctx, cr.c, cr.prev); err != nil {
				if de, ok := domain.AsError(err); ok && (de.Kind == domain.KindPrecondition || de.Kind == domain.KindNotFound) {
					return domain.ErrBatchRace
				}
				return err
			}
		}
	}
	if err := s.db.InsertContacts(ctx, fresh); err != nil {
		return err
	}
	if err := s.auditImport(ctx, spec, actor, results); err != nil {
		return err
	}
	if record != nil {
		return record(ctx, results)
	}
	return nil
}
