package httpapi

import (
	"context"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// seesJob reports whether a may see a background job started by owner:
// admins and API keys see every job, anyone else only its own.
func seesJob(a domain.Actor, owner string) bool {
	return a.IsAdmin() || a.Kind == domain.ActorAPIKey || owner == a.String()
}

// scopedJob reads the job named by the path's id through read and answers
// not_found (never forbidden) when the caller may not see it, so that job
// ids of other callers stay unknown. what names the kind in the problem.
func scopedJob[J any](c echo.Context, what string, read func(context.Context, uuid.UUID) (J, error), owner func(J) string) (J, error) {
	var none J
	id, err := pathID(c, "id", what)
	if err != nil {
		return none, err
	}
	j, err := read(c.Request().Context(), id)
	if err != nil {
		return none, err
	}
	if !seesJob(actorOf(c), owner(j)) {
		return none, domain.NotFound(what, id.String())
	}
	return j, nil
}

// jobResultsPage reads one page of a job's per-item results (limit and
// cursor from the query) and converts each with out; the cursor of the next
// page is the last item's position, empty on the last page.
func jobResultsPage[I, O any](c echo.Context, read func(ctx context.Context, after, limit int) ([]I, bool, error), seq func(I) int, out func(I) O) ([]O, string, error) {
	q := &query{c: c}
	limit, after := q.seqPage()
	if err := q.err(); err != nil {
		return nil, "", err
	}
	items, more, err := read(c.Request().Context(), after, limit)
	if err != nil {
		return nil, "", err
	}
	page := make([]O, len(items))
	for i, it := range items {
		page[i] = out(it)
	}
	next := ""
	if more {
		next = strconv.Itoa(seq(items[len(items)-1]))
	}
	return page, next, nil
}
