package directory

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// AuditStore writes and reads the audit log.
type AuditStore interface {
	RecordAudit(ctx context.Context, e domain.AuditEvent) error
	ListAuditEvents(ctx context.Context, f domain.AuditFilter, p domain.Page) ([]domain.AuditEvent, bool, error)
}

// record audits a change by the actor of ctx, in the caller's transaction.
func (s *Service) record(ctx context.Context, action, subjectType, subjectID string, org *uuid.UUID, details map[string]any) error {
	return s.db.RecordAudit(ctx, domain.AuditEvent{Actor: domain.ActorFrom(ctx).String(), Action: action,
		SubjectType: subjectType, SubjectID: subjectID, OrganizationID: org, Details: details})
}

// AuditEvents returns a page of audit events, oldest first.
func (s *Service) AuditEvents(ctx context.Context, f domain.AuditFilter, p domain.Page) ([]domain.AuditEvent, bool, error) {
	return s.db.ListAuditEvents(ctx, f, pageOf(p))
}
