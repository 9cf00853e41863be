package pii

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestFormsRound13Places: a procedure word before a place or a paper names
// the place or the paper ("the x ray bit", "the pre-assessment
// questionnaire"), not a procedure someone has.
func TestFormsRound13Places(t *testing.T) {
	runFormCases(t, []formCase{
		{"the x ray bit", "er yeah is there parking round the back of the x ray bit", TypeProcedure, ""},
		{"the scanning wing", "which floor is the MRI wing on", TypeProcedure, ""},
		{"the questionnaire", "Can you send the pre-assessment questionnaire to my email please?", TypeProcedure, ""},
		{"an x ray kept", "he needs an x ray on his wrist a bit later", TypeProcedure, "x ray"},
		{"an MRI kept", "I'm booked for an MRI on Tuesday.", TypeProcedure, "MRI"},
	})
}

// TestFormsRound13Letters: capitals that a reference starts with.
func TestFormsRound13Letters(t *testing.T) {
	runFormCases(t, []formCase{
		{"starting with OP", "My reference is the one starting with OP, 7781-2.", TypeProcedure, ""},
		{"begins with ECG", "the order number begins with ECG then four digits", TypeProcedure, ""},
		{"an op kept", "My dad's op is on Thursday, the one starting with the anaesthetic.", TypeProcedure, "op"},
	})
}

// TestFormsRound13References: a reference read out, and the record
// numbers that are not phones.
func TestFormsRound13References(t *testing.T) {
	runFormCases(t, []formCase{
		{"MRI then digits", "My reference number is MRI 4 4 7 1 9, I just want to confirm it's still going ahead.", TypeProcedure, ""},
		{"an MRI then a date kept", "the MRI 4 weeks ago showed a disc", TypeProcedure, "MRI"},
		{"a hospital number", "My date of birth's 30.11.1955 and my hospital number's 8830214, I'm down for a biopsy.", TypePhoneNumber, ""},
		{"a phone after phone's", "my phone's 07700 900123 if you need me", TypePhoneNumber, "07700 900123"},
	})
}

// TestFormsRound13TitledPossessive: "Mr Hollis's colonoscopy" is his.
func TestFormsRound13TitledPossessive(t *testing.T) {
	runFormCases(t, []formCase{
		{"the procedure alone", "we need to move Mr Hollis's colonoscopy to the afternoon list", TypeProcedure, "colonoscopy"},
		{"the name kept", "we need to move Mr Hollis's colonoscopy to the afternoon list", TypePerson, "Hollis"},
		{"an eponym kept", "my son has Down's syndrome and needs a longer slot", TypeMedicalCondition, "Down's syndrome"},
	})
}

// TestFormsRound13Referrals: the clinic or service a patient is sent to is
// a place; a referral to a specialty is the referral.
func TestFormsRound13Referrals(t *testing.T) {
	runFormCases(t, []formCase{
		{"the memory clinic", "the gp referred her to the memory clinic but we havent heard", TypeProcedure, ""},
		{"the falls service", "can she be referred to the falls service?", TypeProcedure, ""},
		{"a referral to dermatology kept", "I need a referral to dermatology.", TypeProcedure, "referral to dermatology"},
		{"referred to physio kept", "can i get referred to physio for my knee", TypeProcedure, "physio"},
	})
}

// TestFormsRound13Physio: the physio who rings or visits is a person.
func TestFormsRound13Physio(t *testing.T) {
	runFormCases(t, []formCase{
		{"on the phone", "yeah so the physio on the phone said i could self refer for my bad back", TypeProcedure, ""},
		{"hasn't been out", "she's been off her legs since the water infection and the physio hasn't been out yet", TypeProcedure, ""},
		{"came round", "the physio came round on Monday and left some exercises", TypeProcedure, ""},
		{"physio booked kept", "I've got physio on the Tuesday for my knee", TypeProcedure, "physio"},
	})
}

