package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// Idempotency keeps the answers given to Idempotency-Key requests.
type Idempotency interface {
	ReserveIdempotencyKey(ctx context.Context, key, hash string, ttl time.Duration) (*domain.IdempotentAnswer, error)
	CompleteIdempotencyKey(ctx context.Context, key string, a domain.IdempotentAnswer) error
	ReleaseIdempotencyKey(ctx context.Context, key string) error
}

// keyTTL is how long an Idempotency-Key's answer is kept.
const keyTTL = 24 * time.Hour

// answer is a successful response that can be kept and replayed.
type answer struct {
	status   int
	body     any
	location string
}

// idempotent runs do once per Idempotency-Key (scoped to the caller): a
// retry with the same key and body gets the first answer again, the same
// key with another body is 422, and a retry while the first still runs is
// 409. Failed requests are not kept, so their retry runs again. Without
// the header do simply runs. textGuard has bounded the key.
func (h *handlers) idempotent(c echo.Context, body []byte, do func() (answer, error)) error {
	sum := sha256.Sum256(append([]byte(c.Request().Method+" "+c.Request().URL.Path+"\n"), body...))
	return h.idempotentAs(c, hex.EncodeToString(sum[:]), do)
}

// idempotentAs is idempotent for a request whose hash the caller made (an
// import hashes its query and its body while it streams).
func (h *handlers) idempotentAs(c echo.Context, hash string, do func() (answer, error)) error {
	raw := c.Request().Header.Get("Idempotency-Key")
	if raw == "" || h.keys == nil {
		a, err := do()
		return reply(c, a, err)
	}
	ctx := c.Request().Context()
	key := actorOf(c).String() + ":" + raw
	prior, err := h.keys.ReserveIdempotencyKey(ctx, key, hash, keyTTL)
	switch {
	case err != nil:
		return err
	case prior != nil && prior.RequestHash != hash:
		return domain.Invalid("idempotency_key_reused", "this Idempotency-Key was used for a different request; use a new key for a new request")
	case prior != nil && prior.Status == 0:
		return domain.Conflict("idempotency_in_progress", "the first request with this Idempotency-Key is still running; retry shortly")
	case prior != nil:
		c.Response().Header().Set("Idempotent-Replayed", "true")
		if prior.Location != "" {
			c.Response().Header().Set(echo.HeaderLocation, prior.Location)
		}
		return c.JSONBlob(prior.Status, prior.Body)
	}
	a, err := do()
	if err != nil {
		_ = h.keys.ReleaseIdempotencyKey(context.WithoutCancel(ctx), key)
		return err
	}
	encoded, err := json.Marshal(a.body)
	if err != nil {
		return err
	}
	// the work is done: keep its answer even if the client went away
	if err := h.keys.CompleteIdempotencyKey(context.WithoutCancel(ctx), key, domain.IdempotentAnswer{Status: a.status, Body: encoded, Location: a.location}); err != nil {
		return err
	}
	if a.location != "" {
		c.Response().Header().Set(echo.HeaderLocation, a.location)
	}
	return c.JSONBlob(a.status, encoded) // the bytes a replay sends too
}

func reply(c echo.Context, a answer, err error) error {
	if err != nil {
		return err
	}
	if a.location != "" {
		c.Response().Header().Set(echo.HeaderLocation, a.location)
	}
	if a.status == http.StatusNoContent {
		return c.NoContent(a.status)
	}
	return c.JSON(a.status, a.body)
}
