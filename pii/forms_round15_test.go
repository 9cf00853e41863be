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

// TestFormsRound15SpeltTests: letters read out that join into a test's
// initialism are the test; letters that join into nothing, or a word
// spelt out, are not.
func TestFormsRound15SpeltTests(t *testing.T) {
	runFormCases(t, []formCase{
		{"e c g", "have the e c g results come back yet", TypeProcedure, "e c g"},
		{"i n r with i first", "his i n r is due on friday", TypeProcedure, "i n r"},
		{"m r i scan", "im booked for an m r i scan on tuesday", TypeProcedure, "m r i scan"},
		{"letters of a name", "its spelt j o n e s", TypeProcedure, ""},
		{"a postcode's letters", "the postcode is b s one two", TypeProcedure, ""},
	})
}

// TestFormsRound15Capitalised: a test after a capitalised possessive
// opens a sentence ("My INR was 4.8"); after a capitalised name word it
// is still a practice's name.
func TestFormsRound15Capitalised(t *testing.T) {
	runFormCases(t, []formCase{
		{"My INR", "My INR was 3.9 on Monday, is that too high?", TypeProcedure, "INR"},
		{"Her MRI", "Her MRI showed nothing, so what happens now?", TypeProcedure, "MRI"},
		{"a practice's name", "Is that Riverside Physio on the high street?", TypeProcedure, ""},
		{"Mr Hussain's INR", "Mr Hussain's INR was 4.8 this morning", TypeProcedure, "INR"},
	})
}

// TestFormsRound15Lists: a graded second state after a condition is a
// mention of its own; "more" before a state after a copula is part of it;
// swallowing and drinking that a body cannot do is a symptom, a drink
// refused for a reason is not.
func TestFormsRound15Lists(t *testing.T) {
	runFormCases(t, []formCase{
		{"and a bit muddled", "since the new painkillers he's constipated and a bit muddled", TypeMedicalCondition, "muddled"},
		{"and really tired", "she's been off her food and really tired all week", TypeMedicalCondition, "tired"},
		{"more forgetful", "my nan's more forgetful than she was at christmas", TypeMedicalCondition, "more forgetful"},
		{"getting more confused", "he's getting more confused in the evenings", TypeMedicalCondition, "more confused"},
		{"more than a copula", "there's more parking round the back", TypeMedicalCondition, ""},
		{"and very sorry", "she's off her food and very sorry to bother you", TypeMedicalCondition, "off her food"},
		{"swallow his tablets", "he cant swallow his tablets since the stroke", TypeMedicalCondition, "cant swallow"},
		{"keep any water down", "she can't keep any water down since last night", TypeMedicalCondition, "keep any water down"},
		{"won't drink", "the baby won't drink his bottle and he's floppy", TypeMedicalCondition, "won't drink"},
		{"drink the coffee", "I won't drink the coffee from that machine again", TypeMedicalCondition, ""},
		{"another fall", "Dad's had another fall in the bathroom", TypeMedicalCondition, "another fall"},
		{"coughing up phlegm", "I keep coughing up yellow phlegm in the mornings", TypeMedicalCondition, "phlegm"},
		{"a cpap machine", "his cpap machine has stopped working", TypeProcedure, "cpap"},
		{"an x-ray machine is a place", "the x-ray machine is on the second floor", TypeProcedure, ""},
		{"biopsies", "they took two biopsies during the camera test", TypeProcedure, "biopsies"},
	})
}

