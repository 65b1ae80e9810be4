package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// pollEvery is how often a watcher asks the server for a job's progress.
const pollEvery = 500 * time.Millisecond

// jobState is what a watcher shows of a job, whatever its kind.
type jobState struct {
	Status                   string // queued, running, succeeded, failed, cancelled
	Total, Processed, Failed int
	Error                    string // why a failed job failed
}

func (s jobState) finished() bool {
	return s.Status == "succeeded" || s.Status == "failed" || s.Status == "cancelled"
}

// outcome is one row's result, from a job's results or a synchronous
// answer.
type outcome struct {
	Row                              int    // the CSV row; 0 when the answer does not say
	ID                               string // the contact (or imported record)
	Status, Code, Detail, Resolution string
}

func (o outcome) failed() bool { return o.Status == "failed" }

// jobKind adapts one kind of background job (promotion, import) to the
// watcher: how to read its state and page through its results.
type jobKind interface {
	noun() string     // "promotion job"
	idColumn() string // the results file's header for outcome.ID
	state(ctx context.Context, c *conn, id uuid.UUID) (jobState, error)
	// results reads the page after cursor ("" for the first) and returns
	// the next cursor, "" after the last page.
	results(ctx context.Context, c *conn, id uuid.UUID, cursor string) ([]outcome, string, error)
}

// jobKinds are the kinds `jobs watch` tries, in order.
var jobKinds = []jobKind{promotionJobs{}, importJobs{}}

// findJob reads the job id of whichever kind has it.
func findJob(ctx context.Context, c *conn, id uuid.UUID) (jobKind, jobState, error) {
	for _, k := range jobKinds {
		s, err := k.state(ctx, c, id)
		if isNotFound(err) {
			continue
		}
		return k, s, err
	}
	return nil, jobState{}, fmt.Errorf("no promotion or import job %s is visible to this token", id)
}

// watchHint tells how to pick up watching id again.
func watchHint(k jobKind, id uuid.UUID) string {
	return fmt.Sprintf("the %s %s keeps running on the server; watch it again with: portico jobs watch %s", k.noun(), id, id)
}

// watch polls job id until it finishes, showing its progress, and returns
// its final state. Ctrl-C stops watching, never the job.
func watch(ctx context.Context, c *conn, k jobKind, id uuid.UUID, s jobState, show progress) (jobState, error) {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for !s.finished() {
		show.update(s)
		select {
		case <-ctx.Done():
			show.stop()
			return s, interrupted{watchHint(k, id)}
		case <-tick.C:
		}
		next, err := k.state(ctx, c, id)
		if err != nil {
			if ctx.Err() != nil {
				continue // reported as an interruption above
			}
			show.stop()
			return s, fmt.Errorf("%w (%s)", err, watchHint(k, id))
		}
		s = next
	}
	show.finish(s)
	return s, nil
}

// collect walks every page of job id's results.
func collect(ctx context.Context, c *conn, k jobKind, id uuid.UUID) ([]outcome, error) {
	var all []outcome
	cursor := ""
	for {
		page, next, err := k.results(ctx, c, id, cursor)
		if err != nil {
			if ctx.Err() != nil {
				return nil, interrupted{fmt.Sprintf("the %s %s has finished; read its results again with: portico jobs watch %s --results FILE", k.noun(), id, id)}
			}
			return nil, err
		}
		all = append(all, page...)
		if next == "" || len(page) == 0 {
			return all, nil
		}
		cursor = next
	}
}

// watchJob watches job id to its end and reads all its results. end is
// the job's failure or cancellation as a whole (the results the server
// lists are still returned: an import job lists only the rows it
// processed, so rows it never reached are not in them); err is a failure
// to watch or read.
func watchJob(ctx context.Context, c *conn, k jobKind, id uuid.UUID, s jobState, show progress) (outs []outcome, end, err error) {
	if s, err = watch(ctx, c, k, id, s, show); err != nil {
		return nil, nil, err
	}
	if outs, err = collect(ctx, c, k, id); err != nil {
		return nil, nil, err
	}
	return outs, jobEnd(k, id, s), nil
}

// reportJob reports a job's rows; a job that failed as a whole ends the
// run with its error after the rows are written.
func reportJob(e *env, res *resultsFile, idColumn string, outs []outcome, end error) error {
	err := report(e, res, idColumn, outs)
	if end != nil {
		return end
	}
	return err
}

// jobEnd is the error of a job that did not succeed as a whole; nil when
// it did.
func jobEnd(k jobKind, id uuid.UUID, s jobState) error {
	switch s.Status {
	case "succeeded":
		return nil
	case "cancelled":
		return fmt.Errorf("the %s %s was cancelled after %d of %d rows", k.noun(), id, s.Processed, s.Total)
	default:
		return fmt.Errorf("the %s %s failed after %d of %d rows: %s", k.noun(), id, s.Processed, s.Total, firstOf(s.Error, "no reason given"))
	}
}
