// Package turn owns turn-taking on a phone call: when the caller is
// speaking (an energy voice activity detector), when the caller's turn is
// over (an endpointer that reads the silence and the transcript so far),
// and when caller speech over the agent's audio is an interruption rather
// than an "mm-hm" (barge-in).
//
// Everything here is cheap and deterministic: the session feeds the VAD
// one 20 ms frame at a time and asks the policies pure questions of its
// output, so the same audio always takes the same turns.
//
// The package imports nothing of frontdesk.
package turn

import (
	"math"
	"time"
)

// Event is what a frame changed.
type Event int

const (
	None Event = iota
	// SpeechStart: the caller started speaking. Frame.StartedAt is the
	// start of the frames that triggered it, StartAfter earlier.
	SpeechStart
	// SpeechEnd: the caller has been silent for Hangover. Frame.LastVoicedAt
	// is when the speech really ended.
	SpeechEnd
)

func (e Event) String() string {
	switch e {
	case SpeechStart:
		return "speech_start"
	case SpeechEnd:
		return "speech_end"
	}
	return "none"
}

// VADConfig tunes the detector. DefaultVADConfig's values are tuned on
// generated speech and checked on held-out recordings (see eval_test.go).
type VADConfig struct {
	SampleRate int
	// StartMarginDB over the noise floor starts speech; StopMarginDB over
	// it keeps speech going. The gap between them is the hysteresis.
	StartMarginDB float64
	StopMarginDB  float64
	// MinStartDBFS: quieter frames never start speech, whatever the
	// floor (a line of digital silence has a floor of -100 dBFS);
	// MinStopDBFS: quieter frames never continue it.
	MinStartDBFS float64
	MinStopDBFS  float64
	// StartAfter is how long frames must stay over the start threshold.
	StartAfter time.Duration
	// Hangover is how long speech may stay under the stop threshold
	// before it has ended (pauses between words are shorter).
	Hangover time.Duration
	// FloorDown and FloorUp are the noise floor's time constants: it
	// follows a quieter line quickly (in or out of speech) and a louder
	// one slowly and only outside speech, so speech does not lift it.
	FloorDown time.Duration
	FloorUp   time.Duration
	// StationaryWindow and StationaryRangeDB catch steady noise that
	// started speech (a line that got noisy at once): speech always
	// ranges over more than StationaryRangeDB within StationaryWindow;
	// when "speech" does not, the floor jumps to it and the speech ends.
	// (Pink line noise ranges over up to 13 dB a second in 20 ms
	// frames; speech, generated or recorded, over 18 dB or more.)
	StationaryWindow  time.Duration
	StationaryRangeDB float64
	// InitialFloorMaxDBFS caps the floor taken from the first frame, so
	// a call whose first frame is already speech still hears it. (A line
	// noisier than this starts one false utterance, which the
	// stationarity check ends.)
	InitialFloorMaxDBFS float64
}

// DefaultVADConfig is for 8 kHz telephone audio in 20 ms frames.
func DefaultVADConfig() VADConfig {
	return VADConfig{
		SampleRate:          8000,
		StartMarginDB:       12,
		StopMarginDB:        6,
		MinStartDBFS:        -50,
		MinStopDBFS:         -56,
		StartAfter:          60 * time.Millisecond,
		Hangover:            300 * time.Millisecond,
		FloorDown:           100 * time.Millisecond,
		FloorUp:             2 * time.Second,
		StationaryWindow:    time.Second,
		StationaryRangeDB:   16,
		InitialFloorMaxDBFS: -40,
	}
}

