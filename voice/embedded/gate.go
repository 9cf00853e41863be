package embedded

import "math"

// speechGate passes caller audio on to pocketsphinx only around speech.
//
// pocketsphinx learns its cepstral mean from each utterance its voice
// activity detector opens. Line noise alone opens one now and then (at
// the start of a call nearly always), and the mean it then learns is the
// noise's, which spoils the next real utterance: "could I see doctor
// Okafor" became "nine doctor Ben for". Keeping the stretches of silence
// away from pocketsphinx keeps its mean on speech.
//
// The gate opens when two 10 ms frames in a row run 10 dB above the noise
// floor (the quietest frame of the last 1.5 s) and above -45 dBFS,
// passing the 300 ms before the opening too so that soft onsets ("f",
// "th") are kept; it closes after 800 ms below.
type speechGate struct {
	levels []float64 // dBFS of the last gateFloorFrames frames
	next   int
	open   bool
	loud   int // frames above the threshold in a row, while closed
	quiet  int // frames below the threshold in a row, while open
	frame  []int16
	recent [][]int16 // the last gatePreFrames frames, while closed
}

const (
	gateFrame      = 80 // 10 ms at 8 kHz
	gatePreFrames  = 30
	gateHangFrames = 80
	gateOpenFrames = 2
	gateMargin     = 10.0
	gateMinLevel   = -45.0
	// The floor window starts as a fairly noisy line would be, so that
	// line noise in the first second of a call does not open the gate.
	gateFloorFrames = 150
	gateFloorStart  = -50.0
)

// write appends the audio to pass on to out.
func (g *speechGate) write(in []int16, out []int16) []int16 {
	if g.levels == nil {
		g.levels = make([]float64, gateFloorFrames)
		for i := range g.levels {
			g.levels[i] = gateFloorStart
		}
	}
	for len(in) > 0 {
		n := min(gateFrame-len(g.frame), len(in))
		g.frame = append(g.frame, in[:n]...)
		in = in[n:]
		if len(g.frame) < gateFrame {
			break
		}
		out = g.step(g.frame, out)
		g.frame = g.frame[:0]
	}
	return out
}

func (g *speechGate) step(f []int16, out []int16) []int16 {
	var sum float64
	for _, v := range f {
		sum += float64(v) * float64(v)
	}
	level := 10 * math.Log10(sum/float64(len(f))/(32768*32768)+1e-10) // dBFS, ≥ -100
	g.levels[g.next] = level
	g.next = (g.next + 1) % len(g.levels)
	floor := g.levels[0]
	for _, l := range g.levels {
		floor = math.Min(floor, l)
	}
	speech := level > math.Max(floor+gateMargin, gateMinLevel)
	if g.open {
		out = append(out, f...)
		if speech {
			g.quiet = 0
		} else if g.quiet++; g.quiet >= gateHangFrames {
			g.open, g.quiet = false, 0
		}
		return out
	}
	frame := append([]int16(nil), f...)
	if len(g.recent) == gatePreFrames {
		g.recent = append(g.recent[:0], g.recent[1:]...)
	}
	g.recent = append(g.recent, frame)
	if !speech {
		g.loud = 0
		return out
	}
	if g.loud++; g.loud >= gateOpenFrames {
		g.open, g.loud = true, 0
		for _, r := range g.recent {
			out = append(out, r...)
		}
		g.recent = g.recent[:0]
	}
	return out
}
