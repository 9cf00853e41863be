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

// TestFormsRound11Places: practices, units and papers named after what
// they do are not what they do.
func TestFormsRound11Places(t *testing.T) {
	runFormCases(t, []formCase{
		{"GP surgery", "I'm phoning from the GP surgery in Kells on behalf of a patient.", TypeProcedure, ""},
		{"which surgery", "sorry which surgery is this, the one on Church Lane", TypeProcedure, ""},
		{"a surgery in", "Hello, I'm ringing from a surgery in Leeds about a temporary resident.", TypeProcedure, ""},
		{"Saturday surgery", "it says on your website the Saturday surgery is cancelled", TypeProcedure, ""},
		{"road surgery lowercase", "yeah it's the grace road surgery i'm after not the other one", TypeProcedure, ""},
		{"surgery on a hip kept", "He needs a surgery on his hip.", TypeProcedure, "surgery"},
		{"my surgery kept", "I need an ECG before my surgery.", TypeProcedure, "surgery"},
		{"cataract surgery kept", "I'm booked for cataract surgery.", TypeProcedure, "cataract surgery"},
		{"minor injuries unit", "can i bring him to minor injuries or is it the burns unit", TypeMedicalCondition, ""},
		{"minor injuries kept", "Luckily he only had minor injuries.", TypeMedicalCondition, "minor injuries"},
		{"phlebotomy floor", "Can you tell me which floor the phlebotomy is on?", TypeProcedure, ""},
		{"vaccination certificate", "how much is it to replace the vaccination certificate if you've lost it", TypeProcedure, ""},
		{"vaccination kept", "I need a flu vaccination.", TypeProcedure, "flu vaccination"},
		{"fit note", "I need a fit note extending for work, they want it by Friday.", TypeProcedure, ""},
	})
}

// TestFormsRound11Keeps: what a person keeps doing when unwell, and what
// they cannot swallow or keep down.
func TestFormsRound11Keeps(t *testing.T) {
	runFormCases(t, []formCase{
		{"keeps falling", "my gran keeps falling at the home shes had three this month", TypeMedicalCondition, "keeps falling"},
		{"keeps wandering", "he's got dementia and he keeps wandering at night.", TypeMedicalCondition, "keeps wandering"},
		{"keeps getting up to wee", "my husband keeps getting up to wee like five times a night", TypeMedicalCondition, "keeps getting up to wee"},
		{"a thing keeps falling off", "The dressing keeps falling off, can I get another?", TypeMedicalCondition, ""},
		{"keeps ringing", "my son keeps ringing me about the parking", TypeMedicalCondition, ""},
		{"forgetting to", "i keep forgetting to take it so i want to switch", TypeMedicalCondition, ""},
		{"the phone keeps", "The line keeps dropping, sorry.", TypeMedicalCondition, ""},
		{"can't keep down", "ive got a tummy bug um cant keep water down", TypeMedicalCondition, "cant keep water down"},
		{"can't swallow tablets", "She can't swallow tablets now.", TypeMedicalCondition, "can't swallow"},
		{"can't swallow is not a medicine", "She can't swallow tablets now.", TypeMedication, "tablets"},
	})
}

// TestFormsRound11Names: a service named after a complaint, clothes, room
// numbers and a boiling temper.
func TestFormsRound11Names(t *testing.T) {
	runFormCases(t, []formCase{
		{"Pain Management Clinic", "Yes, hello, the Pain Management Clinic, is that still in Building C?", TypeMedicalCondition, ""},
		{"Diabetes Centre", "The Diabetes Centre moved across the road in September.", TypeMedicalCondition, ""},
		{"pain kept beside the clinic", "I have chronic pain and need the Pain Clinic", TypeMedicalCondition, "chronic pain"},
		{"a scarf", "I think I left a black scarf in the podiatry waiting area", TypeMedicalCondition, ""},
		{"room numbers", "There's a 12 and a 15 and a cupboard.", TypeMedicalCondition, ""},
		{"a 24-hour tape kept", "How long does a 24-hour tape take to come back?", TypeProcedure, "a 24"},
		{"blood boiling", "Honestly, my blood's boiling about this, third time the letter's gone to the wrong house.", TypeMedicalCondition, ""},
	})
}

// TestFormsRound11ThrewUp: a person who threw up, not a building thrown up.
func TestFormsRound11ThrewUp(t *testing.T) {
	runFormCases(t, []formCase{
		{"threw up", "i threw up on the bus this morning so i turned back", TypeMedicalCondition, "threw up"},
		{"son just threw up", "my son just threw up", TypeMedicalCondition, "threw up"},
		{"thrown up", "he's thrown up three times", TypeMedicalCondition, "thrown up"},
		{"a building", "they threw up a new building next door", TypeMedicalCondition, ""},
	})
}

// TestFormsRound11Fillers: "like" and "all" between a body part and its
// state, as callers say them.
func TestFormsRound11Fillers(t *testing.T) {
	runFormCases(t, []formCase{
		{"like really swollen", "he's been limping and his heel's like really swollen", TypeMedicalCondition, "heel's like really swollen"},
		{"is like throbbing", "my big toe is like throbbing and bright red", TypeMedicalCondition, "toe is like throbbing"},
		{"gritty", "my eye went all red and gritty this morning", TypeMedicalCondition, "gritty"},
	})
}

// TestFormsRound11Neutral: a body part described, or fine again.
func TestFormsRound11Neutral(t *testing.T) {
	runFormCases(t, []formCase{
		{"eyes are brown", "My son's eyes are brown, if you need that for the form", TypeMedicalCondition, ""},
		{"knee's fine", "her knee's fine now thanks", TypeMedicalCondition, ""},
		{"eyes are yellow kept", "his eyes are yellow", TypeMedicalCondition, "yellow"},
	})
}

// TestFormsRound11Wounds: a wound, a scar or a stoma in a state, and a
// person who has not slept.
func TestFormsRound11Wounds(t *testing.T) {
	runFormCases(t, []formCase{
		{"wound weeping", "the wound is weeping a bit and shes got a high temperature", TypeMedicalCondition, "wound is weeping"},
		{"stoma leaking", "i'm calling cos my stoma's leaking and the reversal has been put off again", TypeMedicalCondition, "stoma's leaking"},
		{"scar gone red", "my scar's gone all red", TypeMedicalCondition, "scar's gone all red"},
		{"wound care nurse", "the wound care nurse is lovely", TypeMedicalCondition, ""},
		{"a van leaking", "the van is leaking oil everywhere", TypeMedicalCondition, ""},
		{"not slept", "he's not slept for three days", TypeMedicalCondition, "not slept"},
	})
}

// TestFormsRound11Night: how often a person is up in the night.
func TestFormsRound11Night(t *testing.T) {
	runFormCases(t, []formCase{
		{"up four times a night", "he said to say hes still up four times a night weeing", TypeMedicalCondition, "up four times a night"},
		{"in the night", "i keep getting up three or four times in the night", TypeMedicalCondition, "three or four times in the night"},
		{"up early", "I was up early for the train", TypeMedicalCondition, ""},
	})
}
