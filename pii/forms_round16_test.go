package pii

import "testing"

// TestFormsRound16SpokenRuns: a near sound match never holds a function
// word after its first ("kelly from forty two" is a caller and her house
// number); "give him" before a run is a cue like "take".
func TestFormsRound16SpokenRuns(t *testing.T) {
	runFormCases(t, []formCase{
		{"a caller and her house number", "hi yeah its kelly from forty two ash grove his inhaler ran out", TypeMedication, "inhaler"},
		{"the caller is a person", "hi yeah its kelly from forty two ash grove his inhaler ran out", TypePerson, "kelly"},
		{"give him", "can i give him cal pol and nurofen together", TypeMedication, "cal pol"},
		{"give him a call", "can you give him a call back", TypeMedication, ""},
	})
}

// TestFormsRound16Habits: forgetting one's medicine or glasses is a habit
// that slips, forgetting one's words is memory; a medicine word before a
// list, chart or delivery names a paper or a service.
func TestFormsRound16Habits(t *testing.T) {
	runFormCases(t, []formCase{
		{"forgetting his tablets", "he keeps forgetting his tablets, can the pharmacy do a dosette box", TypeMedicalCondition, ""},
		{"forgetting his glasses", "He keeps forgetting his reading glasses at the reception desk", TypeMedicalCondition, ""},
		{"forgetting her words", "my mum keeps forgetting her words since the stroke", TypeMedicalCondition, "forgetting"},
		{"forgetting things", "he keeps forgetting things", TypeMedicalCondition, "forgetting"},
		{"a medication list", "Could I get a copy of Dad's medication list printed off?", TypeMedication, ""},
		{"a delivery service", "is there a charge for the medication delivery service", TypeMedication, ""},
		{"his medication", "he's run out of his medication", TypeMedication, "medication"},
	})
}

// TestFormsRound16NotDoing: how long a thing has not been done ("in three
// days") is no place; "eaten", "passing water" and getting out of bed
// join the things a body stops doing.
func TestFormsRound16NotDoing(t *testing.T) {
	runFormCases(t, []formCase{
		{"not slept in three days", "she's bipolar and she's not slept in three days", TypeMedicalCondition, "not slept"},
		{"not sleeping in the spare room", "he's not sleeping in the spare room any more", TypeMedicalCondition, ""},
		{"not eaten anything", "a resident who's not eaten anything for two days", TypeMedicalCondition, "not eaten"},
		{"not passing water", "she's not passing water much since yesterday", TypeMedicalCondition, "not passing water"},
		{"not passing the phone", "she's not passing the phone over", TypeMedicalCondition, ""},
		{"not got out of bed", "my husband's depressed, he's not got out of bed for a week", TypeMedicalCondition, "not got out of bed"},
		{"even water", "she's been sick four times, she can't keep even water down", TypeMedicalCondition, "can't keep even water down"},
	})
}

// TestFormsRound16DoseComments: high or low said of a dose is about the
// script; said of a reading it is a symptom.
func TestFormsRound16DoseComments(t *testing.T) {
	runFormCases(t, []formCase{
		{"the dose looks high", "we've got a query on a carbimazole script, the dose looks high", TypeMedicalCondition, ""},
		{"it seems low after a medicine", "she's on bisoprolol 1.25mg, is that right, it seems ever so low", TypeMedicalCondition, ""},
		{"blood pressure is low", "the dose is fine but her blood pressure is low", TypeMedicalCondition, "blood pressure is low"},
		{"sugar's high", "my sugar's high again, the dose seems too low", TypeMedicalCondition, "sugar's high"},
	})
}

// TestFormsRound16Teeth: grinding one's teeth is a condition, a grinding
// noise is not; figures of speech stay figures.
func TestFormsRound16Teeth(t *testing.T) {
	runFormCases(t, []formCase{
		{"grinds his teeth", "he grinds his teeth at night, would a night guard help?", TypeMedicalCondition, "grinds his teeth"},
		{"a night guard", "he grinds his teeth at night, would a night guard help?", TypeProcedure, "night guard"},
		{"a grinding noise", "the concentrator is making a horrible grinding noise", TypeMedicalCondition, ""},
		{"a drowned rat", "I look like a drowned rat, is the dental side still open?", TypeMedicalCondition, ""},
		{"like a yo-yo", "I feel like a yo-yo, up and down to that desk all week", TypeMedicalCondition, ""},
		{"a bear with a sore head", "my boss has been like a bear with a sore head all week", TypeMedicalCondition, ""},
		{"a breakdown of the bill", "I've still not had a breakdown of what the eighty quid was for", TypeMedicalCondition, ""},
		{"about to have a coronary", "I've been on hold for forty minutes and I'm about to have a coronary", TypeProcedure, ""},
		{"blood in my water", "since the biopsy there's been blood in my water", TypeMedicalCondition, "blood in my water"},
	})
}

