package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
)

// importWorker works an import job; like a bulk promotion run it pauses
// after its slice (or at shutdown) and resumes at once.
type importWorker struct {
	river.WorkerDefaults[domain.RunImportJob]
	dir      *directory.Service
	stopping <-chan struct{}
	slice    time.Duration
	log      *slog.Logger
}

func (w *importWorker) Work(ctx context.Context, job *river.Job[domain.RunImportJob]) error {
	stop, release := pauseAfter(w.slice, w.stopping)
	defer release()
	err := w.dir.RunImportJob(ctx, job.Args.JobID, stop)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, directory.ErrStopping):
		return river.JobSnooze(0)
	case job.Attempt >= job.MaxAttempts:
		w.log.ErrorContext(ctx, "import job given up", slog.String("job", job.Args.JobID.String()), slog.String("error", err.Error()))
		if ferr := w.dir.FailImportJob(context.WithoutCancel(ctx), job.Args.JobID, err.Error()); ferr != nil {
			return ferr
		}
	}
	return err
}
