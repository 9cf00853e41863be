package voice

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/media"
	"github.com/frontdesk/frontdesk/voice/turn"
)

// CallControl is what a stream needs of the call's workflow (starter.Calls):
// every Update carries the caller's id, so a retry is the same Update.
type CallControl interface {
	MediaStream(ctx context.Context, callSID, updateID string, ev contract.MediaStreamEvent) (contract.MediaStreamAck, error)
	HoldSlot(ctx context.Context, callSID, updateID string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error)
	ConfirmBooking(ctx context.Context, callSID, updateID string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error)
	DiscussProcedure(ctx context.Context, callSID, updateID string, req contract.DiscussProcedureRequest) error
}

// TurnSink records a turn in the call's workflow (starter.Turns), sealed.
type TurnSink interface {
	Turn(ctx context.Context, orgID, callSID, turnID string, req contract.TurnRequest, timings *contract.TurnTimings) (starter.TurnAnswer, error)
}

// Directory reads what the agent may know from Postgres, under the call's
// own tenant claims.
type Directory interface {
	ClinicProfile(ctx context.Context, orgID, clinicID, callSID string) (*ClinicProfile, error)
	FreeSlots(ctx context.Context, orgID, clinicID, callSID string, day time.Time, procedureID string) ([]contract.FreeSlot, error)
	// Conversation is what was said so far on the call (decrypted, and the
	// read audited): a stream that takes over from one a stopping api
	// handed over goes on where it was.
	Conversation(ctx context.Context, orgID, clinicID, callSID string) ([]Message, error)
}

// Conn is one Media Streams WebSocket, as the session uses it.
type Conn interface {
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, msg []byte) error
	// Close ends the stream normally (after a goodbye) or with an error
	// status; reason is short and never personal.
	Close(normal bool, reason string) error
}

// Call is what a stream is bound to by its start message, checked against
// the call's workflow.
type Call struct {
	OrgID, ClinicID, CallSID, StreamSID string
}

// Speculator is implemented by agents whose replies may start before the
// caller's turn is known to be over and be thrown away (the LLM agent is
// stateless between replies; a dialogue state machine is not).
type Speculator interface {
	Speculates() bool
}

// Config is the voice path's configuration, shared by every stream.
type Config struct {
	Recognizers RecognizerFactory
	Synthesizer Synthesizer
	Agents      AgentFactory
	Calls       CallControl
	Turns       TurnSink
	Directory   Directory

	Endpointing turn.Endpointing
	BargeIn     turn.BargeIn
	VAD         turn.VADConfig
	// Lead is how many 20 ms frames are queued at Twilio ahead of
	// playback: enough for network jitter, few enough for a clear to cut
	// at once.
	Lead int
	// Fallback is said when the agent fails or stalls; after
	// TransferAfterFailures failed replies the call goes to staff.
	Fallback              string
	TransferAfterFailures int
	// Filler is said, from cache, when a turn calls a tool before the
	// agent has said anything.
	Filler string
	// NotHeard is said when the recogniser fails on what the caller said.
	NotHeard string
	// StartTimeout bounds the wait for Twilio's start message.
	StartTimeout time.Duration
	// ReadIdle ends a stream whose peer has sent nothing for this long:
	// Twilio sends a frame every 20 ms for as long as the call lasts, so
	// a silent socket is a dead or hostile peer, not a quiet caller.
	ReadIdle time.Duration
	// DTMFGap ends a turn of key presses without '#'.
	DTMFGap time.Duration
	// Sequential turns streaming off, for the benchmark's baseline: no
	// speculation, the whole LLM reply before TTS, the whole speech before
	// the first frame.
	Sequential bool

	// Redact is what the agent reads of the caller's words: card, bank and
	// id numbers masked (pii.Detector.RedactForLLM), so a hosted LLM never
	// receives them. Nil uses a default detector's.
	Redact func(string) string

	Cache   *AudioCache
	Metrics *Metrics
	// OnTurn, when set, receives every answered turn's timings (benchmarks).
	OnTurn func(TurnReport)
	Logger *slog.Logger
	Now    func() time.Time
}

// defaultRedact is built once: a detector loads its lexicons and tagger.
var defaultRedact = sync.OnceValue(func() func(string) string {
	return pii.NewDetector(pii.Options{}).RedactForLLM
})

