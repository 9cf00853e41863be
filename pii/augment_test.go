package pii

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestASRCopyMovesSpansWithTheText(t *testing.T) {
	s := sample{Text: "Hi, it's Anna. I'm on Ventolin, 2 puffs!", Spans: []goldSpan{
		{Type: "PERSON", Start: 9, End: 13},
		{Type: "MEDICATION", Start: 22, End: 30},
		{Type: "MEDICATION", Start: 32, End: 40}, // "2 puffs!" ends on dropped punctuation
	}}
	c, ok := asrCopy(s)
	require.True(t, ok)
	require.Equal(t, "hi its anna im on ventolin 2 puffs", c.Text)
	var got []string
	runes := []rune(c.Text)
	for _, g := range c.Spans {
		got = append(got, string(runes[g.Start:g.End]))
	}
	require.Equal(t, []string{"anna", "ventolin", "2 puffs"}, got)

	_, ok = asrCopy(sample{Text: "its my ventolin"})
	require.False(t, ok, "already speech-to-text style")

	c, ok = asrCopy(sample{Text: "Hi, Anna.", Spans: []goldSpan{{Type: "PERSON", Start: 4, End: 40}}})
	require.True(t, ok)
	require.Empty(t, c.Spans, "a span past the text is dropped, not a panic")
}
