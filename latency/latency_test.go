package latency

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	require.Equal(t, Summary{P50: 50, P95: 95, P99: 99, Max: 100}, Summarize(ds))
	require.Equal(t, time.Duration(100)*time.Millisecond, ds[0], "input left unsorted")
	require.Equal(t, Summary{}, Summarize(nil))
	require.Equal(t, Summary{P50: 0.25, P95: 0.25, P99: 0.25, Max: 0.25}, Summarize([]time.Duration{250 * time.Microsecond}))
}