func (c *Config) defaults() {
	if c.Redact == nil {
		c.Redact = defaultRedact()
	}
	if c.Endpointing == (turn.Endpointing{}) {
		c.Endpointing = DefaultEndpointing()
	}
	if c.BargeIn == (turn.BargeIn{}) {
		c.BargeIn = turn.DefaultBargeIn()
	}
	if c.Lead == 0 {
		c.Lead = 4
	}
	if c.Fallback == "" {
		c.Fallback = "Sorry, I'm having trouble hearing the system right now. Could you say that again?"
	}
	if c.TransferAfterFailures == 0 {
		c.TransferAfterFailures = 3
	}
	if c.Filler == "" {
		c.Filler = "One moment, let me check."
	}
	if c.NotHeard == "" {
		c.NotHeard = "Sorry, I didn't catch that. Could you say it again?"
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = 10 * time.Second
	}
	if c.ReadIdle == 0 {
		c.ReadIdle = 10 * time.Second
	}
	if c.DTMFGap == 0 {
		c.DTMFGap = 1500 * time.Millisecond
	}
	if c.Cache == nil {
		c.Cache = NewAudioCache()
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// DefaultEndpointing is the voice path's turn-taking: transcription starts
// speculatively at 120 ms of silence (the recogniser's round trip then
// overlaps the wait), a finished-sounding turn ends at 300 ms, an unclear
// one at 700 ms, one that trails off ("and", digits) at 1.2 s (the waits
// of turn.DefaultEndpointing).
func DefaultEndpointing() turn.Endpointing {
	e := turn.DefaultEndpointing()
	e.SpeculateAfter = 120 * time.Millisecond
	return e
}

// TurnReport is one answered caller turn, as benchmarks read it.
type TurnReport struct {
	CallSID string
	Turn    int
	Caller  string
	// Answer is the reply's first clause.
	Answer  string
	Timings contract.TurnTimings
	// TTFBNoFillerMS is TTFB counting only the answer's own audio, not a
	// cached filler.
	TTFBNoFillerMS float64
	ToolCalled     bool
	// When each stage happened, for benchmarks that compute a floor.
	Times TurnTimes
}

// TurnTimes are a reply's moments: the caller's last voiced frame, the turn
// decided final, the agent's request, its first token, its first clause,
// the first clause's speech request and first audio, and the first frame
// of the answer (and of anything, a filler included) written to the socket.
type TurnTimes struct {
	LastVoiced, Final, AgentStart, FirstToken, FirstClause, TTSStart, TTSFirstByte, FirstFrame, FirstAnswerFrame time.Time
}

// ResumeParameter is the <Parameter> of a stream that takes over a call
// whose stream was handed over (the api stopping): no greeting, and the
// conversation so far is read back.
const ResumeParameter = "resume"

// Serve runs one Media Streams WebSocket until it ends. The connection is
// already authenticated (the api checked Twilio's signature before the
// upgrade). When draining closes (the api is stopping) the stream hands
// the call over at its next quiet moment: it ends with reason shutdown and
// the <Connect action> opens a new stream, on another api. When ctx ends
// the stream ends at once.
func Serve(ctx context.Context, cfg Config, conn Conn, draining <-chan struct{}) error {
	cfg.defaults()
	s := &session{cfg: cfg, conn: conn, logger: cfg.Logger, now: cfg.Now, events: make(chan any, 256), draining: draining}
	cfg.Metrics.streamOpened()
	defer cfg.Metrics.streamClosed()
	return s.serve(ctx)
}

type session struct {
	cfg    Config
	conn   Conn
	logger *slog.Logger
	now    func() time.Time
	call   Call

	profile *ClinicProfile
	agent   Agent
	stt     RecognizerStream
	player  *player
	turns   *turnRecorder
	filler  *cachedAudio

	events   chan any
	writeM   sync.Mutex
	draining <-chan struct{}
	resumed  bool
	// ring holds the last frames before an utterance; feeding is set
	// while the recogniser is given the utterance's audio.
	ring    [][]int16
	feeding bool
	// blip is set while the main VAD still hears a backchannel the
	// barge-in VAD has already ended.
	blip bool

	vad *turn.VAD
	// bvad reads the same frames for barge-in: it takes quiet frames for
	// the agent's echo and ends a caller's burst sooner (turn.BargeIn).
	bvad    *turn.VAD
	utt     utterance
	history []Message
	gen     int
	spec    *reply
	// barged is the reply the caller's speech paused (a possible
	// interruption); interrupted is the reply a confirmed interruption cut,
	// kept until the interruption's words are known (no words: it resumes).
	barged      *reply
	bargedAt    time.Time
	interrupted *reply
	callerTurns int
	failures    int
	dtmf        []byte
	dtmfTimer   *time.Timer
	ending      string
	malformed   int
}

// utterance is the caller's current turn, from its first voiced frame to
// the end of turn.
type utterance struct {
	active bool
	// version changes when the caller speaks again after a pause, so
	// transcripts of the shorter utterance are thrown away.
	version    int
	sttRunning bool
	sttCancel  context.CancelFunc
	sttStart   time.Time
	transcript *Transcript
	sttMS      float64
	// sttFailures counts failed transcriptions of this utterance.
	sttFailures int
	endpointAt  time.Time
	lastVoiced  time.Time // arrival of the last voiced frame
	overAgent   bool      // it began while the agent was speaking
}

// Inbound events of the session loop.
type (
	frameIn struct {
		pcm []int16
		at  time.Time
	}
	dtmfIn   struct{ digit string }
	markIn   struct{ name string }
	stopIn   struct{}
	closedIn struct{ err error }
	sttDone  struct {
		version int
		t       Transcript
		err     error
		ms      float64
	}
	replyOver struct{ r *reply }
)

func (s *session) serve(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := s.awaitStart(ctx); err != nil {
		s.count("refused")
		_ = s.conn.Close(false, "stream refused")
		return err
	}
	// Every Temporal payload of the call from here on is bound to its org.
	ctx = vault.ContextWithOrg(ctx, s.call.OrgID)
	if err := s.setup(ctx); err != nil {
		s.endStream(context.WithoutCancel(ctx), contract.StreamSocketClosed)
		_ = s.conn.Close(false, "stream setup failed")
		return err
	}
	go s.read(ctx)
	go s.player.run(ctx)
	go s.turns.run(ctx)
	if !s.resumed {
		s.greet(ctx)
	}
	reason := s.loop(ctx)
	s.finish(ctx, reason)
	return nil
}

// awaitStart reads up to the start message, which binds the stream to a
// live call: its customParameters name the call and the clinic, and the
// call's workflow must answer that it is running, for that clinic.
func (s *session) awaitStart(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StartTimeout)
	defer cancel()
	var p media.Parser
	for {
		b, err := s.conn.Read(ctx)
		if err != nil {
			return fmt.Errorf("waiting for the stream's start: %w", err)
		}
		m, err := p.Parse(b)
		if err != nil {
			s.countMalformed(err)
			continue
		}
		switch m.Event {
		case media.EventConnected:
			continue
		case media.EventStart:
		default:
			return fmt.Errorf("%s before start", m.Event)
		}
		params := m.Start.CustomParameters
		call := Call{CallSID: params["call_sid"], ClinicID: params["clinic_id"], StreamSID: m.StreamSID}
		if call.CallSID != m.Start.CallSID || call.CallSID == "" || call.ClinicID == "" {
			return errors.New("start: customParameters do not name this call")
		}
		// A fresh Update id each time: a replayed start (the same
		// StreamSid) must ask the workflow again, not get the first
		// answer back from Temporal's de-duplication.
		ack, err := s.cfg.Calls.MediaStream(ctx, call.CallSID, "stream-"+call.StreamSID+"-started-"+randomID(), contract.MediaStreamEvent{Event: contract.StreamStarted})
		if err != nil {
			return fmt.Errorf("start: the call is not live: %w", err)
		}
		if ack.ClinicID != call.ClinicID {
			return errors.New("start: the stream names another clinic than the call")
		}
		call.OrgID = ack.OrgID
		s.call = call
		s.resumed = params[ResumeParameter] == "1"
		return nil
	}
}

func (s *session) setup(ctx context.Context) error {
	p, err := s.cfg.Directory.ClinicProfile(ctx, s.call.OrgID, s.call.ClinicID, s.call.CallSID)
	if err != nil {
		return fmt.Errorf("clinic profile: %w", err)
	}
	s.profile = p
	if s.agent, err = s.cfg.Agents(p); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	if s.resumed {
		if s.history, err = s.cfg.Directory.Conversation(ctx, s.call.OrgID, s.call.ClinicID, s.call.CallSID); err != nil {
			// The agent goes on without the context rather than drop the call.
			s.logger.Warn("conversation not read back on a resumed stream", "call_sid", s.call.CallSID, "error_kind", errorKind(err))
		}
		for i, m := range s.history {
			if m.Role == RoleCaller {
				s.history[i].Text = s.cfg.Redact(m.Text)
			}
		}
	}
	rec, err := s.cfg.Recognizers(ctx, p)
	if err != nil {
		return fmt.Errorf("recogniser: %w", err)
	}
	if s.stt, err = rec.Open(ctx); err != nil {
		return fmt.Errorf("recogniser: %w", err)
	}
	s.vad = turn.NewVAD(s.cfg.VAD)
	s.bvad = turn.NewVAD(s.cfg.BargeIn.VADConfig(s.vad.Config()))
	s.player = newPlayer(s)
	s.turns = newTurnRecorder(s)
	if f, err := s.cfg.Cache.Get(ctx, s.cfg.Synthesizer, s.call.ClinicID, s.cfg.Filler); err == nil {
		s.filler = f
	}
	return nil
}

// greet plays the clinic's greeting, from cache after the first call.
func (s *session) greet(ctx context.Context) {
	text := s.agent.Greeting()
	g, err := s.cfg.Cache.Get(ctx, s.cfg.Synthesizer, s.call.ClinicID, text)
	if err != nil {
		s.logger.Warn("greeting not synthesised", "call_sid", s.call.CallSID, "error_kind", errorKind(err))
		return
	}
	r := newReply(ctx, s.nextGen(), false)
	r.add(cachedClause(0, g.text, g.mulaw, false))
	r.end(ActionNone, nil, nil)
	s.player.play(r)
}

// read turns the socket's messages into events, refusing floods and
// counting malformed messages (they are dropped, not fatal).
func (s *session) read(ctx context.Context) {
	var p media.Parser
	limit := media.NewLimiter(media.DefaultRate, media.DefaultBurst)
	for {
		rctx, cancel := context.WithTimeout(ctx, s.cfg.ReadIdle)
		b, err := s.conn.Read(rctx)
		cancel()
		if err != nil {
			if rctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
				s.logger.Info("media stream silent; closing it", "call_sid", s.call.CallSID, "idle", s.cfg.ReadIdle)
				s.count("read_idle")
			}
			s.post(ctx, closedIn{err: err})
			return
		}
		if !limit.Allow(s.now()) {
			s.countMalformed(media.ErrRateLimited)
			s.post(ctx, closedIn{err: media.ErrRateLimited})
			return
		}
		m, err := p.Parse(b)
		if err != nil {
			s.countMalformed(err)
			continue
		}
		switch m.Event {
		case media.EventMedia:
			if m.Media.Track != "" && m.Media.Track != media.TrackInbound {
				continue
			}
			s.post(ctx, frameIn{pcm: audio.DecodeMulaw(make([]int16, 0, len(m.Media.Payload)), m.Media.Payload), at: s.now()})
		case media.EventDTMF:
			s.post(ctx, dtmfIn{digit: m.DTMF.Digit})
		case media.EventMark:
			s.post(ctx, markIn{name: m.Mark.Name})
		case media.EventStop:
			s.post(ctx, stopIn{})
			return
		}
	}
}

