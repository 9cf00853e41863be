package turn

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/audio"
)

// A held-out evaluation of the VAD, the endpointer and barge-in.
//
// The defaults in vad.go and endpoint.go were tuned on tuningSet only:
// generated speech with seeds 1-60 and flite's "slt" voice saying
// tuningPhrases, over noise drawn from seeds of its own. heldOutSet
// differs in everything the tuning could have fitted: generated speech
// with seeds from 1001, flite's "kal", "awb" and "rms" voices saying
// other phrases, espeak-ng as the agent's echo, other noise seeds. The
// test checks the held-out figures stay at or better than the bounds in
// heldOutBounds, set just below what was measured (the README reports the
// measured figures).

type phrase struct {
	parts  []string // spoken with a pause after each but the last
	pauses [2]int   // pause range, ms
}

var tuningPhrases = []phrase{
	{[]string{"I'd like to book a cleaning please."}, [2]int{}},
	{[]string{"Hi, um,", "I was hoping to get an appointment next week."}, [2]int{400, 900}},
	{[]string{"My date of birth is the", "fourth of March, nineteen eighty two."}, [2]int{400, 900}},
	{[]string{"Can I come in on Tuesday?"}, [2]int{}},
	{[]string{"Yes."}, [2]int{}},
	{[]string{"My number is oh seven seven", "double oh nine", "one two three."}, [2]int{400, 1000}},
	{[]string{"Tuesday at ten."}, [2]int{}},
	{[]string{"I need to cancel because", "I have to work that day."}, [2]int{400, 900}},
	{[]string{"No, that's fine, thank you."}, [2]int{}},
	{[]string{"Is there anything", "later in the afternoon?"}, [2]int{250, 500}},
	{[]string{"It's about my crown, it came off and", "I can't chew on that side."}, [2]int{400, 900}},
	{[]string{"Great, see you then."}, [2]int{}},
}

var heldOutPhrases = []phrase{
	{[]string{"Could I see Doctor Patel on Friday morning?"}, [2]int{}},
	{[]string{"It's for my son, and", "he's seven."}, [2]int{400, 900}},
	{[]string{"The best number is oh one six three two", "nine six oh", "double one."}, [2]int{400, 1000}},
	{[]string{"Okay."}, [2]int{}},
	{[]string{"I think", "the afternoon would be better."}, [2]int{250, 500}},
	{[]string{"Do you have anything on Thursday?"}, [2]int{}},
	{[]string{"Sorry, I meant", "Wednesday."}, [2]int{250, 500}},
	{[]string{"Half past two works for me."}, [2]int{}},
	{[]string{"I had a filling last month and", "it still hurts when I eat."}, [2]int{400, 900}},
	{[]string{"Right, so", "what do I need to bring?"}, [2]int{300, 700}},
	{[]string{"Eleven fifteen."}, [2]int{}},
	{[]string{"Um,", "yeah, that's perfect."}, [2]int{400, 900}},
	{[]string{"Can you tell me how much a check up costs?"}, [2]int{}},
	{[]string{"My postcode is", "S W one A", "one A A."}, [2]int{400, 900}},
}

type corpus struct {
	utterances []clip
	noise      []clip
	bargeIns   []clip
}

// tuningSet and heldOutSet build their corpora.
func tuningSet(t testing.TB) corpus {
	return buildCorpus(t, corpusSpec{
		seedBase: 1, generated: 60, voices: []string{"flite/slt"}, phrases: tuningPhrases,
		agentVoices:   []string{"generated"},
		interruptions: []string{"Sorry, can I stop you there?", "No, not Tuesday.", "Hold on a second."},
		backchannels:  []string{"uh huh", "yeah", "right"},
		noiseSeed:     11,
	})
}

func heldOutSet(t testing.TB) corpus {
	return buildCorpus(t, corpusSpec{
		seedBase: 1001, generated: 100, voices: []string{"flite/kal", "flite/awb", "flite/rms"}, phrases: heldOutPhrases,
		agentVoices:   []string{"espeak/en-gb", "espeak/en-us"},
		interruptions: []string{"Hang on, that's the wrong day.", "Actually, I need to change that.", "Wait, what was the time?"},
		backchannels:  []string{"uh huh", "yeah", "right"},
		noiseSeed:     99,
	})
}