// TestFormsRound13Everyday: a business operation, a dressings order, a
// pill organiser, a morning that is a headache, binge watching.
func TestFormsRound13Everyday(t *testing.T) {
	runFormCases(t, []formCase{
		{"a cleaning operation", "we run a little cleaning operation and one of the lads cut his hand", TypeProcedure, ""},
		{"an operation kept", "my dad's operation is on Friday", TypeProcedure, "operation"},
		{"a dressing order", "im calling from the district nurse team about a dressing order reference four four seven two b", TypeProcedure, ""},
		{"a dressing kept", "the nurse changed the dressing on his leg", TypeProcedure, "dressing"},
		{"a pill organiser", "the cat knocked my pill organiser off the side", TypeMedication, ""},
		{"my pills kept", "the cat knocked my pills off the side", TypeMedication, "pills"},
		{"a headache of a morning", "the traffic was a nightmare, absolute headache of a morning", TypeMedicalCondition, ""},
		{"a headache kept", "I've had a headache all morning", TypeMedicalCondition, "headache"},
		{"binge watching", "we've been binge watching that hospital drama", TypeMedicalCondition, ""},
		{"binge eating kept", "I've been binge eating again since the move", TypeMedicalCondition, "binge eating"},
	})
}

// TestFormsRound13People: "mate" is said to anyone; an NHS number the
// caller hunts for keeps its cue.
func TestFormsRound13People(t *testing.T) {
	runFormCases(t, []formCase{
		{"mate", "mate ive been on hold forty minutes", TypePerson, ""},
		{"a found NHS number", "right so my NHS number, hang on it's on the letter, it's 455 754 3855", TypeNationalID, "455 754 3855"},
		{"not a phone", "right so my NHS number, hang on it's on the letter, it's 455 754 3855", TypePhoneNumber, ""},
	})
}

// TestFormsRound13PlacesFrom: a town someone came from is not a person.
func TestFormsRound13PlacesFrom(t *testing.T) {
	runFormCases(t, []formCase{
		{"visiting from Milan", "my mother-in-law Graziella Conti is visiting from Milan, she's lost her tablets", TypePerson, "Graziella Conti"},
		{"Milan not a person", "my mother-in-law is visiting from Milan, she's lost her tablets", TypePerson, ""},
		{"a message from Milan kept", "I had a message from Milan about my results", TypePerson, "Milan"},
	})
}

// TestFormsRound13Things: charities, room codes, a boiler's pressure, the
// pub, household compounds; a care home's name is not a person.
func TestFormsRound13Things(t *testing.T) {
	runFormCases(t, []formCase{
		{"the heart foundation", "im doing a sponsored walk for the heart foundation and i wanted to check its safe with my angina", TypeMedicalCondition, "angina"},
		{"a room code", "the room number on the letter is b twelve is that the old building", TypeProcedure, ""},
		{"a room code, medication", "the room number on the letter is b twelve is that the old building", TypeMedication, ""},
		{"b twelve kept", "im due my b twelve injection next week", TypeProcedure, "injection"},
		{"boiler pressure", "the heating engineer has been round and the boiler pressure keeps dropping", TypeMedicalCondition, ""},
		{"blood pressure kept", "my blood pressure keeps dropping when I stand up", TypeMedicalCondition, "blood pressure keeps dropping"},
		{"the pub", "were off to the crown for a joint of lamb anyway", TypeProcedure, ""},
		{"a crown kept", "I need to come back to the crown fitting, it's loose", TypeProcedure, "crown"},
		{"dishwasher tablets", "its the dishwasher tablets from the big shop", TypeMedication, ""},
		{"a blood orange", "a shot of espresso and a blood orange juice was all i had", TypeProcedure, ""},
		{"dropped a stitch", "she dropped a stitch and got so cross", TypeMedicalCondition, ""},
		{"willow lodge", "hello its bernadette senior carer at willow lodge one of our residents", TypePerson, "bernadette"},
		{"willow lodge not a person", "hello its the senior carer at willow lodge one of our residents", TypePerson, ""},
	})
}

