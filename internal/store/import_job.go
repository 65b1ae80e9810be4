package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

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

type importJobChunkRow struct {
	JobID    uuid.UUID `gorm:"primaryKey"`
	Seq      int       `gorm:"primaryKey;autoIncrement:false"`
	FirstRow int
	LastRow  int
	Payload  string
}

func (importJobChunkRow) TableName() string { return "import_job_chunks" }

type importJobItemRow struct {
	JobID       uuid.UUID `gorm:"primaryKey"`
	Seq         int       `gorm:"primaryKey;autoIncrement:false"`
	Status      string
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

func importItemRow(jobID uuid.UUID, r domain.ImportResult) importJobItemRow {
	row := importJobItemRow{JobID: jobID, Seq: r.Row, Status: r.Status, RecordID: r.RecordID, ErrorFields: jsonList{}}
	if e := r.Err; e != nil {
		row.ErrorCode, row.ErrorDetail = e.Code, e.Detail
		for _, f := range e.Fields {
			row.ErrorFields = append(row.ErrorFields, map[string]any{"field": f.Field, "code": f.Code, "message": f.Message})
		}
	}
	return row
}

func fromImportItemRow(r importJobItemRow) domain.ImportResult {
	out := domain.ImportResult{Row: r.Seq, Status: r.Status, RecordID: r.RecordID}
	if r.ErrorCode != "" {
		e := &domain.Error{Kind: domain.KindInvalid, Code: r.ErrorCode, Detail: r.ErrorDetail}
		for _, f := range r.ErrorFields {
			s := func(k string) string { v, _ := f[k].(string); return v }
			e.Fields = append(e.Fields, domain.FieldError{Field: s("field"), Code: s("code"), Message: s("message")})
		}
		out.Err = e
	}
	return out
}

// CreateImportJob stores a queued import and its rows, chunk by chunk as
// next yields them (until nil), and enqueues its run, in the caller's
// transaction; the job's total is the number of rows stored.
func (d *DB) CreateImportJob(ctx context.Context, j domain.ImportJob, next func() (*domain.EncodedImportChunk, error)) (int, error) {
	row := importJobRow{ID: j.ID, Status: j.Status, Resource: string(j.Spec.Resource), Mode: string(j.Spec.Mode), DryRun: j.Spec.DryRun,
		Actor: j.Actor, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
	if err := d.conn(ctx).Create(&row).Error; err != nil {
		return 0, err
	}
	total := 0
	for seq := 0; ; seq++ {
		c, err := next()
		if err != nil {
			return 0, err
		}
		if c == nil {
			break
		}
		chunk := importJobChunkRow{JobID: j.ID, Seq: seq, FirstRow: c.FirstRow, LastRow: c.LastRow, Payload: string(c.Payload)}
		if err := d.conn(ctx).Create(&chunk).Error; err != nil {
			return 0, err
		}
		total += c.Rows
	}
	if err := d.conn(ctx).Model(&importJobRow{}).Where("id = ?", j.ID).Update("total", total).Error; err != nil {
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

// ImportJobResults returns a page of a job's recorded results after row after.
func (d *DB) ImportJobResults(ctx context.Context, id uuid.UUID, after, limit int) ([]domain.ImportResult, bool, error) {
	var rows []importJobItemRow
	if err := d.conn(ctx).Where("job_id = ? AND seq > ?", id, after).Order("seq").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	rows, more := trimPage(rows, limit)
	out := make([]domain.ImportResult, len(rows))
	for i, r := range rows {
		out[i] = fromImportItemRow(r)
	}
	return out, more, nil
}

// NextImportChunk returns the job's first chunk not yet dropped, without
// the rows an earlier attempt recorded already; nil when none is left.
func (d *DB) NextImportChunk(ctx context.Context, jobID uuid.UUID) (*domain.ImportChunk, error) {
	var rows []importJobChunkRow
	if err := d.conn(ctx).Where("job_id = ?", jobID).Order("seq").Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	items, err := domain.DecodeImportChunk([]byte(r.Payload))
	if err != nil {
		return nil, err
	}
	var done []int
	if err := d.conn(ctx).Model(&importJobItemRow{}).Where("job_id = ? AND seq BETWEEN ? AND ?", jobID, r.FirstRow, r.LastRow).
		Pluck("seq", &done).Error; err != nil {
		return nil, err
	}
	if len(done) > 0 {
		recorded := make(map[int]bool, len(done))
		for _, s := range done {
			recorded[s] = true
		}
		kept := items[:0]
		for _, it := range items {
			if !recorded[it.Seq] {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	return &domain.ImportChunk{Seq: r.Seq, Items: items}, nil
}

// DropImportChunk removes a chunk whose every row is recorded.
func (d *DB) DropImportChunk(ctx context.Context, jobID uuid.UUID, seq int) error {
	return d.conn(ctx).Where("job_id = ? AND seq = ?", jobID, seq).Delete(&importJobChunkRow{}).Error
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

// RecordImportResults writes outcomes and advances the counters, in the
// transaction of the rows' writes. When the job is no longer running (it
// was cancelled) or a row is recorded already (another attempt came
// first), domain.ErrJobNotHeld rolls the writes back.
func (d *DB) RecordImportResults(ctx context.Context, jobID uuid.UUID, results []domain.ImportResult) error {
	if len(results) == 0 {
		return nil
	}
	var job importJobRow
	if err := d.forUpdate(d.conn(ctx)).Take(&job, "id = ?", jobID).Error; err != nil {
		return err
	}
	if job.Status != domain.JobRunning {
		return domain.ErrJobNotHeld
	}
	var c domain.ImportCounts
	rows := make([]importJobItemRow, len(results))
	for i, r := range results {
		c.Add(r.Status)
		rows[i] = importItemRow(jobID, r)
	}
	var err error
	if d.Dialect == Postgres {
		err = d.insertImportItemsPG(ctx, rows)
	} else {
		err = d.conn(ctx).CreateInBatches(&rows, 1000).Error
	}
	if isUniqueViolation(err) {
		return domain.ErrJobNotHeld
	}
	if err != nil {
		return err
	}
	return d.conn(ctx).Model(&importJobRow{}).Where("id = ?", jobID).
		Updates(map[string]any{"processed": gorm.Expr("processed + ?", c.Processed), "created": gorm.Expr("created + ?", c.Created),
			"updated": gorm.Expr("updated + ?", c.Updated), "unchanged": gorm.Expr("unchanged + ?", c.Unchanged),
			"failed": gorm.Expr("failed + ?", c.Failed), "updated_at": d.now()}).Error
}

// FinishImportJob ends a running job; finished says whether this call did.
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

// CancelImportJob stops an open job before its next chunk.
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
