package pii

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTaggerModelLoads(t *testing.T) {
	require.NotNil(t, builtinTagger, "the embedded tagger.model does not load")
	assert.Greater(t, len(builtinTagger.w), 1000, "the embedded model is suspiciously small")
}

func TestReadTaggerRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("nope"), []byte("PIITAG01"), []byte("PIITAG01\xff\xff\xff\xff"), append([]byte("PIITAG01\x02\x00\x00\x00"), make([]byte, 10)...)} {
		_, err := ReadTagger(bytes.NewReader(b))
		assert.ErrorIs(t, err, errBadModel, "%q", b)
	}
}

func TestTrainTaggerRefusesHeldOut(t *testing.T) {
	for _, name := range heldOutSets {
		_, err := TrainTagger([]string{filepath.Join("testdata", "clinic_calls_dev.json"), filepath.Join("testdata", name)}, 1, 1)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "held-out")
	}
}

// TestTrainTaggerLearnsContext trains on a tiny set where made-up words
// (no rule knows them) are conditions after "I've got a" and procedures
// after "booked for a", then checks that unseen made-up words in those
// contexts are tagged, that the model survives a write and read, and that
// an ordinary sentence stays clean.
func TestTrainTaggerLearnsContext(t *testing.T) {
	var set []sample
	add := func(prefix, word, typ string) {
		text := prefix + word + " since Monday"
		set = append(set, sample{Text: text, Spans: []goldSpan{{Type: typ, Start: len([]rune(prefix)), End: len([]rune(prefix + word))}}})
	}
	for _, w := range []string{"zorbitis", "quandrel", "flimmox", "vantrosy", "gribble", "plorkin", "snaffic", "drumple"} {
		add("I've got a ", w, TypeMedicalCondition)
		add("I'm booked for a ", w+"ery", TypeProcedure)
	}
	for _, s := range []string{"I've got a question about parking", "I'm booked for a meeting at nine", "I've got a car outside"} {
		set = append(set, sample{Text: s})
	}
	path := filepath.Join(t.TempDir(), "train.json")
	var raw []map[string]any
	for _, s := range set {
		spans := []map[string]any{}
		for _, g := range s.Spans {
			spans = append(spans, map[string]any{"entity_type": g.Type, "start_position": g.Start, "end_position": g.End})
		}
		raw = append(raw, map[string]any{"full_text": s.Text, "spans": spans})
	}
	b, err := json.Marshal(raw)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))

	tg, err := TrainTagger([]string{path}, 10, 7)
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = tg.WriteTo(&buf)
	require.NoError(t, err)
	tg, err = ReadTagger(&buf)
	require.NoError(t, err)

	d := NewDetector(Options{Tagger: tg})
	assert.Equal(t, "snorkitis", typesOf(d, "I've got a snorkitis since Monday")[TypeMedicalCondition]) // also a rule's -itis
	assert.Equal(t, "blorvex", typesOf(d, "I've got a blorvex since Monday")[TypeMedicalCondition])
	assert.Equal(t, "clomperery", typesOf(d, "I'm booked for a clomperery since Monday")[TypeProcedure])
	assert.Empty(t, spans(d, "I've got a question about parking"))
	assert.Empty(t, spans(NewDetector(Options{RulesOnly: true}), "I've got a blorvex since Monday"), "the rules alone do not know the word")
}
