// Package twiliosim plays Twilio's side of a bidirectional Media Stream,
// for tests, benchmarks and `frontdesk call demo --voice`: it connects to
// the stream URL with Twilio's signature, sends the caller's audio in real
// time (20 ms μ-law frames, continuous as on a real line), and plays the
// agent's audio as Twilio does: in order, in real time, echoing each mark
// when the audio before it has played and dropping what a clear cuts.
// Both sides are recorded on one clock, for a stereo WAV.
package twiliosim

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/media"
)

// Params name the stream, as the TwiML's <Parameter>s and Twilio's start
// message do.
type Params struct {
	AccountSID, CallSID, StreamSID string
	// Custom are the TwiML <Parameter>s (call_sid, clinic_id).
	Custom map[string]string
}

// Call is one simulated call's stream.
type Call struct {
	conn   *websocket.Conn
	params Params
	start  time.Time
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	outgoing [][]byte // caller frames waiting to be sent (μ-law)
	queue    []item   // agent audio and marks waiting to play
	caller   []int16  // what the caller said, per tick
	agent    []int16  // what the caller heard, per tick
	received []Event
	notify   chan struct{}
	closed   error
	chunk    uint64
	seq      uint64
	written  chan struct{}
	lastTick time.Time
	// sayStart is when the first frame of the latest Say went out.
	sayStart time.Time
	saying   bool
	// silent: the line sends nothing more, without closing (GoSilent).
	silent bool
}

type item struct {
	frame []byte
	mark  string
}

// Event is something Twilio saw on the stream, timed on its clock.
type Event struct {
	Kind string // "media" (agent audio received), "played" (first frame of a run played), "mark", "clear"
	At   time.Time
	Mark string
}

// Signature is X-Twilio-Signature for a WebSocket upgrade: the stream URL
// signed with the auth token, with no parameters.
func Signature(authToken, streamURL string) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(streamURL))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Dial opens the stream as Twilio does and sends connected and start.
// dialURL is where to connect (ws://…); streamURL is the URL Twilio signs
// (the one in the TwiML), usually the same.
func Dial(ctx context.Context, dialURL, streamURL, authToken string, p Params) (*Call, error) {
	h := http.Header{}
	h.Set("X-Twilio-Signature", Signature(authToken, streamURL))
	conn, resp, err := websocket.Dial(ctx, dialURL, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial media stream: %s: %w", resp.Status, err)
		}
		return nil, fmt.Errorf("dial media stream: %w", err)
	}
	conn.SetReadLimit(1 << 20)
	cctx, cancel := context.WithCancel(context.Background())
	c := &Call{conn: conn, params: p, start: time.Now(), ctx: cctx, cancel: cancel, notify: make(chan struct{}), written: make(chan struct{}, 1)}
	if err := c.write(ctx, &media.Inbound{Event: media.EventConnected, Connected: media.Connected{Protocol: "Call", Version: "1.0.0"}}); err != nil {
		conn.CloseNow()
		return nil, err
	}
	c.seq++
	err = c.write(ctx, &media.Inbound{Event: media.EventStart, SequenceNumber: c.seq, StreamSID: p.StreamSID, Start: media.Start{
		AccountSID: p.AccountSID, StreamSID: p.StreamSID, CallSID: p.CallSID, Tracks: []string{media.TrackInbound},
		CustomParameters: p.Custom,
		MediaFormat:      media.MediaFormat{Encoding: media.Encoding, SampleRate: media.SampleRate, Channels: media.Channels},
	}})
	if err != nil {
		conn.CloseNow()
		return nil, err
	}
	go c.readLoop()
	go c.clock()
	return c, nil
}

func (c *Call) write(ctx context.Context, m *media.Inbound) error {
	return c.conn.Write(ctx, websocket.MessageText, media.AppendInbound(nil, m))
}

// Say queues caller speech (8 kHz PCM); it is sent from the next tick, one
// 20 ms frame per tick, and Say returns once it has all been sent.
func (c *Call) Say(ctx context.Context, pcm []int16) error {
	mulaw := audio.EncodeMulaw(nil, pcm)
	c.mu.Lock()
	c.saying = true
	for len(mulaw) > 0 {
		n := min(media.FrameBytes, len(mulaw))
		f := make([]byte, media.FrameBytes)
		copy(f, mulaw[:n])
		for i := n; i < len(f); i++ {
			f[i] = 0xFF
		}
		c.outgoing = append(c.outgoing, f)
		mulaw = mulaw[n:]
	}
	c.mu.Unlock()
	for {
		c.mu.Lock()
		left, closed := len(c.outgoing), c.closed
		c.mu.Unlock()
		if left == 0 {
			return nil
		}
		if closed != nil {
			return closed
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.written:
		}
	}
}

