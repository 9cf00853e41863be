package audio

import "math"

// FullScale is the reference of dBFS here: a square wave at ±32768 is
// 0 dBFS, a full-scale sine about -3 dBFS.
const FullScale = 32768

// MinDBFS is the level reported for digital silence, instead of -Inf.
const MinDBFS = -100

// RMS is the root mean square of samples, in sample units (0 for none).
func RMS(pcm []int16) float64 {
	if len(pcm) == 0 {
		return 0
	}
	return math.Sqrt(float64(sumSquares(pcm)) / float64(len(pcm)))
}

// DBFS is the RMS level of samples in dB relative to FullScale, at least
// MinDBFS.
func DBFS(pcm []int16) float64 {
	if len(pcm) == 0 {
		return MinDBFS
	}
	return PowerDBFS(float64(sumSquares(pcm)) / float64(len(pcm)))
}

// PowerDBFS converts a mean square (in sample units squared) to dBFS, at
// least MinDBFS.
func PowerDBFS(meanSquare float64) float64 {
	if meanSquare <= 0 {
		return MinDBFS
	}
	return max(MinDBFS, 10*math.Log10(meanSquare/(FullScale*FullScale)))
}

// AmplitudeFor is the RMS, in sample units, of a signal at dbfs.
func AmplitudeFor(dbfs float64) float64 {
	return FullScale * math.Pow(10, dbfs/20)
}

func sumSquares(pcm []int16) int64 {
	// 160 samples of at most 2^30 each fit an int64 many times over.
	var s0, s1 int64
	i := 0
	for ; i+2 <= len(pcm); i += 2 {
		a, b := int64(pcm[i]), int64(pcm[i+1])
		s0 += a * a
		s1 += b * b
	}
	if i < len(pcm) {
		a := int64(pcm[i])
		s0 += a * a
	}
	return s0 + s1
}