type corpusSpec struct {
	seedBase      uint64
	generated     int
	voices        []string
	phrases       []phrase
	agentVoices   []string
	interruptions []string
	backchannels  []string
	noiseSeed     uint64
}

var agentLines = []string{
	"Thanks for calling the practice. How can I help you today?",
	"I have Tuesday at ten or Wednesday at half past two. Which would you prefer?",
}

func buildCorpus(t testing.TB, s corpusSpec) corpus {
	rng := rand.New(rand.NewPCG(s.noiseSeed, s.seedBase))
	var c corpus

	// Prefetch the recordings two at a time.
	var jobs [][2]string
	for _, v := range s.voices {
		for _, p := range s.phrases {
			for _, part := range p.parts {
				jobs = append(jobs, [2]string{v, part})
			}
		}
		for _, line := range append(slices.Clone(s.interruptions), s.backchannels...) {
			jobs = append(jobs, [2]string{v, line})
		}
	}
	for _, v := range s.agentVoices {
		if v != "generated" {
			for _, line := range agentLines {
				jobs = append(jobs, [2]string{v, line})
			}
		}
	}
	errs := make(chan error)
	for _, j := range jobs {
		go func() {
			_, err := render(j[0], j[1])
			errs <- err
		}()
	}
	for range jobs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	// Generated turns: one to three stretches of speech, the pauses
	// between them shorter than a turn's end.
	for i := 0; i < s.generated; i++ {
		seed := s.seedBase + uint64(i)
		n := 1 + rng.IntN(3)
		var segs []segment
		var pauses []time.Duration
		for j := 0; j < n; j++ {
			segs = append(segs, segment{pcm: audio.Speech(seed*10+uint64(j), rate, time.Duration(400+rng.IntN(2000))*time.Millisecond, -20)})
			if j > 0 {
				pauses = append(pauses, time.Duration(150+rng.IntN(350))*time.Millisecond)
			}
		}
		c.utterances = append(c.utterances, utterance(fmt.Sprintf("generated-%d", seed), rng, segs, pauses))
	}
	// Recorded turns.
	for _, v := range s.voices {
		for k, p := range s.phrases {
			var segs []segment
			var pauses []time.Duration
			for j, part := range p.parts {
				segs = append(segs, segment{pcm: tts(t, v, part), text: part})
				if j > 0 {
					pauses = append(pauses, time.Duration(p.pauses[0]+rng.IntN(p.pauses[1]-p.pauses[0]+1))*time.Millisecond)
				}
			}
			c.utterances = append(c.utterances, utterance(fmt.Sprintf("%s-%d", v, k), rng, segs, pauses))
		}
	}
	// Lines with nobody on them, up to -40 dBFS of noise.
	for kind := 0; kind < 4; kind++ {
		for _, level := range []float64{-65, -55, -45, -40} {
			c.noise = append(c.noise, noiseOnly(fmt.Sprintf("noise-%d-%v", kind, level), rng, kind, level))
		}
	}
	// Barge-ins: speech, backchannels and coughs over the agent's echo.
	agent := func(i int) []int16 {
		v := s.agentVoices[i%len(s.agentVoices)]
		if v == "generated" {
			return audio.Speech(s.seedBase*7+uint64(i), rate, 6*time.Second, -20)
		}
		return tts(t, v, agentLines[i%len(agentLines)])
	}
	level := func() float64 { return -30 + 14*rng.Float64() }
	for i := 0; i < 40; i++ {
		seed := s.seedBase + uint64(i)
		c.bargeIns = append(c.bargeIns,
			overAgent(fmt.Sprintf("generated-speech-%d", seed), "speech", rng, agent(i), audio.Speech(seed, rate, time.Duration(700+rng.IntN(1500))*time.Millisecond, -20), level()),
			overAgent(fmt.Sprintf("generated-backchannel-%d", seed), "backchannel", rng, agent(i), audio.Backchannel(seed, rate, -20), level()),
			overAgent(fmt.Sprintf("cough-%d", seed), "cough", rng, agent(i), audio.Cough(seed, rate, -20), level()+4))
	}
	for i, v := range s.voices {
		for j, line := range s.interruptions {
			c.bargeIns = append(c.bargeIns, overAgent(fmt.Sprintf("%s-interrupt-%d", v, j), "speech", rng, agent(i+j), tts(t, v, line), level()))
		}
		for j, line := range s.backchannels {
			c.bargeIns = append(c.bargeIns, overAgent(fmt.Sprintf("%s-%s", v, line), "backchannel", rng, agent(i+j), tts(t, v, line), level()))
		}
	}
	return c
}

