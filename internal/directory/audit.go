package directory

import (
	"context"

	"github.com/portico/portico/internal/domain"
)

// AuditStore reads the audit log.
type AuditStore interface {
	ListAuditEvents(ctx context.Context, f domain.AuditFilter, p domain.Page) ([]domain.AuditEvent, bool, error)
}

// AuditEvents returns a page of audit events, oldest first.
func (s *Service) AuditEvents(ctx context.Context, f domain.AuditFilter, p domain.Page) ([]domain.AuditEvent, bool, error) {
	return s.db.ListAuditEvents(ctx, f, pageOf(p))
}
