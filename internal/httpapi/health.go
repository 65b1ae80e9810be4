package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// HealthResponse is the body of /healthz and /readyz.
type HealthResponse struct {
	Status string `json:"status" example:"ok" enums:"ok"`
}

// healthz godoc
//
//	@Summary		Liveness
//	@Description	Answers 200 while the process is up; it does not touch the database.
//	@ID				getHealthz
//	@Tags			health
//	@Produce		json
//	@Success		200	{object}	HealthResponse
//	@Router			/healthz [get]
func healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, HealthResponse{Status: "ok"})
}

// readyz godoc
//
//	@Summary		Readiness
//	@Description	Answers 200 when the database answers within two seconds, 503 otherwise.
//	@ID				getReadyz
//	@Tags			health
//	@Produce		json
//	@Success		200	{object}	HealthResponse
//	@Failure		503	{object}	problem.Problem	"database unreachable"
//	@Router			/readyz [get]
func readyz(db Pinger) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			return &edgeError{status: http.StatusServiceUnavailable, code: "database_unavailable",
				detail: "the database does not answer", cause: err}
		}
		return c.JSON(http.StatusOK, HealthResponse{Status: "ok"})
	}
}