// report is what the evaluation measures.
type report struct {
	utterances, detected        int
	onset                       []time.Duration // SpeechStart reported − true onset
	falseStartsInSpeechClips    int             // starts outside any speech (± 300 ms)
	endpoints, cutOff, noEnd    int
	endDelay                    []time.Duration // turn over − true end
	endDelayRecorded            []time.Duration // the same, recorded speech only (transcripts to read)
	blindCutOff                 int             // with one fixed wait, transcript unread
	blindDelay                  []time.Duration
	vadEnd                      []time.Duration // LastVoicedAt − true end
	noiseClips, noiseFalseStart int
	speech, speechInterrupts    int
	bargeDelay                  []time.Duration // interrupt − caller onset
	backchannels, bcInterrupts  int
	coughs, coughInterrupts     int
	failures                    []string
}

func evaluate(c corpus, vc VADConfig, ep Endpointing, bi BargeIn) report {
	var r report
	blind := ep
	blind.Complete, blind.Incomplete = ep.Unknown, ep.Unknown
	for _, cl := range c.utterances {
		r.utterances++
		fs := runVAD(NewVAD(vc), cl.pcm)
		onset, end := cl.spans[0][0], cl.spans[len(cl.spans)-1][1]
		inSpeech := func(at time.Duration) bool {
			for _, s := range cl.spans {
				if at >= s[0]-300*time.Millisecond && at <= s[1]+300*time.Millisecond {
					return true
				}
			}
			return false
		}
		detected := false
		for _, f := range fs {
			if f.Event != SpeechStart {
				continue
			}
			if !inSpeech(f.StartedAt) {
				r.falseStartsInSpeechClips++
				r.failures = append(r.failures, fmt.Sprintf("%s: false start at %v", cl.name, f.StartedAt))
			} else if !detected && f.StartedAt <= end {
				detected = true
				r.onset = append(r.onset, f.At-onset)
			}
		}
		if detected {
			r.detected++
		} else {
			r.failures = append(r.failures, cl.name+": speech missed")
		}
		// The transcript the session would have: the recogniser
		// transcribes all audio written so far, so the words of every
		// stretch of speech that has ended by this frame.
		heard := func(f Frame) string {
			var words []string
			for i, s := range cl.spans {
				if s[1] <= f.At {
					words = append(words, cl.texts[i])
				}
			}
			return strings.TrimSpace(strings.Join(words, " "))
		}
		turnEnd := func(e Endpointing) (time.Duration, Frame, bool) {
			for _, f := range fs {
				if f.At > onset && e.TurnOver(f, heard(f)) {
					return f.At, f, true
				}
			}
			return 0, Frame{}, false
		}
		if at, f, ok := turnEnd(ep); !ok {
			r.noEnd++
			r.failures = append(r.failures, cl.name+": turn never ended")
		} else if at < end {
			r.cutOff++
			r.failures = append(r.failures, fmt.Sprintf("%s: cut off at %v (speech to %v), heard %q", cl.name, at, end, heard(f)))
		} else {
			r.endpoints++
			r.endDelay = append(r.endDelay, at-end)
			if !strings.HasPrefix(cl.name, "generated") {
				r.endDelayRecorded = append(r.endDelayRecorded, at-end)
			}
			r.vadEnd = append(r.vadEnd, f.LastVoicedAt-end)
		}
		if at, _, ok := turnEnd(blind); ok {
			if at < end {
				r.blindCutOff++
			} else {
				r.blindDelay = append(r.blindDelay, at-end)
			}
		}
	}
	for _, cl := range c.noise {
		r.noiseClips++
		if n := len(events(runVAD(NewVAD(vc), cl.pcm), SpeechStart)); n > 0 {
			r.noiseFalseStart++
			r.failures = append(r.failures, fmt.Sprintf("%s: %d false starts", cl.name, n))
		}
	}
	for _, cl := range c.bargeIns {
		var at time.Duration
		for _, f := range runVAD(NewVAD(bi.VADConfig(vc)), cl.pcm) {
			if f.At > cl.spans[0][0] && bi.Interrupts(f) {
				at = f.At
				break
			}
		}
		switch cl.kind {
		case "speech":
			r.speech++
			if at > 0 {
				r.speechInterrupts++
				r.bargeDelay = append(r.bargeDelay, at-cl.spans[0][0])
			} else {
				r.failures = append(r.failures, cl.name+": interruption missed")
			}
		case "backchannel":
			r.backchannels++
			if at > 0 {
				r.bcInterrupts++
				r.failures = append(r.failures, cl.name+": backchannel interrupted")
			}
		case "cough":
			r.coughs++
			if at > 0 {
				r.coughInterrupts++
				r.failures = append(r.failures, cl.name+": cough interrupted")
			}
		}
	}
	return r
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func (r report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "utterances %d: detected %d, onset reported p50 %v p95 %v, false starts %d\n",
		r.utterances, r.detected, pct(r.onset, .5), pct(r.onset, .95), r.falseStartsInSpeechClips)
	fmt.Fprintf(&b, "turn end (transcript read): %d ended after the speech, %d cut the caller off, %d never ended; delay p50 %v p95 %v max %v\n",
		r.endpoints, r.cutOff, r.noEnd, pct(r.endDelay, .5), pct(r.endDelay, .95), pct(r.endDelay, 1))
	fmt.Fprintf(&b, "  recorded speech only: delay p50 %v p95 %v\n", pct(r.endDelayRecorded, .5), pct(r.endDelayRecorded, .95))
	fmt.Fprintf(&b, "turn end (one fixed wait, transcript unread): %d cut off; delay p50 %v p95 %v\n",
		r.blindCutOff, pct(r.blindDelay, .5), pct(r.blindDelay, .95))
	fmt.Fprintf(&b, "VAD last voiced frame − true end: p5 %v p50 %v p95 %v\n", pct(r.vadEnd, .05), pct(r.vadEnd, .5), pct(r.vadEnd, .95))
	fmt.Fprintf(&b, "noise-only lines: %d of %d started speech\n", r.noiseFalseStart, r.noiseClips)
	fmt.Fprintf(&b, "barge-in: %d of %d interruptions caught, delay p50 %v p95 %v; %d of %d backchannels and %d of %d coughs interrupted\n",
		r.speechInterrupts, r.speech, pct(r.bargeDelay, .5), pct(r.bargeDelay, .95), r.bcInterrupts, r.backchannels, r.coughInterrupts, r.coughs)
	return b.String()
}

