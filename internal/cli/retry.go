package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry timing: the waits double from retryBase up to retryMax; a server's
// Retry-After is honoured up to retryAfterMax.
const (
	retryBase     = 500 * time.Millisecond
	retryMax      = 8 * time.Second
	retryAfterMax = time.Minute
)

// retrying resends a request that got no answer, a 5xx, a 429 or a 409
// idempotency_in_progress, up to tries attempts in all. Only requests that
// are safe to repeat are retried: GET and HEAD, and those that carry an
// Idempotency-Key (the server answers a repeat with the first answer).
//
// Not hashicorp/go-retryablehttp: its RoundTripper (v0.7.8, FromRequest)
// reads a request's body whole into memory to send it again, where an
// import streams a file of up to the server's body limit from disk and a
// retry reopens it through GetBody.
type retrying struct {
	next  http.RoundTripper
	tries int
	note  func(string) // tells the user why it waits
	sleep func(context.Context, time.Duration) error
}

// RoundTrip implements http.RoundTripper.
func (r *retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	if !replayable(req) {
		return r.next.RoundTrip(req)
	}
	for attempt := 1; ; attempt++ {
		try := req
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			try = req.Clone(req.Context())
			try.Body = body
		}
		resp, err := r.next.RoundTrip(try)
		wait, why := retryAfter(attempt, resp, err)
		if why == "" || attempt >= r.tries || req.Context().Err() != nil {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			_ = resp.Body.Close()
		}
		if r.note != nil {
			r.note(fmt.Sprintf("%s %s: %s; retrying in %s", req.Method, req.URL.Path, why, wait.Round(100*time.Millisecond)))
		}
		if err := r.wait(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

func (r *retrying) wait(ctx context.Context, d time.Duration) error {
	if r.sleep != nil {
		return r.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// replayable reports whether req may be sent again unchanged.
func replayable(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false
	}
	return req.Method == http.MethodGet || req.Method == http.MethodHead || req.Header.Get("Idempotency-Key") != ""
}

// retryAfter says why the outcome of an attempt is worth another one (""
// when it is not) and how long to wait first.
func retryAfter(attempt int, resp *http.Response, err error) (time.Duration, string) {
	backoff := min(retryBase<<(attempt-1), retryMax)
	backoff += rand.N(backoff/4 + 1) // spread retries of many clients
	if err != nil {
		if errorsIsContext(err) {
			return 0, ""
		}
		return backoff, err.Error()
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
	case resp.StatusCode == http.StatusConflict && inProgress(resp):
	default:
		return 0, ""
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		backoff = min(d, retryAfterMax)
	}
	return backoff, resp.Status
}

// inProgress reports whether a 409 is idempotency_in_progress: the first
// request with this key still runs, so a later retry gets its answer. It
// puts the body back for the caller when the answer is another 409.
func inProgress(resp *http.Response) bool {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	return strings.Contains(string(raw), `"idempotency_in_progress"`)
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

func errorsIsContext(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
