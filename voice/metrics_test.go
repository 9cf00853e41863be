package voice

import (
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// MetricNames lists exactly the families NewMetrics registers, and no
// label carries anything but a fixed word.
func TestMetricNamesMatchTheRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.observeStage("ttfb", 250)
	m.observeBargeIn(40 * time.Millisecond)
	m.countEvent("barge_in")
	m.countMalformed("bad_base64")
	m.countFailure("tts")
	m.streamOpened()
	families, err := reg.Gather()
	require.NoError(t, err)
	var got []string
	for _, f := range families {
		got = append(got, f.GetName())
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				require.Regexp(t, `^[a-z0-9_]+$`, l.GetValue(), "%s{%s}", f.GetName(), l.GetName())
			}
		}
	}
	want := MetricNames()
	slices.Sort(got)
	slices.Sort(want)
	require.Equal(t, want, got)
	var nilMetrics *Metrics
	nilMetrics.observeStage("ttfb", 1) // a nil *Metrics records nothing, and does not panic
}