// TestFormsRound13Spoken: e-mail addresses with numbers or spelt letters
// before the "at", and an NHS number cued by its letters.
func TestFormsRound13Spoken(t *testing.T) {
	runFormCases(t, []formCase{
		{"numbers before at", "my email is jake dot whitfield eighty seven at hotmail dot co dot uk can you send the link", TypeEmailAddress, "jake dot whitfield eighty seven at hotmail dot co dot uk"},
		{"letters before at", "can i just spell my email its priya underscore k r nine at gmail dot com", TypeEmailAddress, "priya underscore k r nine at gmail dot com"},
		{"no person inside", "my email is jake dot whitfield eighty seven at hotmail dot co dot uk", TypePerson, ""},
		{"a place, not an email", "i'll be there at nine at the latest", TypeEmailAddress, ""},
		{"n h s", "and my n h s number is four one nine three nine three seven zero six two i think", TypeNationalID, "four one nine three nine three seven zero six two"},
	})
}

// TestFormsRound13SpokenDrugs: a medicine heard as English words counts
// when the call is about medicines or a form follows; the same sounds in
// ordinary talk do not.
func TestFormsRound13SpokenDrugs(t *testing.T) {
	runFormCases(t, []formCase{
		{"in a medication review", "yeah so its a medication review for the um sitter glip tin and the met for min", TypeMedication, "met for min"},
		{"after a list's determiner", "its the ramipril and the met for min i need", TypeMedication, "met for min"},
		{"insulin pens", "i wanted to know if my in sue lin pens need a letter for the airport", TypeMedication, "in sue lin"},
		{"with a repeat", "yeah i need a repeat of my tram bow and my car bossy stein please", TypeMedication, "car bossy stein"},
		{"no medicine talk", "we met for min utes and then went home", TypeMedication, ""},
		{"a late night chemist", "what time does the late night chemist shut on a sunday", TypeMedication, ""},
		{"the pharmacy had them", "my mum said the pharmacy had them for about two pounds", TypeMedication, ""},
	})
}

// TestFormsRound13Queasy: a symptom adjective after a copula and an
// intensifier.
func TestFormsRound13Queasy(t *testing.T) {
	runFormCases(t, []formCase{
		{"ever so queasy", "i threw up twice on the train home and im still ever so queasy", TypeMedicalCondition, "queasy"},
		{"a queasy joke", "that film made for queasy viewing", TypeMedicalCondition, ""},
	})
}

// TestFormsRound13Locations: where a complaint is, said after it, is not
// another mention.
func TestFormsRound13Locations(t *testing.T) {
	runFormCases(t, []formCase{
		{"all over my tongue", "i've got ulcers all over my tongue since i started nick oran dill", TypeMedicalCondition, "ulcers"},
	})
	got := spans(testDetector, "i've got ulcers all over my tongue since i started nick oran dill")
	assert.NotContains(t, got, TypeMedicalCondition+":tongue", "the tongue is where the ulcers are")
}

// TestFormsRound13Answer: a national number given as the answer to a
// question that named it.
func TestFormsRound13Answer(t *testing.T) {
	runFormCases(t, []formCase{
		{"BSN after its question", "For the fertility paperwork do you need my BSN? It's 246513603, I'm from Utrecht originally.", TypeNationalID, "246513603"},
		{"not a phone", "For the fertility paperwork do you need my BSN? It's 246513603, I'm from Utrecht originally.", TypePhoneNumber, ""},
		{"a sentence apart stays apart", "I lost my BSN card. Ring me on 246513603 tomorrow.", TypeNationalID, ""},
	})
}

