package jobs

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/portico/portico/internal/store"
)

// Metrics are the background work's Prometheus series: what this
// process's workers did (from River's events), and the queue as the
// database holds it for every process (at each scrape).
type Metrics struct {
	finished    *prometheus.CounterVec
	run, wait   *prometheus.HistogramVec
	mailSent    prometheus.Counter
	mailGivenUp prometheus.Counter
	queued      *prometheus.Desc
	db          *store.DB
}

func newMetrics() *Metrics {
	buckets := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 1800}
	return &Metrics{
		finished: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "portico_jobs_finished_total",
			Help: "Job attempts this process finished, by kind and outcome (completed, failed, cancelled, snoozed)."}, []string{"kind", "outcome"}),
		run: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "portico_job_run_seconds",
			Help: "How long one job attempt ran, by kind.", Buckets: buckets}, []string{"kind"}),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "portico_job_queue_wait_seconds",
			Help: "How long a job waited between becoming available and starting, by kind.", Buckets: buckets}, []string{"kind"}),
		mailSent:    prometheus.NewCounter(prometheus.CounterOpts{Name: "portico_emails_sent_total", Help: "Messages this process delivered."}),
		mailGivenUp: prometheus.NewCounter(prometheus.CounterOpts{Name: "portico_emails_failed_total", Help: "Messages given up after PORTICO_MAIL_MAX_ATTEMPTS failed attempts."}),
		queued:      prometheus.NewDesc("portico_jobs", "Jobs in the database (every process's), by kind and River state.", []string{"kind", "state"}, nil),
	}
}

var outcomes = map[river.EventKind]string{
	river.EventKindJobCompleted: "completed", river.EventKindJobFailed: "failed",
	river.EventKindJobCancelled: "cancelled", river.EventKindJobSnoozed: "snoozed",
}

// follow counts the client's job events until the returned function runs.
func (m *Metrics) follow(c *river.Client[*sql.Tx]) func() {
	events, cancel := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range events {
			if e.Job == nil {
				continue
			}
			m.finished.WithLabelValues(e.Job.Kind, outcomes[e.Kind]).Inc()
			if e.JobStats != nil {
				m.run.WithLabelValues(e.Job.Kind).Observe(e.JobStats.RunDuration.Seconds())
				m.wait.WithLabelValues(e.Job.Kind).Observe(e.JobStats.QueueWaitDuration.Seconds())
			}
		}
	}()
	return func() { cancel(); <-done }
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.finished.Describe(ch)
	m.run.Describe(ch)
	m.wait.Describe(ch)
	m.mailSent.Describe(ch)
	m.mailGivenUp.Describe(ch)
	ch <- m.queued
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.finished.Collect(ch)
	m.run.Collect(ch)
	m.wait.Collect(ch)
	m.mailSent.Collect(ch)
	m.mailGivenUp.Collect(ch)
	if m.db == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := m.db.JobCounts(ctx)
	if err != nil {
		return // the scrape shows the rest; the database's own series say why
	}
	for _, c := range counts {
		ch <- prometheus.MustNewConstMetric(m.queued, prometheus.GaugeValue, float64(c.Jobs), c.Kind, c.State)
	}
}
