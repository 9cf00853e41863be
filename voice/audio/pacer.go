package audio

import (
	"context"
	"time"
)

// Pacer releases outbound frames close to real time. Twilio plays
// everything it has been sent, so audio sent ahead of time is audio a
// clear must throw away and a barge-in cannot stop quickly. The Pacer
// keeps at most lead frames queued at Twilio: enough to ride out network
// jitter, few enough that a clear cuts within lead frames and a mark's
// echo tells what the caller heard.
//
// It models Twilio's playout queue: each frame sent adds a frame's time
// to the moment the queue runs dry. After a gap (the agent was silent,
// TTS was slow) the queue has drained and the model knows it, so the
// Pacer never bursts to "catch up": it primes lead frames at once and
// then goes at one frame per frame time. Not safe for concurrent use: one
// sender per stream.
type Pacer struct {
	frame time.Duration
	lead  int
	now   func() time.Time
	// Sleep waits d, or until ctx is done. Nil means a real timer; tests
	// set it to advance a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error

	until time.Time // when Twilio will have played all we sent
	timer *time.Timer
}

// NewPacer paces frames of the given duration with lead frames queued
// ahead (at least 1). now is the clock (nil: time.Now).
func NewPacer(frame time.Duration, lead int, now func() time.Time) *Pacer {
	if lead < 1 {
		lead = 1
	}
	if now == nil {
		now = time.Now
	}
	return &Pacer{frame: frame, lead: lead, now: now}
}

// Delay is how long until the next frame may be sent; zero or less means
// now.
func (p *Pacer) Delay() time.Duration {
	return p.Queued() - time.Duration(p.lead-1)*p.frame
}

// Queued is how much audio Twilio has yet to play, by the model: what a
// clear now would throw away.
func (p *Pacer) Queued() time.Duration {
	if q := p.until.Sub(p.now()); q > 0 {
		return q
	}
	return 0
}

// Sent records that a frame was sent now (Next calls it).
func (p *Pacer) Sent() {
	now := p.now()
	if p.until.Before(now) {
		p.until = now
	}
	p.until = p.until.Add(p.frame)
}

// Next waits until the next frame may be sent and records it as sent. It
// returns ctx's error if ctx ends first (the frame is then not sent).
func (p *Pacer) Next(ctx context.Context) error {
	for {
		d := p.Delay()
		if d <= 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.Sent()
			return nil
		}
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// Reset empties the model's queue: call it after sending a clear.
func (p *Pacer) Reset() { p.until = time.Time{} }

func (p *Pacer) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	if p.timer == nil {
		p.timer = time.NewTimer(d)
	} else {
		p.timer.Reset(d)
	}
	select {
	case <-p.timer.C:
		return nil
	case <-ctx.Done():
		p.timer.Stop()
		return ctx.Err()
	}
}
