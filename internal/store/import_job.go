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

type importJobRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	Status     string
	Resource   string
	Mode       string
	DryRun     bool
	Actor      string
	Total      int
	Processed  int
	Created    int
	Updated    int
	Unchanged  int
	Failed     int
	Error      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

func (importJobRow) TableName() string { return "import_jobs" }

type importJobItemRow struct {
	JobID       uuid.UUID `gorm:"primaryKey"`
	Seq         int       `gorm:"primaryKey;autoIncrement:false"`
	Status      string
	Payload     string
	RecordID    *uuid.UUID
	ErrorCode   string
	ErrorDetail string
	ErrorFields jsonList
}

func (importJobItemRow) TableName() string { return "import_job_items" }

func toImportJob(r importJobRow) domain.ImportJob {
	return domain.ImportJob{ID: r.ID, Status: r.Status, Actor: r.Actor,
		Spec: domain.ImportSpec{Resource: domain.ImportResource(r.Resource), Mode: domain.ImportMode(r.Mode), DryRun: r.DryRun},
		ImportCounts: domain.ImportCounts{Total: r.Total, Processed: r.Processed, Created: r.Created, Updated: r.Updated,
			Unchanged: r.Unchanged, Failed: r.Failed},
		Error: r.Error, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FinishedAt: r.FinishedAt}
}

// importItemRow is an item as stored: a pending row keeps its payload, a
// processed one its outcome (the payload is dropped).
func importItemRow(jobID uuid.UUID, it domain.ImportItem) (importJobItemRow, error) {
	row := importJobItemRow{JobID: jobID, Seq: it.Seq, Status: it.Result.Status, RecordID: it.Result.RecordID, ErrorFields: jsonList{}}
	if row.Status == "" {
		row.Status = domain.ImportPending
	}
	if it.Row != nil && row.Status == domain.ImportPending {
		raw, err := json.Marshal(it.Row)
		if err != nil {
			return row, err
		}
		row.Payload = string(raw)
	}
	if e := it.Result.Err; e != nil {
		row.ErrorCode, row.ErrorDetail = e.Code, e.Detail
		for _, f := range e.Fields {
			row.ErrorFields = append(row.ErrorFields, map[string]any{"field": f.Field, "code": f.Code, "message": f.Message})
		}
	}
	return row, nil
}

func fromImportItemRow(r importJobItemRow) (domain.ImportItem, error) {
	it := domain.ImportItem{Seq: r.Seq, Result: domain.ImportResult{Row: r.Seq, Status: r.Status, RecordID: r.RecordID}}
	if r.Payload != "" {
		var row domain.ImportRow
		if err := json.Unmarshal([]byte(r.Payload), &row); err != nil {
			return it, err
		}
		it.Row = &row
	}
	if r.ErrorCode != "" {
		e := &domain.Error{Kind: domain.KindInvalid, Code: r.ErrorCode, Detail: r.ErrorDetail}
		for _, f := range r.ErrorFields {
			s := func(k string) string { v, _ := f[k].(string); return v }
			e.Fields = append(e.Fields, domain.FieldError{Field: s("field"), Code: s("code"), Message: s("message")})
		}
		it.Result.Err = e
	}
	return it, nil
}

// CreateImportJob stores a queued import, its items batch by batch as
// next yields them (until an empty batch), and enqueues its run, in the
// caller's transaction; the job's total is the number of items stored.
func (d *DB) CreateImportJob(ctx context.Context, j domain.ImportJob, next func() ([]domain.ImportItem, error)) (int, error) {
	row := importJobRow{ID: j.ID, Status: j.Status, Resource: string(j.Spec.Resource), Mode: string(j.Spec.Mode), DryRun: j.Spec.DryRun,
		Actor: j.Actor, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		return 0, err
	}
	total, failed := 0, 0
	for {
		items, err := next()
		if err != nil {
			return 0, err
		}
		if len(items) == 0 {
			break
		}
		rows := make([]importJobItemRow, len(items))
		for i, it := range items {
			if rows[i], err = importItemRow(j.ID, it); err != nil {
				return 0, err
			}
			if rows[i].Status == domain.ImportFailed {
				failed++
			}
		}
		if err := d.insertImportItems(ctx, rows); err != nil {
			return 0, err
		}
		total += len(items)
	}
	// rows refused at the edge are done before the run starts
	if err := d.conn(ctx).Model(&importJobRow{}).Where("id = ?", j.ID).
		Updates(map[string]any{"total": total, "processed": failed, "failed": failed}).Error; err != nil {
		return 0, err
	}
	return total, d.InsertJob(ctx, domain.RunImportJob{JobID: j.ID})
}

// GetImportJob reads an import job.
func (d *DB) GetImportJob(ctx context.Context, id uuid.UUID) (domain.ImportJob, error) {
	var row importJobRow
	if err := d.conn(ctx).Take(&row, "id = ?", id).Error; err != nil {
		return domain.ImportJob{}, notFound(err, "import job", id.String())
	}
	return toImportJob(row), nil
}

