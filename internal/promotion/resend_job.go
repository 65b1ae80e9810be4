package promotion

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// EnqueueResend stores a bulk resend job for the invitations and enqueues
// its run; a worker of any process runs it.
func (s *Service) EnqueueResend(ctx context.Context, ids []uuid.UUID, o domain.ResendOptions, actor string) (domain.InvitationJob, error) {
	if err := s.CheckInvitation(o.Invitation); err != nil {
		return domain.InvitationJob{}, err
	}
	now := s.now()
	j := domain.InvitationJob{ID: domain.NewID(), Status: domain.JobQueued, Options: o, Actor: actor, Total: len(ids), CreatedAt: now, UpdatedAt: now}
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateInvitationJob(ctx, j, ids); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "invitation_job.created", SubjectType: "invitation_job",
			SubjectID: j.ID.String(), OrganizationID: o.Scope, Details: map[string]any{"total": len(ids)}})
	})
	return j, err
}

// ResendJob reads a bulk resend job.
func (s *Service) ResendJob(ctx context.Context, id uuid.UUID) (domain.InvitationJob, error) {
	return s.db.GetInvitationJob(ctx, id)
}

// ResendJobResults returns a page of a job's per-invitation results after seq.
func (s *Service) ResendJobResults(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.ResendItem, bool, error) {
	return s.db.InvitationJobItems(ctx, id, after, limit, false)
}

// RunResendJob works the pending invitations of a bulk resend job batch by
// batch; each batch's resends and results commit together, so a retried
// run resumes where the last one stopped and resends nobody twice. It
// returns ErrStopping when stopping closed between two batches.
func (s *Service) RunResendJob(ctx context.Context, id uuid.UUID, stopping <-chan struct{}) error {
	j, err := s.db.StartInvitationJob(ctx, id)
	if err != nil || j == nil {
		return err
	}
	for {
		select {
		case <-stopping:
			return ErrStopping
		default:
		}
		items, _, err := s.db.InvitationJobItems(ctx, id, -1, BatchSize, true)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return s.db.FinishInvitationJob(ctx, id, domain.JobSucceeded, "")
		}
		ids := make([]uuid.UUID, len(items))
		for i, it := range items {
			ids[i] = it.InvitationID
		}
		record := func(ctx context.Context, results []ResendResult) error {
			out := make([]domain.ResendItem, len(results))
			for i, r := range results {
				out[i] = domain.ResendItem{Seq: items[i].Seq, InvitationID: r.InvitationID, Status: r.Status, Error: r.Err}
				if r.Invitation != nil {
					out[i].NewInvitationID = &r.Invitation.ID
				}
			}
			return s.db.RecordResends(ctx, id, out)
		}
		if _, err := s.resend(ctx, ids, j.Options, j.Actor, record); err != nil {
			if errors.Is(err, domain.ErrJobNotHeld) {
				return nil // another attempt recorded this batch
			}
			return err
		}
	}
}

// FailResendJob ends a job whose run gave up, with the cause.
func (s *Service) FailResendJob(ctx context.Context, id uuid.UUID, cause string) error {
	return s.db.FinishInvitationJob(ctx, id, domain.JobFailed, cause)
}
