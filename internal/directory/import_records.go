package directory

import (
	"context"
	"reflect"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// importOne checks and writes one row in the caller's transaction,
// returning its status and record (a dry run undoes the write).
type importOne func(ctx context.Context, spec domain.ImportSpec, r domain.ImportRow) (string, *uuid.UUID, error)

// importRecords imports accounts or organizations row by row through the
// use cases of the single endpoints: each row and its result commit in a
// savepoint (of a synchronous import's transaction) or a transaction of
// their own (a job's), so a row that fails (a domain owned elsewhere)
// rolls back alone. A dry run writes each row for real and undoes it, so
// that it finds every failure the write would.
func (s *Service) importRecords(ctx context.Context, spec domain.ImportSpec, _ string, rows []domain.ImportRow, record recorder, one importOne) ([]domain.ImportResult, error) {
	results := make([]domain.ImportResult, len(rows))
	write := spec
	write.DryRun = false
	for i, r := range rows {
		res := []domain.ImportResult{{Row: r.Row}}
		err := s.db.WithinSavepoint(ctx, true, func(ctx context.Context) error {
			err := s.db.WithinSavepoint(ctx, !spec.DryRun, func(ctx context.Context) error {
				status, id, err := one(ctx, write, r)
				res[0].Status, res[0].RecordID = status, id
				return err
			})
			if err != nil {
				return err
			}
			if spec.DryRun && res[0].Status == domain.ImportCreated {
				res[0].RecordID = nil
			}
			if record != nil {
				return record(ctx, res)
			}
			return nil
		})
		if err != nil {
			if res[0], err = rowFailure(r.Row, err); err != nil {
				return nil, err
			}
			if err := s.recordOnly(ctx, res, record); err != nil {
				return nil, err
			}
		}
		results[i] = res[0]
	}
	return results, nil
}

// requireFields answers the create rules of a row that is merged into
// nothing (an upsert row with no match checks like a create).
func requireFields(names map[string]string) error {
	var errs []domain.FieldError
	for field, v := range names {
		if v == "" {
			errs = append(errs, domain.FieldError{Field: field, Code: "required", Message: field + " is required"})
		}
	}
	return invalid(errs)
}

func (s *Service) importAccount(ctx context.Context, spec domain.ImportSpec, r domain.ImportRow) (string, *uuid.UUID, error) {
	p := domain.AccountPatch{}
	if r.Account != nil {
		p = *r.Account
	}
	match, err := s.matchRecord(ctx, spec, r)
	if err != nil {
		return "", nil, err
	}
	defs, err := s.db.FieldDefinitions(ctx, domain.EntityAccount)
	if err != nil {
		return "", nil, err
	}
	if match == nil {
		var a domain.Account
		applyAccount(&a, p)
		if err := requireFields(map[string]string{"name": a.Name}); err != nil {
			return "", nil, err
		}
		a, err = s.CreateAccount(ctx, a)
		return domain.ImportCreated, &a.ID, err
	}
	cur, err := s.db.GetAccount(ctx, *match, true)
	if err != nil {
		return "", nil, err
	}
	next := cur
	applyAccount(&next, domain.AccountPatch{Name: p.Name, Address: p.Address, ExternalID: p.ExternalID})
	var errs []domain.FieldError
	if next.CustomFields, errs = domain.ApplyCustomFields(defs, cur.CustomFields, p.CustomFields, false); len(errs) > 0 {
		return "", nil, invalid(errs)
	}
	if sameRecord(cur.Name, next.Name, cur.Address, next.Address, cur.CustomFields, next.CustomFields) {
		return domain.ImportUnchanged, match, nil
	}
	if _, err := s.UpdateAccount(ctx, *match, cur.Version, p); err != nil {
		return "", nil, err
	}
	return domain.ImportUpdated, match, nil
}

func applyAccount(a *domain.Account, p domain.AccountPatch) {
	if p.Name != nil {
		a.Name = *p.Name
	}
	p.Address.Apply(&a.Address)
	if p.ExternalID != nil {
		a.ExternalID = *p.ExternalID
	}
	if p.CustomFields != nil && a.CustomFields == nil {
		a.CustomFields = p.CustomFields
	}
}

// sameRecord compares pairs of values before and after a merge; custom
// fields compare as empty when nil.
func sameRecord(pairs ...any) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		a, b := pairs[i], pairs[i+1]
		if ma, ok := a.(map[string]any); ok {
			mb, _ := b.(map[string]any)
			if len(ma) == 0 && len(mb) == 0 {
				continue
			}
		}
		if !reflect.DeepEqual(a, b) {
			return false
		}
	}
	return true
}

func (s *Service) importOrganization(ctx context.Context, spec domain.ImportSpec, r domain.ImportRow) (string, *uuid.UUID, error) {
	p := domain.OrganizationPatch{}
	if r.Organization != nil {
		p = *r.Organization
	}
	match, err := s.matchRecord(ctx, spec, r)
	if err != nil {
		return "", nil, err
	}
	defs, err := s.db.FieldDefinitions(ctx, domain.EntityOrganization)
	if err != nil {
		return "", nil, err
	}
	if match == nil {
		o := domain.Organization{Status: domain.OrgActive, CustomFields: p.CustomFields}
		p.Apply(&o)
		if p.EmailDomains != nil {
			o.EmailDomains = *p.EmailDomains
		}
		if err := requireFields(map[string]string{"name": o.Name, "kind": string(o.Kind)}); err != nil {
			return "", nil, err
		}
		o, err = s.CreateOrganization(ctx, o)
		return domain.ImportCreated, &o.ID, err
	}
	cur, err := s.db.GetOrganization(ctx, *match, true)
	if err != nil {
		return "", nil, err
	}
	next := cur
	p.Apply(&next)
	var errs []domain.FieldError
	if p.EmailDomains != nil {
		next.EmailDomains, errs = domain.NormalizeDomains("email_domains", *p.EmailDomains)
	}
	var cerrs []domain.FieldError
	if next.CustomFields, cerrs = domain.ApplyCustomFields(defs, cur.CustomFields, p.CustomFields, false); len(errs)+len(cerrs) > 0 {
		return "", nil, invalid(append(errs, cerrs...))
	}
	if sameRecord(cur.Name, next.Name, cur.Kind, next.Kind, cur.Status, next.Status, cur.PartnerType, next.PartnerType,
		cur.Region, next.Region, cur.Address, next.Address, sortedOrEmpty(cur.EmailDomains), sortedOrEmpty(next.EmailDomains),
		cur.CustomFields, next.CustomFields) {
		return domain.ImportUnchanged, match, nil
	}
	if _, err := s.UpdateOrganization(ctx, *match, cur.Version, p); err != nil {
		return "", nil, err
	}
	return domain.ImportUpdated, match, nil
}

// sortedOrEmpty makes nil and empty domain lists compare equal.
func sortedOrEmpty(in []string) []string {
	if in == nil {
		return []string{}
	}
	return in
}