func (s *session) post(ctx context.Context, ev any) {
	select {
	case s.events <- ev:
	case <-ctx.Done():
	}
}

// send writes one message to Twilio; the player and the loop share it.
func (s *session) send(ctx context.Context, msg []byte) error {
	s.writeM.Lock()
	defer s.writeM.Unlock()
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.conn.Write(wctx, msg)
}

// loop is the stream's one owner of turn state. It returns why the stream
// ended.
func (s *session) loop(ctx context.Context) string {
	var dtmfFire <-chan time.Time
	draining := s.draining
	handOver := false
	for {
		if s.ending != "" {
			return s.ending
		}
		if handOver && s.quiet() {
			return contract.StreamShutdown
		}
		select {
		case <-ctx.Done():
			return contract.StreamShutdown
		case <-draining:
			draining, handOver = nil, true
		case <-dtmfFire:
			dtmfFire = nil
			s.dtmfTurn(ctx)
		case ev := <-s.events:
			switch ev := ev.(type) {
			case frameIn:
				s.frame(ctx, ev)
			case dtmfIn:
				if s.onDTMF(ctx, ev.digit) {
					dtmfFire = nil
					s.dtmfTurn(ctx)
				} else {
					s.dtmfTimer = resetTimer(s.dtmfTimer, s.cfg.DTMFGap)
					dtmfFire = s.dtmfTimer.C
				}
			case markIn:
				s.onMark(ctx, ev.name)
			case sttDone:
				s.onTranscript(ctx, ev)
			case replyOver:
				s.maybeFinished(ctx, ev.r)
			case stopIn:
				return contract.StreamStop
			case closedIn:
				return contract.StreamSocketClosed
			}
		}
	}
}