// TestFormsRound15Cannot: what a person can no longer do is a symptom
// only with an object that makes it a body's failing; a bad line, a
// lost letter and a rule are not.
func TestFormsRound15Cannot(t *testing.T) {
	runFormCases(t, []formCase{
		{"get me breath", "i cant get me breath when i go up the hill", TypeMedicalCondition, "cant get me breath"},
		{"find his words", "since the stroke he can't find his words", TypeMedicalCondition, "can't find his words"},
		{"hear the telly", "Dad can't hear the telly even on full volume", TypeMedicalCondition, "can't hear the telly"},
		{"face food", "she just can't face food at the moment", TypeMedicalCondition, "can't face food"},
		{"pass water", "my husband can't pass water and he's in agony", TypeMedicalCondition, "can't pass water"},
		{"switch off", "i cant switch off at night my heads going round", TypeMedicalCondition, "cant switch off"},
		{"sit still", "my son can't sit still in class, the teacher says", TypeMedicalCondition, "can't sit still"},
		{"hear you", "sorry i cant hear you the line is terrible", TypeMedicalCondition, ""},
		{"find the letter", "I can't find the letter with the appointment on", TypeMedicalCondition, ""},
		{"you can't", "you can't park in the ambulance bay", TypeMedicalCondition, ""},
		{"see the point", "I can't see the point of another form", TypeMedicalCondition, ""},
	})
}

// TestFormsRound15Frames: hallucinations, food brought back up, trips to
// the loo, day-long tests, refused food, falls with their place and a
// heart scan after whose it is; each beside the everyday words it must
// leave alone.
func TestFormsRound15Frames(t *testing.T) {
	runFormCases(t, []formCase{
		{"seeing people not there", "grandad keeps seeing people in the hallway that aren't there", TypeMedicalCondition, "seeing people in the hallway that aren't there"},
		{"talking to people", "shes been talking to people who arent there all evening", TypeMedicalCondition, "talking to people who arent there"},
		{"seeing people who are", "we are seeing people who are new to the practice on tuesdays", TypeMedicalCondition, ""},
		{"brings it back up", "the baby brings most of it back up after every feed", TypeMedicalCondition, ""},
		{"brings it all back up", "he brings it all back up within ten minutes", TypeMedicalCondition, "brings it all back up"},
		{"bring it back", "can I bring it back up to the desk later", TypeMedicalCondition, ""},
		{"up and down to the loo", "i'm up and down to the loo all night long", TypeMedicalCondition, "up and down to the loo"},
		{"haven't been for days", "she hasnt been to the toilet for four days", TypeMedicalCondition, "hasnt been to the toilet"},
		{"haven't been to the desk", "I haven't been to the toilet block yet, where is it?", TypeMedicalCondition, ""},
		{"twenty four hour tape", "they want me to wear a twenty four hour tape", TypeProcedure, "twenty four hour tape"},
		{"24 hour monitor", "When do I bring back the 24 hour blood pressure monitor?", TypeProcedure, "24 hour blood pressure monitor"},
		{"24 hour opening", "is the pharmacy on the corner a 24 hour one", TypeProcedure, ""},
		{"refusing food", "Mr Patel has been refusing his food since Sunday", TypeMedicalCondition, "refusing his food"},
		{"refusing an ambulance", "she's refusing an ambulance and says she's fine", TypeMedicalCondition, ""},
		{"grinding teeth", "he's grinding his teeth in his sleep", TypeMedicalCondition, "grinding his teeth"},
		{"fell out of bed", "the carers say mum fell out of bed at two this morning", TypeMedicalCondition, "fell out of bed"},
		{"went over on the ice", "she went over on the ice outside the shop", TypeMedicalCondition, "went over on the ice"},
		{"went over the forms", "we went over the forms with the receptionist", TypeMedicalCondition, ""},
		{"fell in love", "they fell in love at the day centre", TypeMedicalCondition, ""},
		{"fell out with", "she fell out with her sister about the care home", TypeMedicalCondition, ""},
		{"dad's echo", "its about my dads echo from last week", TypeProcedure, "echo"},
		{"an echo on the line", "there's an echo on the line, can you hear me?", TypeProcedure, ""},
	})
}

