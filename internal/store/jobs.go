package store

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

func toJob(r promotionJobRow) domain.PromotionJob {
	var o domain.BulkOptions
	if raw, err := json.Marshal(map[string]any(r.Options)); err == nil {
		_ = json.Unmarshal(raw, &o)
	}
	o.DryRun = r.DryRun
	j := domain.PromotionJob{ID: r.ID, Status: r.Status, Options: o, Actor: r.Actor, Total: r.Total,
		Processed: r.Processed, Promoted: r.Promoted, Failed: r.Failed, Error: r.Error,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FinishedAt: r.FinishedAt}
	if r.DryRun {
		// a dry run promotes nobody: its column "promoted" counts the
		// contacts that would be promoted
		j.WouldPromote, j.Promoted = r.Promoted, 0
	}
	return j
}

// CreateJob stores a queued job and its items (pending, or failed at
// selection), in selection order, and enqueues its run, in the caller's
// transaction.
func (d *DB) CreateJob(ctx context.Context, j domain.PromotionJob, items []domain.JobItem) error {
	var opts map[string]any
	raw, _ := json.Marshal(j.Options)
	_ = json.Unmarshal(raw, &opts)
	row := promotionJobRow{ID: j.ID, Status: j.Status, DryRun: j.Options.DryRun, Options: opts, Actor: j.Actor,
		Total: j.Total, Processed: j.Processed, Failed: j.Failed, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		return err
	}
	rows := make([]promotionJobItemRow, len(items))
	for i, it := range items {
		rows[i] = itemRow(j.ID, it)
	}
	if err := insertAll(ctx, d, rows); err != nil {
		return err
	}
	return d.InsertJob(ctx, domain.RunPromotionJob{JobID: j.ID})
}

// GetJob reads a job.
func (d *DB) GetJob(ctx context.Context, id uuid.UUID) (domain.PromotionJob, error) {
	var row promotionJobRow
	if err := d.conn(ctx).Take(&row, "id = ?", id).Error; err != nil {
		return domain.PromotionJob{}, notFound(err, "promotion job", id.String())
	}
	return toJob(row), nil
}

// JobItems returns a page of a job's items in selection order; after is
// the last seq seen (-1 for the first page).
func (d *DB) JobItems(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.JobItem, bool, error) {
	var rows []promotionJobItemRow
	err := d.conn(ctx).Where("job_id = ? AND seq > ?", id, after).Order("seq").Limit(limit + 1).Find(&rows).Error
	if err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, limit)
	return toItems(rows), more, nil
}

// PendingItems returns the next n unprocessed items of a job.
func (d *DB) PendingItems(ctx context.Context, id uuid.UUID, n int) ([]domain.JobItem, error) {
	var rows []promotionJobItemRow
	err := d.conn(ctx).Where("job_id = ? AND status = ?", id, "pending").Order("seq").Limit(n).Find(&rows).Error
	return toItems(rows), err
}

func toItems(rows []promotionJobItemRow) []domain.JobItem {
	out := make([]domain.JobItem, len(rows))
	for i, r := range rows {
		it := domain.JobItem{Seq: r.Seq, ContactID: r.ContactID, Status: r.Status, UserID: r.UserID, Email: r.Email, ExternalID: r.ExternalID}
		if r.ErrorCode != "" {
			it.Error = &domain.Error{Code: r.ErrorCode, Detail: r.ErrorDetail, Resolution: r.ErrorResolution}
		}
		for _, w := range r.Warnings {
			raw, _ := json.Marshal(w)
			var warning struct {
				Code, Message, Field        string
				OriginalLength, SavedLength int
			}
			_ = json.Unmarshal(raw, &warning)
			it.Warnings = append(it.Warnings, domain.Warning(warning))
		}
		out[i] = it
	}
	return out
}

// StartJob marks an open job running under attempt (one River attempt of
// its run) and returns it; nil when the job is finished or cancelled. A
// later attempt takes the job over: the earlier one's next batch finds it
// no longer held.
func (d *DB) StartJob(ctx context.Context, id uuid.UUID, attempt string) (*domain.PromotionJob, error) {
	res := d.conn(ctx).Model(&promotionJobRow{}).Where("id = ? AND status IN ?", id, []string{domain.JobQueued, domain.JobRunning}).
		Updates(map[string]any{"status": domain.JobRunning, "worker": attempt, "updated_at": d.now()})
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	j, err := d.GetJob(ctx, id)
	return &j, err
}