// quiet: nobody is speaking and no answer is on its way, a moment to hand
// the call over without cutting anyone off.
func (s *session) quiet() bool {
	return !s.utt.active && s.spec == nil && s.barged == nil && len(s.dtmf) == 0 && !s.player.audible() && s.player.current() == nil
}

func resetTimer(t *time.Timer, d time.Duration) *time.Timer {
	if t == nil {
		return time.NewTimer(d)
	}
	t.Reset(d)
	return t
}

// frame is the per-20 ms work: VAD, recogniser, turn-taking, barge-in.
func (s *session) frame(ctx context.Context, in frameIn) {
	f := s.vad.Process(in.pcm)
	bf := s.bvad.Process(in.pcm)
	if s.blip {
		// The rest of a backchannel the main VAD still hears: no turn.
		s.blip = f.Speaking
		return
	}
	s.feed(in.pcm, f.Speaking)
	u := &s.utt
	if f.Voiced && f.Speaking {
		u.lastVoiced = in.at
	}
	if f.Event == turn.SpeechStart || (f.Speaking && !u.active) {
		s.speechStarted(f)
	}
	if s.bargeIn(ctx, in, bf) {
		s.blip = f.Speaking
		return
	}
	if !u.active {
		return
	}
	if f.Silence == 0 {
		// A voiced frame: the caller is speaking. If work had started on a
		// pause (which the VAD's hangover does not end), the caller went on.
		if u.sttRunning || u.transcript != nil || !u.endpointAt.IsZero() {
			s.callerWentOn()
		}
		return
	}
	// A pause, counted from the last voiced frame (through the VAD's
	// hangover, which would cost its whole length otherwise).
	if !u.sttRunning && u.transcript == nil && s.cfg.Endpointing.Speculate(f) {
		s.transcribe(ctx)
	}
	text := ""
	if u.transcript != nil {
		text = u.transcript.Text
	}
	if u.endpointAt.IsZero() && s.cfg.Endpointing.TurnOver(f, text) {
		u.endpointAt = s.now()
		if !u.sttRunning && u.transcript == nil {
			s.transcribe(ctx)
		}
	}
	if !u.endpointAt.IsZero() && u.transcript != nil {
		s.turnFinal(ctx)
	}
}

// preRoll is the audio kept from before the VAD's onset (which comes
// after StartAfter of speech), so the recogniser hears the first syllable.
const preRoll = 15 // frames, 300 ms

// feed gives the recogniser the audio of the caller's utterance, from a
// little before its onset to the end of the turn, and nothing of the
// silence between turns (a per-utterance provider would otherwise upload
// every quiet second of the agent's turn).
func (s *session) feed(pcm []int16, speaking bool) {
	if s.utt.active || speaking {
		if !s.feeding {
			for _, f := range s.ring {
				_ = s.stt.Write(f)
			}
			s.ring, s.feeding = s.ring[:0], true
		}
		_ = s.stt.Write(pcm)
		return
	}
	if len(s.ring) == preRoll {
		copy(s.ring, s.ring[1:])
		s.ring = s.ring[:preRoll-1]
	}
	s.ring = append(s.ring, pcm)
}

