package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// AddToken stores the hash of a new single-use token for a person that
// has no live token of the purpose (a contact being promoted: demotion
// revoked everything).
func (d *DB) AddToken(ctx context.Context, personID uuid.UUID, purpose, hash string, expires time.Time) error {
	row := userTokenRow{ID: domain.NewID(), PersonID: personID, Purpose: purpose, TokenHash: hash, ExpiresAt: expires, CreatedAt: d.now()}
	return d.conn(ctx).Create(&row).Error
}

// IssueToken stores the hash of a new single-use token for the person and
// revokes every earlier live token of the same purpose, so that only the
// newest link works.
func (d *DB) IssueToken(ctx context.Context, personID uuid.UUID, purpose, hash string, expires time.Time) error {
	if err := d.conn(ctx).Model(&userTokenRow{}).
		Where("person_id = ? AND purpose = ? AND used_at IS NULL AND revoked_at IS NULL", personID, purpose).
		Update("revoked_at", d.now()).Error; err != nil {
		return err
	}
	return d.AddToken(ctx, personID, purpose, hash, expires)
}

// TokenByHash finds a token of the purpose; lock takes a row lock.
func (d *DB) TokenByHash(ctx context.Context, purpose, hash string, lock bool) (domain.Token, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var row userTokenRow
	if err := q.Take(&row, "purpose = ? AND token_hash = ?", purpose, hash).Error; err != nil {
		return domain.Token{}, notFound(err, "token", "")
	}
	t := domain.Token{ID: row.ID, PersonID: row.PersonID, ExpiresAt: row.ExpiresAt, UsedAt: row.UsedAt, RevokedAt: row.RevokedAt}
	if purpose == domain.PurposeActivation {
		var status []string
		if err := d.conn(ctx).Model(&invitationRow{}).Where("token_id = ?", row.ID).Pluck("status", &status).Error; err != nil {
			return t, err
		}
		if len(status) > 0 {
			t.Invitation = domain.InvitationStatus(status[0])
		}
	}
	return t, nil
}

// UseToken marks a live token used; false when another request used it first.
func (d *DB) UseToken(ctx context.Context, id uuid.UUID) (bool, error) {
	res := d.conn(ctx).Model(&userTokenRow{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
		Update("used_at", d.now())
	return res.RowsAffected == 1, res.Error
}

// RevokeCredentials deletes the person's sessions and revokes its live tokens.
func (d *DB) RevokeCredentials(ctx context.Context, personID uuid.UUID) error {
	if err := d.conn(ctx).Where("person_id = ?", personID).Delete(&sessionRow{}).Error; err != nil {
		return err
	}
	return d.conn(ctx).Model(&userTokenRow{}).Where("person_id = ? AND used_at IS NULL AND revoked_at IS NULL", personID).
		Update("revoked_at", d.now()).Error
}

// RecordAudit writes an audit event in the caller's transaction.
func (d *DB) RecordAudit(ctx context.Context, e domain.AuditEvent) error {
	if e.ID == uuid.Nil {
		e.ID = domain.NewID()
	}
	if e.OccurredAt.IsZero() {
		e.OccurredAt = d.now()
	}
	row := auditEventRow{ID: e.ID, OccurredAt: e.OccurredAt, Actor: e.Actor, Action: e.Action, SubjectType: e.SubjectType,
		SubjectID: e.SubjectID, OrganizationID: e.OrganizationID, Details: jsonMap(e.Details)}
	return d.conn(ctx).Create(&row).Error
}

// ListAuditEvents returns one page of events, oldest first.
func (d *DB) ListAuditEvents(ctx context.Context, f domain.AuditFilter, p domain.Page) ([]domain.AuditEvent, bool, error) {
	q := d.conn(ctx).Model(&auditEventRow{})
	if f.SubjectID != "" {
		q = q.Where("subject_id = ?", f.SubjectID)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.From != nil {
		q = q.Where("occurred_at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("occurred_at < ?", f.To.UTC())
	}
	var rows []auditEventRow
	if err := page(q, "audit_events", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	out := make([]domain.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = domain.AuditEvent{ID: r.ID, OccurredAt: r.OccurredAt, Actor: r.Actor, Action: r.Action,
			SubjectType: r.SubjectType, SubjectID: r.SubjectID, OrganizationID: r.OrganizationID, Details: map[string]any(r.Details)}
	}
	return out, more, nil
}

// Invite stores an activation token for a person that has none live (a
// contact being promoted) and queues its invitation, in one statement on
// PostgreSQL.
func (d *DB) Invite(ctx context.Context, t domain.NewToken, m domain.Email) error {
	now := d.now()
	if t.ID == uuid.Nil {
		t.ID = domain.NewID()
	}
	if d.Dialect != Postgres {
		row := userTokenRow{ID: t.ID, PersonID: t.PersonID, Purpose: t.Purpose, TokenHash: t.Hash, ExpiresAt: t.Expires, CreatedAt: now}
		if err := d.conn(ctx).Create(&row).Error; err != nil {
			return err
		}
		return d.EnqueueEmail(ctx, m)
	}
	row := outboxRow(m, now)
	err := d.conn(ctx).Exec(`WITH token AS (
			INSERT INTO user_tokens (id, person_id, purpose, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?))
		INSERT INTO outbox_emails (id, recipient, subject, body, html, attempts, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, 0, '', ?)`,
		t.ID, t.PersonID, t.Purpose, t.Hash, t.Expires, now,
		row.ID, row.Recipient, row.Subject, row.Body, row.HTML, now).Error
	if err != nil {
		return err
	}
	return d.InsertJob(ctx, domain.SendEmail{EmailID: row.ID})
}