// RecordBatch writes a batch's outcomes and advances the job's counters,
// fenced on the attempt holding the job: if the job was cancelled or a
// later attempt took it over, nothing is written and domain.ErrJobNotHeld
// is returned, which rolls back the batch's promotions with it.
func (d *DB) RecordBatch(ctx context.Context, jobID uuid.UUID, attempt string, items []domain.JobItem) error {
	promoted, failed := 0, 0
	for _, it := range items {
		switch it.Status {
		case "failed":
			failed++
		default: // promoted, or would_promote in a dry run (see toJob)
			promoted++
		}
	}
	now := d.now()
	res := d.conn(ctx).Model(&promotionJobRow{}).Where("id = ? AND worker = ? AND status = ?", jobID, attempt, domain.JobRunning).
		Updates(map[string]any{"processed": gorm.Expr("processed + ?", len(items)), "promoted": gorm.Expr("promoted + ?", promoted),
			"failed": gorm.Expr("failed + ?", failed), "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.ErrJobNotHeld
	}
	rows := make([]promotionJobItemRow, len(items))
	for i, it := range items {
		rows[i] = itemRow(jobID, it)
	}
	// email and external_id stay as selection wrote them
	return d.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "job_id"}, {Name: "seq"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "user_id", "error_code", "error_detail", "error_resolution", "warnings"}),
	}).CreateInBatches(&rows, 1000).Error
}

// FinishJob ends a job the attempt still holds; domain.ErrJobNotHeld when
// it no longer does (the job was cancelled, finished, or taken over).
func (d *DB) FinishJob(ctx context.Context, jobID uuid.UUID, attempt, status, cause string) error {
	now := d.now()
	res := d.conn(ctx).Model(&promotionJobRow{}).Where("id = ? AND worker = ? AND status = ?", jobID, attempt, domain.JobRunning).
		Updates(map[string]any{"status": status, "error": cause, "updated_at": now, "finished_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.ErrJobNotHeld
	}
	return nil
}

// CancelJob stops an open job; a finished one is a conflict.
func (d *DB) CancelJob(ctx context.Context, id uuid.UUID) (domain.PromotionJob, error) {
	now := d.now()
	res := d.conn(ctx).Model(&promotionJobRow{}).Where("id = ? AND status IN ?", id, []string{domain.JobQueued, domain.JobRunning}).
		Updates(map[string]any{"status": domain.JobCancelled, "updated_at": now, "finished_at": now})
	if res.Error != nil {
		return domain.PromotionJob{}, res.Error
	}
	j, err := d.GetJob(ctx, id)
	if err == nil && res.RowsAffected == 0 {
		return j, domain.Conflict("job_finished", "promotion job "+id.String()+" is "+j.Status+" and cannot be cancelled")
	}
	return j, err
}

// SelectContactIDs returns the ids of the contacts matching f, in id
// order, at most limit+1 so that the caller can tell when there are more.
func (d *DB) SelectContactIDs(ctx context.Context, f domain.ContactFilter, limit int) ([]uuid.UUID, error) {
	var rows []struct{ ID uuid.UUID }
	err := d.contactQuery(ctx, f).Select("people.id").Order("people.id").Limit(limit + 1).Find(&rows).Error
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, err
}

// itemRow is the row of one job item.
func itemRow(jobID uuid.UUID, it domain.JobItem) promotionJobItemRow {
	row := promotionJobItemRow{JobID: jobID, Seq: it.Seq, ContactID: it.ContactID, Status: it.Status, UserID: it.UserID,
		Email: it.Email, ExternalID: it.ExternalID}
	if it.Error != nil {
		row.ErrorCode, row.ErrorDetail, row.ErrorResolution = it.Error.Code, it.Error.Detail, it.Error.Resolution
	}
	for _, w := range it.Warnings {
		row.Warnings = append(row.Warnings, map[string]any{"code": w.Code, "message": w.Message, "field": w.Field,
			"original_length": w.OriginalLength, "saved_length": w.SavedLength})
	}
	return row
}
