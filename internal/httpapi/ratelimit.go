package httpapi

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/portico/portico/internal/domain"
)

// RateLimits bounds the public endpoints (activation, sign-in, password
// reset): per client address, and per account (email or token).
type RateLimits struct {
	PerClient  int // requests per minute from one address
	PerAccount int // requests per minute naming one account
}

// limiter keeps one token bucket per key, forgetting keys idle for ten
// minutes so that the map stays bounded.
type limiter struct {
	mu      sync.Mutex
	perMin  int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perMinute int) *limiter {
	return &limiter{perMin: perMinute, buckets: map[string]*bucket{}, swept: time.Now()}
}

// wait answers how long key must wait; 0 means go ahead.
func (l *limiter) wait(key string) time.Duration {
	if l == nil || l.perMin <= 0 {
		return 0
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		burst := max(1, l.perMin/3)
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMin)/60), burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// limit answers 429 with Retry-After when key is over its rate.
func (l *limiter) limit(c echo.Context, key string) error {
	d := l.wait(key)
	if d == 0 {
		return nil
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
