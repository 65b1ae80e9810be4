package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// ImportStore is what imports need beyond the single-record stores.
type ImportStore interface {
	InsertContacts(ctx context.Context, contacts []domain.Contact) error
	ExistingIDs(ctx context.Context, table string, ids []uuid.UUID) (map[uuid.UUID]bool, error)
	CreateImportJob(ctx context.Context, j domain.ImportJob, next func() (*domain.EncodedImportChunk, error)) (int, error)
	GetImportJob(ctx context.Context, id uuid.UUID) (domain.ImportJob, error)
	ImportJobResults(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.ImportResult, bool, error)
	NextImportChunk(ctx context.Context, jobID uuid.UUID) (*domain.ImportChunk, error)
	DropImportChunk(ctx context.Context, jobID uuid.UUID, seq int) error
	StartImportJob(ctx context.Context, id uuid.UUID) (*domain.ImportJob, error)
	RecordImportResults(ctx context.Context, jobID uuid.UUID, results []domain.ImportResult) error
	FinishImportJob(ctx context.Context, id uuid.UUID, status, cause string) (domain.ImportJob, bool, error)
	CancelImportJob(ctx context.Context, id uuid.UUID) (domain.ImportJob, error)
	externalIDStore
}

// ImportBatchSize is how many rows one transaction of an import writes.
const ImportBatchSize = 2000

// recorder writes a batch's results in the batch's transaction (a job's
// items); nil for a synchronous import, whose results are the answer.
type recorder func(ctx context.Context, results []domain.ImportResult) error

// Import runs a small import at once and returns every row's result in
// row order. An item without a row was refused at the edge and keeps its
// result. The whole import is one transaction (each row, or each batch of
// contacts, in a savepoint of it): a fault at any row writes nothing, so
// the request may be retried as a whole.
func (s *Service) Import(ctx context.Context, spec domain.ImportSpec, items []domain.ImportItem) ([]domain.ImportResult, error) {
	var out []domain.ImportResult
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.importAll(ctx, spec, items)
		return err
	})
	return out, err
}

func (s *Service) importAll(ctx context.Context, spec domain.ImportSpec, items []domain.ImportItem) ([]domain.ImportResult, error) {
	actor := domain.ActorFrom(ctx).String()
	out := make([]domain.ImportResult, len(items))
	var rows []domain.ImportRow
	var at []int
	for i, it := range items {
		if it.Row == nil {
			out[i] = it.Result
			continue
		}
		rows, at = append(rows, *it.Row), append(at, i)
	}
	for start := 0; start < len(rows); start += ImportBatchSize {
		results, err := s.importBatch(ctx, spec, actor, rows[start:min(start+ImportBatchSize, len(rows))], nil)
		if err != nil {
			return nil, err
		}
		for j, r := range results {
			out[at[start+j]] = r
		}
	}
	return out, nil
}

// importBatch checks and writes one batch of rows of one resource; every
// row succeeds or fails on its own, and a failed row writes nothing.
func (s *Service) importBatch(ctx context.Context, spec domain.ImportSpec, actor string, rows []domain.ImportRow, record recorder) ([]domain.ImportResult, error) {
	switch spec.Resource {
	case domain.ImportContacts:
		return s.importContacts(ctx, spec, actor, rows, record)
	case domain.ImportAccounts:
		return s.importRecords(ctx, spec, actor, rows, record, s.importAccount)
	case domain.ImportOrganizations:
		return s.importRecords(ctx, spec, actor, rows, record, s.importOrganization)
	}
	return nil, fmt.Errorf("import of unknown resource %q", spec.Resource)
}

// rowFailure turns the error of one row into its result; an error that is
// not the row's fault (the database is gone) is returned instead.
func rowFailure(row int, err error) (domain.ImportResult, error) {
	de, ok := domain.AsError(err)
	if !ok || de.Fault() {
		return domain.ImportResult{}, err
	}
	return failedRow(row, de), nil
}

// failedRow is a failed result whose detail names the row.
func failedRow(row int, de *domain.Error) domain.ImportResult {
	e := *de
	if !strings.HasPrefix(e.Detail, "row ") {
		e.Detail = fmt.Sprintf("row %d: %s", row, e.Detail)
	}
	return domain.ImportResult{Row: row, Status: domain.ImportFailed, Err: &e}
}

// rowInvalid is a row's validation failure naming its columns.
func rowInvalid(row int, fields []domain.FieldError) domain.ImportResult {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Field
	}
	return failedRow(row, domain.Invalid("validation_failed",
		fmt.Sprintf("row %d has invalid fields: %s", row, strings.Join(names, ", ")), fields...))
}

// fieldsOf returns the field errors of a validation error (nil if it has
// none, ok false if err is not a validation error at all).
func fieldsOf(err error) ([]domain.FieldError, bool) {
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.KindInvalid {
		return nil, false
	}
	return de.Fields, true
}

// auditImport records one event per committed batch: what one import
// request (or one batch of a job) did.
func (s *Service) auditImport(ctx context.Context, spec domain.ImportSpec, actor string, results []domain.ImportResult) error {
	var c domain.ImportCounts
	for _, r := range results {
		c.Add(r.Status)
	}
	if c.Created+c.Updated == 0 {
		return nil
	}
	first, last := results[0].Row, results[len(results)-1].Row
	return s.db.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "import.applied", SubjectType: string(spec.Resource),
		SubjectID: fmt.Sprintf("rows %d-%d", first, last),
		Details:   map[string]any{"mode": string(spec.Mode), "created": c.Created, "updated": c.Updated, "unchanged": c.Unchanged, "failed": c.Failed}})
}
