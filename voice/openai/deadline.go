package openai

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// deadline cancels a streaming request whose first token, or whose next
// chunk once it has started, is late. One timer serves both: it is armed
// with the first-token wait and re-armed with the idle wait on every chunk
// after the first token.
type deadline struct {
	cancel   context.CancelCauseFunc
	timer    *time.Timer
	idle     time.Duration
	firstErr error
	idleErr  error
	started  atomic.Bool
}

// startDeadline derives the request's context from parent.
func startDeadline(parent context.Context, first time.Duration, firstErr error, idle time.Duration) (context.Context, *deadline) {
	ctx, cancel := context.WithCancelCause(parent)
	d := &deadline{
		cancel:   cancel,
		idle:     idle,
		firstErr: fmt.Errorf("%w (%s)", firstErr, first),
		idleErr:  fmt.Errorf("%w (%s)", ErrIdleTimeout, idle),
	}
	d.timer = time.AfterFunc(first, d.fire)
	return ctx, d
}

func (d *deadline) fire() {
	if d.started.Load() {
		d.cancel(d.idleErr)
		return
	}
	d.cancel(d.firstErr)
}

// progress notes a chunk. Only a first token (first) ends the first-token
// wait: a role-only chunk sent early does not prove the model is talking.
func (d *deadline) progress(first bool) {
	if first {
		d.started.Store(true)
	}
	if d.started.Load() {
		d.timer.Reset(d.idle)
	}
}

// stop disarms the timer and releases the request's context.
func (d *deadline) stop() {
	d.timer.Stop()
	d.cancel(context.Canceled)
}

// streamError explains why a request under a deadline failed: the
// caller's own cancellation first (barge-in), then a deadline, then the
// error itself.
func streamError(parent, reqCtx context.Context, what string, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("%s: %w", what, context.Cause(parent))
	}
	if cause := context.Cause(reqCtx); errors.Is(cause, ErrFirstTokenTimeout) ||
		errors.Is(cause, ErrFirstByteTimeout) || errors.Is(cause, ErrIdleTimeout) {
		return fmt.Errorf("%s: %w", what, cause)
	}
	return fmt.Errorf("%s: %w", what, err)
}
