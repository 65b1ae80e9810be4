package promotion

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Item statuses.
const (
	ItemPromoted     = "promoted"
	ItemFailed       = "failed"
	ItemWouldPromote = "would_promote"
)

// ItemResult is one contact's outcome in a bulk promotion.
type ItemResult struct {
	ContactID uuid.UUID
	Status    string
	UserID    *uuid.UUID
	Err       *domain.Error
	Warnings  []domain.Warning
	// Email or ExternalID echoes the selector value of the item, if any.
	Email, ExternalID string
}

// afterBatch runs in a batch's transaction with its results, so that a
// job records them exactly when the promotions commit.
type afterBatch func(ctx context.Context, results []ItemResult) error

// PromoteBatch promotes ids with set-based reads and writes in one
// transaction: every contact succeeds or fails on its own, with the codes
// of single promotion. When a concurrent change breaks the batch it falls
// back to one transaction per contact.
func (s *Service) PromoteBatch(ctx context.Context, ids []uuid.UUID, o domain.BulkOptions, actor string, shared *jobFacts, after afterBatch) ([]ItemResult, error) {
	var results []ItemResult
	if !o.DryRun {
		// a writing batch is one promotion transaction: it queues with single
		// promotions, before taking a connection (SQLite has one)
		if err := s.admission.enter(ctx, "batch"); err != nil {
			return nil, err
		}
	}
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		var err error
		if results, err = s.batch(ctx, ids, o, actor, shared); err != nil {
			return err
		}
		if after != nil {
			return after(ctx, results)
		}
		return nil
	})
	if !o.DryRun {
		s.admission.leave()
	}
	if errors.Is(err, domain.ErrBatchRace) {
		return s.oneByOne(ctx, ids, o, actor, after)
	}
	return results, err
}

func (s *Service) batch(ctx context.Context, ids []uuid.UUID, o domain.BulkOptions, actor string, shared *jobFacts) ([]ItemResult, error) {
	snap, err := s.loadSnapshot(ctx, ids, !o.DryRun, shared)
	if err != nil {
		return nil, err
	}
	results := make([]ItemResult, len(ids))
	var plans []*plan
	var at []int // index in results of each plan
	for i, id := range ids {
		if person, ok := snap.people[id]; o.Scope != nil && (!ok || person.OrganizationID == nil || *person.OrganizationID != *o.Scope) {
			results[i] = ItemResult{ContactID: id, Status: ItemFailed, Err: domain.NotFound("contact", id.String())}
			continue
		}
		req := Request{ContactID: id, GroupIDs: o.GroupIDs, Role: o.Role, ConfirmSmartGroups: o.ConfirmSmartGroups,
			DryRun: o.DryRun, Actor: actor, Restricted: o.Scope != nil, Invitation: o.Invitation}
		p, err := s.check(ctx, snap, req, false)
		if err != nil {
			de, ok := domain.AsError(err)
			if !ok || de.Fault() {
				return nil, err
			}
			results[i] = ItemResult{ContactID: id, Status: ItemFailed, Err: de}
			continue
		}
		if p.create {
			p.org.ID = domain.NewID()
		}
		snap.claim(p)
		plans, at = append(plans, p), append(at, i)
	}
	outcomes := make([]Outcome, len(plans))
	for k, p := range plans {
		outcomes[k] = p.outcome(s)
	}
	if !o.DryRun && len(plans) > 0 {
		if err := s.applyBatch(ctx, plans, outcomes); err != nil {
			return nil, err
		}
	}
	for k, out := range outcomes {
		status := ItemPromoted
		if o.DryRun {
			status = ItemWouldPromote
		}
		id := out.User.ID
		results[at[k]] = ItemResult{ContactID: id, Status: status, UserID: &id, Warnings: out.Warnings}
	}
	return results, nil
}
