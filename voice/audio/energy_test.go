package audio

import (
	"math"
	"testing"
	"time"
)

func TestLevels(t *testing.T) {
	square := make([]int16, 160)
	for i := range square {
		square[i] = 32767
		if i%2 == 1 {
			square[i] = -32768
		}
	}
	tests := []struct {
		name string
		pcm  []int16
		want float64
	}{
		{"full-scale square", square, 0},
		{"full-scale sine", Tone(8000, 1000, time.Second, -3.0103), -3.0103},
		{"-20 dBFS tone", Tone(8000, 440, time.Second, -20), -20},
		{"-40 dBFS white noise", WhiteNoise(1, 8000, time.Second, -40), -40},
		{"-40 dBFS pink noise", PinkNoise(1, 8000, time.Second, -40), -40},
		{"-30 dBFS speech", Speech(1, 8000, 2*time.Second, -30), -30},
		{"silence", Silence(8000, 20*time.Millisecond), MinDBFS},
		{"nothing", nil, MinDBFS},
	}
	for _, tt := range tests {
		if got := DBFS(tt.pcm); math.Abs(got-tt.want) > 0.05 {
			t.Errorf("%s: %.3f dBFS, want %.3f", tt.name, got, tt.want)
		}
	}
	if got := RMS([]int16{3, -4, 3, -4}); math.Abs(got-3.5355) > 1e-3 {
		t.Errorf("RMS = %v", got)
	}
	if got := AmplitudeFor(-20); math.Abs(got-3276.8) > 1e-6 {
		t.Errorf("AmplitudeFor(-20) = %v", got)
	}
}