// TestFormsRound15Words: a tremor, a snore, blood in a catheter bag, a
// stoma and its bag, choking on food, eGFR, and a graded condition after
// a copula.
func TestFormsRound15Words(t *testing.T) {
	runFormCases(t, []formCase{
		{"a tremor", "his hands have a tremor when he holds a cup", TypeMedicalCondition, "tremor"},
		{"snores", "my partner snores so loudly i cant sleep in the same room", TypeMedicalCondition, "snores"},
		{"blood in the bag", "the carer says there's blood in the bag again", TypeMedicalCondition, "blood in the bag"},
		{"a stoma bag", "his stoma bag keeps leaking overnight", TypeProcedure, "stoma bag"},
		{"choking on food", "she's been choking on her food at tea time", TypeMedicalCondition, "choking on her food"},
		{"eGFR", "my eGFR was forty last time", TypeProcedure, "eGFR"},
		{"profoundly deaf", "my son is profoundly deaf so please text", TypeMedicalCondition, "profoundly deaf"},
		{"completely fine is none", "she's completely fine now thank you", TypeMedicalCondition, ""},
	})
}

// TestFormsRound15Mood: weight gained, a low mood, thoughts of not being
// here, wandering and crying at odd times, and food barely eaten; each
// beside the same words in everyday use.
func TestFormsRound15Mood(t *testing.T) {
	runFormCases(t, []formCase{
		{"put on half a stone", "since the steroids ive put on half a stone", TypeMedicalCondition, "put on half a stone"},
		{"put on three kilos", "he's put on three kilos in a week with his heart failure", TypeMedicalCondition, "put on three kilos"},
		{"put on a coat", "I'll put on a coat and come straight down", TypeMedicalCondition, ""},
		{"put on the list", "can you put me on the list for a cancellation", TypeMedicalCondition, ""},
		{"really low", "she's been really low since the baby came", TypeMedicalCondition, "really low"},
		{"feel flat", "i just feel flat most days", TypeMedicalCondition, "flat"},
		{"battery low", "sorry my battery's really low so I'll be quick", TypeMedicalCondition, ""},
		{"down at the shops", "I'm down at the shops, can you ring back in ten minutes", TypeMedicalCondition, ""},
		{"low on credit", "I'm really low on credit so text me", TypeMedicalCondition, ""},
		{"not wanting to be here", "he keeps talking about not wanting to be here anymore", TypeMedicalCondition, "not wanting to be here anymore"},
		{"don't want to be here at eight", "I don't want to be here at eight if the doctor is late", TypeMedicalCondition, ""},
		{"end it all", "she said she wants to end it all", TypeMedicalCondition, "end it all"},
		{"better off without me", "i keep thinking theyd all be better off without me", TypeMedicalCondition, "better off without me"},
		{"wandering off at night", "my nan keeps wandering off at night", TypeMedicalCondition, "wandering off at night"},
		{"husband's been wandering", "My husband's been wandering at night since the infection", TypeMedicalCondition, "wandering at night"},
		{"i cry all the time", "i cry all the time since the baby", TypeMedicalCondition, "cry all the time"},
		{"hardly eating", "she's hardly eating and sleeps all afternoon", TypeMedicalCondition, "hardly eating"},
	})
}

// TestFormsRound15Wave4: day surgery and the physio gym are places, an
// overdose and weight lost by the stone are conditions, a bladder that
// leaks under strain, hands washed raw, and the Ensure drink (not the
// verb).
func TestFormsRound15Wave4(t *testing.T) {
	runFormCases(t, []formCase{
		{"in day surgery", "I was in day surgery on Friday and the wound is weeping", TypeProcedure, ""},
		{"the physio gym", "is the physio gym upstairs or on the ground floor", TypeProcedure, ""},
		{"an overdose", "she took an overdose of her tablets last night", TypeMedicalCondition, "overdose"},
		{"lost half a stone", "ive lost half a stone without trying", TypeMedicalCondition, "lost half a stone"},
		{"lost a lot of money", "I've lost a lot of money on cancelled trains", TypeMedicalCondition, ""},
		{"leak when I cough", "since the birth I leak when I cough", TypeMedicalCondition, "leak when I cough"},
		{"a leak when it rains", "the roof has a leak when it rains", TypeMedicalCondition, ""},
		{"washing hands raw", "he's washing his hands raw since the lockdown", TypeMedicalCondition, "washing his hands raw"},
		{"washing hands before", "please remember to wash your hands before the appointment", TypeMedicalCondition, ""},
		{"the Ensure", "can she have more of the Ensure on her repeat", TypeMedication, "Ensure"},
		{"ensure the verb", "can you ensure the letter goes to my new address", TypeMedication, ""},
		{"absolutely exhausted", "i'm absolutely exhausted all the time", TypeMedicalCondition, "absolutely exhausted"},
	})
}

