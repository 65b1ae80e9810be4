package app

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/portico/portico/internal/promotion"
)

// admissionCollector exposes the promotion admission that the API and the
// background jobs share.
type admissionCollector struct {
	promo                           *promotion.Service
	capacity, inUse, peak, admitted *prometheus.Desc
}

func newAdmissionCollector(p *promotion.Service) *admissionCollector {
	return &admissionCollector{promo: p,
		capacity: prometheus.NewDesc("portico_promotion_slots", "Promotion transactions allowed to write at once (PORTICO_PROMOTION_CONCURRENCY).", nil, nil),
		inUse:    prometheus.NewDesc("portico_promotion_slots_in_use", "Promotion transactions writing now.", nil, nil),
		peak:     prometheus.NewDesc("portico_promotion_slots_peak", "The most promotion transactions that ever wrote at once.", nil, nil),
		admitted: prometheus.NewDesc("portico_promotion_admissions_total", "Promotion transactions admitted, by kind (single, batch).", []string{"kind"}, nil),
	}
}

func (c *admissionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.capacity
	ch <- c.inUse
	ch <- c.peak
	ch <- c.admitted
}

func (c *admissionCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.promo.Admission()
	ch <- prometheus.MustNewConstMetric(c.capacity, prometheus.GaugeValue, float64(s.Capacity))
	ch <- prometheus.MustNewConstMetric(c.inUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(c.peak, prometheus.GaugeValue, float64(s.Peak))
	for _, kind := range []string{"single", "batch"} {
		ch <- prometheus.MustNewConstMetric(c.admitted, prometheus.CounterValue, float64(s.Admitted[kind]), kind)
	}
}
