package cli

import (
	"strings"
	"testing"
	"time"
)

func TestPlainProgress(t *testing.T) {
	var out strings.Builder
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	p := newProgress(&env{out: &out}, "promoting", 2*time.Second).(*plainProgress)
	p.now = func() time.Time { return now }
	step := func(d time.Duration, processed int) {
		now = now.Add(d)
		p.update(jobState{Status: "running", Total: 10000, Processed: processed})
	}
	step(0, 200)                  // watching starts with 200 done: the rate counts from here
	step(time.Second, 1000)       // too soon for a line
	step(time.Second, 1900)       // 2 s: a line
	step(500*time.Millisecond, 2) // too soon
	now = now.Add(4 * time.Second)
	p.finish(jobState{Status: "succeeded", Total: 10000, Processed: 10000})
	want := "processed 1900/10000 (19%), 850/s, eta 10s\n" +
		"processed 10000/10000 (100%), 1508/s, succeeded after 7s\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestPlainProgressWithoutProgress(t *testing.T) {
	var out strings.Builder
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	p := &plainProgress{out: &out, every: time.Second, now: func() time.Time { return now }}
	p.update(jobState{Status: "queued", Total: 50})
	now = now.Add(time.Second)
	p.update(jobState{Status: "queued", Total: 50})
	if want := "processed 0/50 (0%), 0/s, eta unknown\n"; out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}
