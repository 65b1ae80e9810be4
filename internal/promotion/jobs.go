package promotion

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// JobStore keeps bulk promotion jobs.
type JobStore interface {
	CreateJob(ctx context.Context, j domain.PromotionJob, items []domain.JobItem) error
	GetJob(ctx context.Context, id uuid.UUID) (domain.PromotionJob, error)
	JobItems(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.JobItem, bool, error)
	PendingItems(ctx context.Context, id uuid.UUID, n int) ([]domain.JobItem, error)
	StartJob(ctx context.Context, id uuid.UUID, attempt string) (*domain.PromotionJob, error)
	RecordBatch(ctx context.Context, jobID uuid.UUID, attempt string, items []domain.JobItem) error
	FinishJob(ctx context.Context, jobID uuid.UUID, attempt, status, cause string) error
	CancelJob(ctx context.Context, id uuid.UUID) (domain.PromotionJob, error)
	SelectContactIDs(ctx context.Context, f domain.ContactFilter, limit int) ([]uuid.UUID, error)
}

// Bulk limits.
const (
	MaxContactIDs  = 10_000  // contacts named in one request
	MaxSelection   = 200_000 // contacts one filter may select
	BatchSize      = 500     // contacts per transaction
	syncBatchLimit = BatchSize
)

// Selection is what a bulk promotion promotes: contacts named by id, email
// or external id, or every contact matching a filter (one of them).
type Selection struct {
	ContactIDs  []uuid.UUID
	Emails      []string
	ExternalIDs []string
	Filter      *domain.ContactFilter
}

// Resolve turns a selection into contact ids, in request order without
// duplicates, or in id order for a filter. With a scope (a primary
// contact's organization) the filter's other fields narrow that
// organization; contact ids of other organizations fail one by one later.
func (s *Service) Resolve(ctx context.Context, sel Selection, scope *uuid.UUID) ([]uuid.UUID, error) {
	if sel.Filter == nil {
		seen := make(map[uuid.UUID]bool, len(sel.ContactIDs))
		ids := make([]uuid.UUID, 0, len(sel.ContactIDs))
		for _, id := range sel.ContactIDs {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		return ids, nil
	}
	f := *sel.Filter
	if scope != nil {
		// a filter naming another organization is 404, as the contact list
		// answers it; replacing it by the scope would select the caller's
		// whole organization instead
		if f.OrganizationID != nil && *f.OrganizationID != *scope {
			return nil, domain.NotFound("organization", f.OrganizationID.String())
		}
		f.OrganizationID = scope
	}
	ids, err := s.db.SelectContactIDs(ctx, f, MaxSelection)
	if err == nil && len(ids) > MaxSelection {
		return nil, domain.Invalid("selection_too_large", "the filter selects more than 200000 contacts; narrow it down")
	}
	return ids, err
}

// PromoteNow promotes a small selection synchronously, batch by batch.
func (s *Service) PromoteNow(ctx context.Context, ids []uuid.UUID, o domain.BulkOptions, actor string) ([]ItemResult, error) {
	shared, err := s.loadJobFacts(ctx, o.GroupIDs)
	if err != nil {
		return nil, err
	}
	out := make([]ItemResult, 0, len(ids))
	for start := 0; start < len(ids); start += syncBatchLimit {
		batch := ids[start:min(start+syncBatchLimit, len(ids))]
		res, err := s.PromoteBatch(ctx, batch, o, actor, shared, nil)
		if err != nil {
			return out, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// Enqueue stores a job for the selection and enqueues its run; a worker of
// any process runs it.
func (s *Service) Enqueue(ctx context.Context, ids []uuid.UUID, o domain.BulkOptions, actor string) (domain.PromotionJob, error) {
	targets := make([]Target, len(ids))
	for i, id := range ids {
		targets[i] = Target{ContactID: id}
	}
	return s.EnqueueTargets(ctx, targets, o, actor)
}

// EnqueueTargets is Enqueue for targets: those that named no contact are
// recorded as failed (and processed) at once, in their place.
func (s *Service) EnqueueTargets(ctx context.Context, targets []Target, o domain.BulkOptions, actor string) (domain.PromotionJob, error) {
	now := s.now()
	j := domain.PromotionJob{ID: domain.NewID(), Status: domain.JobQueued, Options: o, Actor: actor, Total: len(targets), CreatedAt: now, UpdatedAt: now}
	for _, t := range targets {
		if t.Err != nil {
			j.Processed, j.Failed = j.Processed+1, j.Failed+1
		}
	}
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateJob(ctx, j, jobItems(targets)); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "promotion_job.created", SubjectType: "promotion_job",
			SubjectID: j.ID.String(), OrganizationID: o.Scope, Details: map[string]any{"total": len(targets), "dry_run": o.DryRun}})
	})
	return j, err
}

