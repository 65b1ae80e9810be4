package promotion

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// applyBatch writes the checked plans of a batch in a few multi-row
// statements and fixes the outcomes up with organizations created meanwhile.
func (s *Service) applyBatch(ctx context.Context, plans []*plan, outcomes []Outcome) error {
	b := domain.PromotionBatch{At: s.now(), Role: plans[0].req.Role}
	now := b.At
	w, err := s.writer(ctx, domain.EmailInvitation, plans[0].req.Actor)
	if err != nil {
		return err
	}
	for k, p := range plans {
		out := outcomes[k]
		if p.create {
			org := p.org
			org.Version, org.CreatedAt, org.UpdatedAt = 1, now, now
			b.NewOrganizations = append(b.NewOrganizations, org)
		}
		b.UserIDs = append(b.UserIDs, out.User.ID)
		for _, g := range p.manual {
			if !slices.Contains(p.person.GroupIDs, g) {
				b.Memberships = append(b.Memberships, domain.Membership{PersonID: out.User.ID, GroupID: g, Source: domain.SourceManual})
			}
		}
		for _, g := range p.smart {
			if !slices.Contains(p.manual, g) && !slices.Contains(p.person.GroupIDs, g) {
				b.Memberships = append(b.Memberships, domain.Membership{PersonID: out.User.ID, GroupID: g, Source: domain.SourceSmart})
			}
		}
		mail, token, inv, err := s.invitation(w, out.User, out.Organization, p.req.Invitation, p.req.Actor)
		if err != nil {
			return err
		}
		b.Emails, b.Tokens, b.Invitations = append(b.Emails, mail), append(b.Tokens, token), append(b.Invitations, inv)
		b.Audits = append(b.Audits, promotedEvent(p.req.Actor, out))
	}
	// kept groups are not written again: lock them against a concurrent
	// delete (lockKept); one deleted meanwhile sends the batch one by one
	var kept []uuid.UUID
	for _, p := range plans {
		kept = union(kept, p.person.GroupIDs)
	}
	if missing, err := s.db.LockGroups(ctx, kept); err != nil || len(missing) > 0 {
		if err != nil {
			return err
		}
		return domain.ErrBatchRace
	}
	orgOf, err := s.db.ApplyPromotions(ctx, b)
	if err != nil {
		return err
	}
	for k, p := range plans {
		if p.person.OrganizationID != nil || p.person.AccountID == nil {
			continue
		}
		if real, ok := orgOf[*p.person.AccountID]; ok && real != outcomes[k].Organization.ID {
			// a concurrent promotion converted the account first: join its organization
			outcomes[k].User.OrganizationID, outcomes[k].OrganizationCreated = &real, false
			outcomes[k].Organization.ID = real
		}
	}
	users := make([]domain.User, len(outcomes))
	var created []domain.Organization
	for k := range outcomes {
		users[k] = outcomes[k].User
	}
	for _, org := range b.NewOrganizations {
		if org.AccountID != nil && orgOf[*org.AccountID] == org.ID {
			created = append(created, org)
		}
	}
	return s.emitPromotions(ctx, users, created, b.Invitations)
}

// oneByOne promotes each contact in its own transaction, recording its
// result in the same transaction: the fallback when a batch collides with
// a concurrent change.
func (s *Service) oneByOne(ctx context.Context, ids []uuid.UUID, o domain.BulkOptions, actor string, after afterBatch) ([]ItemResult, error) {
	results := make([]ItemResult, 0, len(ids))
	for _, id := range ids {
		req := Request{ContactID: id, GroupIDs: o.GroupIDs, Role: o.Role, ConfirmSmartGroups: o.ConfirmSmartGroups,
			DryRun: o.DryRun, Actor: actor, Restricted: o.Scope != nil, Invitation: o.Invitation}
		var r ItemResult
		if err := s.inScope(ctx, id, o.Scope); err != nil {
			de, ok := domain.AsError(err)
			if !ok || de.Fault() {
				return results, err
			}
			r = ItemResult{ContactID: id, Status: ItemFailed, Err: de}
			if err := s.db.WithinTx(ctx, func(ctx context.Context) error { return runAfter(ctx, after, r) }); err != nil {
				return results, err
			}
			results = append(results, r)
			continue
		}
		// take the slot before the transaction, so that no one waits for a
		// slot while holding a connection (SQLite has one)
		if err := s.admission.enter(ctx, "single"); err != nil {
			return results, err
		}
		err := s.db.WithinTx(context.WithValue(ctx, admittedKey{}, true), func(ctx context.Context) error {
			out, err := s.Promote(ctx, req)
			if err != nil {
				return err
			}
			uid := out.User.ID
			r = ItemResult{ContactID: id, Status: ItemPromoted, UserID: &uid, Warnings: out.Warnings}
			return runAfter(ctx, after, r)
		})
		s.admission.leave()
		if err != nil {
			de, ok := domain.AsError(err)
			if !ok || de.Fault() {
				return results, err
			}
			r = ItemResult{ContactID: id, Status: ItemFailed, Err: de}
			if err := s.db.WithinTx(ctx, func(ctx context.Context) error { return runAfter(ctx, after, r) }); err != nil {
				return results, err
			}
		}
		results = append(results, r)
	}
	return results, nil
}

// inScope answers not_found for a contact outside a primary contact's
// organization, as the batch does.
func (s *Service) inScope(ctx context.Context, id uuid.UUID, scope *uuid.UUID) error {
	if scope == nil {
		return nil
	}
	person, _, err := s.db.GetPerson(ctx, id, false)
	if err != nil {
		return err
	}
	if person.OrganizationID == nil || *person.OrganizationID != *scope {
		return domain.NotFound("contact", id.String())
	}
	return nil
}

func runAfter(ctx context.Context, after afterBatch, r ItemResult) error {
	if after == nil {
		return nil
	}
	return after(ctx, []ItemResult{r})
}