// TestFormsRound13Professionals: a name then a date of birth, a
// professional's job, exams.
func TestFormsRound13Professionals(t *testing.T) {
	runFormCases(t, []formCase{
		{"name, date", "I'm ringing on behalf of my father, Hamid Karimi, 03/03/1951. He's had swollen ankles.", TypeDateOfBirth, "03/03/1951"},
		{"titled name, date", "I'm a district nurse ringing about Mrs Evelyn Pryce, 12/09/1934, her leg ulcer needs compression bandaging.", TypeDateOfBirth, "12/09/1934"},
		{"an appointment after a name", "Can I book Mrs Pryce, 12/09/" + thisYear() + ", at ten?", TypeDateOfBirth, ""},
		{"no name before", "The letter, 12/09/1998, says I had it done.", TypeDateOfBirth, ""},
		{"I'm a physio", "I'm a physio myself, so I know the drill, but my GP still hasn't sent the referral.", TypeProcedure, ""},
		{"a community physio", "im a community physio and i need to hand over mr singh to the neuro rehab team", TypeProcedure, ""},
		{"I'm a CPN", "Hi, I'm a CPN with the community mental health team, Declan missed his depot injection.", TypeProcedure, "depot injection"},
		{"a diabetic kept", "I'm a diabetic and my sugars are all over the place", TypeMedicalCondition, "diabetic"},
		{"physio booked kept", "I'm having physio on my knee next week", TypeProcedure, "physio"},
		{"A-level results", "My grandson just got his A-level results, so sorry if I sound distracted.", TypeProcedure, ""},
		{"blood test results kept", "I'm ringing for my blood test results", TypeProcedure, "blood test"},
	})
}

// TestFormsRound13SelfIntro: a name no list knows, said before "from",
// "calling" or "speaking" after "it's" or "this is".
func TestFormsRound13SelfIntro(t *testing.T) {
	runFormCases(t, []formCase{
		{"it's Parveen from", "It's Parveen from the practice, can the district nurse take bloods for Mr Hussain?", TypePerson, "Parveen"},
		{"its nkechi calling", "hi its nkechi calling for my grandad hes partially sighted", TypePerson, "nkechi"},
		{"a medicine from the chemist", "its sertraline from the chemist i need", TypePerson, ""},
		{"a weekday", "It's Monday from now on, is that right?", TypePerson, ""},
	})
	assert.NotContains(t, spans(testDetector, "hi its nkechi calling for my grandad"), TypePerson+":nkechi calling")
}

// TestFormsRound13LowerTitles: a titled given name that is also a word,
// with its surname, in a lower-case transcript.
func TestFormsRound13LowerTitles(t *testing.T) {
	runFormCases(t, []formCase{
		{"sister grace mensah", "this is sister grace mensah on ward eleven at the infirmary", TypePerson, "grace mensah"},
		{"mrs ivy thompson", "our client mrs ivy thompson at eleven primrose gardens has a water infection", TypePerson, "ivy thompson"},
		{"nurse may", "the nurse may ring you later", TypePerson, ""},
	})
}

// TestFormsRound13Roles: a care worker's role before their name in a
// lower-case transcript.
func TestFormsRound13Roles(t *testing.T) {
	runFormCases(t, []formCase{
		{"care coordinator jess", "ok so im hearing voices again and my care coordinator jess is off", TypePerson, "jess"},
		{"the midwife said", "the midwife said to ring if the pains get closer", TypePerson, ""},
	})
}

// TestFormsRound13Apposition: a name between commas after a kinship or
// a practitioner's word.
func TestFormsRound13Apposition(t *testing.T) {
	runFormCases(t, []formCase{
		{"father-in-law", "Hi, I'm phoning about my father-in-law, Augustine Mbeki.", TypePerson, "Augustine Mbeki"},
		{"my wife, Pat", "I'm phoning about my wife, Pat — she's got motor neurone disease.", TypePerson, "Pat"},
		{"the physio, Jas", "The physio, Jas, gave me some stretches and now my hip aches even more.", TypePerson, "Jas"},
		{"a condition after the comma", "My dad, Parkinson's has really got worse this year.", TypePerson, ""},
		{"a weekday after the comma", "my son, Tuesday he has his jabs", TypePerson, ""},
	})
}

