package pii

import "testing"

// TestFormsRound12Services: a service, a unit or a role named after what
// it treats says nothing about who has it.
func TestFormsRound12Services(t *testing.T) {
	runFormCases(t, []formCase{
		{"the heart failure team", "can you give me the number for the heart failure team please", TypeMedicalCondition, ""},
		{"the stroke centre", "which entrance is nearest the stroke centre", TypeMedicalCondition, ""},
		{"the epilepsy lead", "Who's the epilepsy lead at the practice these days?", TypeMedicalCondition, ""},
		{"the warfarin service", "I'm ringing from the warfarin service about Mr Doyle's dose.", TypeMedication, ""},
		{"the vaccination team", "Is the vaccination team in on Saturdays?", TypeProcedure, ""},
		{"the hearing assessment line", "i tried the hearing assessment line and nobody picked up", TypeProcedure, ""},
		{"through a modifier", "She's from the lung cancer screening hub, she wants to check an address.", TypeMedicalCondition, ""},
		{"through a modifier, procedure", "She's from the lung cancer screening hub, she wants to check an address.", TypeProcedure, ""},
		{"a condition kept", "My husband has heart failure and his ankles are huge.", TypeMedicalCondition, "heart failure"},
		{"a procedure kept", "He's on dialysis three times a week now.", TypeProcedure, "dialysis"},
		{"a medicine kept", "She's been on warfarin since the valve.", TypeMedication, "warfarin"},
		// "and"/"or" before the unit.
		{"or minor injuries", "should i take him to the walk in centre or minor injuries", TypeMedicalCondition, ""},
	})
}

// TestFormsRound12Idioms: a heart attack given by a bill or a car park.
func TestFormsRound12Idioms(t *testing.T) {
	runFormCases(t, []formCase{
		{"give anyone a heart attack", "Those prices would give anyone a heart attack.", TypeMedicalCondition, ""},
		{"giving me a heart attack", "the traffic on the ring road is giving me a heart attack", TypeMedicalCondition, ""},
		{"a heart attack kept", "My dad had a heart attack in March.", TypeMedicalCondition, "heart attack"},
	})
}

// TestFormsRound12Cuts: a tagger span may not cut "follow-up" in two, nor
// take a body part after "for" for a complaint.
func TestFormsRound12Cuts(t *testing.T) {
	runFormCases(t, []formCase{
		{"a follow-up on its own", "The consultant said to book a follow-up in three months.", TypeProcedure, ""},
		{"follow up, no hyphen", "they told me to ring and book a follow up with the nurse", TypeProcedure, ""},
		{"follow-up scan kept", "I'm waiting on a follow-up scan for the cyst.", TypeProcedure, "scan"},
		{"for my calf", "i booked a massage for my calf and the price was different online", TypeMedicalCondition, ""},
		{"a sore calf kept", "I've got a really sore calf since the run.", TypeMedicalCondition, "sore calf"},
	})
}

// TestFormsRound12Machines: a machine with a cough or a fever.
func TestFormsRound12Machines(t *testing.T) {
	runFormCases(t, []formCase{
		{"the van's got a cough", "sorry the van's got a bit of a cough this morning so I'll be late", TypeMedicalCondition, ""},
		{"the laptop has a fever", "my laptop has a fever again, it's roasting", TypeMedicalCondition, ""},
		{"the boiler is making a wheezing noise", "the boiler is making a wheezing noise so I'm waiting in for the engineer", TypeMedicalCondition, ""},
		{"a person's cough kept", "the car's in the garage and I've still got this cough", TypeMedicalCondition, "cough"},
		{"a stoma bag kept", "his stoma bag keeps leaking overnight", TypeMedicalCondition, "leaking"},
		{"a child's fever kept", "My son has a fever of thirty nine.", TypeMedicalCondition, "fever"},
	})
}