// SentAt is when the last frame of everything Said so far was sent.
func (c *Call) SentAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastTick
}

// Describe summarises the line's state for a failing test or benchmark:
// the events after since (times relative to it), the agent frames queued,
// the caller frames still to send.
func (c *Call) Describe(since time.Time) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "queued agent items %d, caller frames to send %d, last speech sent %+dms; events:", len(c.queue), len(c.outgoing), c.lastTick.Sub(since).Milliseconds())
	n := 0
	for _, e := range c.received {
		if e.At.Before(since.Add(-2 * time.Second)) {
			continue
		}
		if n++; n > 40 {
			b.WriteString(" …")
			break
		}
		fmt.Fprintf(&b, " %s@%+dms", e.Kind, e.At.Sub(since).Milliseconds())
	}
	return b.String()
}

// SayStartedAt is when the first frame of the latest Say was sent.
func (c *Call) SayStartedAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sayStart
}

// PressKey sends a DTMF digit.
func (c *Call) PressKey(ctx context.Context, digit string) error {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	c.mu.Unlock()
	return c.write(ctx, &media.Inbound{Event: media.EventDTMF, SequenceNumber: seq, StreamSID: c.params.StreamSID,
		DTMF: media.DTMF{Track: media.TrackInboundTrack, Digit: digit}})
}

// Hangup sends stop, as Twilio does when the caller hangs up, and closes.
func (c *Call) Hangup(ctx context.Context) error {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	c.mu.Unlock()
	err := c.write(ctx, &media.Inbound{Event: media.EventStop, SequenceNumber: seq, StreamSID: c.params.StreamSID,
		Stop: media.Stop{AccountSID: c.params.AccountSID, CallSID: c.params.CallSID}})
	c.cancel()
	_ = c.conn.Close(websocket.StatusNormalClosure, "hangup")
	return err
}

// Close drops the connection without a stop (a broken socket).
func (c *Call) Close() {
	c.cancel()
	_ = c.conn.CloseNow()
}

// Done is closed when the stream has ended (either side).
func (c *Call) Done() <-chan struct{} { return c.ctx.Done() }

// Err is why the stream ended: nil while it runs.
func (c *Call) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Events are what Twilio saw so far.
func (c *Call) Events() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.received...)
}

// WaitFor waits until an event of kind arrives after since (zero: any),
// and returns it.
func (c *Call) WaitFor(ctx context.Context, kind string, since time.Time) (Event, error) {
	for {
		c.mu.Lock()
		for _, e := range c.received {
			if e.Kind == kind && e.At.After(since) {
				c.mu.Unlock()
				return e, nil
			}
		}
		ch, closed := c.notify, c.closed
		c.mu.Unlock()
		if closed != nil {
			return Event{}, closed
		}
		select {
		case <-ctx.Done():
			return Event{}, ctx.Err()
		case <-ch:
		}
	}
}

