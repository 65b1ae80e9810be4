package cli

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// shownFailures is how many failed rows a run prints; the results file
// has them all.
const shownFailures = 10

// resultsFile is the --results CSV: created before anything is sent, so
// that an unwritable path stops the run before the server does any work.
type resultsFile struct {
	path string
	f    *os.File
}

func createResults(path string) (*resultsFile, error) {
	if path == "" {
		return &resultsFile{}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, usageErr("--results: %v", err)
	}
	return &resultsFile{path: path, f: f}, nil
}

// write writes one line per row: row, the id column, status, code,
// detail, resolution.
func (r *resultsFile) write(idColumn string, rows []outcome) error {
	if r.f == nil {
		return nil
	}
	w := csv.NewWriter(r.f)
	_ = w.Write([]string{"row", idColumn, "status", "code", "detail", "resolution"})
	for _, o := range rows {
		_ = w.Write([]string{strconv.Itoa(o.Row), o.ID, o.Status, o.Code, o.Detail, o.Resolution})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("--results %s: %w", r.path, err)
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// discard removes a results file nothing was written to (the run stopped
// early), so that no empty file passes for a result.
func (r *resultsFile) discard() {
	if r.f != nil {
		_ = r.f.Close()
		_ = os.Remove(r.path)
		r.f = nil
	}
}

// report writes the results file, prints the counts by status and the
// first failures, and answers errRowsFailed when a row failed.
func report(e *env, res *resultsFile, idColumn string, rows []outcome) error {
	for i := range rows {
		if rows[i].Row == 0 {
			rows[i].Row = i + 1 // a job's results are in request order
		}
	}
	if err := res.write(idColumn, rows); err != nil {
		return err
	}
	counts, order := map[string]int{}, []string{}
	var failures []string
	for _, o := range rows {
		if counts[o.Status] == 0 {
			order = append(order, o.Status)
		}
		counts[o.Status]++
		if o.failed() {
			failures = append(failures, failureLine(o))
		}
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[s], strings.ReplaceAll(s, "_", " "))
	}
	_, _ = fmt.Fprintf(e.out, "%d rows: %s\n", len(rows), strings.Join(parts, ", "))
	for i, f := range failures {
		if i == shownFailures {
			_, _ = fmt.Fprintf(e.err, "... and %d more failed rows%s\n", len(failures)-shownFailures, seeResults(res))
			break
		}
		_, _ = fmt.Fprintln(e.err, f)
	}
	if len(failures) > 0 {
		return errRowsFailed
	}
	return nil
}

func failureLine(o outcome) string {
	s := fmt.Sprintf("row %d failed: %s", o.Row, firstOf(o.Code, "failed"))
	if o.Detail != "" {
		s += ": " + o.Detail
	}
	if o.Resolution != "" {
		s += " (" + o.Resolution + ")"
	}
	return s
}

func seeResults(r *resultsFile) string {
	if r.path == "" {
		return "; --results FILE writes every row"
	}
	return "; see " + r.path
}