// Frame is the VAD's reading of one frame. Times are stream time: the
// audio fed so far (the end of this frame is At).
type Frame struct {
	At        time.Duration
	LevelDBFS float64
	FloorDBFS float64
	// Voiced: this frame counts as speech (its level over the start
	// threshold outside speech; inside it, its level smoothed over three
	// frames over the stop threshold).
	Voiced bool
	// Speaking is the state after this frame.
	Speaking bool
	Event    Event
	// StartedAt is when the current (or last) utterance started.
	StartedAt time.Duration
	// LastVoicedAt is the end of the last voiced frame of the current
	// (or last) utterance.
	LastVoicedAt time.Duration
	// VoicedTime is the voiced audio in the current (or last) utterance:
	// what barge-in counts.
	VoicedTime time.Duration
	// Silence is the time since LastVoicedAt (zero before any speech),
	// through and past the hangover: what the endpointer reads.
	Silence time.Duration
}

// VAD is an energy voice activity detector with hysteresis and an
// adaptive noise floor. One per call; not safe for concurrent use.
type VAD struct {
	cfg VADConfig

	samples  int64 // fed so far
	floor    float64
	started  bool // floor initialised
	speaking bool
	runTime  time.Duration // consecutive audio over the start threshold
	recent   [3]float64    // the last levels, for the smoothed level
	recentI  int
	quiet    time.Duration // under the stop threshold, while speaking

	startedAt, lastVoiced, voiced time.Duration
	anySpeech                     bool

	// smoothed levels of the last StationaryWindow, a ring.
	ring  []float64
	ringN int
	ringI int
	inUtt time.Duration // time since SpeechStart
}

// NewVAD makes a detector. Zero fields of cfg take DefaultVADConfig's.
func NewVAD(cfg VADConfig) *VAD {
	d := DefaultVADConfig()
	if cfg.SampleRate <= 0 {
		cfg.SampleRate = d.SampleRate
	}
	if cfg.StartMarginDB == 0 {
		cfg.StartMarginDB = d.StartMarginDB
	}
	if cfg.StopMarginDB == 0 {
		cfg.StopMarginDB = d.StopMarginDB
	}
	if cfg.MinStartDBFS == 0 {
		cfg.MinStartDBFS = d.MinStartDBFS
	}
	if cfg.MinStopDBFS == 0 {
		cfg.MinStopDBFS = cfg.MinStartDBFS - (cfg.StartMarginDB - cfg.StopMarginDB)
	}
	if cfg.StartAfter == 0 {
		cfg.StartAfter = d.StartAfter
	}
	if cfg.Hangover == 0 {
		cfg.Hangover = d.Hangover
	}
	if cfg.FloorDown == 0 {
		cfg.FloorDown = d.FloorDown
	}
	if cfg.FloorUp == 0 {
		cfg.FloorUp = d.FloorUp
	}
	if cfg.StationaryWindow == 0 {
		cfg.StationaryWindow = d.StationaryWindow
	}
	if cfg.StationaryRangeDB == 0 {
		cfg.StationaryRangeDB = d.StationaryRangeDB
	}
	if cfg.InitialFloorMaxDBFS == 0 {
		cfg.InitialFloorMaxDBFS = d.InitialFloorMaxDBFS
	}
	// The ring holds a window of 10 ms frames at least; sized once.
	return &VAD{cfg: cfg, ring: make([]float64, int(cfg.StationaryWindow/(10*time.Millisecond))+1)}
}

// Config is the configuration in use (defaults filled in).
func (v *VAD) Config() VADConfig { return v.cfg }

// Process reads one frame of PCM (normally 20 ms) and returns its state.
func (v *VAD) Process(pcm []int16) Frame {
	var ss int64
	for _, s := range pcm {
		ss += int64(s) * int64(s)
	}
	level := -100.0
	if len(pcm) > 0 && ss > 0 {
		level = max(-100, 10*math.Log10(float64(ss)/float64(len(pcm))/(32768.0*32768.0)))
	}
	return v.ProcessLevel(level, time.Duration(len(pcm))*time.Second/time.Duration(v.cfg.SampleRate))
}

