package voice

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/starter"
)

// turnRecorder sends the call's turns to its workflow (the sealed `turn`
// Update), one at a time and in order, off the hot path: no reply ever
// waits for it. A turn's id is its stream, speaker and number, so a retry
// after a timeout is the same Update, and a stream that takes over the call
// (after a hand-over) never reuses the first stream's ids.
type turnRecorder struct {
	s     *session
	start time.Time
	queue chan pendingTurn
	done  chan struct{}

	mu      sync.Mutex
	n       map[string]int
	queued  int
	written int
}

type pendingTurn struct {
	id      string
	req     contract.TurnRequest
	timings *contract.TurnTimings
}

func newTurnRecorder(s *session) *turnRecorder {
	return &turnRecorder{s: s, start: s.now(), queue: make(chan pendingTurn, 256), done: make(chan struct{}), n: map[string]int{}}
}

// add queues a turn; it never blocks the session loop (a full queue drops
// the turn, counted, rather than stall the call).
func (t *turnRecorder) add(speaker string, req contract.TurnRequest, timings *contract.TurnTimings) {
	t.mu.Lock()
	t.n[speaker]++
	id := fmt.Sprintf("%s-%s-%d", t.s.call.StreamSID, speaker, t.n[speaker])
	t.mu.Unlock()
	select {
	case t.queue <- pendingTurn{id: id, req: req, timings: timings}:
		t.mu.Lock()
		t.queued++
		t.mu.Unlock()
	default:
		t.s.count("turn_dropped")
	}
}

// sent is how many turns reached the workflow.
func (t *turnRecorder) sent() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.written
}

func (t *turnRecorder) run(ctx context.Context) {
	defer close(t.done)
	// Turns outlive the stream by a little: the last one is sent after
	// the hang-up, within the workflow's grace window.
	bg := context.WithoutCancel(ctx)
	for p := range t.queue {
		if err := t.send(bg, p); err != nil {
			t.s.logger.Warn("turn not recorded", "call_sid", t.s.call.CallSID, "turn", p.id, "error_kind", errorKind(err))
			t.s.cfg.Metrics.countFailure("turn")
			continue
		}
		t.mu.Lock()
		t.written++
		t.mu.Unlock()
	}
}

// send delivers one turn, retrying what may be transient; the Update id
// makes a retry of a turn that did arrive harmless.
func (t *turnRecorder) send(ctx context.Context, p pendingTurn) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err = t.s.cfg.Turns.Turn(actx, t.s.call.OrgID, t.s.call.CallSID, p.id, p.req, p.timings)
		cancel()
		if err == nil || errors.Is(err, starter.ErrUpdateRejected) || errors.Is(err, starter.ErrCallEnded) ||
			errors.Is(err, starter.ErrCallErased) || errors.Is(err, starter.ErrCallNotFound) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	return err
}

// close waits, up to within, for the queued turns to be written.
func (t *turnRecorder) close(ctx context.Context, within time.Duration) {
	close(t.queue)
	select {
	case <-t.done:
	case <-time.After(within):
		t.s.logger.Warn("turns still unwritten at the end of the stream", "call_sid", t.s.call.CallSID)
	case <-ctx.Done():
	}
}
