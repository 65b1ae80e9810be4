package cli

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

// importJobs adapts import jobs (/api/v1/import-jobs).
type importJobs struct{}

func (importJobs) noun() string     { return "import job" }
func (importJobs) idColumn() string { return "id" }

func (importJobs) state(ctx context.Context, c *conn, id uuid.UUID) (jobState, error) {
	resp, err := c.api.GetImportJobWithResponse(ctx, id)
	if err != nil {
		return jobState{}, transportErr("reading the import job", err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		return jobState{}, problemErr("reading the import job", resp.StatusCode(), resp.Body)
	}
	return importState(*resp.JSON200), nil
}

func importState(j client.ImportJob) jobState {
	s := jobState{Status: string(j.Status), Total: j.Total, Processed: j.Processed, Failed: j.Failed}
	if j.Error != nil {
		s.Error = *j.Error
	}
	return s
}

func (importJobs) results(ctx context.Context, c *conn, id uuid.UUID, cursor string) ([]outcome, string, error) {
	params := &client.ListImportJobResultsParams{Limit: ptr(resultsPage)}
	if cursor != "" {
		params.Cursor = &cursor
	}
	resp, err := c.api.ListImportJobResultsWithResponse(ctx, id, params)
	if err != nil {
		return nil, "", transportErr("reading the import job's results", err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		return nil, "", problemErr("reading the import job's results", resp.StatusCode(), resp.Body)
	}
	next := ""
	if resp.JSON200.NextCursor != nil {
		next = *resp.JSON200.NextCursor
	}
	return importOutcomes(resp.JSON200.Data), next, nil
}

// importOutcomes converts import results, of a job or of a synchronous
// answer; field errors join the detail.
func importOutcomes(rs []client.ImportRowResult) []outcome {
	out := make([]outcome, len(rs))
	for i, r := range rs {
		o := outcome{Row: r.Row, Status: string(r.Status)}
		if r.ID != nil {
			o.ID = r.ID.String()
		}
		if e := r.Error; e != nil {
			details := []string{e.Detail}
			if e.Errors != nil {
				for _, fe := range *e.Errors {
					details = append(details, fe.Field+": "+firstOf(fe.Message, fe.Code))
				}
			}
			o.Code, o.Detail = e.Code, strings.TrimPrefix(strings.Join(details, "; "), "; ")
		}
		out[i] = o
	}
	return out
}