// TestFormsRound13Callers: a caller's name after "it's" or "this is",
// before where they ring from or their job.
func TestFormsRound13Callers(t *testing.T) {
	runFormCases(t, []formCase{
		{"a town-named caller", "yeah it's Beverley from Ashcroft residential home, we've had a fall in the lounge", TypePerson, "Beverley"},
		{"a word-named caller", "Hi, this is Brook from the district nurse team, we need to rearrange the dressings.", TypePerson, "Brook"},
		{"at a home", "hello it's Mo at Highfield Court we need a catheter change for room fourteen", TypePerson, "Mo"},
		{"then a job", "Good afternoon, this is Nkechi, senior carer at Hollybank House, calling about a resident.", TypePerson, "Nkechi"},
		{"a weekday", "It's Monday from next week, is that right?", TypePerson, ""},
		{"lower case at", "it's about the parking at the surgery", TypePerson, ""},
	})
}

// TestFormsRound13NameWas: "her name was Bev".
func TestFormsRound13NameWas(t *testing.T) {
	runFormCases(t, []formCase{
		{"her name was", "I think her name was Bev? She sorted out my mother's transport.", TypePerson, "Bev"},
		{"a word after name was", "her name was Precious, I think", TypePerson, "Precious"},
	})
}

// TestFormsRound13BornOn: a person said to be a date, and a date straight
// after a name in a speech-to-text line.
func TestFormsRound13BornOn(t *testing.T) {
	runFormCases(t, []formCase{
		{"they're a date", "I'm phoning for my partner, Jordan Lewis, they're 10.10.96, they've got a migraine.", TypeDateOfBirth, "10.10.96"},
		{"she's a date", "Her name's Aoife and she's 11/03/2009.", TypeDateOfBirth, "11/03/2009"},
		{"he's a spelt date", "I'm the daughter, Mei Ling Tan, he's 23rd April 1944, he's hard of hearing", TypeDateOfBirth, "23rd April 1944"},
		{"name then spoken date", "its deborah fairweather nineteenth of october sixty three my pet scan letter says fast", TypeDateOfBirth, "nineteenth of october sixty three"},
		{"an appointment this year", "she's 12/05/" + thisYear() + " for the scan so can we move it", TypeDateOfBirth, ""},
		{"no pronoun", "the letter is 12/05/1998 and it says I had it done", TypeDateOfBirth, ""},
	})
}

// TestFormsRound13KinNames: a name no list knows right after a kinship
// noun in a lower-case transcript; initialisms are not names.
func TestFormsRound13KinNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"my friend kasia", "yeah im ringing for my friend kasia she doesnt speak english", TypePerson, "kasia"},
		{"my grandson rehan", "my grandson rehan needs his typhoid jab and hep a before we go", TypePerson, "rehan"},
		{"an initialism", "my son acl is torn", TypePerson, ""},
		{"a medicine", "my dad metoprolol is running out", TypePerson, ""},
	})
}

// TestFormsRound13Towns: a town after "in", a contraction without its
// apostrophe, a police constable.
func TestFormsRound13Towns(t *testing.T) {
	runFormCases(t, []formCase{
		{"home in Valencia", "I've left my levothyroxine at home in Valencia.", TypePerson, ""},
		{"the optician in Malmö", "the optician in Malmö said to bring it for the OCT scan results.", TypePerson, ""},
		{"in someone's notes kept", "I saw it in Sarah's notes", TypePerson, "Sarah"},
		{"said theyd", "the stroke nurse said theyd do a swallow test", TypePerson, ""},
		{"pc harris", "this is pc harris im with a gentleman called martin cole", TypePerson, "harris"},
	})
}

