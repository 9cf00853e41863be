package pii

import "testing"

// TestFormsRound15SpokenOwners: a run of three words or more that sounds
// exactly like a medicine is one after a word saying whose it is, before
// a script or a strength, or after "something called"; the same words
// with "is", "the" or "for" among them are a sentence.
func TestFormsRound15SpokenOwners(t *testing.T) {
	runFormCases(t, []formCase{
		{"her spoken medicine", "can you check if she took her war far in this morning", TypeMedication, "war far in"},
		{"a kin's without its apostrophe", "its about my mums meh man teen the box says ten", TypeMedication, "meh man teen"},
		{"the medicine then a verb", "the gab a pen tin leaves me dizzy in the mornings", TypeMedication, "gab a pen tin"},
		{"a script after", "her movi col prescription needs doing again", TypeMedication, "movi col"},
		{"a strength after", "the am it rip tea line twenty mill isnt helping", TypeMedication, "am it rip tea line twenty mill"},
		{"something called", "they started him on something called nick or and ill last week", TypeMedication, "nick or and ill"},
		{"the right one for", "is this the right one for the eye clinic", TypeMedication, ""},
		{"the noise in the", "my dad hates the noise in the waiting room", TypeMedication, ""},
		{"my son is off", "my son is off today so ill bring him", TypeMedication, ""},
		{"two words after my", "sorry its my late night calling", TypeMedication, ""},
	})
}
