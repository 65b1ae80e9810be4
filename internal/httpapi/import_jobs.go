package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// ImportJob is an import running in the background.
type ImportJob struct {
	ID        uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Status    string    `json:"status" enums:"queued,running,succeeded,failed,cancelled"`
	Resource  string    `json:"resource" enums:"contacts,accounts,organizations"`
	Mode      string    `json:"mode" enums:"create,upsert"`
	DryRun    bool      `json:"dry_run"`
	Total     int       `json:"total"`
	Processed int       `json:"processed"`
	Created   int       `json:"created"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Failed    int       `json:"failed"`
	// Progress is processed / total, from 0 to 1.
	Progress   float64    `json:"progress" format:"double"`
	Error      string     `json:"error,omitempty"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt  time.Time  `json:"updated_at" format:"date-time"`
	FinishedAt *time.Time `json:"finished_at" format:"date-time" extensions:"x-nullable"`
	// ResultsURL pages through the per-row results.
	ResultsURL string `json:"results_url"`
}

// ImportJobResults is one page of an import job's per-row results, in row order.
type ImportJobResults struct {
	Data       []ImportRowResult `json:"data"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

func importJobOut(j domain.ImportJob) ImportJob {
	progress := 1.0
	if j.Total > 0 {
		progress = float64(j.Processed) / float64(j.Total)
	}
	return ImportJob{ID: j.ID, Status: j.Status, Resource: string(j.Spec.Resource), Mode: string(j.Spec.Mode), DryRun: j.Spec.DryRun,
		Total: j.Total, Processed: j.Processed, Created: j.Created, Updated: j.Updated, Unchanged: j.Unchanged, Failed: j.Failed,
		Progress: progress, Error: j.Error, CreatedAt: j.CreatedAt.UTC(), UpdatedAt: j.UpdatedAt.UTC(), FinishedAt: utcPtr(j.FinishedAt),
		ResultsURL: "/api/v1/import-jobs/" + j.ID.String() + "/results"}
}

// importJob reads the path's import job if the caller may see it.
func (h *handlers) importJob(c echo.Context) (domain.ImportJob, error) {
	return scopedJob(c, "import job", h.dir.ImportJob, func(j domain.ImportJob) string { return j.Actor })
}

// getImportJob godoc
//
//	@Summary	Get an import job
//	@ID			getImportJob
//	@Tags		imports
//	@Produce	json
//	@Param		id	path		string	true	"job id"	format(uuid)
//	@Success	200	{object}	ImportJob
//	@Failure	401	{object}	problem.Problem
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/import-jobs/{id} [get]
func (h *handlers) getImportJob(c echo.Context) error {
	j, err := h.importJob(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, importJobOut(j))
}

// listImportJobResults godoc
//
//	@Summary		An import job's per-row results
//	@Description	In row order; a row appears once the job has imported it (or refused it).
//	@ID				listImportJobResults
//	@Tags			imports
//	@Produce		json
//	@Param			id		path		string	true	"job id"	format(uuid)
//	@Param			limit	query		int		false	"page size (1-500, default 50)"
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	ImportJobResults
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem	"invalid query parameters"
//	@Security		BearerAuth
//	@Router			/api/v1/import-jobs/{id}/results [get]
func (h *handlers) listImportJobResults(c echo.Context) error {
	j, err := h.importJob(c)
	if err != nil {
		return err
	}
	read := func(ctx context.Context, after, limit int) ([]domain.ImportResult, bool, error) {
		return h.dir.ImportJobResults(ctx, j.ID, after, limit)
	}
	page, next, err := jobResultsPage(c, read, func(r domain.ImportResult) int { return r.Row }, importResultOut)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ImportJobResults{Data: page, NextCursor: next})
}

// cancelImportJob godoc
//
//	@Summary		Cancel an import job
//	@Description	The job stops before its next batch; rows imported so far stay, the rest stay pending.
//	@ID				cancelImportJob
//	@Tags			imports
//	@Produce		json
//	@Param			id	path		string	true	"job id"	format(uuid)
//	@Success		200	{object}	ImportJob
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"the job has finished (job_finished)"
//	@Security		BearerAuth
//	@Router			/api/v1/import-jobs/{id}/cancel [post]
func (h *handlers) cancelImportJob(c echo.Context) error {
	j, err := h.importJob(c)
	if err != nil {
		return err
	}
	if j, err = h.dir.CancelImportJob(c.Request().Context(), j.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, importJobOut(j))
}
