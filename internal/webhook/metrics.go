package webhook

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the deliveries' Prometheus series, of this process's attempts.
type Metrics struct {
	attempts *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics() *Metrics {
	return &Metrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "portico_webhook_deliveries_total",
			Help: "Webhook delivery attempts by outcome: succeeded (2xx), failed (other status), gone (410), error (no answer or refused), skipped (endpoint disabled)."},
			[]string{"outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "portico_webhook_delivery_duration_seconds",
			Help: "How long an endpoint took to answer a delivery attempt, by outcome.", Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
			[]string{"outcome"}),
	}
}

func (m *Metrics) outcome(o string) { m.attempts.WithLabelValues(o).Inc() }

func (m *Metrics) observe(o string, d time.Duration) {
	m.attempts.WithLabelValues(o).Inc()
	m.latency.WithLabelValues(o).Observe(d.Seconds())
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.attempts.Describe(ch)
	m.latency.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.attempts.Collect(ch)
	m.latency.Collect(ch)
}
