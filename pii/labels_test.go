package pii

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLabelledSetsAreConsistent checks every labelled set mechanically: each
// span's code-point offsets cut exactly its entity_value out of full_text,
// its type is one the detector knows, and spans do not overlap. A hand
// label that drifted by one character fails here, not in a figure.
func TestLabelledSetsAreConsistent(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "clinic_calls*.json"))
	require.NoError(t, err)
	cons, err := filepath.Glob(filepath.Join("testdata", "consensus", "clinic_calls*.json"))
	require.NoError(t, err)
	require.Len(t, cons, len(consensusSets), "the consensus sets of held-outs 41-51")
	files = append(files, cons...)
	require.NotEmpty(t, files)
	// The held-out sets must be among them (a renamed file would silently
	// drop out of the glob).
	for _, want := range []string{"clinic_calls.json", "clinic_calls_dev.json", "clinic_calls_heldout.json", "clinic_calls_heldout2.json", "clinic_calls_heldout3.json", "clinic_calls_heldout4.json", "clinic_calls_heldout5.json", "clinic_calls_heldout6.json", "clinic_calls_heldout7.json", "clinic_calls_heldout8.json", "clinic_calls_heldout9.json", "clinic_calls_heldout10.json", "clinic_calls_heldout11.json", "clinic_calls_heldout12.json", "clinic_calls_heldout13.json", "clinic_calls_heldout14.json", "clinic_calls_heldout15.json", "clinic_calls_heldout16.json", "clinic_calls_heldout17.json", "clinic_calls_heldout18.json", "clinic_calls_heldout19.json", "clinic_calls_heldout20.json", "clinic_calls_heldout21.json", "clinic_calls_heldout22.json", "clinic_calls_heldout23.json", "clinic_calls_heldout24.json", "clinic_calls_heldout25.json", "clinic_calls_heldout26.json", "clinic_calls_heldout27.json", "clinic_calls_heldout28.json", "clinic_calls_heldout29.json", "clinic_calls_heldout30.json", "clinic_calls_heldout31.json", "clinic_calls_heldout32.json", "clinic_calls_heldout33.json", "clinic_calls_heldout34.json", "clinic_calls_heldout35.json", "clinic_calls_heldout36.json", "clinic_calls_heldout37.json", "clinic_calls_heldout38.json", "clinic_calls_heldout39.json", "clinic_calls_heldout40.json", "clinic_calls_heldout41.json", "clinic_calls_heldout42.json", "clinic_calls_heldout43.json", "clinic_calls_heldout44.json", "clinic_calls_heldout45.json", "clinic_calls_heldout46.json", "clinic_calls_heldout47.json", "clinic_calls_heldout48.json", "clinic_calls_heldout49.json", "clinic_calls_heldout50.json", "clinic_calls_heldout51.json"} {
		require.Contains(t, files, filepath.Join("testdata", want))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			var samples []struct {
				Text  string `json:"full_text"`
				Spans []struct {
					Type  string `json:"entity_type"`
					Value string `json:"entity_value"`
					Start int    `json:"start_position"`
					End   int    `json:"end_position"`
				} `json:"spans"`
			}
			require.NoError(t, json.Unmarshal(raw, &samples))
			for i, s := range samples {
				runes := []rune(s.Text)
				prevEnd := -1
				for _, sp := range s.Spans {
					require.Contains(t, Types, sp.Type, "sample %d: unknown type", i)
					require.True(t, sp.Start >= 0 && sp.Start < sp.End && sp.End <= len(runes), "sample %d: bad offsets %d..%d in %q", i, sp.Start, sp.End, s.Text)
					require.Equal(t, sp.Value, string(runes[sp.Start:sp.End]), "sample %d: %q", i, s.Text)
					require.GreaterOrEqual(t, sp.Start, prevEnd, "sample %d: overlapping spans in %q", i, s.Text)
					prevEnd = sp.End
				}
			}
		})
	}
}