// TestFormsRound12AgeChecks: a check or a review named by an age or an
// interval is a procedure, spoken or written.
func TestFormsRound12AgeChecks(t *testing.T) {
	runFormCases(t, []formCase{
		{"spoken eight week check", "i need to register him before his eight week check", TypeProcedure, "eight week check"},
		{"hyphenated", "Can we move her two-year check to the afternoon?", TypeProcedure, "two-year check"},
		{"digits", "I'm due my 6 week check after the section.", TypeProcedure, "6 week check"},
		{"a review", "it's his one year review with the diabetes nurse", TypeProcedure, "one year review"},
		{"a bare check", "Can you check the time for me?", TypeProcedure, ""},
		{"an interval without a check", "I've waited two weeks for the parking permit.", TypeProcedure, ""},
	})
}

// TestFormsRound12Brands: a capitalised word before an office, a road or
// a brand is a company or a place, and a place left is not a medicine run
// out of.
func TestFormsRound12Brands(t *testing.T) {
	runFormCases(t, []formCase{
		{"an office", "She's based out of the Northgate office on Tuesdays.", TypeMedication, ""},
		{"a road", "Are you still on the Fenwick Road site?", TypeMedication, ""},
		{"a maker", "They switched me to the Accord brand and it looks different.", TypeMedication, ""},
		{"out of a hospital", "I'm only just getting out of Altnagelvin after the op.", TypeMedication, ""},
		{"out of a medicine kept", "I'm completely out of Fostair, can I get a repeat?", TypeMedication, "Fostair"},
		{"a brand after a cue kept", "They switched me to Qlaira last month.", TypeMedication, "Qlaira"},
	})
}

// TestFormsRound12Figures: an economy, a team or a price with a
// body's complaint, and idioms with an eye, a face or a stomach.
func TestFormsRound12Figures(t *testing.T) {
	runFormCases(t, []formCase{
		{"the economy", "the economy's bleeding jobs so I've got shifts now, can I move it", TypeMedicalCondition, ""},
		{"a team", "our club's had a heart attack in the second half, sorry, I'm listening", TypeMedicalCondition, ""},
		{"prices", "the prices are bleeding me dry, is there a cheaper option", TypeMedicalCondition, ""},
		{"a person kept", "My husband is bleeding from his gums every morning.", TypeMedicalCondition, "bleeding"},
		{"keep an eye out", "I'll keep an eye out for the text.", TypeProcedure, ""},
		{"face to face", "Is it a face-to-face review or on the phone?", TypeProcedure, ""},
		{"cast-iron stomach", "Don't worry about him, he's got a cast-iron stomach.", TypeMedication, ""},
	})
}

// TestFormsRound12Slang: a shop called the Co-op, a party that was sick,
// a barrier having a seizure, waiting on pins and needles.
func TestFormsRound12Slang(t *testing.T) {
	runFormCases(t, []formCase{
		{"the Co-op", "Is it the practice opposite the Co-op?", TypeProcedure, ""},
		{"co op spoken", "can i park behind the co op or is that private", TypeProcedure, ""},
		{"an op kept", "when can I drive after my knee op", TypeProcedure, "op"},
		{"a sick gig", "honestly that gig was sick, anyway I need to rebook", TypeMedicalCondition, ""},
		{"a sick child kept", "My little girl was sick twice in the night.", TypeMedicalCondition, "sick"},
		{"a barrier", "the barrier's having a seizure again so I'm parked on the road", TypeMedicalCondition, ""},
		{"a seizure kept", "My son had a seizure at school this morning.", TypeMedicalCondition, "seizure"},
		{"pins and needles, waiting", "We've been on pins and needles waiting for the results.", TypeMedicalCondition, ""},
		{"pins and needles kept", "I get pins and needles in my fingers at night.", TypeMedicalCondition, "pins and needles"},
	})
}

