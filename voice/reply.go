package voice

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/chunk"
)

// clause is one piece of a reply as it is spoken: its text and its μ-law
// audio, which grows while the TTS stream delivers and is kept whole, so a
// false interruption can play it again.
type clause struct {
	idx    int
	text   string
	filler bool
	// whole: play nothing until the synthesis is complete (the
	// benchmark's sequential baseline).
	whole bool

	mu     sync.Mutex
	audio  []byte // μ-law at CallerRate
	done   bool   // synthesis finished (or failed)
	err    error
	notify chan struct{} // closed and replaced on every change
}

func newClause(idx int, text string) *clause {
	return &clause{idx: idx, text: text, notify: make(chan struct{})}
}

// cachedClause is a clause whose audio is already whole (greeting, filler).
func cachedClause(idx int, text string, mulaw []byte, filler bool) *clause {
	c := newClause(idx, text)
	c.audio, c.done, c.filler = mulaw, true, filler
	return c
}

func (c *clause) append(mulaw []byte) {
	c.mu.Lock()
	c.audio = append(c.audio, mulaw...)
	close(c.notify)
	c.notify = make(chan struct{})
	c.mu.Unlock()
}

func (c *clause) finish(err error) {
	c.mu.Lock()
	if !c.done {
		c.done, c.err = true, err
		close(c.notify)
		c.notify = make(chan struct{})
	}
	c.mu.Unlock()
}

// frame returns frame i (FrameSamples μ-law bytes) when it is there; else
// whether the clause is finished, and a channel that signals a change. A
// finished clause's last, short frame is padded with silence.
func (c *clause) frame(i int) (f []byte, finished bool, wait <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	start, end := i*FrameSamples, (i+1)*FrameSamples
	if c.whole && !c.done {
		return nil, false, c.notify
	}
	switch {
	case end <= len(c.audio):
		return c.audio[start:end], false, nil
	case c.done && start < len(c.audio):
		f := make([]byte, FrameSamples)
		n := copy(f, c.audio[start:])
		for j := n; j < len(f); j++ {
			f[j] = mulawSilence
		}
		return f, false, nil
	case c.done:
		return nil, true, nil
	}
	return nil, false, c.notify
}

// mulawSilence is 0 in G.711 μ-law.
const mulawSilence = 0xFF

// reply is the agent's answer to one caller turn, from the first token to
// the last frame played. It may start speculatively, before the caller's
// turn is known to be over: it is then held (nothing is played, no tool
// with side effects runs) until released, or cancelled.
type reply struct {
	gen      int
	ctx      context.Context
	cancel   context.CancelFunc
	released chan struct{}
	release  func()
	heldText string // the transcript a speculative reply answers

	mu       sync.Mutex
	clauses  []*clause
	closed   bool // no more clauses
	notify   chan struct{}
	action   string
	messages []Message
	err      error
	// played counts clauses whose mark came back before any clear.
	played int
	// cut is set when the caller barged in (or the stream ended) and the
	// rest was cleared.
	cut bool

	// Set by the session loop when the turn is final, read by the player.
	finalAt, lastVoiced time.Time
	turn                int
	callerText          string
	sttMS               float64

	t replyTimes
}

// stamp changes the reply's times under its lock (the agent, TTS and
// player goroutines each stamp their own).
func (r *reply) stamp(f func(t *replyTimes)) {
	r.mu.Lock()
	f(&r.t)
	r.mu.Unlock()
}

// replyTimes are one reply's timestamps, for TurnTimings and metrics.
type replyTimes struct {
	started, firstToken, firstClause, ttsStart, ttsFirstByte time.Time
	firstFrame, firstAnswerFrame                             time.Time
	tools                                                    []time.Duration
	toolNames                                                []string
	speculative                                              bool
}

// toolTimings are the reply's tool round trips in ms and their names, as
// TurnTimings carries them (fresh slices: the reply may go on stamping).
func (t replyTimes) toolTimings() ([]float64, []string) {
	var times []float64
	for _, d := range t.tools {
		times = append(times, ms(d))
	}
	return times, append([]string(nil), t.toolNames...)
}

