package pii

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCrossValidateRefusesHeldOut(t *testing.T) {
	for _, name := range heldOutSets {
		_, err := CrossValidate([]string{filepath.Join("testdata", "clinic_calls_dev.json"), filepath.Join("testdata", name)}, 2, 1, 1, []float32{3})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "held-out")
	}
}

// TestCrossValidateSmall runs two folds of one epoch on the small
// in-sample set: one report per margin, every gold span scored once.
func TestCrossValidateSmall(t *testing.T) {
	rs, err := CrossValidate([]string{filepath.Join("testdata", "clinic_calls.json")}, 2, 1, 1, []float32{2, 4})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	full, err := Eval(NewDetector(Options{}), filepath.Join("testdata", "clinic_calls.json"))
	require.NoError(t, err)
	for _, r := range rs {
		assert.Equal(t, full.Sentences, r.Sentences)
		assert.Equal(t, full.Overall.Gold, r.Overall.Gold)
	}
	// A higher margin keeps no more tagger spans.
	assert.GreaterOrEqual(t, rs[0].Overall.Predicted, rs[1].Overall.Predicted)
}

func TestIdiomsAndMisfits(t *testing.T) {
	d := NewDetector(Options{})
	for _, s := range []string{
		"That quote cost an arm and a leg.",
		"I'd like to pay the lump sum.",
		"We were in stitches at the comedy night.",
		"My knee is on the desk, sorry, I mean my laptop.",
		"The blood test room had a queue out the door.",
		"my car failed its mot so ill be late",
		"My hearing's fine, it's the line that's bad.",
		"Is the pain clinic in this building? I'm delivering a parcel.",
		"The dog had an operation last week.",
		"Is it the Cedar Ward entrance or the main one?",
		"honestly the waiting music is doing my head in",
		"I've been racking my brains for the policy number.",
		"He turns a deaf ear to anything I say about booking.",
		"I've caught the travel bug, this is my fourth trip this year.",
		"The hold music gets on my nerves, that's all.",
	} {
		for _, e := range d.Detect(s) {
			assert.NotEqual(t, CategoryMedical, e.Category, "%q: %s at %d-%d", s, e.Type, e.Start, e.End)
			assert.NotEqual(t, TypePerson, e.Type, "%q", s)
		}
	}
	// The guards leave the clinical senses alone.
	for s, want := range map[string]string{
		"I've found a lump in my breast.":          TypeMedicalCondition,
		"I need my stitches out.":                  TypeProcedure,
		"I've had a rash on my neck since Sunday.": TypeMedicalCondition,
		"I'm so ill I can't get up.":               TypeMedicalCondition,
	} {
		found := false
		for _, e := range d.Detect(s) {
			found = found || e.Type == want
		}
		assert.True(t, found, "%q: no %s", s, want)
	}
}
