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
		// Practitioners in shorthand.
		{"gynae said", "i've got endo and the gynae said a laparoscopy", TypeMedication, ""},
		{"neuro nurse", "My wife has MS and her neuro nurse suggested hydrotherapy.", TypeMedication, ""},
		{"gastro doctor", "the gastro doctor wants a breath test", TypeMedication, ""},
		{"asthma doctor", "Can I see the asthma doctor on Friday?", TypeMedicalCondition, ""},
		// Idioms.
		{"nearly had a heart attack", "I nearly had a heart attack when I saw the parking charge.", TypeMedicalCondition, ""},
		{"a heart attack kept", "My dad had a heart attack last year.", TypeMedicalCondition, "heart attack"},
		{"twisted my arm", "You've twisted my arm, I'll take the Friday slot.", TypeMedicalCondition, ""},
		{"I'm a pain", "Sorry, I'm a pain, but could you repeat the reference number?", TypeMedicalCondition, ""},
		{"tickled pink", "I'm tickled pink that it's been moved forward.", TypeMedicalCondition, ""},
		{"feeling the pinch", "I'm really feeling the pinch with all these travel costs.", TypeMedicalCondition, ""},
		// A CT with an article, and its region.
		{"a CT", "Is the PET scan the same as a CT?", TypeProcedure, "a CT"},
		{"CT head", "they want a CT head and she's on edoxaban", TypeProcedure, "CT head"},
		{"CT abdo pelvis", "I need an urgent CT abdo pelvis for query appendicitis", TypeProcedure, "CT abdo pelvis"},
		{"CT the state", "We moved here from Hartford, CT last year.", TypeProcedure, ""},
		{"a repeat echo", "I'd need a repeat echo in six months.", TypeProcedure, "echo"},
		{"an echo on the line", "There's an echo on the line, can you hear me?", TypeProcedure, ""},
		// The dye of a scan.
		{"contrast dye", "I had a reaction to the contrast dye last time.", TypeMedication, "contrast dye"},
		{"give the contrast", "my kidneys aren't working so they can't give the contrast", TypeMedication, "the contrast"},
		{"iodine contrast", "I'm allergic to iodine contrast.", TypeMedication, "iodine contrast"},
		{"the dye of an MRI", "an mri of his head with the dye", TypeMedication, "the dye"},
		{"in contrast", "In contrast to last time, the parking was easy.", TypeMedication, ""},
		{"contrast of colours", "I love the contrast of the colours in the waiting room.", TypeMedication, ""},
		{"hair dye", "Can I use the dye on my hair before the wedding?", TypeMedication, ""},
		// Treatments named by everyday nouns.
		{"after the laser", "um my eye's all blurry after the laser is that normal", TypeProcedure, "the laser"},
		{"after the fillers", "will she bruise more after the fillers", TypeProcedure, "the fillers"},
		{"the reversal", "my stoma's leaking and they've put off the reversal again", TypeProcedure, ""},
		{"for the reversal", "I'm booked for the reversal in March.", TypeProcedure, "the reversal"},
		{"laser pointer", "the kids were messing with the laser pointer", TypeProcedure, ""},
		{"bridge on a road", "Turn left after the bridge and the surgery is on the right.", TypeProcedure, ""},
		{"dental bridge", "My tooth has been sore since the bridge went in.", TypeProcedure, "the bridge"},
		{"for the pre-op", "For the pre-op they want a urine sample.", TypeProcedure, "the pre-op"},
		// "It" standing for the complaint; a joint that gives.
		{"it's killing me", "i've got a corn on my little toe and it's killing me", TypeMedicalCondition, "killing me"},
		{"traffic killing me", "the traffic's awful and it's killing me", TypeMedicalCondition, ""},
		{"crown come loose", "I had the temporary crown fitted and it's come loose.", TypeMedicalCondition, "come loose"},
		{"handle come loose", "The handle on the door has come off and it's come loose.", TypeMedicalCondition, ""},
		{"back's gone again", "um my back's gone again i can't stand up straight", TypeMedicalCondition, "back's gone"},
		{"gone to the shops", "My husband's gone to the shops.", TypeMedicalCondition, ""},
		// A body part that will not move; lay phrases.
		{"can't lift my arm", "the physio said i need an mri cos i can't lift my arm", TypeMedicalCondition, "can't lift my arm"},
		{"can't lift the box", "I can't lift the box of leaflets on my own.", TypeMedicalCondition, ""},
		{"no appetite", "they put me on elvanse and i've got no appetite at all", TypeMedicalCondition, "no appetite"},
		{"no appetite for", "I've got no appetite for another argument with the council.", TypeMedicalCondition, ""},
		{"ringing in my ears", "I'm seeing Miss Fairweather about the ringing in my ears.", TypeMedicalCondition, "ringing in my ears"},
		{"waters have gone", "My wife's waters have gone and she's only thirty-five weeks.", TypeMedicalCondition, "waters have gone"},
		// Hyphenated medicines written as one word.
		{"cocodamol", "i took um cocodamol for years for my back", TypeMedication, "cocodamol"},
		{"coamoxiclav", "They gave me coamoxiclav for the infection.", TypeMedication, "coamoxiclav"},
		// People's jobs are no medicine.
		{"the carers", "hes off his food and the carers are worried its a chest infection", TypeMedication, ""},
		{"the GP's", "the GP's referred me urgently", TypeMedication, ""},
		// An intensifier before an ordinary word.
		{"really hard for her", "Waiting rooms are really hard for her.", TypeMedicalCondition, ""},
		{"really groggy", "now she's really groggy is that normal", TypeMedicalCondition, "groggy"},
		{"really pale", "he's talking to me, he's just really pale", TypeMedicalCondition, "pale"},
		// Results.
		{"bare positive", "the CLO test came back positive, so what now?", TypeMedicalCondition, ""},
		{"positive for", "My urine test came back positive for nitrates.", TypeMedicalCondition, "positive for nitrates"},
		{"abnormal", "My smear came back abnormal.", TypeMedicalCondition, "abnormal"},
		// Pets.
		{"pet a few words back", "my cat's just been diagnosed with kidney disease", TypeMedicalCondition, ""},
		{"the vet's doing", "The dog's got a lump, the vet's doing a biopsy.", TypeProcedure, ""},
		{"caller after the pet", "My dog's fine but I've got kidney disease.", TypeMedicalCondition, "kidney disease"},
	})
}
