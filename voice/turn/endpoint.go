package turn

import "time"

// Endpointing decides when the caller's turn is over, from the silence
// since the caller's last voiced frame (Frame.Silence) and the transcript
// of the turn so far. The waits are fields, so the session (or a test)
// can change them; DefaultEndpointing's are tuned on generated speech and
// checked on held-out recordings (eval_test.go).
//
// The session is expected to:
//   - at SpeculateAfter of silence, start transcribing the turn, and, if
//     the transcript is Complete, start the agent's reply without playing
//     it; cancel both if the caller speaks again;
//   - at Wait(transcript) of silence (the transcript it has by then, ""
//     if the recogniser has not answered), end the turn and play.
type Endpointing struct {
	// SpeculateAfter is the pause after which the turn may be over: start
	// the work, not the reply.
	SpeculateAfter time.Duration
	// Complete is the wait after a finished-sounding transcript.
	Complete time.Duration
	// Unknown is the wait when the transcript says neither (or there is
	// none yet).
	Unknown time.Duration
	// Incomplete is the wait after a transcript that trails off: a
	// conjunction, a filler, digits being dictated.
	Incomplete time.Duration
}

// DefaultEndpointing: speculate at 200 ms; end a complete-sounding turn at
// 300 ms of silence, an unclear one at 700 ms, a trailing one at 1.2 s.
func DefaultEndpointing() Endpointing {
	return Endpointing{
		SpeculateAfter: 200 * time.Millisecond,
		Complete:       300 * time.Millisecond,
		Unknown:        700 * time.Millisecond,
		Incomplete:     1200 * time.Millisecond,
	}
}

// Wait is the silence after which a turn with this transcript is over.
func (e Endpointing) Wait(transcript string) time.Duration {
	switch Classify(transcript) {
	case Complete:
		return e.Complete
	case Incomplete:
		return e.Incomplete
	}
	return e.Unknown
}

// Speculate reports whether the pause is long enough to start work on a
// reply.
func (e Endpointing) Speculate(f Frame) bool {
	return f.Silence >= e.SpeculateAfter && f.LastVoicedAt > 0
}

// TurnOver reports whether the caller's turn is over at this frame.
func (e Endpointing) TurnOver(f Frame, transcript string) bool {
	return f.LastVoicedAt > 0 && !f.Voiced && f.Silence >= e.Wait(transcript)
}

// BargeIn decides when caller speech over the agent's audio interrupts
// it. A listener's "mm-hm", "yeah", a cough or a burst of line noise is
// shorter than MinVoiced of voiced audio; an interruption is longer.
//
// While the agent speaks, the caller's line carries the agent's own
// voice back (what the phone's echo canceller leaves), speech-like and
// too unsteady to be a noise floor. So barge-in reads a second VAD, run
// over the same frames with VADConfig: frames quieter than MinLevelDBFS
// are taken for echo, and a short hangover ends the caller's burst
// before the echo can stretch it.
type BargeIn struct {
	MinVoiced    time.Duration
	MinLevelDBFS float64
	Hangover     time.Duration
}

// DefaultBargeIn: 340 ms of voiced speech at -38 dBFS or louder, bursts
// split by 200 ms of quiet (see eval_test.go for how they were chosen).
func DefaultBargeIn() BargeIn {
	return BargeIn{MinVoiced: 340 * time.Millisecond, MinLevelDBFS: -38, Hangover: 200 * time.Millisecond}
}

// VADConfig is the configuration of the barge-in VAD, from the call's.
func (b BargeIn) VADConfig(base VADConfig) VADConfig {
	base.MinStartDBFS = max(base.MinStartDBFS, b.MinLevelDBFS)
	base.MinStopDBFS = max(base.MinStopDBFS, b.MinLevelDBFS-2)
	if b.Hangover > 0 {
		base.Hangover = b.Hangover
	}
	return base
}

// Interrupts reports whether, at this frame of the barge-in VAD, the
// caller is interrupting the agent. It is true from the frame that
// crosses MinVoiced until the speech ends: the session acts on the first.
// After the reply is cut, ClassifyInterruption of the transcript tells a
// false interruption (NoWords, Backchannel) from a real one.
func (b BargeIn) Interrupts(f Frame) bool {
	return f.Speaking && f.VoicedTime >= b.MinVoiced
}
