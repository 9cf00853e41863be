package voice

import (
	"context"
	"fmt"
	"sync"

	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/media"
)

// player sends a reply's audio to Twilio, paced close to real time (a few
// frames ahead, so a clear cuts at once and marks tell what was heard),
// with a mark after each clause. It is one goroutine per stream; the
// session steers it (play, pause, resume, stop) from its loop.
type player struct {
	s     *session
	pacer *audio.Pacer

	mu     sync.Mutex
	cur    *reply
	ci, fi int // next clause and frame of cur to send
	paused bool
	// epoch counts clears: a mark Twilio echoes for audio it cleared
	// carries an older epoch and means "not heard".
	epoch int
	wake  chan struct{}
	buf   []byte
}

func newPlayer(s *session) *player {
	return &player{s: s, pacer: audio.NewPacer(media.FrameDuration, s.cfg.Lead, s.cfg.Now), wake: make(chan struct{}, 1)}
}

func (p *player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// play makes r the reply being spoken (replacing any other).
func (p *player) play(r *reply) {
	p.mu.Lock()
	p.cur, p.ci, p.fi, p.paused = r, 0, 0, false
	p.mu.Unlock()
	p.poke()
}

// current is the reply being spoken, if any.
func (p *player) current() *reply {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur
}

// audible: audio of the current reply may be playing at the caller's end,
// or is about to be sent.
func (p *player) audible() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil {
		return false
	}
	if p.pacer.Queued() > 0 {
		return true
	}
	return !p.paused && p.cur.isReleased() && !p.cur.complete()
}

// pause stops sending and clears what Twilio has queued: the caller may be
// interrupting. resume plays again from the first clause not heard to its
// end.
func (p *player) pause(ctx context.Context) error {
	p.mu.Lock()
	if p.cur == nil || p.paused {
		p.mu.Unlock()
		return nil
	}
	p.paused = true
	p.epoch++
	p.pacer.Reset()
	p.mu.Unlock()
	return p.s.send(ctx, media.AppendClear(nil, p.s.call.StreamSID))
}

func (p *player) resume() {
	p.mu.Lock()
	if p.cur != nil && p.paused {
		p.paused = false
		p.cur.mu.Lock()
		p.ci, p.fi = p.cur.played, 0
		p.cur.mu.Unlock()
	}
	p.mu.Unlock()
	p.poke()
}

// stop drops the current reply (after a pause, or at once with a clear).
func (p *player) stop(ctx context.Context) error {
	p.mu.Lock()
	wasPaused := p.paused || p.cur == nil
	p.cur, p.paused = nil, false
	if !wasPaused {
		p.epoch++
		p.pacer.Reset()
	}
	p.mu.Unlock()
	if wasPaused {
		return nil
	}
	return p.s.send(ctx, media.AppendClear(nil, p.s.call.StreamSID))
}

// marked takes a mark Twilio echoed: the clause before it was heard, unless
// the mark belongs to audio a clear threw away.
func (p *player) marked(name string) (r *reply, idx int, ok bool) {
	var gen, epoch int
	if _, err := fmt.Sscanf(name, "r%d.c%d.e%d", &gen, &idx, &epoch); err != nil {
		return nil, 0, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil || p.cur.gen != gen || epoch != p.epoch {
		return nil, 0, false
	}
	return p.cur, idx, true
}

// run sends frames until ctx ends.
func (p *player) run(ctx context.Context) {
	for ctx.Err() == nil {
		wait := p.step(ctx)
		if wait == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-p.wake:
		case <-wait:
		}
	}
}

// never is a channel that never fires.
var never = make(chan struct{})

// step sends one frame or one mark, or says what to wait for.
func (p *player) step(ctx context.Context) (wait <-chan struct{}) {
	p.mu.Lock()
	r, ci, fi, paused, epoch := p.cur, p.ci, p.fi, p.paused, p.epoch
	p.mu.Unlock()
	if r == nil || paused {
		return never
	}
	if !r.isReleased() {
		return r.released
	}
	c, over, w := r.clause(ci)
	if c == nil {
		if over {
			return never
		}
		return w
	}
	f, finished, w := c.frame(fi)
	switch {
	case f != nil:
		if err := p.pacer.Next(ctx); err != nil {
			return nil
		}
		p.mu.Lock()
		still := p.cur == r && !p.paused && p.epoch == epoch && p.ci == ci && p.fi == fi
		if still {
			p.fi++
		}
		p.mu.Unlock()
		if !still {
			return nil
		}
		p.buf = media.AppendMedia(p.buf[:0], p.s.call.StreamSID, f)
		if err := p.s.send(ctx, p.buf); err != nil {
			return nil
		}
		p.s.framePlayed(r, c)
		return nil
	case finished:
		p.mu.Lock()
		still := p.cur == r && !p.paused && p.epoch == epoch && p.ci == ci
		if still {
			p.ci, p.fi = ci+1, 0
		}
		p.mu.Unlock()
		if still {
			_ = p.s.send(ctx, media.AppendMark(nil, p.s.call.StreamSID, fmt.Sprintf("r%d.c%d.e%d", r.gen, ci, epoch)))
		}
		return nil
	}
	return w
}
