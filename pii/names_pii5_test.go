package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFirstPersonIsNoName: a capital after "said"/"told" reads as a name
// ("said Gerste"), but "I've", "I'd", "I'm" never are one.
func TestFirstPersonIsNoName(t *testing.T) {
	d := NewDetector(Options{})
	for _, s := range []string{
		"The hygienist said I've got receding gums.",
		"He said I'd need a scan.",
		"She told me I'm due a review.",
		"the nurse said I’ll be fine",
	} {
		for _, e := range d.Detect(s) {
			assert.NotEqual(t, TypePerson, e.Type, "%q: %v", s, e)
		}
	}
	// A name after "said" is still one.
	var people int
	for _, e := range d.Detect("The receptionist said Gwendolyn would ring back.") {
		if e.Type == TypePerson {
			people++
		}
	}
	assert.Equal(t, 1, people)
}