func newReply(parent context.Context, gen int, held bool) *reply {
	ctx, cancel := context.WithCancel(parent)
	r := &reply{gen: gen, ctx: ctx, cancel: cancel, released: make(chan struct{}), notify: make(chan struct{})}
	var once sync.Once
	r.release = func() { once.Do(func() { close(r.released) }) }
	if !held {
		r.release()
	}
	return r
}

func (r *reply) isReleased() bool {
	select {
	case <-r.released:
		return true
	default:
		return false
	}
}

func (r *reply) add(c *clause) {
	r.mu.Lock()
	c.idx = len(r.clauses)
	r.clauses = append(r.clauses, c)
	close(r.notify)
	r.notify = make(chan struct{})
	r.mu.Unlock()
}

func (r *reply) clauseCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.clauses)
}

func (r *reply) end(action string, messages []Message, err error) {
	r.mu.Lock()
	r.closed, r.action, r.messages, r.err = true, action, messages, err
	close(r.notify)
	r.notify = make(chan struct{})
	r.mu.Unlock()
}

// clause returns clause i when it exists; else whether the reply is over,
// and a channel that signals a change.
func (r *reply) clause(i int) (c *clause, over bool, wait <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < len(r.clauses) {
		return r.clauses[i], false, nil
	}
	return nil, r.closed, r.notify
}

// markPlayed records that clause idx was heard to its end.
func (r *reply) markPlayed(idx int) {
	r.mu.Lock()
	if !r.cut && idx+1 > r.played {
		r.played = idx + 1
	}
	r.mu.Unlock()
}

// heard is what the caller heard of the reply: the clauses played to
// their end (a cut clause is not counted: the context keeps only what was
// heard).
func (r *reply) heard() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	parts := make([]string, 0, r.played)
	for _, c := range r.clauses[:r.played] {
		c.mu.Lock()
		spoken := len(c.audio) > 0 // a clause whose TTS failed said nothing
		c.mu.Unlock()
		if spoken {
			parts = append(parts, c.text)
		}
	}
	return strings.Join(parts, " ")
}

// unheard are the clauses the caller did not hear (for a false
// interruption's resume), fillers left out.
func (r *reply) unheard() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.clauses[r.played:] {
		if !c.filler {
			out = append(out, c.text)
		}
	}
	return out
}

// complete: every clause has been played and the reply is over.
func (r *reply) complete() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed && r.played == len(r.clauses)
}