// speechStarted: the caller began to speak, or went on after a pause.
func (s *session) speechStarted(f turn.Frame) {
	if s.utt.active {
		s.callerWentOn()
	}
	s.utt.active = true
}

// callerWentOn: the caller speaks again after a pause, so what was started
// on the pause (a transcription, a held reply) is void.
func (s *session) callerWentOn() {
	u := &s.utt
	s.logger.Debug("caller went on", "call_sid", s.call.CallSID, "version", u.version, "spec", s.spec != nil)
	if u.sttCancel != nil {
		u.sttCancel()
	}
	u.version++
	u.sttRunning, u.transcript, u.endpointAt = false, nil, time.Time{}
	if s.spec != nil {
		s.spec.cancel()
		s.spec = nil
		s.count("speculation_cancelled")
	}
}

// bargeIn watches caller speech over the agent's audio. At its onset the
// agent's audio stops at once (a clear cuts within the pacer's lead);
// speech long enough to be an interruption then cuts the reply, and a
// shorter burst (an "mm-hm", a cough) lets it go on where it was. It
// reports whether the frame was a burst that is no turn.
func (s *session) bargeIn(ctx context.Context, in frameIn, bf turn.Frame) (blip bool) {
	if bf.Event == turn.SpeechStart && s.barged == nil && s.player.audible() {
		onset := in.at.Add(-(bf.At - bf.StartedAt))
		if err := s.player.pause(ctx); err == nil {
			s.barged = s.player.current()
			s.bargedAt = onset
			s.cfg.Metrics.observeBargeIn(s.now().Sub(onset))
		}
	}
	if s.barged == nil {
		return false
	}
	if s.cfg.BargeIn.Interrupts(bf) {
		s.interrupt(ctx)
		return false
	}
	if bf.Event == turn.SpeechEnd {
		s.player.resume()
		s.barged = nil
		s.count("backchannel")
		s.dropUtterance()
		return true
	}
	return false
}

// interrupt: the caller's speech over the agent is long enough to take the
// turn. The reply's LLM and TTS streams are cancelled; what the caller
// heard of it stays in the conversation.
func (s *session) interrupt(ctx context.Context) {
	r := s.barged
	s.barged = nil
	r.mu.Lock()
	r.cut = true
	r.mu.Unlock()
	r.cancel()
	_ = s.player.stop(ctx)
	s.interrupted = r
	s.utt.overAgent = true
	s.count("barge_in")
	s.agentTurnDone(r, true)
}

// transcribe asks the recogniser for the current utterance, in the
// background; the answer comes back as an sttDone event.
func (s *session) transcribe(ctx context.Context) {
	u := &s.utt
	s.logger.Debug("transcribe", "call_sid", s.call.CallSID, "version", u.version, "endpoint", !u.endpointAt.IsZero())
	tctx, cancel := context.WithCancel(ctx)
	u.sttRunning, u.sttCancel, u.sttStart = true, cancel, s.now()
	version, start := u.version, u.sttStart
	go func() {
		t, err := s.stt.Transcribe(tctx)
		s.post(ctx, sttDone{version: version, t: t, err: err, ms: ms(s.now().Sub(start))})
	}()
}

func (s *session) onTranscript(ctx context.Context, d sttDone) {
	u := &s.utt
	if d.version != u.version || !u.active {
		return // the caller went on; this was a shorter utterance
	}
	u.sttRunning = false
	s.logger.Debug("transcript", "call_sid", s.call.CallSID, "version", d.version, "words", len(strings.Fields(d.t.Text)), "error_kind", errorKind(d.err))
	if d.err != nil {
		if errors.Is(d.err, context.Canceled) {
			return
		}
		s.logger.Warn("transcription failed", "call_sid", s.call.CallSID, "error_kind", errorKind(d.err))
		s.cfg.Metrics.countFailure("stt")
		u.sttFailures++
		if u.sttFailures < 2 {
			return // the next frame of the pause asks again
		}
		// The caller spoke and the recogniser cannot say what: ask again
		// rather than answer silence.
		s.stt.Commit()
		s.feeding = false
		s.utt = utterance{version: u.version + 1}
		s.sayLine(ctx, s.cfg.NotHeard)
		return
	}
	u.transcript, u.sttMS = &d.t, d.ms
	s.cfg.Metrics.observeStage("stt", d.ms)
	if u.endpointAt.IsZero() && s.spec == nil && s.canSpeculate() && turn.Classify(d.t.Text) == turn.Complete && s.barged == nil {
		// The turn sounds finished: start the reply now, held until the
		// end of turn is decided. This is where the response time is won.
		s.spec = s.startReply(ctx, d.t, "", true)
	}
	if !u.endpointAt.IsZero() {
		s.turnFinal(ctx)
	}
}

func (s *session) canSpeculate() bool {
	if s.cfg.Sequential {
		return false
	}
	sp, ok := s.agent.(Speculator)
	return ok && sp.Speculates()
}