// bounds a report must meet.
type bounds struct {
	minDetected, maxFalseStarts, maxCutOff, maxNoEnd int
	maxDelayP95, maxOnsetP95                         time.Duration
	maxNoiseFalseStarts                              int
	minInterrupts                                    int
	maxBargeP95                                      time.Duration
	maxBackchannelInterrupts, maxCoughInterrupts     int
}

func (r report) check(t *testing.T, b bounds) {
	t.Helper()
	fail := func(format string, args ...any) { t.Errorf(format, args...) }
	if r.detected < b.minDetected {
		fail("detected %d utterances, want at least %d", r.detected, b.minDetected)
	}
	if r.falseStartsInSpeechClips > b.maxFalseStarts {
		fail("%d false starts, want at most %d", r.falseStartsInSpeechClips, b.maxFalseStarts)
	}
	if r.cutOff > b.maxCutOff {
		fail("cut callers off %d times, want at most %d", r.cutOff, b.maxCutOff)
	}
	if r.cutOff >= r.blindCutOff {
		fail("reading the transcript cut callers off %d times, a fixed wait %d: it should help", r.cutOff, r.blindCutOff)
	}
	if r.noEnd > b.maxNoEnd {
		fail("%d turns never ended, want at most %d", r.noEnd, b.maxNoEnd)
	}
	if p := pct(r.endDelay, .95); p > b.maxDelayP95 {
		fail("turn-end delay p95 %v, want at most %v", p, b.maxDelayP95)
	}
	if p := pct(r.onset, .95); p > b.maxOnsetP95 {
		fail("onset p95 %v, want at most %v", p, b.maxOnsetP95)
	}
	if r.noiseFalseStart > b.maxNoiseFalseStarts {
		fail("%d noise-only lines started speech, want at most %d", r.noiseFalseStart, b.maxNoiseFalseStarts)
	}
	if r.speechInterrupts < b.minInterrupts {
		fail("caught %d interruptions, want at least %d", r.speechInterrupts, b.minInterrupts)
	}
	if p := pct(r.bargeDelay, .95); p > b.maxBargeP95 {
		fail("barge-in delay p95 %v, want at most %v", p, b.maxBargeP95)
	}
	if r.bcInterrupts > b.maxBackchannelInterrupts {
		fail("%d backchannels interrupted, want at most %d", r.bcInterrupts, b.maxBackchannelInterrupts)
	}
	if r.coughInterrupts > b.maxCoughInterrupts {
		fail("%d coughs interrupted, want at most %d", r.coughInterrupts, b.maxCoughInterrupts)
	}
	if t.Failed() {
		t.Logf("failures:\n  %s", strings.Join(r.failures, "\n  "))
	}
}

