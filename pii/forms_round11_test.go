package pii

import "testing"

// TestFormsRound11 covers the eleventh round's rules, each beside the hard
// negatives that look like it.
func TestFormsRound11(t *testing.T) {
	runFormCases(t, []formCase{
		// A writing pen is not a medicine pen.
		{"find a pen", "Hang on, let me find a pen.", TypeMedication, ""},
		{"grab a pen", "hang on let me grab a pen", TypeMedication, ""},
		{"medicine pen kept", "i need more insulin pens", TypeMedication, "insulin"},
		{"spoken gabapentin kept", "yes please i need repeat for gab a pen tin three hundred", TypeMedication, "gab a pen tin"},
		// Spelling a name out is not a medicine.
		{"spelt surname", "um yeah it's dilip patel p a t e l i'm calling about my echo next week", TypeMedication, ""},
		{"initialism kept", "um yeah its about my son hes got a d h d and his prescription has run out", TypeMedicalCondition, "a d h d"},
		// Everyday events fill "I've got a ___" too.
		{"a presentation", "I can't come Friday, I've got a presentation at work.", TypeMedicalCondition, ""},
		{"a wedding", "I've got a wedding on Saturday so can we move it?", TypeMedicalCondition, ""},
		{"a rash kept", "I've got a rash on Saturday so can we move it?", TypeMedicalCondition, "rash"},
		// An aside after a complaint is not part of it.
		{"apparently", "so its runners knee apparently and the physio gave me exercises", TypeMedicalCondition, "runners knee"},
	})
}
