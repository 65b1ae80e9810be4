package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/portico/portico/internal/domain"
)

// credentialsRow is a user with its organization's status. GORM fills
// only exported fields, hence the named embedded field.
type credentialsRow struct {
	Person    personRow `gorm:"embedded"`
	OrgStatus string
}

// UserCredentials finds a user by email with its password hash and the
// status of its organization; nil when there is no such user.
func (d *DB) UserCredentials(ctx context.Context, email string) (*domain.Credentials, error) {
	var row credentialsRow
	err := d.conn(ctx).Table("people").Select("people.*, organizations.status AS org_status").
		Joins("LEFT JOIN organizations ON organizations.id = people.organization_id").
		Where("people.email_key = ? AND people.kind = ?", domain.EmailKey(email), kindUser).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &domain.Credentials{User: toUser(row.Person, nil), PasswordHash: row.Person.PasswordHash,
		OrganizationStatus: domain.OrgStatus(row.OrgStatus)}, nil
}

// SetPassword stores a password hash; activate also makes a pending user
// active.
func (d *DB) SetPassword(ctx context.Context, id uuid.UUID, hash string, activate bool) error {
	now := d.now()
	updates := map[string]any{"password_hash": hash, "updated_at": now, "version": gorm.Expr("version + 1")}
	q := d.conn(ctx).Model(&personRow{}).Where("id = ? AND kind = ?", id, kindUser)
	if activate {
		updates["status"], updates["activated_at"] = string(domain.UserActive), now
		q = q.Where("status = ?", string(domain.UserPending))
	}
	res := q.Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.Conflict("user_not_pending", "the user is no longer waiting for activation")
	}
	return nil
}

// CreateSession stores the hash of a new session token.
func (d *DB) CreateSession(ctx context.Context, personID uuid.UUID, hash string, expires time.Time) error {
	row := sessionRow{ID: domain.NewID(), PersonID: personID, TokenHash: hash, ExpiresAt: expires, CreatedAt: d.now()}
	return d.conn(ctx).Create(&row).Error
}

// SessionActor returns the signed-in user behind a live session, if the
// user may still sign in: active, of an active organization. Anything else
// is nil, so a disabled or demoted user's session stops working at once.
func (d *DB) SessionActor(ctx context.Context, hash string) (*domain.Actor, error) {
	var row struct {
		Person  personRow `gorm:"embedded"`
		OrgKind string
	}
	err := d.conn(ctx).Table("people").Select("people.*, organizations.kind AS org_kind").
		Joins("JOIN sessions ON sessions.person_id = people.id").
		Joins("JOIN organizations ON organizations.id = people.organization_id").
		Where("sessions.token_hash = ? AND sessions.expires_at > ?", hash, d.now()).
		Where("people.kind = ? AND people.status = ? AND organizations.status = ?", kindUser, domain.UserActive, domain.OrgActive).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	groups, err := d.groupsOf(ctx, []uuid.UUID{row.Person.ID})
	u := toUser(row.Person, groups[row.Person.ID])
	return &domain.Actor{Kind: domain.ActorUser, User: &u, OrgKind: domain.OrgKind(row.OrgKind)}, err
}

// DeleteSession ends one session.
func (d *DB) DeleteSession(ctx context.Context, hash string) error {
	return d.conn(ctx).Where("token_hash = ?", hash).Delete(&sessionRow{}).Error
}

// EndSessions deletes every session of the person (it was disabled).
func (d *DB) EndSessions(ctx context.Context, personID uuid.UUID) error {
	return d.conn(ctx).Where("person_id = ?", personID).Delete(&sessionRow{}).Error
}

// EndOrganizationSessions deletes every session of the organization's
// people (it was deactivated).
func (d *DB) EndOrganizationSessions(ctx context.Context, orgID uuid.UUID) error {
	people := d.conn(ctx).Model(&personRow{}).Select("id").Where("organization_id = ?", orgID)
	return d.conn(ctx).Where("person_id IN (?)", people).Delete(&sessionRow{}).Error
}
