package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

type invitationRow struct {
	ID               uuid.UUID `gorm:"primaryKey"`
	UserID           uuid.UUID
	OrganizationID   *uuid.UUID
	TokenID          *uuid.UUID
	EmailID          *uuid.UUID
	Status           string
	Locale           string
	Message          string
	ExpiresAt        time.Time
	SentAt           *time.Time
	AcceptedAt       *time.Time
	RevokedAt        *time.Time
	DeliveryStatus   string
	DeliveryAttempts int
	DeliveryError    string
	CreatedBy        string
	CreatedAt        time.Time
}

func (invitationRow) TableName() string { return "invitations" }

func fromInvitation(i domain.Invitation) invitationRow {
	token, email := i.TokenID, i.EmailID
	status := i.Delivery.Status
	if status == "" {
		status = domain.DeliveryQueued
	}
	return invitationRow{ID: i.ID, UserID: i.UserID, OrganizationID: i.OrganizationID, TokenID: &token, EmailID: &email,
		Status: string(i.Status), Locale: i.Locale, Message: i.Message, ExpiresAt: i.ExpiresAt, SentAt: i.SentAt,
		AcceptedAt: i.AcceptedAt, RevokedAt: i.RevokedAt, DeliveryStatus: string(status), DeliveryAttempts: i.Delivery.Attempts,
		DeliveryError: i.Delivery.LastError, CreatedBy: i.CreatedBy, CreatedAt: i.CreatedAt}
}

func toInvitation(r invitationRow) domain.Invitation {
	i := domain.Invitation{ID: r.ID, UserID: r.UserID, OrganizationID: r.OrganizationID, Status: domain.InvitationStatus(r.Status),
		Locale: r.Locale, Message: r.Message, ExpiresAt: r.ExpiresAt, SentAt: r.SentAt, AcceptedAt: r.AcceptedAt, RevokedAt: r.RevokedAt,
		Delivery:  domain.Delivery{Status: domain.DeliveryStatus(r.DeliveryStatus), Attempts: r.DeliveryAttempts, LastError: r.DeliveryError},
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	if r.TokenID != nil {
		i.TokenID = *r.TokenID
	}
	if r.EmailID != nil {
		i.EmailID = *r.EmailID
	}
	return i
}

// AddInvitations inserts invitations in one statement per thousand, in the
// caller's transaction. The partial unique index refuses a second pending
// invitation for a user: a concurrent resend got there first.
func (d *DB) AddInvitations(ctx context.Context, invs []domain.Invitation) error {
	if len(invs) == 0 {
		return nil
	}
	rows := make([]invitationRow, len(invs))
	for i, inv := range invs {
		rows[i] = fromInvitation(inv)
	}
	err := d.conn(ctx).CreateInBatches(rows, 1000).Error
	if isUniqueViolation(err) {
		return domain.ErrBatchRace
	}
	return err
}

// markDelivery copies an email's delivery state to its invitation, if it
// has one.
func (d *DB) markDelivery(ctx context.Context, emailID uuid.UUID, updates map[string]any) error {
	return d.conn(ctx).Model(&invitationRow{}).Where("email_id = ?", emailID).Updates(updates).Error
}

// MoveInvitations applies ev to the matching invitations of the users, in
// one statement: the domain's status machine gives from and to.
func (d *DB) MoveInvitations(ctx context.Context, userIDs []uuid.UUID, ev domain.InvitationEvent, at time.Time) (int64, error) {
	if len(userIDs) == 0 {
		return 0, nil
	}
	return d.moveWhere(ctx, ev, at, d.conn(ctx).Model(&invitationRow{}).Where("user_id IN ?", userIDs))
}

// AcceptInvitation marks the invitation of an activation token accepted.
func (d *DB) AcceptInvitation(ctx context.Context, tokenID uuid.UUID, at time.Time) error {
	_, err := d.moveWhere(ctx, domain.InvitationAccept, at, d.conn(ctx).Model(&invitationRow{}).Where("token_id = ?", tokenID))
	return err
}

// ExpireInvitations marks every pending invitation whose time ran out, and
// returns them for their audit events.
func (d *DB) ExpireInvitations(ctx context.Context, now time.Time) ([]domain.Invitation, error) {
	from, _ := domain.InvitationMove(domain.InvitationExpire)
	var rows []invitationRow
	if err := d.conn(ctx).Where("status = ? AND expires_at <= ?", string(from), now).Order("id").Limit(1000).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]uuid.UUID, len(rows))
	out := make([]domain.Invitation, len(rows))
	for i, r := range rows {
		ids[i], out[i] = r.ID, toInvitation(r)
	}
	if _, err := d.moveWhere(ctx, domain.InvitationExpire, now, d.conn(ctx).Model(&invitationRow{}).Where("id IN ?", ids)); err != nil {
		return nil, err
	}
	return out, nil
}

func (d *DB) moveWhere(_ context.Context, ev domain.InvitationEvent, at time.Time, q *gorm.DB) (int64, error) {
	from, to := domain.InvitationMove(ev)
	updates := map[string]any{"status": string(to)}
	switch ev {
	case domain.InvitationAccept:
		updates["accepted_at"] = at
	case domain.InvitationRevoke:
		updates["revoked_at"] = at
	}
	res := q.Where("status = ?", string(from)).Updates(updates)
	return res.RowsAffected, res.Error
}