// turnFinal: the end of turn is decided and the transcript is in hand.
func (s *session) turnFinal(ctx context.Context) {
	u := s.utt
	text := strings.TrimSpace(u.transcript.Text)
	s.stt.Commit()
	s.feeding = false
	s.utt = utterance{version: u.version + 1}
	if text == "" || (u.overAgent && turn.ClassifyInterruption(text) != turn.Words) {
		// Noise, or a false interruption: no turn. An agent reply the
		// noise cut goes on from the clause it was in.
		if s.spec != nil {
			s.spec.cancel()
			s.spec = nil
		}
		s.resumeInterrupted(ctx)
		return
	}
	s.interrupted = nil
	final := s.now()
	s.callerTurns++
	s.logger.Debug("turn final", "call_sid", s.call.CallSID, "turn", s.callerTurns, "speculative", s.spec != nil && s.spec.heldText == text)
	msg := Message{Role: RoleCaller, Text: s.cfg.Redact(text)}
	s.turns.add(contract.SpeakerCaller, contract.TurnRequest{Speaker: contract.SpeakerCaller, Text: text, AtMS: s.streamMS(final)},
		&contract.TurnTimings{EndpointMS: ms(u.endpointAt.Sub(u.lastVoiced)), STTMS: u.sttMS})
	var r *reply
	if s.spec != nil && s.spec.heldText == text {
		r = s.spec
		r.stamp(func(t *replyTimes) { t.speculative = true })
	} else {
		if s.spec != nil {
			s.spec.cancel()
		}
		r = s.startReply(ctx, *u.transcript, "", false)
	}
	s.spec = nil
	s.history = append(s.history, msg)
	r.mu.Lock()
	r.finalAt, r.lastVoiced, r.turn, r.callerText, r.sttMS = final, u.lastVoiced, s.callerTurns, text, u.sttMS
	r.mu.Unlock()
	s.cfg.Metrics.observeStage("endpoint", ms(u.endpointAt.Sub(u.lastVoiced)))
	s.playReply(ctx, r)
}

// playReply makes r the reply being spoken, cutting whatever was.
func (s *session) playReply(ctx context.Context, r *reply) {
	if old := s.player.current(); old != nil && old != r {
		old.cancel()
		if !old.complete() {
			old.mu.Lock()
			old.cut = true
			old.mu.Unlock()
			_ = s.player.stop(ctx)
			s.agentTurnDone(old, true)
		}
	}
	s.player.play(r)
	r.release()
}

// startReply asks the agent to answer heard (or the keys pressed). A held
// reply runs without playing, and its tools with side effects wait for the
// release.
func (s *session) startReply(ctx context.Context, heard Transcript, dtmf string, held bool) *reply {
	r := newReply(ctx, s.nextGen(), held)
	r.heldText = strings.TrimSpace(heard.Text)
	r.t.started = s.now()
	history := append([]Message(nil), s.history...)
	// The agent reads the caller's words masked; heldText stays as heard,
	// so a speculative reply still matches the final transcript.
	if masked := s.cfg.Redact(heard.Text); masked != heard.Text {
		heard.Text, heard.Words = masked, nil
	}
	if text := strings.TrimSpace(heard.Text); r.heldText != "" && !endsWithCaller(history, text) {
		history = append(history, Message{Role: RoleCaller, Text: text})
	}
	dtmf = s.cfg.Redact(dtmf)
	events := s.agent.Respond(r.ctx, AgentInput{History: history, Heard: heard, DTMF: dtmf, Now: s.now(), Tools: &replyTools{s: s, r: r}})
	go func() {
		s.produce(r, events)
		s.post(ctx, replyOver{r: r})
	}()
	return r
}

// resumeInterrupted plays again what a false interruption cut (the clauses
// it had not heard), without asking the agent again.
func (s *session) resumeInterrupted(ctx context.Context) {
	old := s.interrupted
	s.interrupted = nil
	if old == nil {
		return
	}
	rest := old.unheard()
	if len(rest) == 0 {
		if old.heard() == "" {
			s.reask(ctx, old)
		}
		return
	}
	s.count("resumed")
	s.speak(ctx, rest, old.action)
}

// endsWithCaller: the conversation's last message is the caller saying
// text (a turn answered again is not repeated).
func endsWithCaller(history []Message, text string) bool {
	n := len(history)
	return n > 0 && history[n-1].Role == RoleCaller && history[n-1].Text == text
}

// reask answers again a caller turn whose reply a false interruption cut
// before the caller heard a word of it and before it had anything to
// resume from: without it the caller's turn would go unanswered.
func (s *session) reask(ctx context.Context, old *reply) {
	old.mu.Lock()
	text, turnNo, finalAt, lastVoiced, sttMS := old.callerText, old.turn, old.finalAt, old.lastVoiced, old.sttMS
	old.mu.Unlock()
	if text == "" {
		return
	}
	s.count("reasked")
	heard := Transcript{Text: text, Final: true, Confidence: 1}
	r := s.startReply(ctx, heard, "", false)
	r.mu.Lock()
	r.finalAt, r.lastVoiced, r.turn, r.callerText, r.sttMS = finalAt, lastVoiced, turnNo, text, sttMS
	r.mu.Unlock()
	s.playReply(ctx, r)
}

// onMark: Twilio has played a clause to its end.
func (s *session) onMark(ctx context.Context, name string) {
	r, idx, ok := s.player.marked(name)
	if !ok {
		return
	}
	r.markPlayed(idx)
	s.maybeFinished(ctx, r)
}

