package promotion

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Resend item outcomes.
const (
	ItemResent = domain.ResendDone
)

// ResendResult is one selected invitation's outcome in a bulk resend.
type ResendResult struct {
	InvitationID uuid.UUID
	Status       string             // resent or failed
	Invitation   *domain.Invitation // the new invitation, when resent
	Err          *domain.Error
}

// ResendSelection is what a bulk resend resends: named invitations, or
// every invitation matching a filter.
type ResendSelection struct {
	InvitationIDs []uuid.UUID
	Filter        *domain.InvitationFilter
}

func errNotPending(u domain.User) *domain.Error {
	return domain.Conflict("user_not_pending", "user "+u.ID.String()+" is "+string(u.Status)+"; only pending users get activation emails").
		WithResolution("an active user can reset the password with POST /api/v1/password-resets")
}

// ResendActivation sends a pending user a new invitation; earlier links
// stop working and the pending invitation is superseded.
func (s *Service) ResendActivation(ctx context.Context, id uuid.UUID, o domain.InvitationOptions, actor string) (domain.Invitation, error) {
	if err := s.CheckInvitation(o); err != nil {
		return domain.Invitation{}, err
	}
	var inv domain.Invitation
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		users, err := s.db.LockUsers(ctx, []uuid.UUID{id})
		if err != nil {
			return err
		}
		u, ok := users[id]
		if !ok {
			return domain.NotFound("user", id.String())
		}
		if u.Status != domain.UserPending {
			return errNotPending(u)
		}
		r := s.newResendBatch(ctx, o, actor)
		if err := r.add(ctx, u); err != nil {
			return err
		}
		inv = r.batch.Invitations[0]
		return r.apply(ctx)
	})
	return inv, err
}

// resendBatch builds one set-based write of resends.
type resendBatch struct {
	s     *Service
	w     writer
	o     domain.InvitationOptions
	actor string
	orgs  map[uuid.UUID]domain.Organization
	batch domain.ResendBatch
	err   error // of reading the overrides
}

func (s *Service) newResendBatch(ctx context.Context, o domain.InvitationOptions, actor string) *resendBatch {
	w, err := s.writer(ctx, domain.EmailInvitation, actor)
	return &resendBatch{s: s, w: w, o: o, actor: actor, orgs: map[uuid.UUID]domain.Organization{},
		batch: domain.ResendBatch{At: s.now()}, err: err}
}

// apply writes the batch and sends its invitation.sent events.
func (r *resendBatch) apply(ctx context.Context) error {
	if err := r.s.db.ApplyResends(ctx, r.batch); err != nil {
		return err
	}
	return r.s.events.Emit(ctx, domain.EventInvitationSent, values(r.batch.Invitations)...)
}

// add writes u's new invitation into the batch.
func (r *resendBatch) add(ctx context.Context, u domain.User) error {
	if r.err != nil {
		return r.err
	}
	var org domain.Organization
	if u.OrganizationID != nil {
		var ok bool
		if org, ok = r.orgs[*u.OrganizationID]; !ok {
			var err error
			if org, err = r.s.db.GetOrganization(ctx, *u.OrganizationID, false); err != nil {
				return err
			}
			r.orgs[org.ID] = org
		}
	}
	mail, token, inv, err := r.s.invitation(r.w, u, org, r.o, r.actor)
	if err != nil {
		return err
	}
	b := &r.batch
	b.UserIDs, b.Tokens, b.Emails, b.Invitations = append(b.UserIDs, u.ID), append(b.Tokens, token), append(b.Emails, mail), append(b.Invitations, inv)
	b.Audits = append(b.Audits, domain.AuditEvent{Actor: r.actor, Action: "user.activation_resent", SubjectType: "user",
		SubjectID: u.ID.String(), OrganizationID: u.OrganizationID, Details: map[string]any{"invitation_id": inv.ID.String()}})
	return nil
}

