package promotion

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// Demote turns a user back into a contact with the same id. Sessions and
// links are revoked and the password is cleared at once; organization,
// role, manual groups and data stay, so a later promotion restores them.
func (s *Service) Demote(ctx context.Context, id uuid.UUID, ifMatch int64, actor string) (domain.Contact, error) {
	var c domain.Contact
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		u, err := s.db.GetUser(ctx, id, true)
		if err != nil {
			return err
		}
		if ifMatch != 0 && ifMatch != u.Version {
			return domain.PreconditionFailed()
		}
		if err := s.db.DemoteUser(ctx, id, u.Version+1); err != nil {
			return err
		}
		if err := s.db.RevokeCredentials(ctx, id); err != nil {
			return err
		}
		// its pending invitation is withdrawn with its links
		if _, err := s.db.MoveInvitations(ctx, []uuid.UUID{id}, domain.InvitationRevoke, s.now()); err != nil {
			return err
		}
		c = u.Contact
		c.Version++
		c.UpdatedAt = s.now()
		if err := s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: actor, Action: "user.demoted",
			SubjectType: "user", SubjectID: id.String(), OrganizationID: u.OrganizationID,
			Details: map[string]any{"role": string(u.Role), "group_ids": u.GroupIDs}}); err != nil {
			return err
		}
		return s.events.Emit(ctx, domain.EventUserDemoted, c)
	})
	return c, err
}
