package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFormsRound14MedicineEffects: what a medicine makes a body do is a
// side effect in any words; a subject that is no medicine makes nothing.
func TestFormsRound14MedicineEffects(t *testing.T) {
	runFormCases(t, []formCase{
		{"make her hyper", "The antihistamines make her hyper rather than sleepy, she was up till eleven.", TypeMedicalCondition, "hyper"},
		{"making her forget words", "the topiramate is making her forget words and she's a teacher", TypeMedicalCondition, "forget words"},
		{"it's made me after a medicine", "since i started the sertraline it's made me so jittery", TypeMedicalCondition, "jittery"},
		{"making my ankles swell", "I'm on amlodipine and it's making my ankles swell", TypeMedicalCondition, "ankles swell"},
		{"a spoken medicine's effect", "um so im on the amitrip tiline ten at night and its making me groggy in the morning", TypeMedicalCondition, "groggy"},
		{"the traffic makes nothing", "the traffic's making me late for my appointment", TypeMedicalCondition, ""},
		{"a better effect is none", "the new tablets are making me feel better thanks", TypeMedicalCondition, ""},
		{"a person makes nothing", "my mum makes me laugh about my tablets", TypeMedicalCondition, ""},
		{"it with no medicine before", "the new rota is making me work every weekend", TypeMedicalCondition, ""},
		{"an intensifier before the effect", "um the gaba pentin is making me so foggy i forget words", TypeMedicalCondition, "foggy"},
		{"giving him dreams", "my son says the melatonin gives him bad dreams", TypeMedicalCondition, "bad dreams"},
		{"wiping him out", "My stepdad says the bisoprolol is wiping him out, he can't get up the hill", TypeMedicalCondition, "wiping him out"},
		{"they gave me", "the sal bue ta mol inhaler they gave me is a different colour", TypeMedicalCondition, ""},
		{"a person gives", "he gave me a lift to the surgery", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14InjuredThings: an injury verb whose object is a thing
// hurts no body; a body part, a reflexive or a clinical word after it
// keeps the injury.
func TestFormsRound14InjuredThings(t *testing.T) {
	runFormCases(t, []formCase{
		{"burnt the roast", "I burnt the Sunday roast to a crisp because I was on the phone", TypeMedicalCondition, ""},
		{"cut the worktop", "he cut the new worktop a centimetre short so that is another trip", TypeMedicalCondition, ""},
		{"burnt my hand kept", "I burnt my hand on the oven door", TypeMedicalCondition, "burnt my hand"},
		{"cut her finger kept", "she cut her finger on the bread knife", TypeMedicalCondition, "cut her finger"},
		{"cut himself kept", "he cut himself shaving and it won't stop bleeding", TypeMedicalCondition, "cut himself"},
	})
}

// TestFormsRound14OddTimes: sleeping most of the day or for hours on end
// is a change in a body; a caller's own shift work is not.
func TestFormsRound14OddTimes(t *testing.T) {
	runFormCases(t, []formCase{
		{"most of the day", "Mum's off her food and she's sleeping most of the day.", TypeMedicalCondition, "sleeping most of the day"},
		{"hours a day", "he's sleeping fourteen hours a day, he can't get up for work", TypeMedicalCondition, "sleeping fourteen hours a day"},
		{"the caller's nights", "I work nights so I'm sleeping most of the day", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14Predicates: a condition and what is said of it are one
// mention; two conditions side by side, or a question after one, are not
// joined.
func TestFormsRound14Predicates(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"I've got this rash that's spreading up me arm", "MEDICAL_CONDITION:rash that's spreading"},
		{"my gout has flared up again and the allopurinol doesn't touch it", "MEDICAL_CONDITION:gout has flared up"},
		{"My anxiety has been much worse since they switched me", "MEDICAL_CONDITION:anxiety has been much worse"},
	} {
		assert.Contains(t, spans(testDetector, tc.text), tc.want, tc.text)
	}
	got := spans(testDetector, "I've got asthma and eczema")
	assert.Contains(t, got, "MEDICAL_CONDITION:asthma")
	assert.Contains(t, got, "MEDICAL_CONDITION:eczema")
	got = spans(testDetector, "i'm waking up soaked is that menopause")
	assert.Contains(t, got, "MEDICAL_CONDITION:menopause")
}

// TestFormsRound14Departments: a condition that names a class or the
// department that treats it is no one's condition.
func TestFormsRound14Departments(t *testing.T) {
	runFormCases(t, []formCase{
		{"an education course", "Is the diabetes education course on a weekday or weekends?", TypeMedicalCondition, ""},
		{"ring a department", "my blood sugars are all over the place do i ring diabetes or respiratory", TypeMedicalCondition, "blood sugars"},
		{"ring a department, none else", "do i ring diabetes or respiratory", TypeMedicalCondition, ""},
		{"speak to in", "who do i speak to in diabetes", TypeMedicalCondition, ""},
		{"had diabetes kept", "I've had diabetes for ten years", TypeMedicalCondition, "diabetes"},
		{"a rabies course kept", "I need the rabies course before I go volunteering in Cambodia", TypeMedicalCondition, "rabies"},
	})
}

// TestFormsRound14Discharge: the body's discharge, not the hospital's;
// and anxiety about something when it is graded.
func TestFormsRound14Discharge(t *testing.T) {
	runFormCases(t, []formCase{
		{"a bit of discharge", "I've noticed a bit of discharge since last week.", TypeMedicalCondition, "a bit of discharge"},
		{"got a discharge", "I've got a discharge and it stings when I wee", TypeMedicalCondition, "a discharge"},
		{"from her ear", "there's some discharge from her ear", TypeMedicalCondition, "discharge from her ear"},
		{"a discharge letter", "Can you email the discharge letter to the surgery?", TypeMedicalCondition, ""},
		{"had a discharge for", "we've had a discharge for Mr Ahmed asking for dressings", TypeMedicalCondition, ""},
		{"the discharge lounge", "I'm waiting in the discharge lounge for my lift", TypeMedicalCondition, ""},
		{"really anxious about it", "nobodys rung me and im getting really anxious about it", TypeMedicalCondition, "anxious"},
		{"anxious about the cost", "I'm a bit anxious about the cost to be honest", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14LaySymptoms: a joint that gives way, a room that spins,
// skin hot to the touch, a count of falls, and the states that grade a
// person; with the traffic, the dance floor, the waterfall and the price
// that stay out.
func TestFormsRound14LaySymptoms(t *testing.T) {
	runFormCases(t, []formCase{
		{"knee gives way", "My knee gives way on the stairs.", TypeMedicalCondition, "knee gives way"},
		{"it just gives way", "i can't lift the kettle with my right hand it just gives way", TypeMedicalCondition, "gives way"},
		{"give way to the bus", "you have to give way to the bus at the roundabout", TypeMedicalCondition, ""},
		{"the room spins", "when i turn over in bed the whole room spins", TypeMedicalCondition, "room spins"},
		{"spinning with the music", "The room was spinning with the music at the wedding", TypeMedicalCondition, ""},
		{"warm to touch", "I've had a pain in my calf since the flight and it's warm to touch.", TypeMedicalCondition, "warm to touch"},
		{"three falls", "she's had three falls in a fortnight", TypeMedicalCondition, "three falls"},
		{"Niagara Falls", "we went to see Niagara Falls last year", TypeMedicalCondition, ""},
		{"the price falls", "the price falls every winter", TypeMedicalCondition, ""},
		{"very withdrawn", "Mum's been very withdrawn since Dad died", TypeMedicalCondition, "withdrawn"},
		{"a bit grizzly", "After the MMR yesterday she's a bit grizzly.", TypeMedicalCondition, "grizzly"},
	})
}

// TestFormsRound14OxygenSwollen: oxygen given as a treatment, not the
// supplier or a level; swollen said of a body, not of a river.
func TestFormsRound14OxygenSwollen(t *testing.T) {
	runFormCases(t, []formCase{
		{"on oxygen", "hes on oxygen so the transport needs to carry a cylinder", TypeMedication, "oxygen"},
		{"started oxygen", "she's more breathless today and we've started oxygen", TypeMedication, "oxygen"},
		{"the oxygen company", "the oxygen company rang to say the delivery is late", TypeMedication, ""},
		{"oxygen levels", "the nurse checked her oxygen levels on Monday", TypeMedication, ""},
		{"massively swollen", "i twisted my ankle playing five a side and its massively swollen", TypeMedicalCondition, "swollen"},
		{"hot and swollen", "it's still hot and swollen", TypeMedicalCondition, "swollen"},
		{"a swollen river", "The river is so swollen after the storm that they've shut the bridge", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14Behaviours: behaviours carried over from the clause
// before, meals left, falling asleep where one should not, and no longer
// recognising the familiar; with the caller's own night, an old man's
// nap and a machine that does not know a card.
func TestFormsRound14Behaviours(t *testing.T) {
	runFormCases(t, []formCase{
		{"and sleeping all day", "hes refusing food and sleeping all day and hes more confused", TypeMedicalCondition, "sleeping all day"},
		{"and crying all night", "shes pulling at her ear and crying all night", TypeMedicalCondition, "crying all night"},
		{"she's up all night", "the prednisolone has turned her into a different person shes up all night", TypeMedicalCondition, "up all night"},
		{"I was up all night", "I was up all night with the baby so I'm a bit tired", TypeMedicalCondition, ""},
		{"not eating his lunch", "school say he's not eating his lunch", TypeMedicalCondition, "not eating his lunch"},
		{"falling asleep at the table", "Mum's falling asleep at the table and dribbling", TypeMedicalCondition, "falling asleep at the table"},
		{"asleep in front of the cricket", "my grandad keeps dozing off in front of the cricket, hes fine", TypeMedicalCondition, ""},
		{"stopped recognising", "He's stopped recognising me some days", TypeMedicalCondition, "stopped recognising me"},
		{"a till that does not recognise", "The new till system at work doesn't recognise my staff card some days", TypeMedicalCondition, ""},
		{"you might not recognise me", "I got a haircut so you might not recognise me.", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14ColdAndExhausted: a cold someone had, not a cold snap
// or a cold call; exhausted after a person's copula at a clause's end.
func TestFormsRound14ColdAndExhausted(t *testing.T) {
	runFormCases(t, []formCase{
		{"had a cold all week", "hes had a cold all week should they still do it", TypeMedicalCondition, "a cold"},
		{"since i had a cold", "i cant hear a thing since i had a cold its all blocked", TypeMedicalCondition, "a cold"},
		{"a cold snap", "we had a cold snap last week", TypeMedicalCondition, ""},
		{"a cold call", "I got a cold call from a company", TypeMedicalCondition, ""},
		{"and I'm exhausted", "My periods are so heavy and I'm exhausted, my friend said", TypeMedicalCondition, "exhausted"},
		{"exhausted from the drive", "I'm exhausted from the drive", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14FormsRingingJoints: a medicine named by its form alone,
// a ringing ear, a joint's noise; with a phone's ringing, a price that
// drops and a door that clicks.
func TestFormsRound14FormsRingingJoints(t *testing.T) {
	runFormCases(t, []formCase{
		{"on drops", "they won't have her back till she's on drops", TypeMedication, "drops"},
		{"swap to the gel", "can I swap to the gel?", TypeMedication, "gel"},
		{"the price drops", "the price drops after Christmas", TypeMedication, ""},
		{"a ringing ear", "there's a ringing in my left ear that comes and goes", TypeMedicalCondition, "ringing in my left ear"},
		{"the phone ringing", "sorry the phone's ringing in the other room, can you hold", TypeMedicalCondition, ""},
		{"hip grinding", "its my hip its grinding when i walk", TypeMedicalCondition, "grinding"},
		{"a door clicking", "the door keeps clicking shut behind me", TypeMedicalCondition, ""},
	})
}

// TestFormsRound14PersonColour: a person who turns a colour is unwell;
// the sky is not a person.
func TestFormsRound14PersonColour(t *testing.T) {
	runFormCases(t, []formCase{
		{"gone a bit yellow", "she was born in February and she's gone a bit yellow", TypeMedicalCondition, "gone a bit yellow"},
		{"husband gone grey", "my husband's gone really grey and short of breath", TypeMedicalCondition, "grey"},
		{"the sky", "the sky's gone all grey again", TypeMedicalCondition, ""},
	})
}