// maybeFinished ends a reply that has been heard to its end.
func (s *session) maybeFinished(ctx context.Context, r *reply) {
	if s.player.current() != r || !r.complete() {
		s.logger.Debug("reply not finished", "call_sid", s.call.CallSID, "gen", r.gen, "current", s.player.current() == r, "clauses", r.clauseCount())
		return
	}
	s.logger.Debug("reply finished", "call_sid", s.call.CallSID, "gen", r.gen)
	s.player.play(nil)
	s.agentTurnDone(r, false)
	switch {
	case r.action == ActionEndCall:
		s.ending = contract.StreamEndCall
	case r.action == ActionTransfer:
		s.ending = contract.StreamTransfer
	case r.err != nil:
		s.failures++
		if s.failures >= s.cfg.TransferAfterFailures {
			s.transferAfterFailures(ctx)
		}
	default:
		s.failures = 0
	}
}

// speak plays fixed text as a reply of its own, without the agent (a
// re-prompt, a hand-over line, what a false interruption cut), ending with
// action.
func (s *session) speak(ctx context.Context, texts []string, action string) {
	r := newReply(ctx, s.nextGen(), false)
	r.t.started = s.now()
	go func() {
		events := make(chan AgentEvent, len(texts)+1)
		for _, t := range texts {
			events <- AgentEvent{Text: t + " "}
		}
		events <- AgentEvent{Done: true, Action: action}
		close(events)
		s.produce(r, events)
		s.post(ctx, replyOver{r: r})
	}()
	s.playReply(ctx, r)
}

// sayLine speaks one fixed line.
func (s *session) sayLine(ctx context.Context, line string) { s.speak(ctx, []string{line}, ActionNone) }

// transferAfterFailures hands the call to staff when the agent keeps
// failing: better a person than a caller stuck with a broken machine.
func (s *session) transferAfterFailures(ctx context.Context) {
	s.count("transfer_after_failures")
	s.speak(ctx, []string{"Let me put you through to a member of our team."}, ActionTransfer)
}

// agentTurnDone records what the caller heard of a reply as the agent's
// turn, and adds it to the conversation.
func (s *session) agentTurnDone(r *reply, interrupted bool) {
	heard := r.heard()
	r.mu.Lock()
	messages, t, finalAt, lastVoiced := r.messages, r.t, r.finalAt, r.lastVoiced
	r.mu.Unlock()
	s.history = append(s.history, messages...)
	if heard == "" {
		return
	}
	s.history = append(s.history, Message{Role: RoleAgent, Text: heard})
	timings := &contract.TurnTimings{Interrupted: interrupted, Speculative: t.speculative}
	if !t.firstToken.IsZero() {
		timings.LLMFirstTokenMS = ms(t.firstToken.Sub(t.started))
	}
	if !t.ttsFirstByte.IsZero() {
		timings.TTSFirstByteMS = ms(t.ttsFirstByte.Sub(t.ttsStart))
	}
	if !finalAt.IsZero() && !t.firstFrame.IsZero() {
		timings.TTFBMS = ms(t.firstFrame.Sub(finalAt))
		timings.ResponseMS = ms(t.firstFrame.Sub(lastVoiced))
	}
	timings.ToolMS, timings.Tools = t.toolTimings()
	s.turns.add(contract.SpeakerAgent, contract.TurnRequest{Speaker: contract.SpeakerAgent, Text: heard, AtMS: s.streamMS(s.now())}, timings)
}

// framePlayed is called by the player after each media frame it sent.
func (s *session) framePlayed(r *reply, c *clause) {
	now := s.now()
	r.mu.Lock()
	first := r.t.firstFrame.IsZero()
	if first {
		r.t.firstFrame = now
	}
	firstAnswer := !c.filler && r.t.firstAnswerFrame.IsZero()
	if firstAnswer {
		r.t.firstAnswerFrame = now
	}
	t, final, lastVoiced, turnNo, callerText, sttMS := r.t, r.finalAt, r.lastVoiced, r.turn, r.callerText, r.sttMS
	r.mu.Unlock()
	if final.IsZero() || !(first || firstAnswer) {
		return
	}
	m := s.cfg.Metrics
	if first {
		m.observeStage("ttfb", ms(now.Sub(final)))
		m.observeStage("response", ms(now.Sub(lastVoiced)))
		if !t.firstToken.IsZero() {
			m.observeStage("llm_first_token", ms(t.firstToken.Sub(t.started)))
		}
		if !t.ttsFirstByte.IsZero() {
			m.observeStage("tts_first_byte", ms(t.ttsFirstByte.Sub(t.ttsStart)))
		}
	}
	if firstAnswer {
		m.observeStage("ttfb_no_filler", ms(now.Sub(final)))
		if s.cfg.OnTurn != nil {
			rep := TurnReport{CallSID: s.call.CallSID, Turn: turnNo, Caller: callerText, Answer: c.text,
				TTFBNoFillerMS: ms(now.Sub(final)), ToolCalled: len(t.tools) > 0 || firstFillerOf(r),
				Times: TurnTimes{LastVoiced: lastVoiced, Final: final, AgentStart: t.started, FirstToken: t.firstToken, FirstClause: t.firstClause,
					TTSStart: t.ttsStart, TTSFirstByte: t.ttsFirstByte, FirstFrame: t.firstFrame, FirstAnswerFrame: now}}
			rep.Timings = contract.TurnTimings{TTFBMS: ms(t.firstFrame.Sub(final)), ResponseMS: ms(t.firstFrame.Sub(lastVoiced)),
				STTMS: sttMS, Speculative: t.speculative}
			if !t.firstToken.IsZero() {
				rep.Timings.LLMFirstTokenMS = ms(t.firstToken.Sub(t.started))
			}
			if !t.ttsFirstByte.IsZero() {
				rep.Timings.TTSFirstByteMS = ms(t.ttsFirstByte.Sub(t.ttsStart))
			}
			rep.Timings.ToolMS, rep.Timings.Tools = t.toolTimings()
			s.cfg.OnTurn(rep)
		}
	}
}

