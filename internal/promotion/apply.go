package promotion

import (
	"context"
	"net/url"
	"slices"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// outcome is the answer of a plan: the user and organization as they are
// (or, on a dry run, would be) after promotion. A dry run's organization
// to be created has no id yet.
func (p *plan) outcome(s *Service) Outcome {
	u := p.person
	u.Status, u.Email, u.Role = domain.UserPending, p.email, p.role()
	u.OrganizationID = nil
	if p.org.ID != [16]byte{} {
		id := p.org.ID
		u.OrganizationID = &id
	}
	u.GroupIDs = union(p.manual, p.smart)
	u.ActivatedAt, u.PrimaryContact = nil, false
	u.Version++
	u.UpdatedAt = s.now()
	return Outcome{User: u, Organization: p.org, OrganizationCreated: p.create, Warnings: p.warnings}
}

func (p *plan) role() domain.Role {
	if p.req.Role != "" {
		return p.req.Role
	}
	if p.person.Role != "" {
		return p.person.Role
	}
	return domain.RoleMember
}

// apply writes a checked plan; it runs in the caller's transaction, so a
// failure of any step leaves nothing behind.
func (s *Service) apply(ctx context.Context, p *plan) (Outcome, error) {
	now := s.now()
	if p.create {
		p.org.ID, p.org.Version, p.org.CreatedAt, p.org.UpdatedAt = domain.NewID(), 1, now, now
		org, created, err := s.db.ConvertAccount(ctx, p.org)
		if err != nil {
			return Outcome{}, err
		}
		if !created { // a concurrent promotion converted the account first
			p.org, p.create, p.warnings = org, false, nil
			if err := s.resmart(ctx, p); err != nil {
				return Outcome{}, err
			}
		}
	}
	if err := s.lockKept(ctx, p); err != nil {
		return Outcome{}, err
	}
	out := p.outcome(s)
	if err := s.db.PromoteContact(ctx, out.User); err != nil {
		return Outcome{}, err
	}
	// demotion kept the manual groups and dropped the smart ones
	if err := s.db.AddMemberships(ctx, out.User.ID, p.person.GroupIDs, p.manual, p.smart); err != nil {
		return Outcome{}, err
	}
	// a promoted contact has no live token: demotion revoked them
	w, err := s.writer(ctx, domain.EmailInvitation, p.req.Actor)
	if err != nil {
		return Outcome{}, err
	}
	mail, token, inv, err := s.invitation(w, out.User, out.Organization, p.req.Invitation, p.req.Actor)
	if err != nil {
		return Outcome{}, err
	}
	if err := s.db.Invite(ctx, token, mail); err != nil {
		return Outcome{}, err
	}
	if err := s.db.AddInvitations(ctx, []domain.Invitation{inv}); err != nil {
		return Outcome{}, err
	}
	if err := s.audit.RecordAudit(ctx, promotedEvent(p.req.Actor, out)); err != nil {
		return Outcome{}, err
	}
	var created []domain.Organization
	if out.OrganizationCreated {
		created = append(created, out.Organization)
	}
	return out, s.emitPromotions(ctx, []domain.User{out.User}, created, []domain.Invitation{inv})
}

// emitPromotions sends the events of promotions: each user promoted, each
// organization converted from an account, each invitation sent.
func (s *Service) emitPromotions(ctx context.Context, users []domain.User, orgs []domain.Organization, invs []domain.Invitation) error {
	if err := s.events.Emit(ctx, domain.EventUserPromoted, values(users)...); err != nil {
		return err
	}
	if err := s.events.Emit(ctx, domain.EventOrganizationCreated, values(orgs)...); err != nil {
		return err
	}
	return s.events.Emit(ctx, domain.EventInvitationSent, values(invs)...)
}

// values lists vs as the data of events.
func values[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// lockKept share-locks the groups kept from an earlier demotion: they are
// not written again, so without the lock a concurrent delete of one could
// leave the new user with no group. A kept group deleted meanwhile is
// dropped and the groups are settled again, as if it had never been kept.
func (s *Service) lockKept(ctx context.Context, p *plan) error {
	missing, err := s.db.LockGroups(ctx, p.person.GroupIDs)
	if err != nil || len(missing) == 0 {
		return err
	}
	p.person.GroupIDs = slices.DeleteFunc(slices.Clone(p.person.GroupIDs), func(g uuid.UUID) bool { return slices.Contains(missing, g) })
	p.smart = nil
	return s.checkGroups(ctx, s.db, p)
}

func promotedEvent(actor string, out Outcome) domain.AuditEvent {
	details := map[string]any{"organization_created": out.OrganizationCreated, "group_ids": out.User.GroupIDs,
		"role": string(out.User.Role), "warnings": len(out.Warnings)}
	return domain.AuditEvent{Actor: actor, Action: "user.promoted", SubjectType: "user",
		SubjectID: out.User.ID.String(), OrganizationID: out.User.OrganizationID, Details: details}
}

// resmart recomputes smart groups against the organization actually joined.
func (s *Service) resmart(ctx context.Context, p *plan) error {
	smart, err := s.matchingSmartGroups(ctx, s.db, p.org)
	p.smart = p.smart[:0]
	for _, g := range smart {
		p.smart = append(p.smart, g.ID)
	}
	return err
}

// link is an absolute link to a page of the public URL carrying a token.
func (s *Service) link(path, token string) string {
	return s.cfg.PublicURL + path + "?token=" + url.QueryEscape(token)
}
