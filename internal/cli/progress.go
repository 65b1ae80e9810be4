package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows a job's progress while it is watched.
type progress interface {
	update(s jobState) // the job's latest state; may be called often
	finish(s jobState) // the job has finished
	stop()             // watching ends before the job does
}

// newProgress is a progress bar on a terminal, else a plain line every
// `every` (for logs and CI, where a redrawn bar is noise).
func newProgress(e *env, what string, every time.Duration) progress {
	if e.tty {
		return &barProgress{out: e.out, what: what}
	}
	return &plainProgress{out: e.out, every: every, now: time.Now}
}

// plainProgress prints "processed 1200/10000 (12%), 850/s, eta 10s".
type plainProgress struct {
	out   io.Writer
	every time.Duration
	now   func() time.Time

	started       bool
	start, last   time.Time
	fromProcessed int // the count when watching began: the rate is this watch's
}

func (p *plainProgress) update(s jobState) {
	now := p.now()
	if !p.started {
		p.started, p.start, p.last, p.fromProcessed = true, now, now, s.Processed
		return
	}
	if now.Sub(p.last) >= p.every {
		p.last = now
		_, _ = fmt.Fprintln(p.out, p.line(s, now))
	}
}

func (p *plainProgress) finish(s jobState) {
	now := p.now()
	if !p.started {
		p.start, p.fromProcessed = now, s.Processed
	}
	_, _ = fmt.Fprintf(p.out, "processed %d/%d (%d%%), %s, %s after %s\n", s.Processed, s.Total, percent(s),
		rate(s.Processed-p.fromProcessed, now.Sub(p.start)), s.Status, now.Sub(p.start).Round(time.Second))
}

func (p *plainProgress) stop() {}

func (p *plainProgress) line(s jobState, now time.Time) string {
	elapsed := now.Sub(p.start)
	done := s.Processed - p.fromProcessed
	eta := "unknown"
	if done > 0 && elapsed > 0 {
		left := time.Duration(float64(s.Total-s.Processed) / float64(done) * float64(elapsed))
		eta = left.Round(time.Second).String()
	}
	return fmt.Sprintf("processed %d/%d (%d%%), %s, eta %s", s.Processed, s.Total, percent(s), rate(done, elapsed), eta)
}

func percent(s jobState) int {
	if s.Total == 0 {
		return 100
	}
	return s.Processed * 100 / s.Total
}

func rate(n int, d time.Duration) string {
	if d < time.Millisecond {
		return "-/s"
	}
	return fmt.Sprintf("%.0f/s", float64(n)/d.Seconds())
}

// barProgress draws a progress bar with count, rate and ETA.
type barProgress struct {
	out  io.Writer
	what string
	bar  *progressbar.ProgressBar
}

func (b *barProgress) update(s jobState) {
	if b.bar == nil {
		b.bar = progressbar.NewOptions(s.Total,
			progressbar.OptionSetWriter(b.out),
			progressbar.OptionSetDescription(b.what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { _, _ = fmt.Fprintln(b.out) }))
	}
	if int64(s.Total) != b.bar.GetMax64() {
		b.bar.ChangeMax(s.Total)
	}
	_ = b.bar.Set(s.Processed)
}

func (b *barProgress) finish(s jobState) {
	b.update(s)
	_ = b.bar.Finish()
}

func (b *barProgress) stop() {
	if b.bar != nil {
		_ = b.bar.Exit()
		_, _ = fmt.Fprintln(b.out)
	}
}