// TestFormsRound15Analytes: a blood test named by what it measures is a
// procedure; the same salt opening a medicine's name is not.
func TestFormsRound15Analytes(t *testing.T) {
	runFormCases(t, []formCase{
		{"my potassium", "the nurse said my potassium came back a bit high", TypeProcedure, "potassium"},
		{"a repeat sodium", "can we book a repeat sodium for Friday", TypeProcedure, "sodium"},
		{"troponin", "his troponin was normal so they sent him home", TypeProcedure, "troponin"},
		{"potassium citrate", "can I take potassium citrate with my tablets", TypeProcedure, ""},
		{"sodium valproate spoken", "he needs more sodium val pro ate", TypeProcedure, ""},
	})
}

// TestFormsRound15Hazards: something harmful swallowed, a back put out,
// Night Nurse the remedy (not the nurse on nights), and conditions by
// their eponym alone.
func TestFormsRound15Hazards(t *testing.T) {
	runFormCases(t, []formCase{
		{"swallowed a magnet", "my toddler swallowed a magnet off the fridge", TypeMedicalCondition, "swallowed a magnet"},
		{"swallowed my pride", "I swallowed my pride and rang you again", TypeMedicalCondition, ""},
		{"put my back out", "ive put my back out lifting the shopping", TypeMedicalCondition, "put my back out"},
		{"put the bins out", "I put the bins out and missed your call", TypeMedicalCondition, ""},
		{"done his back in", "he's done his back in at work", TypeMedicalCondition, "done his back in"},
		{"Night Nurse", "can I take Night Nurse with my blood pressure tablets", TypeMedication, "Night Nurse"},
		{"the night nurse", "the night nurse said she slept well", TypeMedication, ""},
		{"Addison's", "she has Addison's so she carries a steroid card", TypeMedicalCondition, "Addison's"},
	})
}

// TestFormsRound15OutOfSorts: a person not right in themselves, shut in a
// room for days, needing the loo every few minutes, spending like mad;
// each beside a bill, an errand, a bus and a sale.
func TestFormsRound15OutOfSorts(t *testing.T) {
	runFormCases(t, []formCase{
		{"not right in himself", "my grandad's not right in himself since the chest infection", TypeMedicalCondition, "not right in himself"},
		{"not been right since", "ive not been right since the operation", TypeMedicalCondition, "not been right"},
		{"the bill's not right", "that's not right, I was charged twice", TypeMedicalCondition, ""},
		{"not right for the job", "he's not right for the job if you ask me", TypeMedicalCondition, ""},
		{"hasn't left his room", "he hasnt left his room for four days", TypeMedicalCondition, "hasnt left his room"},
		{"haven't left the house yet", "I haven't left the house yet so I can still make it", TypeMedicalCondition, ""},
		{"going every ten minutes", "I'm going every ten minutes and it burns", TypeMedicalCondition, "going every ten minutes"},
		{"a bus every ten minutes", "there's a bus going every ten minutes from the station", TypeMedicalCondition, ""},
		{"spending money like water", "she's spending money like water and not sleeping", TypeMedicalCondition, "spending money like water"},
		{"spending all his money", "he's spending all his money like there's no tomorrow", TypeMedicalCondition, "spending all his money like there's no tomorrow"},
		{"spending on the sale", "we're spending money on the new car park", TypeMedicalCondition, ""},
	})
}

// TestFormsRound15Scans: a scan named by what it is for is a test; a
// scan of a code or a document is not.
func TestFormsRound15Scans(t *testing.T) {
	runFormCases(t, []formCase{
		{"anatomy scan", "is the anatomy scan at twenty weeks", TypeProcedure, "anatomy scan"},
		{"planning scan", "my planning scan got moved to Thursday", TypeProcedure, "planning scan"},
		{"the QR scan", "the QR scan at the door didn't work", TypeProcedure, ""},
		{"a passport scan", "do you need a passport scan for registration", TypeProcedure, ""},
	})
}

