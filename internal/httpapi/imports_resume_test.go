package httpapi_test

import (
	"context"
	"testing"
	"time"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestImportJobResumesAfterShutdown stops the process working an import
// after its first chunk; a second process on the same database finishes
// it at once, and every row is imported exactly once.
func TestImportJobResumesAfterShutdown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		var job ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=true", contactsCSV(8000), "Content-Type", csvType).ok(t, 202, &job)
		waitFor(t, db, "a first chunk", "SELECT COALESCE(MAX(processed), 0) FROM import_jobs")
		if err := a.app.Shutdown(); err != nil {
			t.Fatal(err)
		}
		var mid int
		db.Gorm.Raw("SELECT processed FROM import_jobs").Scan(&mid)
		if mid == 0 || mid == 8000 {
			t.Fatalf("after the shutdown %d of 8000 processed; the test needs a job stopped midway", mid)
		}
		cfg := a.cfg
		cfg.JobRescueAfter = time.Hour // finished here only if the stopped run left the job due at once
		b := newAPIWith(t, cfg)
		b.idleWithin(2 * time.Minute)
		b.do("GET", "/api/v1/import-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || job.Created != 8000 || job.Processed != 8000 {
			t.Fatalf("job %+v", job)
		}
		if n := b.count(t, "people", ""); n != 8000 {
			t.Fatalf("%d people, want 8000", n)
		}
		if n := b.count(t, "import_job_items", ""); n != 8000 {
			t.Fatalf("%d results, want 8000", n)
		}
	})
}

// A chunk an attempt wrote but did not drop (it died in between) is not
// written again: its rows' results fence them.
func TestImportChunkWrittenOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		var job ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=true", "last_name,email\nDoe,doe@x.example\nRoe,roe@x.example\n",
			"Content-Type", csvType).ok(t, 202, &job)
		a.idle()
		// the chunk as it was stored, back again, and the job open again
		row1, row2 := domain.ImportRow{Row: 1, Contact: &domain.ContactPatch{LastName: ptr("Doe")}}, domain.ImportRow{Row: 2, Contact: &domain.ContactPatch{LastName: ptr("Roe")}}
		chunk, err := domain.EncodeImportChunk([]domain.ImportItem{{Seq: 1, Row: &row1}, {Seq: 2, Row: &row2}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("INSERT INTO import_job_chunks (job_id, seq, first_row, last_row, payload) VALUES (?, 0, 1, 2, ?)",
			job.ID, string(chunk.Payload)).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("UPDATE import_jobs SET status = 'running', finished_at = NULL WHERE id = ?", job.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := a.app.Directory.RunImportJob(context.Background(), job.ID, nil); err != nil {
			t.Fatal(err)
		}
		a.do("GET", "/api/v1/import-jobs/"+job.ID.String(), nil).ok(t, 200, &job)
		if job.Status != "succeeded" || job.Created != 2 || job.Processed != 2 {
			t.Fatalf("job %+v", job)
		}
		if n := a.count(t, "people", ""); n != 2 {
			t.Fatalf("the chunk was written again: %d people", n)
		}
		if n := a.count(t, "import_job_chunks", ""); n != 0 {
			t.Fatalf("%d chunks left", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }
