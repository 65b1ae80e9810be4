package httpapi

import (
	"context"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// RateLimits bounds the public endpoints (activation, sign-in, password
// reset): per client address, and per account (email or token). A limit of
// N lets N requests through in a window that opens with a key's first
// request and lasts a minute; the next one gets 429 with Retry-After, the
// seconds until that window ends. 0 disables a limit.
type RateLimits struct {
	PerClient  int // requests per minute from one address
	PerAccount int // requests per minute naming one account
	// Counter keeps the counts where every process sees them, so that
	// processes behind one load balancer share one allowance. Nil uses
	// Deps.DB when it implements RateCounter.
	Counter RateCounter
}

// RateCounter counts requests per key in windows shared by every process
// (the store implements it in the database).
type RateCounter interface {
	// CountRequest counts one request for key at now and returns the
	// requests counted in key's current window, this one included, and
	// when that window started. A window lasts window from the first
	// request after the previous one ended.
	CountRequest(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error)
	// PurgeRateWindows forgets the windows that started at or before before.
	PurgeRateWindows(ctx context.Context, before time.Time) error
}

// rateWindow is the length of a rate limit window: limits are per minute.
const rateWindow = time.Minute

// limiter is one limit (per client or per account) over the shared counter.
type limiter struct {
	name      string // part of every key, so the limits count apart
	perWindow int
	counter   RateCounter
	now       func() time.Time
	nextPurge atomic.Int64 // Unix ms of this process's next purge of ended windows
}

// newLimiters builds the per-client and per-account limiters of l, counting
// in l.Counter or else in db. A limit without a counter is a wiring mistake
// that would silently leave sign-in unlimited, so it panics at start.
func newLimiters(l RateLimits, db Pinger) (client, account *limiter) {
	counter := l.Counter
	if counter == nil {
		counter, _ = db.(RateCounter)
	}
	if counter == nil && (l.PerClient > 0 || l.PerAccount > 0) {
		panic("httpapi: rate limits are set but neither RateLimits.Counter nor Deps.DB counts requests")
	}
	build := func(name string, perWindow int) *limiter {
		return &limiter{name: name, perWindow: perWindow, counter: counter,
			now: func() time.Time { return time.Now().UTC() }}
	}
	return build("client", l.PerClient), build("account", l.PerAccount)
}

// wait counts a request for key and answers how long key must wait; 0
// means go ahead.
func (l *limiter) wait(ctx context.Context, key string) (time.Duration, error) {
	if l == nil || l.perWindow <= 0 {
		return 0, nil
	}
	now := l.now()
	// hashed: the table holds neither addresses nor emails, and keys have one length
	hits, start, err := l.counter.CountRequest(ctx, domain.HashSecret(l.name+"\x00"+key), now, rateWindow)
	if err != nil {
		return 0, err
	}
	l.purge(ctx, now)
	if hits <= l.perWindow {
		return 0, nil
	}
	return max(start.Add(rateWindow).Sub(now), time.Millisecond), nil
}

// purge deletes ended windows at most once a minute per process and
// limit, so that the table holds about one row per key seen in the last
// minute. A failed purge is retried a minute later; the counting statement
// is the one that reports database trouble to the caller.
func (l *limiter) purge(ctx context.Context, now time.Time) {
	next := l.nextPurge.Load()
	if now.UnixMilli() < next || !l.nextPurge.CompareAndSwap(next, now.Add(rateWindow).UnixMilli()) {
		return
	}
	_ = l.counter.PurgeRateWindows(ctx, now.Add(-rateWindow))
}

// limit answers 429 with Retry-After when key is over its limit.
func (l *limiter) limit(c echo.Context, key string) error {
	d, err := l.wait(c.Request().Context(), key)
	if err != nil || d == 0 {
		return err
	}
	secs := int(math.Ceil(d.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return &domain.Error{Kind: domain.KindRateLimited, Code: "rate_limited",
		Detail: "too many attempts; retry after " + strconv.Itoa(secs) + " seconds"}
}

// perClient limits each client address.
func (l *limiter) perClient(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := l.limit(c, c.RealIP()); err != nil {
			return err
		}
		return next(c)
	}
}