// TestFormsRound13Figures: a family trait, a scare that is over, a blind
// spot for machines, a practice named in lower case, the physio who does
// a treatment.
func TestFormsRound13Figures(t *testing.T) {
	runFormCases(t, []formCase{
		{"runs in families", "they want me screened too because it runs in families", TypeMedicalCondition, ""},
		{"panic over", "no, it's out now, panic over, carry on.", TypeMedicalCondition, ""},
		{"a blind spot", "I've got a blind spot when it comes to these automated systems", TypeMedicalCondition, ""},
		{"millbrook surgery", "this is rebecca the practice nurse at millbrook surgery ringing for mr jones", TypeProcedure, ""},
		{"keyhole surgery kept", "i had keyhole surgery last year", TypeProcedure, "keyhole surgery"},
		{"done by the physio", "is the acupuncture done by the physio also?", TypeProcedure, "acupuncture"},
	})
	assert.NotContains(t, spans(testDetector, "is the acupuncture done by the physio also?"), TypeProcedure+":physio")
}

// thisYear is the current year as written, for appointment dates that
// must stay appointments whenever the tests run.
func thisYear() string { return strconv.Itoa(time.Now().Year()) }

// TestFormsRound13DoubleNames: a double given name joined by a hyphen,
// its second part in lower case, before a surname.
func TestFormsRound13DoubleNames(t *testing.T) {
	runFormCases(t, []formCase{
		{"Hyun-woo Park", "I'm calling for my father-in-law, Hyun-woo Park, 5 April 1949, he needs a flu jab.", TypePerson, "Hyun-woo Park"},
		{"then the date of birth", "I'm calling for my father-in-law, Hyun-woo Park, 5 April 1949, he needs a flu jab.", TypeDateOfBirth, "5 April 1949"},
		{"a compound", "I spoke to Dr Smith-based in Leeds", TypePerson, "Smith"},
	})
	assert.NotContains(t, spans(testDetector, "I spoke to Dr Smith-based in Leeds"), TypePerson+":Smith-based")
}

// TestFormsRound13Moods: changes of mood and movement told as adjectives.
func TestFormsRound13Moods(t *testing.T) {
	runFormCases(t, []formCase{
		{"snappy", "My husband's not right in himself, he's snappy and forgets things.", TypeMedicalCondition, "snappy"},
		{"jittery", "I started the sertraline last week and it's making me feel a bit jittery", TypeMedicalCondition, "jittery"},
		{"aggressive", "he's got dementia and he's been really aggressive at night", TypeMedicalCondition, "aggressive"},
		{"a withdrawn application", "the application was withdrawn last week", TypeMedicalCondition, ""},
	})
}

// TestFormsRound13OddTimes: something a body does, said with when or how
// often, after a person.
func TestFormsRound13OddTimes(t *testing.T) {
	runFormCases(t, []formCase{
		{"wandering at night", "hes been wandering at night and getting really agitated", TypeMedicalCondition, "wandering at night"},
		{"sleeping all day", "My little boy's not eating and he's sleeping all day, he's two.", TypeMedicalCondition, "sleeping all day"},
		{"weeing a lot", "shes weeing a lot could it be a water infection", TypeMedicalCondition, "weeing a lot"},
		{"a night worker", "i work nights so im sleeping all day and cant come in the morning", TypeMedicalCondition, ""},
		{"sleeping at night", "thankfully he's sleeping at night again", TypeMedicalCondition, ""},
		{"no person", "the baby monitor keeps crying at night wait no the baby does", TypeMedicalCondition, ""},
	})
}

// TestFormsRound13CriedEyesOut: crying at a film is not an eye complaint.
func TestFormsRound13CriedEyesOut(t *testing.T) {
	runFormCases(t, []formCase{
		{"cried his eyes out", "we went to see the new marvel film and my husband cried his eyes out", TypeProcedure, ""},
		{"sore eyes kept", "my husband's eyes are sore and red since yesterday", TypeMedicalCondition, "sore"},
	})
}
