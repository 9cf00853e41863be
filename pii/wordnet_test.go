package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWordNetClasses(t *testing.T) {
	assert.NotZero(t, wordnetClass("urticaria")&wnCondition)
	assert.NotZero(t, wordnetClass("migraines")&wnCondition, "through the singular")
	assert.NotZero(t, wordnetClass("ibuprofen")&wnMedication)
	assert.NotZero(t, wordnetClass("colonoscopy")&wnProcedure)
	assert.NotZero(t, wordnetClass("vaccine")&wnProcedure, "vaccines are booked as procedures")
	assert.Zero(t, wordnetClass("wine"), "drugs of abuse are left out")
	assert.Zero(t, wordnetClass("kettle"))
	assert.NotZero(t, wordnetPair("heart", "attacks")&wnCondition)
	assert.NotZero(t, wordnetClass("cold")&wnFirst, "the common cold is cold's first noun sense")
	assert.Zero(t, wordnetClass("shock")&wnFirst)
}

func TestWordNetSenses(t *testing.T) {
	const nounBody, verbBody, verbPerception = 8, 29, 39
	n, _ := wordnetSense("hip")
	assert.Equal(t, int8(nounBody), n)
	_, v := wordnetSense("snores")
	assert.Equal(t, int8(verbBody), v)
	_, v = wordnetSense("throbs")
	assert.Equal(t, int8(verbPerception), v)
	_, v = wordnetSense("stopped")
	assert.NotEqual(t, noSense, v, "a doubled consonant before -ed")
	n, v = wordnetSense("xyzzy")
	assert.Equal(t, noSense, n)
	assert.Equal(t, noSense, v)
}

func TestWordNetLexicon(t *testing.T) {
	assert.False(t, lexiconWorthy("cutting out"), "a phrasal verb's sense")
	assert.False(t, lexiconWorthy("gout"), "short single words are too often something else")
	assert.True(t, lexiconWorthy("urticaria"))
	assert.True(t, lexiconWorthy("hay fever"))

	// Terms no hand-written list names, found through WordNet.
	d := NewDetector(Options{RulesOnly: true})
	for text, want := range map[string]Entity{
		"I've had urticaria on and off since March":   {Type: TypeMedicalCondition, Start: 9, End: 18},
		"she's booked in for a thyroidectomy in June": {Type: TypeProcedure, Start: 22, End: 35},
		"he was diagnosed with multiple myeloma":      {Type: TypeMedicalCondition, Start: 22, End: 38},
	} {
		var got []Entity
		for _, e := range d.Detect(text) {
			if CategoryOf(e.Type) == CategoryMedical {
				got = append(got, Entity{Type: e.Type, Start: e.Start, End: e.End})
			}
		}
		require.Contains(t, got, want, text)
	}
}