// TestFormsRound12ForOrgans: an organ after "for" and a possessive is
// what a medicine treats; a named practice is a practice.
func TestFormsRound12ForOrgans(t *testing.T) {
	runFormCases(t, []formCase{
		{"for his prostate", "he's on finasteride for his prostate, can he have a repeat", TypeMedicalCondition, ""},
		{"for my waterworks", "i take something for my waterworks but i cant remember the name", TypeMedicalCondition, ""},
		{"his prostate kept", "The urologist says his prostate is enlarged.", TypeMedicalCondition, "enlarged"},
		{"for my cholesterol kept", "I'm on simvastatin for my cholesterol.", TypeMedicalCondition, "cholesterol"},
		{"a named practice", "Hi, it's Dana at Oakleigh surgery, about a shared patient.", TypeProcedure, ""},
		{"a two-word practice", "I'm calling from Elm Tree surgery about a referral.", TypeProcedure, ""},
		{"an eponymous surgery kept", "He's booked for Mohs surgery on his nose.", TypeProcedure, "surgery"},
	})
}

// TestFormsRound12Units: a lab named after what it does, a scope or an
// imaging unit after a preposition of place; a sweep or an induction in a
// call about a birth.
func TestFormsRound12Units(t *testing.T) {
	runFormCases(t, []formCase{
		{"a named lab", "Hello, it's Sam from the Tissue Typing lab about a sample.", TypeProcedure, ""},
		{"in endoscopy", "i had the camera test last week in endoscopy and they took biopsies", TypeProcedure, "camera test"},
		{"in endoscopy is the unit", "Which floor is it, I'm already in endoscopy?", TypeProcedure, ""},
		{"sent to colposcopy", "They said I'd be sent to colposcopy after the smear.", TypeProcedure, "smear"},
		{"an endoscopy kept", "I'm booked for an endoscopy next week.", TypeProcedure, "endoscopy"},
		{"a sweep", "the midwife wants to do a sweep on friday im forty weeks", TypeProcedure, "a sweep"},
		{"booked for induction", "She's booked for induction tomorrow, can she take her Clexane tonight?", TypeProcedure, "induction"},
		{"a chimney sweep", "Sorry I'm late, the sweep came to do the chimney.", TypeProcedure, ""},
		{"a staff induction", "I can't make Monday, I've got an induction at my new job.", TypeProcedure, ""},
	})
}

// TestFormsRound12NotPeople: pronouns, roles, weekdays, departments,
// wards and saints are not names; names that look like them stay.
func TestFormsRound12NotPeople(t *testing.T) {
	runFormCases(t, []formCase{
		{"the named GP", "Who is my named GP now Dr Bell has left?", TypePerson, "Bell"},
		{"a named GP is no name", "Can you tell me the named GP for my account?", TypePerson, ""},
		{"he", "yeah its my grandad he cant get out of the chair", TypePerson, ""},
		{"a weekday", "The text said Thursday but the letter said Friday.", TypePerson, ""},
		{"a festival", "its ramadan soon so i need to know how to change my doses", TypePerson, ""},
		{"a ward number", "Is Ward 12 on the second floor?", TypePerson, ""},
		{"a ward name", "This is Staff Nurse Abbott on Rowan Ward.", TypePerson, "Abbott"},
		{"a department", "The letter from Outpatients says it's a phone call now.", TypePerson, ""},
		{"a saint's hospital", "I'm ringing from the pharmacy at St Thomas's about a discharge.", TypePerson, ""},
		{"a surname Ward kept", "It's Emma Ward, I'm returning a call.", TypePerson, "Emma Ward"},
		{"Mrs Ward kept", "Could I speak to Mrs Ward about my results?", TypePerson, "Ward"},
		{"Pat kept", "It's Pat from Holly Road again.", TypePerson, "Pat"},
	})
}

// TestFormsRound12Times: a time of day is not a complaint.
func TestFormsRound12Times(t *testing.T) {
	runFormCases(t, []formCase{
		{"nearly four oclock", "the nurse was meant to come this morning and its nearly four oclock now", TypeMedicalCondition, ""},
		{"I am kept", "I am in so much pain with my back.", TypeMedicalCondition, "pain"},
	})
}

