package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// importJobs adapts import jobs (/api/v1/import-jobs). The SDK has no
// import operations yet, so this reads the documented JSON by hand.
type importJobs struct{}

func (importJobs) noun() string     { return "import job" }
func (importJobs) idColumn() string { return "id" }

// importJob is the part of an import job a watcher reads.
type importJob struct {
	ID        uuid.UUID `json:"id"`
	Status    string    `json:"status"`
	Total     int       `json:"total"`
	Processed int       `json:"processed"`
	Failed    int       `json:"failed"`
	Error     string    `json:"error"`
}

// importResult is one row's outcome of an import, synchronous or a job's.
type importResult struct {
	Row    int    `json:"row"`
	Status string `json:"status"` // created, updated, unchanged, failed
	ID     string `json:"id"`
	Error  *struct {
		Code   string `json:"code"`
		Detail string `json:"detail"`
		Errors []struct {
			Field, Code, Message string
		} `json:"errors"`
	} `json:"error"`
}

func (importJobs) state(ctx context.Context, c *conn, id uuid.UUID) (jobState, error) {
	var j importJob
	if err := c.getJSON(ctx, "reading the import job", "/api/v1/import-jobs/"+id.String(), &j); err != nil {
		return jobState{}, err
	}
	return jobState{Status: j.Status, Total: j.Total, Processed: j.Processed, Failed: j.Failed, Error: j.Error}, nil
}

func (importJobs) results(ctx context.Context, c *conn, id uuid.UUID, cursor string) ([]outcome, string, error) {
	q := url.Values{"limit": {fmt.Sprint(resultsPage)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var page struct {
		Data       []importResult `json:"data"`
		NextCursor string         `json:"next_cursor"`
	}
	if err := c.getJSON(ctx, "reading the import job's results", "/api/v1/import-jobs/"+id.String()+"/results?"+q.Encode(), &page); err != nil {
		return nil, "", err
	}
	return importOutcomes(page.Data), page.NextCursor, nil
}

// importOutcomes converts import results; field errors join the detail.
func importOutcomes(rs []importResult) []outcome {
	out := make([]outcome, len(rs))
	for i, r := range rs {
		o := outcome{Row: r.Row, ID: r.ID, Status: r.Status}
		if e := r.Error; e != nil {
			var fields []string
			for _, fe := range e.Errors {
				fields = append(fields, fe.Field+": "+firstOf(fe.Message, fe.Code))
			}
			o.Code, o.Detail = e.Code, strings.Join(append([]string{e.Detail}, fields...), "; ")
			o.Detail = strings.TrimPrefix(o.Detail, "; ")
		}
		out[i] = o
	}
	return out
}
