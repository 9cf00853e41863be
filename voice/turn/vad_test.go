package turn

import (
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/audio"
)

const rate = 8000

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// phone passes audio through what a call does to it: μ-law both ways.
func phone(pcm []int16) []int16 {
	return audio.DecodeMulaw(nil, audio.EncodeMulaw(nil, pcm))
}

// runVAD feeds pcm frame by frame and returns every frame's reading.
func runVAD(v *VAD, pcm []int16) []Frame {
	var out []Frame
	for i := 0; i+160 <= len(pcm); i += 160 {
		out = append(out, v.Process(pcm[i:i+160]))
	}
	return out
}

func events(fs []Frame, e Event) []Frame {
	var out []Frame
	for _, f := range fs {
		if f.Event == e {
			out = append(out, f)
		}
	}
	return out
}

func TestVADSpeechAfterSilence(t *testing.T) {
	speech := audio.Speech(1, rate, 1500*time.Millisecond, -22)
	pcm := phone(audio.Concat(audio.PinkNoise(1, rate, time.Second, -60), speech, audio.PinkNoise(2, rate, time.Second, -60)))
	for i, s := range audio.PinkNoise(3, rate, 3500*time.Millisecond, -60) { // the line's noise under the speech too
		pcm[i] = int16(max(-32768, min(32767, int(pcm[i])+int(s))))
	}
	fs := runVAD(NewVAD(VADConfig{}), pcm)
	starts, ends := events(fs, SpeechStart), events(fs, SpeechEnd)
	if len(starts) != 1 || len(ends) != 1 {
		t.Fatalf("%d starts, %d ends, want 1 and 1", len(starts), len(ends))
	}
	s, e := starts[0], ends[0]
	if s.At < ms(1000) || s.At > ms(1140) {
		t.Errorf("speech started being reported at %v, want 1000-1140ms (onset at 1000ms)", s.At)
	}
	if s.StartedAt < ms(960) || s.StartedAt > ms(1060) {
		t.Errorf("StartedAt %v, want about 1000ms", s.StartedAt)
	}
	if e.LastVoicedAt < ms(2400) || e.LastVoicedAt > ms(2540) {
		t.Errorf("LastVoicedAt %v, want about 2500ms", e.LastVoicedAt)
	}
	// The hangover counts from when the smoothed level falls (up to two
	// frames after the last voiced one).
	if got := e.At - e.LastVoicedAt; got < ms(300) || got > ms(340) {
		t.Errorf("SpeechEnd %v after the last voiced frame, want the 300ms hangover", got)
	}
	if e.VoicedTime < ms(700) || e.VoicedTime > ms(1540) {
		t.Errorf("VoicedTime %v for 1.5 s of speech", e.VoicedTime)
	}
	last := fs[len(fs)-1]
	if last.Speaking || last.Silence != last.At-e.LastVoicedAt {
		t.Errorf("after speech: speaking %v, silence %v", last.Speaking, last.Silence)
	}
	if fs[0].Silence != 0 {
		t.Errorf("Silence before any speech = %v, want 0", fs[0].Silence)
	}
}

// Steady noise is the floor, not speech: white, pink and mains hum at
// -40 dBFS for ten seconds start nothing.
func TestVADSteadyNoiseIsNotSpeech(t *testing.T) {
	for name, noise := range map[string][]int16{
		"white": audio.WhiteNoise(1, rate, 10*time.Second, -40),
		"pink":  audio.PinkNoise(1, rate, 10*time.Second, -40),
		"hum":   audio.Hum(rate, 50, 10*time.Second, -40),
	} {
		fs := runVAD(NewVAD(VADConfig{}), phone(noise))
		if n := len(events(fs, SpeechStart)); n != 0 {
			t.Errorf("%s noise at -40 dBFS: %d speech starts", name, n)
		}
	}
}

// A line that is very noisy from the start (-30 dBFS, over the initial
// floor's cap) may start one false utterance, which ends within the
// stationary window.
func TestVADVeryNoisyLine(t *testing.T) {
	fs := runVAD(NewVAD(VADConfig{}), phone(audio.PinkNoise(2, rate, 10*time.Second, -30)))
	starts, ends := events(fs, SpeechStart), events(fs, SpeechEnd)
	if len(starts) > 1 || len(ends) != len(starts) || len(ends) == 1 && ends[0].At > ms(2500) {
		t.Fatalf("starts %d, ends %+v", len(starts), ends)
	}
}

