package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// An import job sends import_job.completed once, with the job as the API
// shows it; a synchronous import sends none.
func TestWebhookImportJobCompleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		a.endpoint(t, r, []string{"import_job.completed"})
		a.importCSV(t, "resource=contacts", "last_name\nSync\n")
		var job ImportJob
		a.do("POST", "/api/v1/imports?resource=contacts&async=true", "last_name,email\nDoe,doe@x.example\n,bad\n", "Content-Type", csvType).ok(t, 202, &job)
		a.idle()
		done := r.ofType("import_job.completed")
		if len(done) != 1 || done[0].Data["id"] != job.ID.String() || done[0].Data["status"] != "succeeded" ||
			done[0].Data["created"] != float64(1) || done[0].Data["failed"] != float64(1) || done[0].Data["resource"] != "contacts" {
			t.Fatalf("import_job.completed: %+v", done)
		}
	})
}