// TestFormsRound15Tests: tests and treatments the writers mark by their
// everyday names, and a test spelt out before "test".
func TestFormsRound15Tests(t *testing.T) {
	runFormCases(t, []formCase{
		{"peak flow", "my peak flow was three hundred this morning", TypeProcedure, "peak flow"},
		{"d dimer", "they said the d dimer was raised", TypeProcedure, "d dimer"},
		{"t b test", "i need the t b test for my visa", TypeProcedure, "t b test"},
		{"catheter change", "he's due a catheter change on Monday", TypeProcedure, "catheter change"},
		{"cryo", "the cryo on my verruca didn't work", TypeProcedure, "cryo"},
		{"a hypo", "she had a hypo in the night", TypeMedicalCondition, "hypo"},
		{"letters of a postcode before test", "the postcode is t b one", TypeProcedure, ""},
	})
}

// TestFormsRound15Still: "still" grades a state after a copula, and "I've
// not slept" is a person's.
func TestFormsRound15Still(t *testing.T) {
	runFormCases(t, []formCase{
		{"still shaky", "she's still shaky and won't eat much", TypeMedicalCondition, "shaky"},
		{"ive not slept", "ive not slept properly for a week", TypeMedicalCondition, "not slept"},
		{"still tired of", "I'm still tired of waiting for a call back", TypeMedicalCondition, ""},
	})
}

// TestFormsRound15SpeltConditions: a condition's initialism spelt out is
// the condition, and before "assessment", "test" or "jab" the procedure;
// a name or a postcode spelt out is neither.
func TestFormsRound15SpeltConditions(t *testing.T) {
	runFormCases(t, []formCase{
		{"a d h d", "my son has a d h d and cant sit still", TypeMedicalCondition, "a d h d"},
		{"c o p d", "my dads c o p d is worse in the cold", TypeMedicalCondition, "c o p d"},
		{"a d h d assessment", "when is his a d h d assessment", TypeProcedure, "a d h d assessment"},
		{"h p v jab", "she missed the h p v jab at school", TypeProcedure, "h p v jab"},
		{"a name spelt", "its smith s m i t h", TypeMedicalCondition, ""},
	})
}

// TestFormsRound15MoreWords: U and Es, a blood count, a needlestick, hep
// A and B.
func TestFormsRound15MoreWords(t *testing.T) {
	runFormCases(t, []formCase{
		{"u and es", "can the nurse do his u and es on friday", TypeProcedure, "u and es"},
		{"blood count", "they want a blood count before the next dose", TypeProcedure, "blood count"},
		{"needlestick", "I had a needlestick injury at work this morning", TypeMedicalCondition, "needlestick injury"},
		{"hep b", "do I need a hep B booster for the hospital job", TypeMedicalCondition, "hep B"},
	})
}

// TestFormsRound15TwoWordOwners: two words after whose it is make a
// medicine when one of them is no English word; a relative's name after
// "my son" is a name.
func TestFormsRound15TwoWordOwners(t *testing.T) {
	runFormCases(t, []formCase{
		{"her sin emmet", "her sin emmet has to be given on time", TypeMedication, "sin emmet"},
		{"my son and his name", "my son yusuf has a rash on his arms", TypeMedication, ""},
		{"two English words", "my late night has caught up with me", TypeMedication, ""},
	})
}

// TestFormsRound15Depot: a depot after whose it is, or "on the depot", is
// the injection; a depot's manager or a job at one is a yard.
func TestFormsRound15Depot(t *testing.T) {
	runFormCases(t, []formCase{
		{"his depot", "he's refusing his depot again", TypeMedication, "depot"},
		{"on the depot", "she's been on the depot for two years", TypeMedication, "depot"},
		{"the depot manager", "the depot manager said I need a fit note", TypeMedication, ""},
		{"at the depot", "I work nights at the depot so mornings are hard", TypeMedication, ""},
		{"numbing cream", "can he have numbing cream before his bloods", TypeMedication, "numbing cream"},
	})
}