// ProcessLevel is Process for a frame already measured: its level in
// dBFS and its duration.
func (v *VAD) ProcessLevel(level float64, dur time.Duration) Frame {
	c := &v.cfg
	v.samples += int64(dur) * int64(c.SampleRate) / int64(time.Second)
	at := time.Duration(v.samples) * time.Second / time.Duration(c.SampleRate)
	if !v.started {
		// The first frame is normally the line before anyone speaks
		// (the agent greets first); if it is speech, the cap lets the
		// speech through.
		v.floor = min(level, c.InitialFloorMaxDBFS)
		v.recent = [3]float64{level, level, level}
		v.started = true
	}
	// smooth is the mean of the last three levels in dB: line noise
	// flickers ±5 dB from frame to frame, and a single loud frame must
	// not keep speech alive, nor a single quiet one end it.
	v.recent[v.recentI] = level
	v.recentI = (v.recentI + 1) % len(v.recent)
	smooth := (v.recent[0] + v.recent[1] + v.recent[2]) / 3
	v.push(smooth, dur)

	f := Frame{At: at, LevelDBFS: level}
	startThr := max(v.floor+c.StartMarginDB, c.MinStartDBFS)
	stopThr := v.stopThreshold()

	// Follow a quieter line quickly, in or out of speech.
	if smooth < v.floor {
		v.floor += (smooth - v.floor) * alpha(dur, c.FloorDown)
	}

	if !v.speaking {
		if level >= startThr {
			v.runTime += dur
			f.Voiced = true
			if v.runTime >= c.StartAfter {
				v.speaking = true
				v.anySpeech = true
				v.startedAt = at - v.runTime
				v.voiced = v.runTime
				v.lastVoiced = at
				v.quiet = 0
				v.inUtt = v.runTime
				f.Event = SpeechStart
			}
		} else {
			v.runTime = 0
			if smooth > v.floor {
				v.floor += (smooth - v.floor) * alpha(dur, c.FloorUp)
			}
		}
	} else {
		v.inUtt += dur
		if v.inUtt >= c.StationaryWindow && v.ringN == len(v.ring) {
			if mean, lo, hi := v.ringStats(); hi-lo < c.StationaryRangeDB {
				// Steady noise, not speech: it is the new floor.
				v.floor = mean
				stopThr = v.stopThreshold()
			}
		}
		if smooth >= stopThr {
			f.Voiced = true
			v.voiced += dur
			v.quiet = 0
			if level >= stopThr {
				v.lastVoiced = at
			}
		} else {
			v.quiet += dur
			if v.quiet >= c.Hangover {
				v.speaking = false
				v.runTime = 0
				f.Event = SpeechEnd
			}
		}
	}

	f.FloorDBFS = v.floor
	f.Speaking = v.speaking
	f.StartedAt = v.startedAt
	f.LastVoicedAt = v.lastVoiced
	f.VoicedTime = v.voiced
	if v.anySpeech {
		f.Silence = at - v.lastVoiced
	}
	return f
}

func (v *VAD) stopThreshold() float64 {
	c := &v.cfg
	return max(v.floor+c.StopMarginDB, c.MinStopDBFS)
}

// push records a frame's level in the ring, one slot per 10 ms of audio.
func (v *VAD) push(level float64, dur time.Duration) {
	for n := max(1, int(dur/(10*time.Millisecond))); n > 0; n-- {
		v.ring[v.ringI] = level
		v.ringI = (v.ringI + 1) % len(v.ring)
		if v.ringN < len(v.ring) {
			v.ringN++
		}
	}
}

func (v *VAD) ringStats() (mean, lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, l := range v.ring[:v.ringN] {
		lo = min(lo, l)
		hi = max(hi, l)
		mean += l
	}
	return mean / float64(v.ringN), lo, hi
}

// alpha is the smoothing step for a frame of dur under time constant tau.
func alpha(dur, tau time.Duration) float64 {
	if tau <= 0 {
		return 1
	}
	return 1 - math.Exp(-float64(dur)/float64(tau))
}