// Job reads a job; JobResults pages through its items.
func (s *Service) Job(ctx context.Context, id uuid.UUID) (domain.PromotionJob, error) {
	return s.db.GetJob(ctx, id)
}

// JobResults returns a page of a job's per-contact results after seq.
func (s *Service) JobResults(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.JobItem, bool, error) {
	return s.db.JobItems(ctx, id, after, limit)
}

// CancelJob stops a job at its next batch; promotions already committed stay.
func (s *Service) CancelJob(ctx context.Context, id uuid.UUID, actor string) (domain.PromotionJob, error) {
	var j domain.PromotionJob
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if j, err = s.db.CancelJob(ctx, id); err != nil {
			return err
		}
		if err := s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "promotion_job.cancelled", SubjectType: "promotion_job",
			SubjectID: id.String(), OrganizationID: j.Options.Scope}); err != nil {
			return err
		}
		return s.events.Emit(ctx, domain.EventPromotionJobCompleted, j)
	})
	return j, err
}

// ErrStopping ends a job's run between two batches when the process is
// shutting down: the job stays open, and the next attempt resumes it.
var ErrStopping = errors.New("the process is stopping")

// RunJob works the pending contacts of job id batch by batch, as attempt
// (one attempt of its background run). Each batch's promotions and results
// commit in one transaction fenced on the attempt, so that a crash, a
// retry or a rescued attempt never promotes anyone twice. It returns nil
// when the job is finished, cancelled or taken over by a later attempt,
// and ErrStopping when stopping closed between two batches.
func (s *Service) RunJob(ctx context.Context, id uuid.UUID, attempt string, stopping <-chan struct{}) error {
	j, err := s.db.StartJob(ctx, id, attempt)
	if err != nil || j == nil {
		return err
	}
	shared, err := s.loadJobFacts(ctx, j.Options.GroupIDs)
	if err != nil {
		return err
	}
	for {
		select {
		case <-stopping:
			return ErrStopping
		default:
		}
		items, err := s.db.PendingItems(ctx, j.ID, BatchSize)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return s.finishJob(ctx, j.ID, attempt, domain.JobSucceeded, "")
		}
		if err := s.runBatch(ctx, *j, attempt, items, shared); err != nil {
			if errors.Is(err, domain.ErrJobNotHeld) {
				return nil // cancelled, or a later attempt holds it now
			}
			return err
		}
	}
}

// FailJob ends a job whose run gave up, with the cause.
func (s *Service) FailJob(ctx context.Context, id uuid.UUID, attempt, cause string) error {
	return s.finishJob(ctx, id, attempt, domain.JobFailed, cause)
}

// finishJob ends a job held by attempt and sends promotion_job.completed,
// in one transaction; an attempt that no longer holds the job changes
// nothing and sends nothing: whoever ended the job sent the event.
func (s *Service) finishJob(ctx context.Context, id uuid.UUID, attempt, status, cause string) error {
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.FinishJob(ctx, id, attempt, status, cause); err != nil {
			return err
		}
		j, err := s.db.GetJob(ctx, id)
		if err != nil {
			return err
		}
		return s.events.Emit(ctx, domain.EventPromotionJobCompleted, j)
	})
	if errors.Is(err, domain.ErrJobNotHeld) {
		return nil
	}
	return err
}

func (s *Service) runBatch(ctx context.Context, j domain.PromotionJob, attempt string, items []domain.JobItem, shared *jobFacts) error {
	ids := make([]uuid.UUID, len(items))
	seqOf := make(map[uuid.UUID]int, len(items))
	for i, it := range items {
		ids[i], seqOf[it.ContactID] = it.ContactID, it.Seq
	}
	record := func(ctx context.Context, results []ItemResult) error {
		out := make([]domain.JobItem, len(results))
		for i, r := range results {
			out[i] = domain.JobItem{Seq: seqOf[r.ContactID], ContactID: r.ContactID, Status: r.Status, UserID: r.UserID, Error: r.Err, Warnings: r.Warnings}
		}
		return s.db.RecordBatch(ctx, j.ID, attempt, out)
	}
	_, err := s.PromoteBatch(ctx, ids, j.Options, j.Actor, shared, record)
	return err
}