// Idle waits until the agent's audio queue is empty and nothing new has
// arrived for quiet.
func (c *Call) Idle(ctx context.Context, quiet time.Duration) error {
	for {
		c.mu.Lock()
		busy := len(c.queue) > 0
		var last time.Time
		if n := len(c.received); n > 0 {
			last = c.received[n-1].At
		}
		closed := c.closed
		c.mu.Unlock()
		if closed != nil {
			return closed
		}
		if !busy && time.Since(last) >= quiet {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Recording is the call so far as stereo PCM at 8 kHz: the caller on the
// left, what the caller heard of the agent on the right.
func (c *Call) Recording() []int16 {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := max(len(c.caller), len(c.agent))
	out := make([]int16, 2*n)
	for i := 0; i < n; i++ {
		if i < len(c.caller) {
			out[2*i] = c.caller[i]
		}
		if i < len(c.agent) {
			out[2*i+1] = c.agent[i]
		}
	}
	return out
}

func (c *Call) event(e Event) {
	c.received = append(c.received, e)
	close(c.notify)
	c.notify = make(chan struct{})
}

func (c *Call) end(err error) {
	c.mu.Lock()
	if c.closed == nil {
		c.closed = err
		close(c.notify)
		c.notify = make(chan struct{})
	}
	c.mu.Unlock()
	c.cancel()
}

// readLoop takes what the agent sends.
func (c *Call) readLoop() {
	var p media.Parser
	for {
		_, b, err := c.conn.Read(c.ctx)
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				c.end(fmt.Errorf("stream closed by the server: %d %s", ce.Code, ce.Reason))
			} else {
				c.end(fmt.Errorf("stream ended: %w", err))
			}
			return
		}
		m, err := p.ParseOutbound(b)
		if err != nil {
			c.end(fmt.Errorf("the server sent a malformed message: %w", err))
			return
		}
		now := time.Now()
		c.mu.Lock()
		switch m.Event {
		case media.EventMedia:
			for len(m.Payload) >= media.FrameBytes {
				c.queue = append(c.queue, item{frame: append([]byte(nil), m.Payload[:media.FrameBytes]...)})
				m.Payload = m.Payload[media.FrameBytes:]
			}
			c.event(Event{Kind: "media", At: now})
		case media.EventMark:
			c.queue = append(c.queue, item{mark: m.Mark.Name})
		case media.EventClear:
			// Twilio drops what it has not played and echoes the marks.
			var marks []string
			for _, it := range c.queue {
				if it.mark != "" {
					marks = append(marks, it.mark)
				}
			}
			c.queue = nil
			c.event(Event{Kind: "clear", At: now})
			c.mu.Unlock()
			for _, name := range marks {
				c.sendMark(name)
			}
			continue
		}
		c.mu.Unlock()
	}
}

func (c *Call) sendMark(name string) {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	c.event(Event{Kind: "mark", At: time.Now(), Mark: name})
	c.mu.Unlock()
	_ = c.write(c.ctx, &media.Inbound{Event: media.EventMark, SequenceNumber: seq, StreamSID: c.params.StreamSID, Mark: media.Mark{Name: name}})
}

// clock is the line: every 20 ms one caller frame goes out (silence when
// the caller says nothing, as a phone line does) and one agent frame
// plays.
func (c *Call) clock() {
	t := time.NewTicker(media.FrameDuration)
	defer t.Stop()
	silence := make([]byte, media.FrameBytes)
	for i := range silence {
		silence[i] = 0xFF
	}
	playing := false
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		c.mu.Lock()
		if c.silent {
			c.mu.Unlock()
			continue
		}
		f := silence
		sentSpeech := false
		if len(c.outgoing) > 0 {
			f, c.outgoing = c.outgoing[0], c.outgoing[1:]
			sentSpeech = true
		}
		c.caller = audio.DecodeMulaw(c.caller, f)
		c.chunk++
		c.seq++
		chunk, seq := c.chunk, c.seq
		if sentSpeech {
			c.lastTick = now
			if c.saying {
				c.sayStart, c.saying = now, false
			}
		}
		var marks []string
		for len(c.queue) > 0 && c.queue[0].mark != "" {
			marks = append(marks, c.queue[0].mark)
			c.queue = c.queue[1:]
		}
		var played []byte
		if len(c.queue) > 0 {
			played, c.queue = c.queue[0].frame, c.queue[1:]
			if !playing {
				c.event(Event{Kind: "played", At: now})
			}
			playing = true
		} else {
			playing = false
		}
		if played != nil {
			c.agent = audio.DecodeMulaw(c.agent, played)
		} else {
			c.agent = append(c.agent, make([]int16, media.FrameBytes)...)
		}
		c.mu.Unlock()
		for _, name := range marks {
			c.sendMark(name)
		}
		err := c.write(c.ctx, &media.Inbound{Event: media.EventMedia, SequenceNumber: seq, StreamSID: c.params.StreamSID,
			Media: media.Media{Track: media.TrackInbound, Chunk: chunk, Timestamp: uint64(20 * (chunk - 1)), Payload: f}})
		if err != nil {
			c.end(fmt.Errorf("sending caller audio: %w", err))
			return
		}
		if sentSpeech {
			select {
			case c.written <- struct{}{}:
			default:
			}
		}
	}
}

// GoSilent stops the line without closing it: no frame, mark or message
// is sent any more, as from a peer that vanished without a FIN.
func (c *Call) GoSilent() {
	c.mu.Lock()
	c.silent = true
	c.mu.Unlock()
}

// SendRaw sends bytes as one text message, as a broken or hostile peer
// might.
func (c *Call) SendRaw(ctx context.Context, msg []byte) error {
	return c.conn.Write(ctx, websocket.MessageText, msg)
}
