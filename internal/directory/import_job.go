package directory

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// ErrStopping ends an import job's run between two batches when the
// process is stopping or the run's slice is over: the job stays open and
// the next attempt resumes it.
var ErrStopping = errors.New("the import run is pausing")

// EnqueueImport stores an import job with its rows, chunk by chunk as
// next yields them, and enqueues its run, in one transaction: the job exists
// with all its rows or not at all.
func (s *Service) EnqueueImport(ctx context.Context, spec domain.ImportSpec, next func() (*domain.EncodedImportChunk, error)) (domain.ImportJob, error) {
	now := s.now()
	actor := domain.ActorFrom(ctx).String()
	j := domain.ImportJob{ID: domain.NewID(), Status: domain.JobQueued, Spec: spec, Actor: actor, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.CreateImportJob(ctx, j, next); err != nil {
			return err
		}
		if err := s.record(ctx, "import_job.created", "import_job", j.ID.String(), nil,
			map[string]any{"resource": string(spec.Resource), "mode": string(spec.Mode), "dry_run": spec.DryRun}); err != nil {
			return err
		}
		var err error
		j, err = s.db.GetImportJob(ctx, j.ID)
		return err
	})
	return j, err
}

// ImportJob reads an import job.
func (s *Service) ImportJob(ctx context.Context, id uuid.UUID) (domain.ImportJob, error) {
	return s.db.GetImportJob(ctx, id)
}

// ImportJobResults returns a page of a job's per-row results after row
// after; a row appears once the job has imported it.
func (s *Service) ImportJobResults(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.ImportResult, bool, error) {
	return s.db.ImportJobResults(ctx, id, after, limit)
}

// CancelImportJob stops a job before its next batch; rows already written stay.
func (s *Service) CancelImportJob(ctx context.Context, id uuid.UUID) (domain.ImportJob, error) {
	var j domain.ImportJob
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if j, err = s.db.CancelImportJob(ctx, id); err != nil {
			return err
		}
		if err := s.record(ctx, "import_job.cancelled", "import_job", id.String(), nil, nil); err != nil {
			return err
		}
		return s.emit(ctx, domain.EventImportJobCompleted, j)
	})
	return j, err
}

// RunImportJob works an import job chunk by chunk; each chunk's writes
// and results commit together (row by row after a race), and a row's
// result is the fence that keeps a retried run from writing it twice. It
// returns ErrStopping when stopping closed between two chunks.
func (s *Service) RunImportJob(ctx context.Context, id uuid.UUID, stopping <-chan struct{}) error {
	j, err := s.db.StartImportJob(ctx, id)
	if err != nil || j == nil {
		return err
	}
	ctx = domain.WithActor(ctx, domain.Actor{Kind: domain.ActorSystem}) // the records' own audit: the job wrote them
	for {
		select {
		case <-stopping:
			return ErrStopping
		default:
		}
		chunk, err := s.db.NextImportChunk(ctx, id)
		if err != nil {
			return err
		}
		if chunk == nil {
			return s.finishImport(ctx, id, domain.JobSucceeded, "")
		}
		if err := s.runChunk(ctx, *j, chunk); err != nil {
			if errors.Is(err, domain.ErrJobNotHeld) {
				return nil // cancelled, or another attempt recorded this chunk
			}
			return err
		}
	}
}

// runChunk imports a chunk's rows; the results of rows refused at the edge
// are recorded with the first write, and the chunk is dropped in the
// transaction of its last.
func (s *Service) runChunk(ctx context.Context, j domain.ImportJob, chunk *domain.ImportChunk) error {
	var rows []domain.ImportRow
	var refused []domain.ImportResult
	for _, it := range chunk.Items {
		if it.Row == nil {
			refused = append(refused, it.Result)
		} else {
			rows = append(rows, *it.Row)
		}
	}
	left := len(chunk.Items)
	record := func(ctx context.Context, results []domain.ImportResult) error {
		if len(refused) > 0 {
			results, refused = append(append([]domain.ImportResult(nil), results...), refused...), nil
		}
		if err := s.db.RecordImportResults(ctx, j.ID, results); err != nil {
			return err
		}
		if left -= len(results); left > 0 {
			return nil
		}
		return s.db.DropImportChunk(ctx, j.ID, chunk.Seq)
	}
	if len(rows) == 0 { // refused rows only, or every row recorded by an earlier attempt
		return s.db.WithinTx(ctx, func(ctx context.Context) error { return record(ctx, nil) })
	}
	_, err := s.importBatch(ctx, j.Spec, j.Actor, rows, record)
	return err
}

// FailImportJob ends a job whose run gave up, with the cause.
func (s *Service) FailImportJob(ctx context.Context, id uuid.UUID, cause string) error {
	return s.finishImport(ctx, id, domain.JobFailed, cause)
}

// finishImport is the one place a run ends an import job (succeeded or
// failed): the status, the audit event and import_job.completed commit
// together, once. A cancel ends the job in CancelImportJob.
func (s *Service) finishImport(ctx context.Context, id uuid.UUID, status, cause string) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		j, finished, err := s.db.FinishImportJob(ctx, id, status, cause)
		if err != nil || !finished {
			return err
		}
		if err := s.db.RecordAudit(ctx, domain.AuditEvent{Actor: j.Actor, Action: "import_job.completed", SubjectType: "import_job",
			SubjectID: id.String(), Details: map[string]any{"status": j.Status, "created": j.Created, "updated": j.Updated,
				"unchanged": j.Unchanged, "failed": j.Failed}}); err != nil {
			return err
		}
		return s.emit(ctx, domain.EventImportJobCompleted, j)
	})
}