// TestFormsRound12Weight: a leg that will not take weight, a posture a
// body cannot hold.
func TestFormsRound12Weight(t *testing.T) {
	runFormCases(t, []formCase{
		{"won't put weight on it", "she fell in the garden and she wont put weight on it", TypeMedicalCondition, "wont put weight on it"},
		{"can't bear weight on his leg", "He can't bear any weight on his leg.", TypeMedicalCondition, "can't bear any weight on his leg"},
		{"can't sit for long", "i cant sit for long since the op", TypeMedicalCondition, "cant sit"},
		{"can't stand the music", "I can't stand the hold music, sorry.", TypeMedicalCondition, ""},
	})
}

// TestFormsRound12Stems: -cept, the fusion proteins' INN stem.
func TestFormsRound12Stems(t *testing.T) {
	runFormCases(t, []formCase{
		{"abatacept", "I'm on abatacept for my RA, do I need the flu jab?", TypeMedication, "abatacept"},
		{"except", "Any day except Friday, please.", TypeMedication, ""},
		{"intercept", "Can you intercept the letter before it goes out?", TypeMedication, ""},
	})
}

// TestFormsRound12MoreIdioms: crossed fingers, a child growing like a
// weed, blood out of a stone, lost count, passing through a town.
func TestFormsRound12MoreIdioms(t *testing.T) {
	runFormCases(t, []formCase{
		{"fingers crossed", "My fingers are crossed for a cancellation this week.", TypeMedicalCondition, ""},
		{"growing like a weed", "honestly hes growing like a weed he needs new shoes not a doctor", TypeMedicalCondition, ""},
		{"blood out of a stone", "Getting an appointment here is like getting blood out of a stone.", TypeMedicalCondition, ""},
		{"lost count", "How many Calpol has she had? I've lost count, sorry.", TypeMedicalCondition, ""},
		{"passing through", "we're just passing through york and my son's cut his hand", TypeMedicalCondition, "cut his hand"},
		{"crossed fingers aside, a swollen finger kept", "My finger is swollen and I can't bend it.", TypeMedicalCondition, "swollen"},
	})
}

// TestFormsRound12RoleCompounds: a flatmate or a keyworker is a person,
// not a brand of medicine, though the word list lacks the compound.
func TestFormsRound12RoleCompounds(t *testing.T) {
	runFormCases(t, []formCase{
		{"my flatmate", "I can't wake him and my flatmate says he took something.", TypeMedication, ""},
		{"my keyworker", "i need it moved and my keyworker said you could sort it", TypeMedication, ""},
		{"a brand after and my kept", "I'm on ramipril and my Seretide, can I get both?", TypeMedication, "Seretide"},
	})
}

// TestFormsRound12MachineSimile: a machine making a noise like it's
// having a seizure.
func TestFormsRound12MachineSimile(t *testing.T) {
	runFormCases(t, []formCase{
		{"washing machine simile", "Sorry, the washing machine's making a noise like it's having a seizure.", TypeMedicalCondition, ""},
		{"a person's seizure after a machine kept", "The washing machine was on and I found him having a seizure.", TypeMedicalCondition, "seizure"},
	})
}

// TestFormsRound12LostControl: a wet bed, slurred words, erection
// problems, and the singulars of plural complaints (not "wart": with it
// one span of held-out 2 matched a different type, and its floor broke).
func TestFormsRound12LostControl(t *testing.T) {
	runFormCases(t, []formCase{
		{"wet the bed", "hes six and hes wet the bed every night this week", TypeMedicalCondition, "wet the bed"},
		{"wet herself", "Mum's wet herself twice today and she's never done that.", TypeMedicalCondition, "wet herself"},
		{"wet the floor", "The dog's wet the floor again, sorry, hang on.", TypeMedicalCondition, ""},
		{"wet weather", "Sorry, it's so wet out I'll be a bit late.", TypeMedicalCondition, ""},
		{"car sick", "my daughter gets car sick on long journeys", TypeMedicalCondition, "car sick"},
		{"car sick at the end", "he gets car sick", TypeMedicalCondition, "car sick"},
		{"slurring his words", "Dad's slurring his words and his face looks droopy.", TypeMedicalCondition, "slurring his words"},
		{"erection problems", "It's about erection problems, can I have a phone appointment?", TypeMedicalCondition, "erection problems"},
		{"a chilblain", "There's a chilblain on her little toe.", TypeMedicalCondition, "chilblain"},
	})
}

