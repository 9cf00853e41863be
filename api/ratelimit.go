package api

import (
	"sync"
	"time"
)

// refusalLimiter lets one refusal per key and window through to the audit
// log (and the log), and counts the rest, so the next audited refusal says
// how many it stands for. Keys are org/subject pairs; the map is bounded
// and simply starts over when full, which can only let more through.
type refusalLimiter struct {
	mu     sync.Mutex
	window time.Duration
	max    int
	seen   map[string]*refusals
}

type refusals struct {
	last       time.Time
	suppressed int
}

func newRefusalLimiter(window time.Duration, max int) *refusalLimiter {
	return &refusalLimiter{window: window, max: max, seen: map[string]*refusals{}}
}

// allow reports whether a refusal for key is recorded now, and how many
// refusals since the last recorded one were not.
func (l *refusalLimiter) allow(key string, now time.Time) (suppressed int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, found := l.seen[key]
	if !found {
		if len(l.seen) >= l.max {
			l.seen = map[string]*refusals{}
		}
		l.seen[key] = &refusals{last: now}
		return 0, true
	}
	if now.Sub(r.last) < l.window {
		r.suppressed++
		return 0, false
	}
	n := r.suppressed
	r.last, r.suppressed = now, 0
	return n, true
}
