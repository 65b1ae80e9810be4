package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
)

// resendWorker works a bulk resend job; like a bulk promotion run it
// pauses after its slice (or at shutdown) and resumes at once.
type resendWorker struct {
	river.WorkerDefaults[domain.RunInvitationJob]
	promo    *promotion.Service
	stopping <-chan struct{}
	slice    time.Duration
	log      *slog.Logger
}

func (w *resendWorker) Work(ctx context.Context, job *river.Job[domain.RunInvitationJob]) error {
	stop, release := pauseAfter(w.slice, w.stopping)
	defer release()
	err := w.promo.RunResendJob(ctx, job.Args.JobID, stop)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, promotion.ErrStopping):
		return river.JobSnooze(0)
	case job.Attempt >= job.MaxAttempts:
		w.log.ErrorContext(ctx, "invitation job given up", slog.String("job", job.Args.JobID.String()), slog.String("error", err.Error()))
		if ferr := w.promo.FailResendJob(context.WithoutCancel(ctx), job.Args.JobID, err.Error()); ferr != nil {
			return ferr
		}
	}
	return err
}

// expireArgs is the periodic job that records expired invitations.
type expireArgs struct{}

func (expireArgs) Kind() string { return "expire_invitations" }

type expireWorker struct {
	river.WorkerDefaults[expireArgs]
	promo *promotion.Service
	log   *slog.Logger
}

func (w *expireWorker) Work(ctx context.Context, _ *river.Job[expireArgs]) error {
	n, err := w.promo.ExpireInvitations(ctx)
	if n > 0 {
		w.log.DebugContext(ctx, "invitations expired", slog.Int("invitations", n))
	}
	return err
}

// expirePeriodic runs expireArgs every period, and at start.
func expirePeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return expireArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true, ID: "expire_invitations"})
}