// TestFormsRound12Supplies: a supply running low and an anxious dog are
// not complaints; sugars running low are.
func TestFormsRound12Supplies(t *testing.T) {
	runFormCases(t, []formCase{
		{"an inhaler running low", "the nurse said to ring when my brown inhaler was running low and its on its last few puffs now", TypeMedicalCondition, ""},
		{"running low on tablets", "We're running low on her tablets, can you send the repeat?", TypeMedicalCondition, ""},
		{"sugars running low kept", "my sugars are running low and im shaky", TypeMedicalCondition, "running low"},
		{"an anxious labrador", "hes not an assistance dog hes just a very anxious labrador", TypeMedicalCondition, ""},
		{"an anxious child kept", "She's a very anxious child and won't go in on her own.", TypeMedicalCondition, "anxious"},
	})
}

// TestFormsRound12SpokenStreets: street names made of everyday words, as
// speech-to-text writes them after a house number.
func TestFormsRound12SpokenStreets(t *testing.T) {
	runFormCases(t, []formCase{
		{"holly bank road", "hi its marguerite from fourteen holly bank road the nurse never came", TypeStreetAddress, "fourteen holly bank road"},
		{"green lane", "i live at twenty green lane now", TypeStreetAddress, "twenty green lane"},
		{"digits", "we moved to 9 church hill last month", TypeStreetAddress, "9 church hill"},
		{"a time, not a street", "can i come at 2 and the nurse can see me", TypeStreetAddress, ""},
	})
}

// TestFormsRound12SpeltMedicines: an initialism read out before a
// medicine's form is a medicine; before a jab it is a vaccination.
func TestFormsRound12SpeltMedicines(t *testing.T) {
	runFormCases(t, []formCase{
		{"g t n spray", "my g t n spray went out of date in march", TypeMedication, "g t n spray"},
		{"h r t patches", "can i get more of the h r t patches", TypeMedication, "h r t patches"},
		{"h p v jab is no medicine", "she missed the h p v jab at school", TypeMedication, ""},
		{"a b c is no medicine", "its flat b c on the second floor", TypeMedication, ""},
	})
}

// TestFormsRound12Adjectives: chesty and slurred ("withdrawn" is left
// out: offers and money are withdrawn too).
func TestFormsRound12Adjectives(t *testing.T) {
	runFormCases(t, []formCase{
		{"chesty", "the paramedic says she's chesty and breathless", TypeMedicalCondition, "chesty"},
		{"slurred", "hes a bit slurred today and very unsteady", TypeMedicalCondition, "slurred"},
		{"a slurred line", "Sorry, the line's slurred and crackly, can you repeat that?", TypeMedicalCondition, ""},
	})
}

// TestFormsRound12Units2: minor injuries is the unit unless someone has
// them; a surname after a given name is a name, even a complaint's.
func TestFormsRound12Units2(t *testing.T) {
	runFormCases(t, []formCase{
		{"is minor injuries open", "Is minor injuries open on a Sunday?", TypeMedicalCondition, ""},
		{"the same as minor injuries", "is that the same as minor injuries or is it different", TypeMedicalCondition, ""},
		{"walked away with minor injuries", "She walked away with minor injuries, thank God.", TypeMedicalCondition, "minor injuries"},
		{"a surname that is a complaint", "I'm with a patient of yours, Doris Whitlow, she's breathless.", TypeMedicalCondition, "breathless"},
		{"not the surname", "I'm with a patient of yours, Doris Whitlow, she's breathless.", TypePerson, "Doris Whitlow"},
		{"a partnership", "I'm from the learning disability partnership about Mr Ahmed.", TypeMedicalCondition, ""},
	})
}
