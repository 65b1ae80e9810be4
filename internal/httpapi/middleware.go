package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/logging"
)

// HeaderRequestID carries the request id in both directions.
const HeaderRequestID = "X-Request-Id"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID adopts a sane incoming X-Request-Id or makes one, answers it,
// and puts it in the request context for every log line.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(HeaderRequestID)
		// the length first: an oversize id is never even scanned
		if len(id) > 64 || !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Response().Header().Set(HeaderRequestID, id)
		req := c.Request()
		c.SetRequest(req.WithContext(logging.WithRequestID(req.Context(), id)))
		return next(c)
	}
}

// accessLog writes one line per request, after the error handler has
// written any error, so the status logged is the status sent.
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			req := c.Request()
			log.LogAttrs(req.Context(), slog.LevelInfo, "request",
				slog.String("method", req.Method),
				slog.String("route", routeOf(c)),
				slog.String("path", req.URL.Path),
				slog.Int("status", c.Response().Status),
				slog.Int64("bytes", c.Response().Size),
				slog.Duration("duration", time.Since(start)),
			)
			return nil
		}
	}
}

// recoverPanic turns a panic into a 500 whose cause and stack are logged by
// the error handler and never sent.
func recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if e, ok := r.(error); ok && errors.Is(e, http.ErrAbortHandler) {
				panic(r)
			}
			err = domain.Internal(fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
		}()
		return next(c)
	}
}

// bodyLimit refuses bodies over limit bytes (imports: over importLimit):
// at once when Content-Length says so, or as soon as a streamed body
// passes it (the decoders map the read error to 413).
func bodyLimit(limit, importLimit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			max, tooLarge := limit, payloadTooLarge
			if req.URL.Path == importPath {
				max, tooLarge = importLimit, importTooLarge
			}
			if req.ContentLength > max {
				return tooLarge(max)
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, max)
			return next(c)
		}
	}
}

func payloadTooLarge(limit int64) error {
	return &edgeError{status: http.StatusRequestEntityTooLarge, code: "payload_too_large",
		detail: fmt.Sprintf("the request body is larger than the limit of %d bytes", limit)}
}

// importTooLarge says how to get an import under the limit.
func importTooLarge(limit int64) error {
	return &edgeError{status: http.StatusRequestEntityTooLarge, code: "payload_too_large",
		detail: fmt.Sprintf("the import is larger than the limit of %d bytes (PORTICO_IMPORT_BODY_LIMIT); split the file into several imports of at most %d bytes each (the header row repeated in each CSV part)", limit, limit)}
}

// routeOf is the route template matched, for logs and metric labels.
func routeOf(c echo.Context) string {
	if p := c.Path(); p != "" && p != "/*" {
		return p
	}
	return "unmatched"
}
