package media

import "time"

// Inbound message rates a connection may use.
const (
	// DefaultRate is twice what Twilio sends (50 media messages a second,
	// plus the odd mark, DTMF or stop).
	DefaultRate = 100
	// DefaultBurst lets a 10 s backlog through at once: after a network
	// stall, TCP delivers everything Twilio sent during it together.
	DefaultBurst = 500
)

// Limiter is a token bucket over one connection's inbound messages. It
// lives here, beside the protocol, because its figures come from the
// protocol's rate; the connection's reader calls Allow per message before
// parsing and closes the connection when it refuses (a flood is not
// Twilio). Signature checks on the upgrade keep strangers out; this bounds
// what a misbehaving peer can cost us. Not safe for concurrent use: one
// reader per connection.
//
// A dozen lines rather than golang.org/x/time/rate because the voice
// packages import only the standard library; the caller passes the time,
// which keeps it testable and cheap.
type Limiter struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// NewLimiter allows rate messages a second on average and bursts of up
// to burst messages. The bucket starts full.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

// Allow reports whether a message arriving at now may be handled, and
// takes its token if so.
func (l *Limiter) Allow(now time.Time) bool {
	if !l.last.IsZero() {
		if dt := now.Sub(l.last).Seconds(); dt > 0 {
			l.tokens += dt * l.rate
			if l.tokens > l.burst {
				l.tokens = l.burst
			}
		}
	}
	if l.last.IsZero() || now.After(l.last) {
		l.last = now
	}
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
