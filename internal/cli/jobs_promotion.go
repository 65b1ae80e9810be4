package cli

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

// resultsPage is the page size of results walks (the API's maximum).
const resultsPage = 500

// promotionJobs adapts bulk promotion jobs (/api/v1/promotion-jobs).
type promotionJobs struct{}

func (promotionJobs) noun() string     { return "promotion job" }
func (promotionJobs) idColumn() string { return "contact_id" }

func (promotionJobs) state(ctx context.Context, c *conn, id uuid.UUID) (jobState, error) {
	resp, err := c.api.GetPromotionJobWithResponse(ctx, id)
	if err != nil {
		return jobState{}, transportErr("reading the promotion job", err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		return jobState{}, problemErr("reading the promotion job", resp.StatusCode(), resp.Body)
	}
	return promotionState(*resp.JSON200), nil
}

func promotionState(j client.PromotionJob) jobState {
	s := jobState{Status: string(j.Status), Total: j.Total, Processed: j.Processed, Failed: j.Failed}
	if j.Error != nil {
		s.Error = *j.Error
	}
	return s
}

func (promotionJobs) results(ctx context.Context, c *conn, id uuid.UUID, cursor string) ([]outcome, string, error) {
	params := &client.ListPromotionJobResultsParams{Limit: ptr(resultsPage)}
	if cursor != "" {
		params.Cursor = &cursor
	}
	resp, err := c.api.ListPromotionJobResultsWithResponse(ctx, id, params)
	if err != nil {
		return nil, "", transportErr("reading the promotion job's results", err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		return nil, "", problemErr("reading the promotion job's results", resp.StatusCode(), resp.Body)
	}
	next := ""
	if resp.JSON200.NextCursor != nil {
		next = *resp.JSON200.NextCursor
	}
	return bulkOutcomes(resp.JSON200.Data), next, nil
}

// bulkOutcomes converts bulk promotion results, of a job or of a
// synchronous answer.
func bulkOutcomes(rs []client.BulkResult) []outcome {
	out := make([]outcome, len(rs))
	for i, r := range rs {
		o := outcome{Status: string(r.Status)}
		if r.ContactID != uuid.Nil {
			o.ID = r.ContactID.String()
		}
		if r.Error != nil {
			o.Code, o.Detail = r.Error.Code, r.Error.Detail
			if r.Error.Resolution != nil {
				o.Resolution = *r.Error.Resolution
			}
		}
		out[i] = o
	}
	return out
}

// rowsOf gives each row of sel its outcome. The server answers in request
// order, one result per value; it may fold repeated contact ids into one
// result, and then every row of that contact gets it.
func rowsOf(sel selection, outs []outcome) []outcome {
	rows := make([]outcome, len(sel.values))
	byID := map[string]outcome{}
	if len(outs) != len(sel.values) && sel.by == byContactID {
		for _, o := range outs {
			byID[strings.ToLower(o.ID)] = o
		}
	}
	for i, v := range sel.values {
		o, ok := outcome{}, false
		if len(outs) == len(sel.values) {
			o, ok = outs[i], true
		} else if sel.by == byContactID {
			o, ok = byID[strings.ToLower(v)]
		}
		if !ok {
			o = outcome{Status: "failed", Code: "no_result", Detail: "the server's answer has no result for this row"}
		}
		o.Row = sel.rows[i]
		rows[i] = o
	}
	return rows
}

func ptr[T any](v T) *T { return &v }