// ImportJobItems returns a page of a job's items after seq after; pending
// only returns those not processed yet, with their rows.
func (d *DB) ImportJobItems(ctx context.Context, id uuid.UUID, after, limit int, pending bool) ([]domain.ImportItem, bool, error) {
	q := d.conn(ctx).Where("job_id = ? AND seq > ?", id, after)
	if pending {
		q = q.Where("status = ?", domain.ImportPending)
	} else {
		q = q.Omit("payload")
	}
	var rows []importJobItemRow
	if err := q.Order("seq").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, limit)
	out := make([]domain.ImportItem, len(rows))
	for i, r := range rows {
		it, err := fromImportItemRow(r)
		if err != nil {
			return nil, false, err
		}
		out[i] = it
	}
	return out, more, nil
}

// StartImportJob marks an open job running and returns it; nil when it is
// finished (or cancelled).
func (d *DB) StartImportJob(ctx context.Context, id uuid.UUID) (*domain.ImportJob, error) {
	res := d.conn(ctx).Model(&importJobRow{}).Where("id = ? AND status IN ?", id, []string{domain.JobQueued, domain.JobRunning}).
		Updates(map[string]any{"status": domain.JobRunning, "updated_at": d.now()})
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	j, err := d.GetImportJob(ctx, id)
	return &j, err
}

// RecordImportResults writes a batch's outcomes and advances the counters,
// in the batch's transaction. When the job is no longer running (it was
// cancelled) or an item is no longer pending (another attempt recorded it
// first), domain.ErrJobNotHeld rolls the batch back.
func (d *DB) RecordImportResults(ctx context.Context, jobID uuid.UUID, results []domain.ImportResult) error {
	var c domain.ImportCounts
	seqs := make([]int, len(results))
	for i, r := range results {
		seqs[i] = r.Row
		c.Add(r.Status)
	}
	var job importJobRow
	if err := d.forUpdate(d.conn(ctx)).Take(&job, "id = ?", jobID).Error; err != nil {
		return err
	}
	if job.Status != domain.JobRunning {
		return domain.ErrJobNotHeld
	}
	rows := make([]importJobItemRow, len(results))
	for i, r := range results {
		var err error
		if rows[i], err = importItemRow(jobID, domain.ImportItem{Seq: r.Row, Result: r}); err != nil {
			return err
		}
	}
	if err := d.recordItems(ctx, jobID, seqs, rows); err != nil {
		return err
	}
	return d.conn(ctx).Model(&importJobRow{}).Where("id = ?", jobID).
		Updates(map[string]any{"processed": gorm.Expr("processed + ?", c.Processed), "created": gorm.Expr("created + ?", c.Created),
			"updated": gorm.Expr("updated + ?", c.Updated), "unchanged": gorm.Expr("unchanged + ?", c.Unchanged),
			"failed": gorm.Expr("failed + ?", c.Failed), "updated_at": d.now()}).Error
}

func (d *DB) insertImportItems(ctx context.Context, rows []importJobItemRow) error {
	if d.Dialect == Postgres {
		return d.insertImportItemsPG(ctx, rows)
	}
	return d.conn(ctx).CreateInBatches(&rows, 1000).Error
}

// recordItems writes outcomes onto items that must all still be pending.
func (d *DB) recordItems(ctx context.Context, jobID uuid.UUID, seqs []int, rows []importJobItemRow) error {
	if d.Dialect == Postgres {
		n, err := d.recordItemsPG(ctx, jobID, rows)
		if err == nil && n != int64(len(rows)) {
			return domain.ErrJobNotHeld
		}
		return err
	}
	var open int64
	if err := d.conn(ctx).Model(&importJobItemRow{}).Where("job_id = ? AND seq IN ? AND status = ?", jobID, seqs, domain.ImportPending).
		Count(&open).Error; err != nil {
		return err
	}
	if open != int64(len(rows)) {
		return domain.ErrJobNotHeld
	}
	return d.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "job_id"}, {Name: "seq"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "payload", "record_id", "error_code", "error_detail", "error_fields"})}).
		CreateInBatches(&rows, 1000).Error
}

// FinishImportJob ends a running job and returns it as finished.
func (d *DB) FinishImportJob(ctx context.Context, id uuid.UUID, status, cause string) (domain.ImportJob, bool, error) {
	now := d.now()
	res := d.conn(ctx).Model(&importJobRow{}).Where("id = ? AND status = ?", id, domain.JobRunning).
		Updates(map[string]any{"status": status, "error": cause, "updated_at": now, "finished_at": now})
	if res.Error != nil {
		return domain.ImportJob{}, false, res.Error
	}
	j, err := d.GetImportJob(ctx, id)
	return j, res.RowsAffected == 1, err
}

// CancelImportJob stops an open job at its next batch.
func (d *DB) CancelImportJob(ctx context.Context, id uuid.UUID) (domain.ImportJob, error) {
	now := d.now()
	res := d.conn(ctx).Model(&importJobRow{}).Where("id = ? AND status IN ?", id, []string{domain.JobQueued, domain.JobRunning}).
		Updates(map[string]any{"status": domain.JobCancelled, "updated_at": now, "finished_at": now})
	if res.Error != nil {
		return domain.ImportJob{}, res.Error
	}
	j, err := d.GetImportJob(ctx, id)
	if err == nil && res.RowsAffected == 0 {
		return j, domain.Conflict("job_finished", "import job "+id.String()+" is "+j.Status+" and cannot be cancelled")
	}
	return j, err
}
