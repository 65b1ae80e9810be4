package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

type invitationJobRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	Status     string
	Options    jsonMap
	Actor      string
	Total      int
	Processed  int
	Resent     int
	Failed     int
	Error      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

func (invitationJobRow) TableName() string { return "invitation_jobs" }

type invitationJobItemRow struct {
	JobID           uuid.UUID `gorm:"primaryKey"`
	Seq             int       `gorm:"primaryKey;autoIncrement:false"`
	InvitationID    uuid.UUID
	Status          string
	NewInvitationID *uuid.UUID
	ErrorCode       string
	ErrorDetail     string
}

func (invitationJobItemRow) TableName() string { return "invitation_job_items" }

func toInvitationJob(r invitationJobRow) domain.InvitationJob {
	var o domain.ResendOptions
	if raw, err := json.Marshal(map[string]any(r.Options)); err == nil {
		_ = json.Unmarshal(raw, &o)
	}
	return domain.InvitationJob{ID: r.ID, Status: r.Status, Options: o, Actor: r.Actor, Total: r.Total, Processed: r.Processed,
		Resent: r.Resent, Failed: r.Failed, Error: r.Error, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FinishedAt: r.FinishedAt}
}

// CreateInvitationJob stores a queued bulk resend with one pending item
// per invitation, in selection order, and enqueues its run, in the
// caller's transaction.
func (d *DB) CreateInvitationJob(ctx context.Context, j domain.InvitationJob, invitations []uuid.UUID) error {
	var opts map[string]any
	raw, _ := json.Marshal(j.Options)
	_ = json.Unmarshal(raw, &opts)
	row := invitationJobRow{ID: j.ID, Status: j.Status, Options: opts, Actor: j.Actor, Total: j.Total, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		return err
	}
	items := make([]invitationJobItemRow, len(invitations))
	for i, id := range invitations {
		items[i] = invitationJobItemRow{JobID: j.ID, Seq: i, InvitationID: id, Status: domain.ResendPending}
	}
	if err := insertAll(ctx, d, items); err != nil {
		return err
	}
	return d.InsertJob(ctx, domain.RunInvitationJob{JobID: j.ID})
}

// GetInvitationJob reads a bulk resend job.
func (d *DB) GetInvitationJob(ctx context.Context, id uuid.UUID) (domain.InvitationJob, error) {
	var row invitationJobRow
	if err := d.conn(ctx).Take(&row, "id = ?", id).Error; err != nil {
		return domain.InvitationJob{}, notFound(err, "invitation job", id.String())
	}
	return toInvitationJob(row), nil
}

// InvitationJobItems returns a page of a job's items after seq after;
// pending only returns those not processed yet.
func (d *DB) InvitationJobItems(ctx context.Context, id uuid.UUID, after, limit int, pending bool) ([]domain.ResendItem, bool, error) {
	q := d.conn(ctx).Where("job_id = ? AND seq > ?", id, after)
	if pending {
		q = q.Where("status = ?", domain.ResendPending)
	}
	var rows []invitationJobItemRow
	if err := q.Order("seq").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, limit)
	out := make([]domain.ResendItem, len(rows))
	for i, r := range rows {
		out[i] = domain.ResendItem{Seq: r.Seq, InvitationID: r.InvitationID, Status: r.Status, NewInvitationID: r.NewInvitationID}
		if r.ErrorCode != "" {
			out[i].Error = &domain.Error{Code: r.ErrorCode, Detail: r.ErrorDetail}
		}
	}
	return out, more, nil
}

// StartInvitationJob marks an open job running and returns it; nil when
// it is finished.
func (d *DB) StartInvitationJob(ctx context.Context, id uuid.UUID) (*domain.InvitationJob, error) {
	res := d.conn(ctx).Model(&invitationJobRow{}).Where("id = ? AND status IN ?", id, []string{domain.JobQueued, domain.JobRunning}).
		Updates(map[string]any{"status": domain.JobRunning, "updated_at": d.now()})
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	j, err := d.GetInvitationJob(ctx, id)
	return &j, err
}

// RecordResends writes a batch's outcomes and advances the counters, in
// the batch's transaction. An item no longer pending means another attempt
// recorded it first: domain.ErrJobNotHeld rolls this batch back.
func (d *DB) RecordResends(ctx context.Context, jobID uuid.UUID, items []domain.ResendItem) error {
	resent, failed := 0, 0
	seqs := make([]int, len(items))
	for i, it := range items {
		seqs[i] = it.Seq
		if it.Status == domain.ResendFailed {
			failed++
		} else {
			resent++
		}
	}
	var open int64
	if err := d.conn(ctx).Model(&invitationJobItemRow{}).Where("job_id = ? AND seq IN ? AND status = ?", jobID, seqs, domain.ResendPending).
		Count(&open).Error; err != nil {
		return err
	}
	if open != int64(len(items)) {
		return domain.ErrJobNotHeld
	}
	rows := make([]invitationJobItemRow, len(items))
	for i, it := range items {
		rows[i] = invitationJobItemRow{JobID: jobID, Seq: it.Seq, InvitationID: it.InvitationID, Status: it.Status, NewInvitationID: it.NewInvitationID}
		if it.Error != nil {
			rows[i].ErrorCode, rows[i].ErrorDetail = it.Error.Code, it.Error.Detail
		}
	}
	if err := d.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "job_id"}, {Name: "seq"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "new_invitation_id", "error_code", "error_detail"})}).
		CreateInBatches(&rows, 1000).Error; err != nil {
		return err
	}
	return d.conn(ctx).Model(&invitationJobRow{}).Where("id = ?", jobID).
		Updates(map[string]any{"processed": gorm.Expr("processed + ?", len(items)), "resent": gorm.Expr("resent + ?", resent),
			"failed": gorm.Expr("failed + ?", failed), "updated_at": d.now()}).Error
}

// FinishInvitationJob ends a running job.
func (d *DB) FinishInvitationJob(ctx context.Context, id uuid.UUID, status, cause string) error {
	now := d.now()
	return d.conn(ctx).Model(&invitationJobRow{}).Where("id = ? AND status = ?", id, domain.JobRunning).
		Updates(map[string]any{"status": status, "error": cause, "updated_at": now, "finished_at": now}).Error
}
