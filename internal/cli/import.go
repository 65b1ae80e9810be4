package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/google/uuid"
)

// The import command follows the documented imports API (POST
// /api/v1/imports, jobs at /api/v1/import-jobs/{id}); the SDK has no
// import operations yet, so it sends and decodes by hand through the same
// authenticated, retrying client.

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
	q := url.Values{"resource": {resource}, "mode": {mode}}
	if dryRun {
		q.Set("dry_run", "true")
	}
	path := "/api/v1/imports?" + q.Encode()
	key, err := importKey(path, file)
	if err != nil {
		return usageErr("import: %v", err)
	}
	outs, end, err := sendImport(ctx, e, c, path, file, runKey(key, again), every)
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
func sendImport(ctx context.Context, e *env, c *conn, path, file, key string, every time.Duration) (outs []outcome, end, err error) {
	// streamed from the file; a retry opens it again
	resp, err := c.upload(ctx, path, func() (io.ReadCloser, error) { return os.Open(file) }, "Content-Type", "text/csv", "Idempotency-Key", key)
	if err != nil {
		return nil, nil, interruptedOr(ctx, transportErr("import", err),
			"the server may have started the import; run the same command again: its Idempotency-Key makes that safe")
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, interruptedOr(ctx, transportErr("import", err), "run the same command again: its Idempotency-Key makes that safe")
	}
	if resp.Header.Get("Idempotent-Replayed") == "true" {
		_, _ = fmt.Fprintln(e.err, replayedHint("imported"))
	}
	switch resp.StatusCode {
	case http.StatusOK:
		var answer struct {
			Results []importResult `json:"results"`
		}
		if err := json.Unmarshal(body, &answer); err != nil {
			return nil, nil, fmt.Errorf("import: unexpected answer: %w", err)
		}
		return importOutcomes(answer.Results), nil, nil
	case http.StatusAccepted:
		var j importJob
		if err := json.Unmarshal(body, &j); err != nil || j.ID == uuid.Nil {
			return nil, nil, fmt.Errorf("import: unexpected job answer: %s", body)
		}
		_, _ = fmt.Fprintf(e.out, "import job %s: %d rows (watch it again with: portico jobs watch %s)\n", j.ID, j.Total, j.ID)
		start := jobState{Status: j.Status, Total: j.Total, Processed: j.Processed, Failed: j.Failed, Error: j.Error}
		return watchJob(ctx, c, importJobs{}, j.ID, start, newProgress(e, "importing", every))
	default:
		return nil, nil, problemErr("import", resp.StatusCode, body)
	}
}