func firstFillerOf(r *reply) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.clauses) > 0 && r.clauses[0].filler
}

// onDTMF takes a key press: it interrupts the agent at once, and '#'
// ends the turn.
func (s *session) onDTMF(ctx context.Context, digit string) (turnOver bool) {
	if len(s.dtmf) < 32 {
		s.dtmf = append(s.dtmf, digit...)
	}
	if r := s.player.current(); r != nil && s.player.audible() {
		_ = s.player.pause(ctx)
		r.mu.Lock()
		r.cut = true
		r.mu.Unlock()
		r.cancel()
		_ = s.player.stop(ctx)
		s.agentTurnDone(r, true)
	}
	return digit == "#"
}

// dtmfTurn answers the keys pressed as a caller turn.
func (s *session) dtmfTurn(ctx context.Context) {
	digits := strings.TrimSuffix(string(s.dtmf), "#")
	s.dtmf = s.dtmf[:0]
	if digits == "" {
		return
	}
	final := s.now()
	s.callerTurns++
	s.turns.add(contract.SpeakerCaller, contract.TurnRequest{Speaker: contract.SpeakerCaller, Text: "(keys " + digits + ")", AtMS: s.streamMS(final)}, nil)
	r := s.startReply(ctx, Transcript{}, digits, false)
	r.mu.Lock()
	r.finalAt, r.lastVoiced, r.turn = final, final, s.callerTurns
	r.mu.Unlock()
	s.history = append(s.history, Message{Role: RoleCaller, Text: "(pressed " + s.cfg.Redact(digits) + ")"})
	s.playReply(ctx, r)
}

// dropUtterance forgets the caller's current audio (a blip that was no
// turn).
func (s *session) dropUtterance() {
	if s.utt.sttCancel != nil {
		s.utt.sttCancel()
	}
	s.stt.Commit()
	s.feeding = false
	s.utt = utterance{version: s.utt.version + 1}
}

// finish ends the stream: the reply being spoken is cut where the caller
// last heard it, the turns still queued reach the workflow, the workflow
// learns the stream ended (and why), and the socket closes.
func (s *session) finish(ctx context.Context, reason string) {
	bg := context.WithoutCancel(ctx)
	if reason == contract.StreamEndCall || reason == contract.StreamTransfer {
		// The goodbye has been heard (its mark came back).
	} else if r := s.player.current(); r != nil && !r.complete() {
		r.mu.Lock()
		r.cut = true
		r.mu.Unlock()
		s.agentTurnDone(r, true)
	}
	if s.spec != nil {
		s.spec.cancel()
	}
	if r := s.player.current(); r != nil {
		r.cancel()
	}
	s.turns.close(bg, 5*time.Second)
	s.endStream(bg, reason)
	_ = s.stt.Close()
	normal := reason == contract.StreamEndCall || reason == contract.StreamTransfer || reason == contract.StreamStop
	_ = s.conn.Close(normal, reason)
	s.count("ended_" + reason)
}

func (s *session) endStream(ctx context.Context, reason string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	turns := 0
	if s.turns != nil {
		turns = s.turns.sent()
	}
	_, err := s.cfg.Calls.MediaStream(ctx, s.call.CallSID, "stream-"+s.call.StreamSID+"-ended",
		contract.MediaStreamEvent{Event: contract.StreamEnded, Reason: reason, Turns: turns})
	if err != nil && !errors.Is(err, starter.ErrCallEnded) {
		s.logger.Warn("telling the call its stream ended failed", "call_sid", s.call.CallSID, "error", err)
	}
}

func randomID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *session) nextGen() int {
	s.gen++
	return s.gen
}

// streamMS is milliseconds since the stream started (the turn's at_ms).
func (s *session) streamMS(t time.Time) int64 {
	if s.vad == nil {
		return 0
	}
	return max(0, t.Sub(s.startedAt()).Milliseconds())
}

func (s *session) startedAt() time.Time {
	if s.turns != nil {
		return s.turns.start
	}
	return s.now()
}

func (s *session) count(event string) { s.cfg.Metrics.countEvent(event) }

func (s *session) countMalformed(err error) {
	s.malformed++
	s.cfg.Metrics.countMalformed(media.Reason(err))
}

func (s *session) countTTSFailure(err error) {
	if !errors.Is(err, context.Canceled) {
		s.cfg.Metrics.countFailure("tts")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// errorKind names an error's kind for a log line without its text, which
// may quote a provider's answer.
func errorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	}
	return fmt.Sprintf("%T", err)
}