// A line that turns noisy at once (-65 to -40 dBFS) may start one false
// utterance, which ends by itself within the stationary window.
func TestVADNoiseStep(t *testing.T) {
	pcm := phone(audio.Concat(audio.PinkNoise(1, rate, 2*time.Second, -65), audio.PinkNoise(2, rate, 8*time.Second, -40)))
	fs := runVAD(NewVAD(VADConfig{}), pcm)
	starts, ends := events(fs, SpeechStart), events(fs, SpeechEnd)
	if len(starts) > 1 || len(ends) != len(starts) {
		t.Fatalf("%d starts, %d ends", len(starts), len(ends))
	}
	if len(ends) == 1 && ends[0].At > ms(2000+1600) {
		t.Errorf("the noise was speech until %v", ends[0].At)
	}
	// Speech over the new noise is found again.
	v := NewVAD(VADConfig{})
	runVAD(v, pcm)
	speech := audio.Speech(4, rate, time.Second, -20)
	audio.Mix(speech, audio.PinkNoise(3, rate, time.Second, -40))
	if n := len(events(runVAD(v, phone(speech)), SpeechStart)); n != 1 {
		t.Errorf("speech over the new noise: %d starts", n)
	}
}

// A call can start with the caller already talking.
func TestVADSpeechFromTheFirstFrame(t *testing.T) {
	fs := runVAD(NewVAD(VADConfig{}), phone(audio.Concat(audio.Speech(2, rate, time.Second, -20), audio.Silence(rate, time.Second))))
	if starts := events(fs, SpeechStart); len(starts) != 1 || starts[0].At > ms(200) {
		t.Fatalf("speech from the first frame: starts %+v", starts)
	}
}

// Short pauses between words do not end speech; a pause longer than the
// hangover does.
func TestVADHangover(t *testing.T) {
	word := func(seed uint64) []int16 { return audio.Speech(seed, rate, 400*time.Millisecond, -20) }
	pcm := phone(audio.Concat(audio.Silence(rate, ms(500)), word(1), audio.Silence(rate, ms(200)), word(2),
		audio.Silence(rate, ms(600)), word(3), audio.Silence(rate, time.Second)))
	fs := runVAD(NewVAD(VADConfig{}), pcm)
	if n := len(events(fs, SpeechStart)); n != 2 {
		t.Fatalf("%d utterances, want 2 (a 200 ms pause joins, a 600 ms one splits)", n)
	}
}

// Quiet is not speech: a -55 dBFS murmur over digital silence stays
// under MinStartDBFS.
func TestVADAbsoluteMinimum(t *testing.T) {
	pcm := phone(audio.Concat(audio.Silence(rate, time.Second), audio.Speech(1, rate, time.Second, -58), audio.Silence(rate, time.Second)))
	if n := len(events(runVAD(NewVAD(VADConfig{}), pcm), SpeechStart)); n != 0 {
		t.Fatalf("a -58 dBFS murmur started speech %d times", n)
	}
}

func TestVADVoicedTimeForBargeIn(t *testing.T) {
	b := DefaultBargeIn()
	speech := phone(audio.Concat(audio.Silence(rate, ms(500)), audio.Speech(9, rate, time.Second, -20), audio.Silence(rate, ms(500))))
	var at time.Duration
	for _, f := range runVAD(NewVAD(b.VADConfig(DefaultVADConfig())), speech) {
		if b.Interrupts(f) {
			at = f.At
			break
		}
	}
	if at == 0 || at < ms(500)+b.MinVoiced || at > ms(500)+b.MinVoiced+ms(300) {
		t.Fatalf("barge-in at %v for speech from 500ms", at)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		mm := phone(audio.Concat(audio.Silence(rate, ms(500)), audio.Backchannel(seed, rate, -18), audio.Silence(rate, ms(500))))
		for _, f := range runVAD(NewVAD(b.VADConfig(DefaultVADConfig())), mm) {
			if b.Interrupts(f) {
				t.Fatalf("backchannel %d interrupted (voiced %v)", seed, f.VoicedTime)
			}
		}
	}
}

func TestVADFrameLengths(t *testing.T) {
	// Frames of 10 ms or 30 ms work too: time is the audio fed.
	pcm := phone(audio.Concat(audio.Silence(rate, ms(600)), audio.Speech(1, rate, time.Second, -20), audio.Silence(rate, time.Second)))
	for _, n := range []int{80, 240} {
		v := NewVAD(VADConfig{})
		var starts int
		var last Frame
		for i := 0; i+n <= len(pcm); i += n {
			last = v.Process(pcm[i : i+n])
			if last.Event == SpeechStart {
				starts++
			}
		}
		if starts != 1 || last.At != time.Duration(len(pcm)/n*n)*time.Second/rate {
			t.Errorf("%d-sample frames: %d starts, at %v", n, starts, last.At)
		}
	}
}

func TestVADAllocatesNothing(t *testing.T) {
	v := NewVAD(VADConfig{})
	frame := audio.Speech(1, rate, ms(20), -20)
	if n := testing.AllocsPerRun(200, func() { v.Process(frame) }); n != 0 {
		t.Fatalf("%v allocations per frame", n)
	}
}
