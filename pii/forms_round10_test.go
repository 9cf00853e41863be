package pii

import "testing"

// TestFormsRound10 covers the tenth round's rules, each beside the hard
// negatives that look like it: states after a copula or a relative's
// "is", body parts passing into a state, the stage "pre-op", places named
// after a service, the physio as a person, and pets' illnesses told a few
// words away from the pet.
func TestFormsRound10(t *testing.T) {
	runFormCases(t, []formCase{
		// States after a copula.
		{"still in agony", "i'm on co codamol and i'm still in agony", TypeMedicalCondition, "in agony"},
		{"hallucinating", "my granddad is hallucinating seeing cats in the room", TypeMedicalCondition, "hallucinating"},
		{"relative's is", "My wife's a bit teary since the birth.", TypeMedicalCondition, "teary"},
		{"kin possessive needs a possessive", "Wife's a bit late, sorry.", TypeMedicalCondition, ""},
		// Body parts passing into a state.
		{"contracted is with an adverb", "she's had a fall and her hip's really swollen", TypeMedicalCondition, "hip's really swollen"},
		{"goes all", "i think my arm goes all tingly", TypeMedicalCondition, "arm goes all tingly"},
		{"gone", "my eye's gone blurry since Monday", TypeMedicalCondition, "eye's gone blurry"},
		{"goes somewhere", "my arm goes to the side when I sleep", TypeMedicalCondition, ""},
		// Pre-op is a stage of care, not an operation.
		{"pre-op nurse", "The pre-op nurse said to stop my clopidogrel.", TypeProcedure, ""},
		{"at pre op", "um pre op said they can't do it", TypeProcedure, ""},
		{"an op", "I'm having an op on my knee.", TypeProcedure, "op"},
		// A service's place.
		{"walk-in", "Is the phlebotomy walk-in open till half four?", TypeProcedure, ""},
		{"office", "What time does the talking therapies office open?", TypeProcedure, ""},
		{"drop-in", "Could you put me down for the physio drop-in on Saturday?", TypeProcedure, ""},
		{"procedure kept", "I need phlebotomy on Friday.", TypeProcedure, "phlebotomy"},
		// The physio as a person.
		{"physio said", "The physio in fracture clinic said six weeks.", TypeProcedure, ""},
		{"same physio", "Can I have the same physio as last time?", TypeProcedure, ""},
		{"physio, name,", "My physio, Tom, said I can go back to running.", TypeProcedure, ""},
		{"physio as treatment", "I need to cancel my physio tomorrow.", TypeProcedure, "physio"},
		// Pets.
		{"pet a few words back", "my cat's just been diagnosed with kidney disease", TypeMedicalCondition, ""},
		{"the vet's doing", "The dog's got a lump, the vet's doing a biopsy.", TypeProcedure, ""},
		{"caller after the pet", "My dog's fine but I've got kidney disease.", TypeMedicalCondition, "kidney disease"},
	})
}