// ResolveResend turns a selection into invitation ids, in request order
// without duplicates, or in id order for a filter. A scope (a primary
// contact's organization) narrows a filter; named invitations of other
// organizations fail one by one.
func (s *Service) ResolveResend(ctx context.Context, sel ResendSelection, scope *uuid.UUID) ([]uuid.UUID, error) {
	if sel.Filter == nil {
		return s.Resolve(ctx, Selection{ContactIDs: sel.InvitationIDs}, nil)
	}
	f := *sel.Filter
	if scope != nil {
		if f.OrganizationID != nil && *f.OrganizationID != *scope {
			return nil, domain.NotFound("organization", f.OrganizationID.String())
		}
		f.OrganizationID = scope
	}
	invs, err := s.db.SelectInvitations(ctx, f, MaxSelection)
	if err != nil {
		return nil, err
	}
	if len(invs) > MaxSelection {
		return nil, domain.Invalid("selection_too_large", "the filter selects more than 200000 invitations; narrow it down")
	}
	ids := make([]uuid.UUID, len(invs))
	for i, inv := range invs {
		ids[i] = inv.ID
	}
	return ids, nil
}

// ResendNow resends a small selection synchronously, batch by batch.
func (s *Service) ResendNow(ctx context.Context, ids []uuid.UUID, o domain.ResendOptions, actor string) ([]ResendResult, error) {
	if err := s.CheckInvitation(o.Invitation); err != nil {
		return nil, err
	}
	out := make([]ResendResult, 0, len(ids))
	for start := 0; start < len(ids); start += BatchSize {
		res, err := s.resend(ctx, ids[start:min(start+BatchSize, len(ids))], o, actor, nil)
		if err != nil {
			return out, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// resend resends the invitations ids in one transaction, each user once
// (a second invitation of a user shares the first one's result); after
// runs in the transaction with the results.
func (s *Service) resend(ctx context.Context, ids []uuid.UUID, o domain.ResendOptions, actor string, after func(context.Context, []ResendResult) error) ([]ResendResult, error) {
	if err := s.admission.enter(ctx, "batch"); err != nil {
		return nil, err
	}
	defer s.admission.leave()
	var results []ResendResult
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		invs, err := s.db.InvitationsByID(ctx, ids)
		if err != nil {
			return err
		}
		var userIDs []uuid.UUID
		for _, inv := range invs {
			userIDs = append(userIDs, inv.UserID)
		}
		users, err := s.db.LockUsers(ctx, userIDs)
		if err != nil {
			return err
		}
		r := s.newResendBatch(ctx, o.Invitation, actor)
		results = make([]ResendResult, len(ids))
		sent := map[uuid.UUID]int{} // user → index of its new invitation
		for i, id := range ids {
			results[i] = ResendResult{InvitationID: id, Status: domain.ResendFailed}
			inv, ok := invs[id]
			switch u, isUser := users[inv.UserID]; {
			case !ok || (o.Scope != nil && (inv.OrganizationID == nil || *inv.OrganizationID != *o.Scope)):
				results[i].Err = domain.NotFound("invitation", id.String())
			case !isUser:
				results[i].Err = domain.Conflict("user_not_pending", "user "+inv.UserID.String()+" is no longer a user; only pending users get activation emails").
					WithResolution("promote the contact again to invite it")
			case u.Status != domain.UserPending:
				results[i].Err = errNotPending(u)
			default:
				k, done := sent[u.ID]
				if !done {
					if err := r.add(ctx, u); err != nil {
						return err
					}
					k = len(r.batch.Invitations) - 1
					sent[u.ID] = k
				}
				inv := r.batch.Invitations[k]
				results[i].Status, results[i].Invitation = ItemResent, &inv
			}
		}
		if err := r.apply(ctx); err != nil {
			return err
		}
		if after != nil {
			return after(ctx, results)
		}
		return nil
	})
	if errors.Is(err, domain.ErrBatchRace) {
		return nil, domain.Conflict("resend_conflict", "another resend of the same users ran at the same moment").
			WithResolution("retry the request")
	}
	return results, err
}
