package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

var importCommand = command{Help: Help{
	Name: "import", Args: "FILE.csv",
	Summary: "import a CSV (a header row of field names) in one request, and watch the job a large one becomes",
	Flags: append([]string{
		"--resource KIND   contacts, accounts or organizations (required)",
		"--mode MODE       create (default) or upsert (match by external_id)",
		"--dry-run         check every row, write nothing",
		"--results FILE    write every row's outcome: row, id, status, code, detail, resolution",
		"--every DURATION  how often a plain progress line is printed when stdout is no terminal (default 2s)",
		againHelp,
	}, connHelp...),
}, run: runImport}

var (
	importResources = map[string]bool{"contacts": true, "accounts": true, "organizations": true}
	importModes     = map[string]bool{"create": true, "upsert": true}
)

func runImport(ctx context.Context, e *env, args []string) error {
	var (
		cf                      connFlags
		resource, mode, results string
		dryRun, again           bool
		every                   time.Duration
	)
	fs := newFlags("import", &cf)
	fs.StringVar(&resource, "resource", "", "")
	fs.StringVar(&mode, "mode", "create", "")
	fs.BoolVar(&dryRun, "dry-run", false, "")
	fs.BoolVar(&again, "again", false, "")
	fs.StringVar(&results, "results", "", "")
	fs.DurationVar(&every, "every", 2*time.Second, "")
	rest, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(rest) != 1:
		return usageErr("import needs one FILE.csv")
	case !importResources[resource]:
		return usageErr("import needs --resource contacts, accounts or organizations")
	case !importModes[mode]:
		return usageErr("--mode must be create or upsert")
	case every <= 0:
		return usageErr("--every must be a positive duration such as 2s")
	}
	file := rest[0]
	if err := readable(file); err != nil {
		return usageErr("import: %v", err)
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
	params := &client.CreateImportParams{Resource: client.CreateImportParamsResource(resource),
		Mode: ptr(client.CreateImportParamsMode(mode))}
	q := url.Values{"resource": {resource}, "mode": {mode}}
	if dryRun {
		params.DryRun = ptr(true)
		q.Set("dry_run", "true")
	}
	key, err := importKey("/api/v1/imports?"+q.Encode(), file)
	if err != nil {
		return usageErr("import: %v", err)
	}
	params.IdempotencyKey = ptr(runKey(key, again))
	outs, end, err := sendImport(ctx, e, c, params, file, every)
	if err != nil {
		return err
	}
	return reportJob(e, res, "id", outs, end)
}

// readable checks that file is a regular file that opens.
func readable(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", file)
	}
	return err
}

// importKey is the Idempotency-Key of an import: the file and its query.
// The file is read as a stream, never held whole in memory.
func importKey(path, file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	_, _ = io.WriteString(h, "portico import\n"+path+"\n")
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "portico-cli-import-" + hex.EncodeToString(h.Sum(nil)), nil
}

// sendImport posts the CSV and returns every row's outcome, from the
// answer or from the job it became (end: see watchJob).
func sendImport(ctx context.Context, e *env, c *conn, params *client.CreateImportParams, file string, every time.Duration) (outs []outcome, end, err error) {
	body, err := os.Open(file)
	if err != nil {
		return nil, nil, usageErr("import: %v", err)
	}
	defer func() { _ = body.Close() }()
	resp, err := c.api.CreateImportWithBodyWithResponse(ctx, params, "text/csv", body, streamedFrom(file, body))
	if err != nil {
		return nil, nil, interruptedOr(ctx, transportErr("import", err),
			"the server may have started the import; run the same command again: its Idempotency-Key makes that safe")
	}
	if resp.HTTPResponse.Header.Get("Idempotent-Replayed") == "true" {
		_, _ = fmt.Fprintln(e.err, replayedHint("imported"))
	}
	switch {
	case resp.StatusCode() == http.StatusOK && resp.JSON200 != nil:
		return importOutcomes(resp.JSON200.Results), nil, nil
	case resp.StatusCode() == http.StatusAccepted && resp.JSON202 != nil && resp.JSON202.ID != uuid.Nil:
		j := *resp.JSON202
		_, _ = fmt.Fprintf(e.out, "import job %s: %d rows (watch it again with: portico jobs watch %s)\n", j.ID, j.Total, j.ID)
		return watchJob(ctx, c, importJobs{}, j.ID, importState(j), newProgress(e, "importing", every))
	case resp.StatusCode() < 300:
		return nil, nil, fmt.Errorf("import: unexpected answer %d: %s", resp.StatusCode(), resp.Body)
	default:
		return nil, nil, problemErr("import", resp.StatusCode(), resp.Body)
	}
}

// streamedFrom lets a retry send the file again from its start (see
// retrying) and gives the upload its length, so that it is streamed
// from disk rather than held in memory.
func streamedFrom(file string, f *os.File) client.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.GetBody = func() (io.ReadCloser, error) { return os.Open(file) }
		if fi, err := f.Stat(); err == nil {
			req.ContentLength = fi.Size()
		}
		return nil
	}
}