// produce runs the agent's answer into the reply: text deltas through the
// clause chunker, each clause to TTS as soon as it is complete, a cached
// filler when a tool is called before anything was said. It returns when
// the agent is done (the TTS goroutine may still be running).
func (s *session) produce(r *reply, events <-chan AgentEvent) {
	ch := chunk.New()
	// "Sure," is worth saying while the rest of the sentence streams in.
	ch.FirstMinWords = 1
	tts := make(chan *clause, 16)
	ttsDone := make(chan struct{})
	go func() {
		defer close(ttsDone)
		for c := range tts {
			s.synthesize(r, c)
		}
	}()
	addText := func(text string) {
		text = strings.TrimSpace(text)
		if text == "" {
			return
		}
		c := newClause(0, text)
		c.whole = s.cfg.Sequential
		now := s.now()
		r.stamp(func(t *replyTimes) {
			if t.firstClause.IsZero() {
				t.firstClause = now
			}
		})
		r.add(c)
		tts <- c
	}
	var sequential strings.Builder
	var action string
	var messages []Message
	var failure error
	// A filler covers silence, not words: it plays when a tool call starts
	// before anything was said and no words follow within fillerDelay (an
	// agent that speaks before its tools, or whose tools are quick, needs
	// none).
	var fillerDue <-chan time.Time
	var lastText string
	for events != nil {
		var ev AgentEvent
		var open bool
		select {
		case ev, open = <-events:
			if !open {
				events = nil
				continue
			}
		case <-fillerDue:
			fillerDue = nil
			if r.clauseCount() == 0 && s.filler != nil {
				r.add(cachedClause(0, s.filler.text, s.filler.mulaw, true))
			}
			continue
		}
		switch {
		case ev.Text != "":
			fillerDue = nil
			now := s.now()
			r.stamp(func(t *replyTimes) {
				if t.firstToken.IsZero() {
					t.firstToken = now
				}
			})
			text := joinDelta(lastText, ev.Text)
			lastText = ev.Text
			if s.cfg.Sequential {
				sequential.WriteString(text)
				continue
			}
			for _, clause := range ch.Push(text) {
				addText(clause)
			}
		case ev.ToolStarted != "":
			if r.clauseCount() == 0 && s.filler != nil && fillerDue == nil && lastText == "" {
				fillerDue = time.After(fillerDelay)
			}
		case ev.ToolDone != nil:
			// The round trip is timed in replyTools (without the wait
			// for the turn's end); here only what happened is logged.
			s.logger.Debug("tool done", "call_sid", s.call.CallSID, "gen", r.gen, "tool", ev.ToolDone.Name, "failed", ev.ToolDone.Err != "")
		}
		if ev.Done {
			action, messages, failure = ev.Action, ev.Messages, ev.Err
		}
	}
	addText(ch.Flush())
	addText(sequential.String())
	if failure != nil && r.ctx.Err() == nil {
		s.logger.Warn("agent reply failed; speaking the fallback", "call_sid", s.call.CallSID, "error_kind", errorKind(failure))
		s.cfg.Metrics.countFailure("llm")
		addText(s.cfg.Fallback)
	}
	close(tts)
	<-ttsDone
	s.logger.Debug("reply produced", "call_sid", s.call.CallSID, "gen", r.gen, "clauses", r.clauseCount(), "action", action, "failed", failure != nil, "cancelled", r.ctx.Err() != nil)
	r.end(action, messages, failure)
}

// fillerDelay is how long a tool call may go unaccompanied by words
// before the cached filler plays.
const fillerDelay = 100 * time.Millisecond

// joinDelta separates two pieces of an agent's text that the agent sent
// as whole sentences ("Certainly." then "Which day?"): token streams carry
// their own spaces, sentence-at-a-time agents do not.
func joinDelta(prev, next string) string {
	if prev == "" || next == "" {
		return next
	}
	last, first := prev[len(prev)-1], next[0]
	if strings.ContainsRune(".?!", rune(last)) && first >= 'A' && first <= 'Z' {
		return " " + next
	}
	return next
}

// synthesize turns one clause into μ-law frames as the TTS stream
// delivers. A provider error is never played: the clause ends with what
// came before the error (usually nothing).
func (s *session) synthesize(r *reply, c *clause) {
	if r.ctx.Err() != nil {
		c.finish(r.ctx.Err())
		return
	}
	start := s.now()
	first := false
	r.stamp(func(t *replyTimes) {
		if t.ttsStart.IsZero() {
			t.ttsStart, first = start, true
		}
	})
	speech, err := s.cfg.Synthesizer.Synthesize(r.ctx, c.text)
	if err != nil {
		s.countTTSFailure(err)
		c.finish(err)
		return
	}
	defer speech.Close()
	res, err := audio.NewResampler(speech.Rate(), CallerRate)
	if err != nil {
		c.finish(err)
		return
	}
	buf := make([]int16, 2048)
	var pcm []int16
	var mulaw []byte
	for {
		n, err := speech.Read(buf)
		if n > 0 {
			if first {
				now := s.now()
				r.stamp(func(t *replyTimes) {
					if t.ttsFirstByte.IsZero() {
						t.ttsFirstByte = now
					}
				})
			}
			pcm = res.Resample(pcm[:0], buf[:n])
			mulaw = audio.EncodeMulaw(mulaw[:0], pcm)
			c.append(mulaw)
		}
		if errors.Is(err, io.EOF) {
			pcm = res.Flush(pcm[:0])
			c.append(audio.EncodeMulaw(mulaw[:0], pcm))
			c.finish(nil)
			return
		}
		if err != nil {
			s.countTTSFailure(err)
			c.finish(err)
			return
		}
	}
}
