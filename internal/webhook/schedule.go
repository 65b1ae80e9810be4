package webhook

import (
	"hash/fnv"
	"strconv"
	"time"
)

// Schedule is the retry schedule of deliveries: attempt n+1 follows a
// failed attempt n after Base·4^(n-1), capped at Cap, ±20% jitter. The
// defaults (17 attempts, 5s, 8h) spread them over about three days.
type Schedule struct {
	Attempts int
	Base     time.Duration
	Cap      time.Duration
}

// DefaultSchedule is the documented schedule.
var DefaultSchedule = Schedule{Attempts: 17, Base: 5 * time.Second, Cap: 8 * time.Hour}

// Delay is the wait after failed attempt n (from 1) of job; the jitter is
// derived from both, so every process computes the same wait.
func (s Schedule) Delay(job int64, n int) time.Duration {
	d := s.Base
	for i := 1; i < n && d < s.Cap; i++ {
		d *= 4
	}
	d = min(d, s.Cap)
	h := fnv.New64a()
	_, _ = h.Write([]byte(strconv.FormatInt(job, 10) + ":" + strconv.Itoa(n)))
	jitter := float64(h.Sum64()%4001)/10000 - 0.2 // -0.2 … +0.2
	return time.Duration(float64(d) * (1 + jitter))
}