func TestEvaluationHeldOut(t *testing.T) {
	r := evaluate(heldOutSet(t), DefaultVADConfig(), DefaultEndpointing(), DefaultBargeIn())
	t.Logf("held-out set:\n%s", r)
	r.check(t, heldOutBounds)
}

func TestEvaluationTuningSet(t *testing.T) {
	r := evaluate(tuningSet(t), DefaultVADConfig(), DefaultEndpointing(), DefaultBargeIn())
	t.Logf("tuning set:\n%s", r)
	r.check(t, tuningBounds)
}

// Bounds a little looser than the figures measured (reported in the
// package's README text and below), so a regression fails and nothing
// else can: the corpora are seeded and nothing here is timed.
//
// Measured with the defaults (go test -v -run Evaluation ./voice/turn):
//
//	tuning set (72 turns, 43 interruptions, 43 backchannels, 40 coughs):
//	  detected 72/72, onset reported p95 104ms, 0 false starts;
//	  1 turn cut off (a generated one, no transcript); recorded turns
//	  end p50 296ms, p95 1.2s after the speech; 0/16 noise lines start;
//	  barge-in 43/43, p50 340ms p95 480ms; 2/43 backchannels, 0/40 coughs.
//	held-out set (142 turns, 49 interruptions, 49 backchannels, 40 coughs):
//	  detected 142/142, onset p95 94ms, 0 false starts;
//	  3 turns cut off (generated, no transcript), 0 of 42 recorded ones
//	  (15 with one fixed 700 ms wait that ignores the transcript);
//	  recorded turns end p50 298ms p95 1.2s; 0/16 noise lines start;
//	  barge-in 49/49, p50 380ms p95 520ms; 5/49 backchannels (flite
//	  says "uh huh", "yeah", "right" in 320-440 ms), 1/40 coughs.
var (
	heldOutBounds = bounds{
		minDetected: 140, maxFalseStarts: 1, maxCutOff: 5, maxNoEnd: 0,
		maxDelayP95: 900 * time.Millisecond, maxOnsetP95: 120 * time.Millisecond,
		maxNoiseFalseStarts: 0, minInterrupts: 48, maxBargeP95: 600 * time.Millisecond,
		maxBackchannelInterrupts: 7, maxCoughInterrupts: 3,
	}
	tuningBounds = bounds{
		minDetected: 71, maxFalseStarts: 1, maxCutOff: 2, maxNoEnd: 0,
		maxDelayP95: 900 * time.Millisecond, maxOnsetP95: 120 * time.Millisecond,
		maxNoiseFalseStarts: 0, minInterrupts: 42, maxBargeP95: 560 * time.Millisecond,
		maxBackchannelInterrupts: 3, maxCoughInterrupts: 2,
	}
)
