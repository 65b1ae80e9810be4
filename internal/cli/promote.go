package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

var promoteCommand = command{Help: Help{
	Name: "promote", Args: "--csv FILE",
	Summary: "promote the contacts a CSV names (a contact_id or id, email or external_id column) in one bulk promotion, and watch it",
	Flags: append([]string{
		"--csv FILE        the contacts, one per row, under a header row (required)",
		"--group NAME      put every promoted user in this group (by name or id; repeat for several)",
		"--dry-run         check every row, write nothing",
		"--results FILE    write every row's outcome: row, contact_id, status, code, detail, resolution",
		"--every DURATION  how often a plain progress line is printed when stdout is no terminal (default 2s)",
		againHelp,
	}, connHelp...),
}, run: runPromote}

// promoteFlags are promote's options.
type promoteFlags struct {
	conn    connFlags
	csv     string
	groups  listFlag
	dryRun  bool
	again   bool
	results string
	every   time.Duration
}

func runPromote(ctx context.Context, e *env, args []string) error {
	var f promoteFlags
	fs := newFlags("promote", &f.conn)
	fs.StringVar(&f.csv, "csv", "", "")
	fs.Var(&f.groups, "group", "")
	fs.BoolVar(&f.dryRun, "dry-run", false, "")
	fs.BoolVar(&f.again, "again", false, "")
	fs.StringVar(&f.results, "results", "", "")
	fs.DurationVar(&f.every, "every", 2*time.Second, "")
	rest, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(rest) > 0:
		return usageErr("promote takes no arguments, got %q: the file goes after --csv", rest[0])
	case f.csv == "":
		return usageErr("promote needs --csv FILE")
	case f.every <= 0:
		return usageErr("--every must be a positive duration such as 2s")
	}
	raw, err := os.ReadFile(f.csv)
	if err != nil {
		return usageErr("--csv: %v", err)
	}
	sel, err := readSelection(raw)
	if err != nil {
		return usageErr("%s: %v", f.csv, err)
	}
	c, err := dial(e, f.conn)
	if err != nil {
		return err
	}
	res, err := createResults(f.results)
	if err != nil {
		return err
	}
	defer res.discard()
	groups, err := groupIDs(ctx, c, f.groups)
	if err != nil {
		return interruptedOr(ctx, err, "nothing was sent")
	}
	body := promoteBody(sel, groups, f.dryRun)
	return promote(ctx, e, c, sel, body, runKey(promoteKey(raw, sel, groups, f.dryRun), f.again), res, f.every)
}

// promoteBody is the bulk promotion request: the file's column picks the
// selector field (contact_ids, emails or external_ids).
func promoteBody(sel selection, groups []uuid.UUID, dryRun bool) client.BulkPromoteRequest {
	var b client.BulkPromoteRequest
	if len(groups) > 0 {
		b.GroupIds = &groups
	}
	if dryRun {
		b.DryRun = &dryRun
	}
	switch sel.by {
	case byEmail:
		b.Emails = &sel.values
	case byExternalID:
		b.ExternalIds = &sel.values
	default:
		ids := make([]uuid.UUID, len(sel.values))
		for i, v := range sel.values {
			ids[i] = uuid.MustParse(v) // readSelection checked every one
		}
		b.ContactIds = &ids
	}
	return b
}

// promoteKey is the Idempotency-Key of a promotion: the same file with the
// same options gets the same key, so running the command again (after a
// lost answer, a crash, a Ctrl-C) replays the first run instead of
// promoting twice, for the 24 hours the server keeps the answer.
func promoteKey(file []byte, sel selection, groups []uuid.UUID, dryRun bool) string {
	h := sha256.New()
	_, _ = fmt.Fprintf(h, "portico promote\nselector=%s\ndry_run=%t\n", sel.by, dryRun)
	for _, g := range groups {
		_, _ = fmt.Fprintf(h, "group=%s\n", g)
	}
	_, _ = fmt.Fprintf(h, "file=%d\n", len(file))
	h.Write(file)
	return "portico-cli-promote-" + hex.EncodeToString(h.Sum(nil))
}

// promote sends the bulk promotion, watches the job a large one becomes,
// and reports every row.
func promote(ctx context.Context, e *env, c *conn, sel selection, body client.BulkPromoteRequest, key string, res *resultsFile, every time.Duration) error {
	resp, err := c.api.BulkPromoteContactsWithResponse(ctx, &client.BulkPromoteContactsParams{IdempotencyKey: &key}, body)
	if err != nil {
		return interruptedOr(ctx, transportErr("bulk promotion", err),
			"the server may have started the promotion; run the same command again: its Idempotency-Key makes that safe")
	}
	replayed := resp.HTTPResponse.Header.Get("Idempotent-Replayed") == "true"
	if replayed {
		_, _ = fmt.Fprintln(e.err, replayedHint("promoted"))
	}
	var (
		outs []outcome
		end  error
	)
	switch {
	case resp.StatusCode() == http.StatusOK && resp.JSON200 != nil:
		outs = bulkOutcomes(resp.JSON200.Results)
	case resp.StatusCode() == http.StatusAccepted && resp.JSON202 != nil:
		if outs, end, err = watchPromotion(ctx, e, c, *resp.JSON202, replayed, every); err != nil {
			return err
		}
	default:
		return problemErr("bulk promotion", resp.StatusCode(), resp.Body)
	}
	return reportJob(e, res, "contact_id", rowsOf(sel, outs), end)
}

// watchPromotion watches the job of a large promotion to its end and
// reads its results (end: see watchJob).
func watchPromotion(ctx context.Context, e *env, c *conn, j client.PromotionJob, replayed bool, every time.Duration) (outs []outcome, end, err error) {
	k := promotionJobs{}
	_, _ = fmt.Fprintf(e.out, "promotion job %s: %d contacts (watch it again with: portico jobs watch %s)\n", j.ID, j.Total, j.ID)
	start := promotionState(j)
	if replayed { // the first answer's state is old: the job may have finished long ago
		if start, err = k.state(ctx, c, j.ID); err != nil {
			return nil, nil, interruptedOr(ctx, err, watchHint(k, j.ID))
		}
	}
	return watchJob(ctx, c, k, j.ID, start, newProgress(e, "promoting", every))
}

// interruptedOr is err, or an interruption with hint when Ctrl-C caused it.
func interruptedOr(ctx context.Context, err error, hint string) error {
	if ctx.Err() != nil {
		return interrupted{hint}
	}
	return err
}