// TestFormsRound16Wave3: tests and treatments named in the third wave,
// loo trips back and forth, and a drink problem as a frame that leaves
// "stopped drinking" alone.
func TestFormsRound16Wave3(t *testing.T) {
	runFormCases(t, []formCase{
		{"back and forth to the loo", "it burns when i wee and i've been back and forth to the loo all night", TypeMedicalCondition, "back and forth to the loo"},
		{"back and forth to the shops", "i've been back and forth to the shops all day", TypeMedicalCondition, ""},
		{"a drink problem", "i've got a drink problem and i want to detox", TypeMedicalCondition, "drink problem"},
		{"stopped drinking", "what time does she need to stop eating and drinking before the op", TypeMedicalCondition, ""},
		{"a gait analysis", "I'd like to book the gait analysis, my heel hurts in the morning", TypeProcedure, "gait analysis"},
		{"a field test", "I was told at my last field test that my pressures were high", TypeProcedure, "field test"},
		{"Lariam", "last time Lariam gave me awful nightmares", TypeMedication, "Lariam"},
	})
}

// TestRound16Names: a surname that is also a word after a given name and
// a cue ("my name is Geoffrey Mills"), a word followed by its own
// spelling, and "surname's" as a cue; a spelt medicine stays a medicine.
func TestRound16Names(t *testing.T) {
	runFormCases(t, []formCase{
		{"Geoffrey Mills", "my name is Geoffrey Mills", TypePerson, "Geoffrey Mills"},
		{"Geoffrey Smith", "this is Geoffrey Smith calling about my results", TypePerson, "Geoffrey Smith"},
		{"Abbey Road is no name", "my name is Ann and I live on Abbey Road", TypePerson, "Ann"},
		{"a name then its spelling", "Nowak, N-O-W-A-K, that's right.", TypePerson, "Nowak"},
		{"a lower-case spelling", "hello yes um its for aisha bello b e l l o date of birth", TypePerson, "aisha bello"},
		{"surname's", "and the surname's Kearney", TypePerson, "Kearney"},
		{"a spelt medicine", "it's Trimbow, T-R-I-M-B-O-W, the purple one", TypePerson, ""},
		{"a postcode's letters", "the postcode is b s one two", TypePerson, ""},
	})
}

// TestRound16DateReplies: a turn that is only a date ten years past or
// more is a date of birth; an appointment or a past visit is not.
func TestRound16DateReplies(t *testing.T) {
	runFormCases(t, []formCase{
		{"a spoken reply", "It's the third of March 1958.", TypeDateOfBirth, "third of March 1958"},
		{"a speech-to-text reply", "um its twenty second of november nineteen eighty four", TypeDateOfBirth, "november"},
		{"a numeric reply", "yes 14/07/1936 that's him", TypeDateOfBirth, "14/07/1936"},
		{"an appointment", "the appointment is on the 3rd of March 2025", TypeDateOfBirth, ""},
		{"a past visit", "I had it done on 12/05/1998", TypeDateOfBirth, ""},
		{"a recent date alone", "It's the 3rd of March 2024.", TypeDateOfBirth, ""},
	})
}

// TestFormsRound16Wave4: a clinic's name keeps its "'s", a treatment's
// name before "woman" or "lady" is the practitioner, and "o'clock" is no
// medicine taken at night.
func TestFormsRound16Wave4(t *testing.T) {
	runFormCases(t, []formCase{
		{"the flu clinic's", "I'm ringing to see if the flu clinic's on this Saturday", TypeMedicalCondition, ""},
		{"the physio woman", "the physio woman said i should ring and book the next lot myself", TypeProcedure, ""},
		{"physio as a treatment", "i've been having physio for my knee", TypeProcedure, "physio"},
		{"ten o'clock at night", "she tries to go out the front door at ten o'clock at night", TypeMedication, ""},
	})
}

