package voice

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the voice path's Prometheus series. Labels are stages,
// events and reasons from fixed sets: never a caller, a call or a word.
// A nil *Metrics records nothing.
type Metrics struct {
	stages    *prometheus.HistogramVec
	bargeIn   prometheus.Histogram
	events    *prometheus.CounterVec
	malformed *prometheus.CounterVec
	failures  *prometheus.CounterVec
	streams   prometheus.Gauge
}

// latencyBuckets cover 5 ms to 5 s, dense around the 700 ms SLA.
var latencyBuckets = []float64{5, 10, 20, 50, 100, 150, 200, 250, 300, 400, 500, 600, 700, 800, 1000, 1500, 2000, 3000, 5000}

// NewMetrics registers the voice path's series on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "frontdesk_voice_stage_ms",
			Help:    "Voice turn latencies in ms by stage: ttfb (turn final to first answer frame; a filler counts), ttfb_no_filler, response (caller's last voiced frame to first answer frame), endpoint, stt, llm_first_token, tts_first_byte, tool.",
			Buckets: latencyBuckets,
		}, []string{"stage"}),
		bargeIn: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "frontdesk_voice_barge_in_ms",
			Help:    "Caller speech onset over agent audio to the clear sent, in ms.",
			Buckets: latencyBuckets,
		}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_voice_events_total",
			Help: "Voice stream events: barge_in, backchannel, resumed, reasked, speculation_cancelled, transfer_after_failures, read_idle, ended_<reason>, refused, turn_dropped.",
		}, []string{"event"}),
		malformed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_voice_malformed_messages_total",
			Help: "Media Streams messages dropped as malformed, by reason.",
		}, []string{"reason"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_voice_provider_failures_total",
			Help: "Failed provider calls and turn writes, by stage (stt, tts, llm, turn).",
		}, []string{"stage"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "frontdesk_voice_streams",
			Help: "Media streams open now.",
		}),
	}
	reg.MustRegister(m.stages, m.bargeIn, m.events, m.malformed, m.failures, m.streams)
	return m
}

func (m *Metrics) observeStage(stage string, ms float64) {
	if m != nil {
		m.stages.WithLabelValues(stage).Observe(ms)
	}
}

func (m *Metrics) observeBargeIn(d time.Duration) {
	if m != nil {
		m.bargeIn.Observe(float64(d.Microseconds()) / 1000)
	}
}

func (m *Metrics) countEvent(event string) {
	if m != nil {
		m.events.WithLabelValues(event).Inc()
	}
}

func (m *Metrics) countMalformed(reason string) {
	if m != nil {
		m.malformed.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) countFailure(stage string) {
	if m != nil {
		m.failures.WithLabelValues(stage).Inc()
	}
}

func (m *Metrics) streamOpened() {
	if m != nil {
		m.streams.Inc()
	}
}

func (m *Metrics) streamClosed() {
	if m != nil {
		m.streams.Dec()
	}
}

// MetricNames are the families NewMetrics registers (for the dashboard's
// check that it shows every one).
func MetricNames() []string {
	return []string{"frontdesk_voice_stage_ms", "frontdesk_voice_barge_in_ms", "frontdesk_voice_events_total",
		"frontdesk_voice_malformed_messages_total", "frontdesk_voice_provider_failures_total", "frontdesk_voice_streams"}
}
