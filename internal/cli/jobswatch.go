package cli

import (
	"context"
	"time"

	"github.com/google/uuid"
)

var jobsWatchCommand = command{Help: Help{
	Name: "jobs watch", Args: "ID",
	Summary: "watch a promotion or import job to its end with its progress, then count its rows' outcomes",
	Flags: append([]string{
		"--results FILE    write every row's outcome: row, id, status, code, detail, resolution",
		"--every DURATION  how often a plain progress line is printed when stdout is no terminal (default 2s)",
	}, connHelp...),
}, run: runJobsWatch}

func runJobsWatch(ctx context.Context, e *env, args []string) error {
	var (
		cf      connFlags
		results string
		every   time.Duration
	)
	fs := newFlags("jobs watch", &cf)
	fs.StringVar(&results, "results", "", "")
	fs.DurationVar(&every, "every", 2*time.Second, "")
	rest, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(rest) != 1:
		return usageErr("jobs watch needs one job id")
	case every <= 0:
		return usageErr("--every must be a positive duration such as 2s")
	}
	id, err := uuid.Parse(rest[0])
	if err != nil {
		return usageErr("jobs watch: %q is not a job id (a UUID)", rest[0])
	}
	c, err := dial(e, cf)
	if err != nil {
		return err
	}
	res, err := createResults(results)
	if err != nil {
		return err
	}
	defer res.discard()
	k, s, err := findJob(ctx, c, id)
	if err != nil {
		return interruptedOr(ctx, err, "nothing was changed")
	}
	outs, end, err := watchJob(ctx, c, k, id, s, newProgress(e, "processing", every))
	if err != nil {
		return err
	}
	return reportJob(e, res, k.idColumn(), outs, end)
}
