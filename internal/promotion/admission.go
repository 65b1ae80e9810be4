package promotion

import (
	"context"
	"sync"
)

// admission bounds the promotion transactions writing at once — single
// promotions and bulk batches alike, API and background jobs alike — and
// lets waiters in in arrival order (a buffered channel queues senders FIFO).
type admission struct {
	slots chan struct{}

	mu     sync.Mutex
	inUse  int
	peak   int
	admits map[string]int // by kind: single, batch
}

func newAdmission(n int) *admission {
	return &admission{slots: make(chan struct{}, n), admits: map[string]int{}}
}

// enter waits for a slot; kind says what holds it, for the statistics.
func (a *admission) enter(ctx context.Context, kind string) error {
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	a.mu.Lock()
	a.inUse++
	a.peak = max(a.peak, a.inUse)
	a.admits[kind]++
	a.mu.Unlock()
	return nil
}

func (a *admission) leave() {
	a.mu.Lock()
	a.inUse--
	a.mu.Unlock()
	<-a.slots
}

// AdmissionStats describes the promotion admission.
type AdmissionStats struct {
	Capacity int            // PORTICO_PROMOTION_CONCURRENCY
	InUse    int            // promotion transactions writing now
	Peak     int            // the most ever writing at once
	Admitted map[string]int // admissions by kind: single, batch
}

// Admission reports the admission's state, for /metrics.
func (s *Service) Admission() AdmissionStats {
	a := s.admission
	a.mu.Lock()
	defer a.mu.Unlock()
	admitted := make(map[string]int, len(a.admits))
	for k, v := range a.admits {
		admitted[k] = v
	}
	return AdmissionStats{Capacity: cap(a.slots), InUse: a.inUse, Peak: a.peak, Admitted: admitted}
}
