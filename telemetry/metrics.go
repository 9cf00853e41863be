package telemetry

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are frontdesk's own collectors. Every label value comes from a
// small fixed set (a route template, a status, a class, an entity type, a
// Twilio error code): never a phone number, a name, a CallSid or free text.
type Metrics struct {
	// WebhookRequests counts Twilio's webhooks by route and HTTP status.
	WebhookRequests *prometheus.CounterVec
	// WebhookRejections counts webhooks answered 4xx/5xx, by reason.
	WebhookRejections *prometheus.CounterVec
	// SlotLock is HoldSlot's latency by answer (held, conflict, ...).
	SlotLock *prometheus.HistogramVec
	// SlotConflicts counts holds refused because another caller had the
	// slot (or its lock could not be had in time).
	SlotConflicts prometheus.Counter
	// SMSSend is SendFollowUp's latency (outbox write, Twilio, settle) by
	// outcome.
	SMSSend *prometheus.HistogramVec
	// SMSFailures counts follow-up SMS that Twilio refused or could not
	// take, by reason and Twilio error code.
	SMSFailures *prometheus.CounterVec
	// PIIRouted counts recorded turns by the class they were stored as.
	PIIRouted *prometheus.CounterVec
	// PIIEntities counts detected entities by type.
	PIIEntities *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		WebhookRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_webhook_requests_total",
			Help: "Twilio webhooks received, by route template and HTTP status.",
		}, []string{"route", "code"}),
		WebhookRejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_webhook_rejections_total",
			Help: "Twilio webhooks refused, by route template and reason (signature, malformed, unknown, too_large, unsupported_type, rate_limited, unavailable, error).",
		}, []string{"route", "reason"}),
		SlotLock: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "frontdesk_slot_lock_seconds",
			Help:    "Time to hold a slot (the HoldSlot activity: app.lock_slot in a tenant transaction, plus alternatives on a conflict), by answer.",
			Buckets: LatencyBuckets,
		}, []string{"status"}),
		SlotConflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "frontdesk_slot_lock_conflicts_total",
			Help: "Holds refused because another call held or was locking the slot.",
		}),
		SMSSend: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "frontdesk_sms_send_seconds",
			Help:    "Time to send a follow-up SMS (the SendFollowUp activity: outbox write, Twilio, settle), by outcome (sent, logged, failed, skipped, error).",
			Buckets: LatencyBuckets,
		}, []string{"outcome"}),
		SMSFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_sms_failures_total",
			Help: "Follow-up SMS attempts that failed: refused by Twilio (with its error code), Twilio unavailable (retried), or another error.",
		}, []string{"reason", "code"}),
		PIIRouted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_pii_routed_total",
			Help: "Transcript turns routed and stored, by data class (contact, identity, medical, payment, operational).",
		}, []string{"class"}),
		PIIEntities: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_pii_entities_total",
			Help: "Personal-data entities detected in recorded turns, by entity type.",
		}, []string{"type"}),
	}
	for _, c := range []prometheus.Collector{m.WebhookRequests, m.WebhookRejections, m.SlotLock, m.SlotConflicts, m.SMSSend, m.SMSFailures, m.PIIRouted, m.PIIEntities} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ObserveWebhook counts one webhook answered with code on route (a route
// template such as /twilio/voice, never a raw path).
func (m *Metrics) ObserveWebhook(route string, code int) {
	if route == "" {
		route = "unmatched"
	}
	m.WebhookRequests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	if reason := RejectionReason(code); reason != "" {
		m.WebhookRejections.WithLabelValues(route, reason).Inc()
	}
}

// RejectionReason names why a webhook answered code was refused, or ""
// when it was not. The api answers each refusal with one status: a bad or
// missing signature 403, a malformed body 400, an unknown number or call
// 404, an oversized body 413, a wrong content type 415.
func RejectionReason(code int) string {
	switch {
	case code < 400:
		return ""
	case code == http.StatusForbidden || code == http.StatusUnauthorized:
		return "signature"
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		return "malformed"
	case code == http.StatusNotFound || code == http.StatusGone:
		return "unknown"
	case code == http.StatusRequestEntityTooLarge:
		return "too_large"
	case code == http.StatusUnsupportedMediaType:
		return "unsupported_type"
	case code == http.StatusMethodNotAllowed:
		return "method"
	case code == http.StatusTooManyRequests:
		return "rate_limited"
	case code == http.StatusServiceUnavailable:
		return "unavailable"
	case code >= 500:
		return "error"
	}
	return "other"
}

// ObserveSlotLock records one hold attempt's answer and latency.
func (m *Metrics) ObserveSlotLock(status string, d time.Duration) {
	m.SlotLock.WithLabelValues(label(status)).Observe(d.Seconds())
	if status == "conflict" {
		m.SlotConflicts.Inc()
	}
}

// ObserveSMS records one send attempt: outcome is sent, logged, failed,
// skipped or error; a failure adds reason and Twilio's code (0: none).
func (m *Metrics) ObserveSMS(outcome string, d time.Duration, failure string, code int) {
	m.SMSSend.WithLabelValues(label(outcome)).Observe(d.Seconds())
	if failure != "" {
		c := ""
		if code != 0 {
			c = strconv.Itoa(code)
		}
		m.SMSFailures.WithLabelValues(label(failure), c).Inc()
	}
}

// CountPII records one recorded turn's class and its entity counts.
func (m *Metrics) CountPII(class string, entities map[string]int) {
	m.PIIRouted.WithLabelValues(label(class)).Inc()
	for typ, n := range entities {
		if n > 0 {
			m.PIIEntities.WithLabelValues(label(typ)).Add(float64(n))
		}
	}
}