// SaveInvitationStatus writes the status an invitation moved to, if it is
// still from (a concurrent change wins otherwise: 412).
func (d *DB) SaveInvitationStatus(ctx context.Context, inv domain.Invitation, from domain.InvitationStatus) error {
	res := d.conn(ctx).Model(&invitationRow{}).Where("id = ? AND status = ?", inv.ID, string(from)).
		Updates(map[string]any{"status": string(inv.Status), "revoked_at": inv.RevokedAt, "accepted_at": inv.AcceptedAt})
	return affected(res.Error, res.RowsAffected)
}

// RevokeToken withdraws one live token.
func (d *DB) RevokeToken(ctx context.Context, id uuid.UUID) error {
	return d.conn(ctx).Model(&userTokenRow{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
		Update("revoked_at", d.now()).Error
}

// GetInvitation reads one invitation; lock takes a row lock.
func (d *DB) GetInvitation(ctx context.Context, id uuid.UUID, lock bool) (domain.Invitation, error) {
	q := d.conn(ctx)
	if lock {
		q = d.forUpdate(q)
	}
	var row invitationRow
	if err := q.Take(&row, "id = ?", id).Error; err != nil {
		return domain.Invitation{}, notFound(err, "invitation", id.String())
	}
	return toInvitation(row), nil
}

func (d *DB) invitationQuery(ctx context.Context, f domain.InvitationFilter) *gorm.DB {
	q := d.conn(ctx).Model(&invitationRow{})
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.OrganizationID != nil {
		q = q.Where("organization_id = ?", *f.OrganizationID)
	}
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.CreatedAfter != nil {
		q = q.Where("created_at >= ?", f.CreatedAfter.UTC())
	}
	if f.CreatedBefore != nil {
		q = q.Where("created_at < ?", f.CreatedBefore.UTC())
	}
	return q
}

// ListInvitations returns one page of invitations, oldest first.
func (d *DB) ListInvitations(ctx context.Context, f domain.InvitationFilter, p domain.Page) ([]domain.Invitation, bool, error) {
	var rows []invitationRow
	if err := page(d.invitationQuery(ctx, f), "invitations", p).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, p.Limit)
	out := make([]domain.Invitation, len(rows))
	for i, r := range rows {
		out[i] = toInvitation(r)
	}
	return out, more, nil
}

// SelectInvitations returns the invitations matching f in id order, at
// most limit+1 so that the caller can tell when there are more.
func (d *DB) SelectInvitations(ctx context.Context, f domain.InvitationFilter, limit int) ([]domain.Invitation, error) {
	var rows []invitationRow
	if err := d.invitationQuery(ctx, f).Order("id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.Invitation, len(rows))
	for i, r := range rows {
		out[i] = toInvitation(r)
	}
	return out, nil
}

// InvitationsByID reads the named invitations that exist.
func (d *DB) InvitationsByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.Invitation, error) {
	out := make(map[uuid.UUID]domain.Invitation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []invitationRow
	err := d.conn(ctx).Where("id IN ?", ids).Find(&rows).Error
	for _, r := range rows {
		out[r.ID] = toInvitation(r)
	}
	return out, err
}

// CurrentInvitations returns each user's newest invitation.
func (d *DB) CurrentInvitations(ctx context.Context, userIDs []uuid.UUID) (map[uuid.UUID]domain.Invitation, error) {
	out := make(map[uuid.UUID]domain.Invitation, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []invitationRow
	// the newest is the one no later invitation of the user follows (ids
	// are time-ordered); PostgreSQL has no max(uuid)
	if err := d.conn(ctx).Where("user_id IN ?", userIDs).
		Where("NOT EXISTS (SELECT 1 FROM invitations later WHERE later.user_id = invitations.user_id AND later.id > invitations.id)").
		Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.UserID] = toInvitation(r)
	}
	return out, nil
}

// LockUsers reads the named users, locked against a concurrent change,
// with their groups left out.
func (d *DB) LockUsers(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.User, error) {
	out := make(map[uuid.UUID]domain.User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personRow
	if err := d.forUpdate(d.conn(ctx).Where("id IN ? AND kind = ?", ids, kindUser)).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = toUser(r, nil)
	}
	return out, nil
}

// ApplyResends writes a checked batch of resends in a few statements, in
// the caller's transaction: earlier activation links of the users stop,
// their pending invitations are superseded, and the new tokens, emails,
// invitations and audit events are inserted.
func (d *DB) ApplyResends(ctx context.Context, b domain.ResendBatch) error {
	if len(b.UserIDs) == 0 {
		return nil
	}
	if err := d.conn(ctx).Model(&userTokenRow{}).
		Where("person_id IN ? AND purpose = ? AND used_at IS NULL AND revoked_at IS NULL", b.UserIDs, domain.PurposeActivation).
		Update("revoked_at", b.At).Error; err != nil {
		return err
	}
	if _, err := d.MoveInvitations(ctx, b.UserIDs, domain.InvitationSupersede, b.At); err != nil {
		return err
	}
	tokens := make([]userTokenRow, len(b.Tokens))
	for i, t := range b.Tokens {
		tokens[i] = userTokenRow{ID: t.ID, PersonID: t.PersonID, Purpose: t.Purpose, TokenHash: t.Hash, ExpiresAt: t.Expires, CreatedAt: b.At}
	}
	if err := insertAll(ctx, d, tokens); err != nil {
		return err
	}
	if err := d.enqueueEmails(ctx, b.Emails, b.At); err != nil {
		return err
	}
	if err := d.AddInvitations(ctx, b.Invitations); err != nil {
		return err
	}
	return insertAll(ctx, d, audits(domain.PromotionBatch{Audits: b.Audits, At: b.At}))
}
