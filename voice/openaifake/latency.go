package openaifake

import (
	"math"
	"math/rand/v2"
	"time"
)

// Latency is a distribution of delays, sampled once per request.
type Latency interface {
	Sample(r *rand.Rand) time.Duration
}

// Fixed is a constant delay.
type Fixed time.Duration

func (f Fixed) Sample(*rand.Rand) time.Duration { return time.Duration(f) }

// LogNormal is a log-normal delay given its median and 99th percentile,
// the usual shape of a model server's time to first token: most requests
// near the median, a long tail.
type LogNormal struct {
	Median, P99 time.Duration
}

// z99 is the standard normal's 99th percentile.
const z99 = 2.3263478740408408

func (l LogNormal) Sample(r *rand.Rand) time.Duration {
	if l.Median <= 0 {
		return 0
	}
	sigma := 0.0
	if l.P99 > l.Median {
		sigma = math.Log(float64(l.P99)/float64(l.Median)) / z99
	}
	return time.Duration(float64(l.Median) * math.Exp(sigma*r.NormFloat64()))
}

func sample(l Latency, r *rand.Rand) time.Duration {
	if l == nil {
		return 0
	}
	return max(l.Sample(r), 0)
}
