package audio

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeClock moves only when the pacer sleeps or the test says so.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.t = c.t.Add(d)
	return nil
}

func newFakePacer(lead int) (*Pacer, *fakeClock) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := NewPacer(20*time.Millisecond, lead, c.now)
	p.Sleep = c.sleep
	return p, c
}

// sendTimes sends n frames and returns when each went, from start.
func sendTimes(t *testing.T, p *Pacer, c *fakeClock, n int) []time.Duration {
	t.Helper()
	start := c.t
	var at []time.Duration
	for i := 0; i < n; i++ {
		if err := p.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
		at = append(at, c.t.Sub(start))
	}
	return at
}

func TestPacerPrimesThenRealTime(t *testing.T) {
	p, c := newFakePacer(3)
	got := sendTimes(t, p, c, 6)
	want := []time.Duration{0, 0, 0, 20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame times %v, want %v", got, want)
		}
	}
	if q := p.Queued(); q != 60*time.Millisecond {
		t.Fatalf("Queued = %v right after a send, want the lead (60ms)", q)
	}
}

// After the agent was silent a while, the pacer does not burst to catch
// up: it primes lead frames, then one per 20 ms again.
func TestPacerDoesNotCatchUpAfterAGap(t *testing.T) {
	p, c := newFakePacer(3)
	sendTimes(t, p, c, 10)
	c.t = c.t.Add(2 * time.Second) // TTS was slow; Twilio's queue drained
	if p.Queued() != 0 {
		t.Fatalf("Queued = %v after a 2 s gap", p.Queued())
	}
	got := sendTimes(t, p, c, 6)
	want := []time.Duration{0, 0, 0, 20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("after a gap: frame times %v, want %v", got, want)
		}
	}
}

// A late sender (each frame arrives 30 ms after the last) is never held
// back and never more than lead frames ahead.
func TestPacerSlowProducer(t *testing.T) {
	p, c := newFakePacer(3)
	for i := 0; i < 20; i++ {
		before := c.t
		if err := p.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
		if c.t != before {
			t.Fatalf("frame %d waited %v though the queue was draining", i, c.t.Sub(before))
		}
		if p.Queued() > 60*time.Millisecond {
			t.Fatalf("queued %v", p.Queued())
		}
		c.t = c.t.Add(30 * time.Millisecond)
	}
}

// After a clear, Reset lets the next reply start at once.
func TestPacerReset(t *testing.T) {
	p, c := newFakePacer(3)
	sendTimes(t, p, c, 50)
	if p.Delay() <= 0 {
		t.Fatal("a full queue should make the next frame wait")
	}
	p.Reset()
	if p.Queued() != 0 || p.Delay() > 0 {
		t.Fatalf("after Reset: queued %v, delay %v", p.Queued(), p.Delay())
	}
	if got := sendTimes(t, p, c, 3); got[2] != 0 {
		t.Fatalf("after Reset, frame times %v", got)
	}
}

func TestPacerCancel(t *testing.T) {
	p, c := newFakePacer(1)
	sendTimes(t, p, c, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next on a cancelled context = %v", err)
	}
	// A real timer, cancelled while waiting.
	real := NewPacer(time.Hour, 1, nil)
	real.Sent()
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if err := real.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next with a real timer = %v", err)
	}
}