// TestRound16TitledNames: a capitalised given name and a surname that is
// also a word need no cue; after a lower-case title a given name that is
// also a word ("mrs ivy bellamy") is a name, a verb ("the doctor said")
// is not; a full name in the possessive before a medical span stays a
// name, one word alone is an eponym.
func TestRound16TitledNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"Edna Price", "I'm phoning from the care home — Edna Price, room twelve, had a fall", TypePerson, "Edna Price"},
		{"Dr Geoffrey Mills", "Is Dr Geoffrey Mills in today?", TypePerson, "Geoffrey Mills"},
		{"Poppy Lane is a road", "we live on Poppy Lane near the school", TypePerson, ""},
		{"mrs ivy bellamy", "hello yes i'm the carer for mrs ivy bellamy she's got dementia", TypePerson, "ivy bellamy"},
		{"doctor o brien", "can i speak to doctor o brien please", TypePerson, "o brien"},
		{"a possessive full name", "we need to confirm Mr Callum Reid's extraction was done", TypePerson, "Callum Reid"},
		{"its procedure", "we need to confirm Mr Callum Reid's extraction was done", TypeProcedure, "extraction"},
		{"an eponym", "They found Barrett's oesophagus on my last endoscopy", TypePerson, ""},
	})
}

// TestRound16LowerNames: in lower case, a given name and a surname that
// are both words after a relative, an honorific or "this is"; "miss" and
// "said" stay a verb, "the MS nurse" a role.
func TestRound16LowerNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"my wife june long", "it's about my wife june long she had her hip replacement", TypePerson, "june long"},
		{"this is grace bell", "hi this is grace bell i'm ringing for my nan rose bell", TypePerson, "grace bell"},
		{"my nan rose bell", "hi this is grace bell i'm ringing for my nan rose bell", TypePerson, "rose bell"},
		{"mrs peach", "just ringing to say mrs peach won't be at her eye screening tomorrow", TypePerson, "peach"},
		{"my dad frank osei", "im phoning about my dad frank osei hes just come out of hospital", TypePerson, "frank osei"},
		{"can't miss doses", "they said I can't miss doses or I'll end up having a seizure", TypePerson, ""},
		{"my sister said it", "my sister said it might be gum disease", TypePerson, ""},
		{"the MS nurse", "he has MS and the MS nurse said to get him seen", TypePerson, ""},
		{"my mum rose early", "my mum rose early today and felt dizzy", TypePerson, ""},
	})
}

// TestFormsRound16LetterNames: letters read out as speech-to-text writes
// their names spell a test when they join into one; everyday words that
// are also letter names spell nothing.
func TestFormsRound16LetterNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"oh gee dee", "so the letter says oh gee dee which i think is the camera", TypeProcedure, "oh gee dee"},
		{"em ar eye", "his em ar eye is booked for tuesday", TypeProcedure, "em ar eye"},
		{"oh you see", "oh you see i was wondering about the parking", TypeProcedure, ""},
		{"see you", "see you on tuesday then", TypeProcedure, ""},
		{"pre diabetic", "the nurse said i'm pre diabetic now", TypeMedicalCondition, "pre diabetic"},
	})
}

// TestFormsRound16SpeltMedicines: a medicine's initialism read out on its
// own ("about h r t", "the g t n") is the medicine.
func TestFormsRound16SpeltMedicines(t *testing.T) {
	runFormCases(t, []formCase{
		{"about h r t", "id like to talk to someone about h r t", TypeMedication, "h r t"},
		{"the g t n", "for under my tongue for the angina the g t n the bottles empty", TypeMedication, "g t n"},
		{"letters of a postcode", "the postcode is b s one two", TypeMedication, ""},
	})
}

// TestRound16Wave7: a date after a person and "is" is their date of
// birth, a German insurer's name cues its number, a medicine running low
// is a supply (a sugar running low is a symptom).
func TestRound16Wave7(t *testing.T) {
	runFormCases(t, []formCase{
		{"Oliver is a date", "My son Oliver is 3 June 2016, he's got eczema all over his arms", TypeDateOfBirth, "3 June 2016"},
		{"an appointment is a date", "the appointment is 3 June 2026", TypeDateOfBirth, ""},
		{"Krankenkasse", "My Techniker Krankenkasse number is T447 1229 0358.", TypeInsuranceID, "T447 1229 0358"},
		{"morphine running low", "his syringe driver needs doing and his morphine is running low", TypeMedicalCondition, ""},
		{"sugar running low", "my sugar is running low and i feel shaky", TypeMedicalCondition, "sugar is running low"},
		{"staple removal", "he'll need staple removal at day ten", TypeProcedure, "staple removal"},
	})
}
