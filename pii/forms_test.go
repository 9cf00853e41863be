package pii

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// formCase expects the text to hold an entity of typ whose value contains
// want; want "" means no entity of typ at all.
type formCase struct {
	name, text, typ, want string
}

func runFormCases(t *testing.T, cases []formCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := spans(testDetector, tc.text)
			var vals []string
			for _, s := range got {
				if v, ok := strings.CutPrefix(s, tc.typ+":"); ok {
					vals = append(vals, v)
				}
			}
			if tc.want == "" {
				assert.Empty(t, vals, "%q: want no %s, got %v", tc.text, tc.typ, got)
				return
			}
			found := false
			for _, v := range vals {
				if strings.Contains(v, tc.want) {
					found = true
				}
			}
			assert.True(t, found, "%q: want %s containing %q, got %v", tc.text, tc.typ, tc.want, got)
		})
	}
}

func TestMedicationForms(t *testing.T) {
	runFormCases(t, []formCase{
		// INN stems, none of these in the lexicon.
		{"-sartan", "I take olmesartan every morning.", TypeMedication, "olmesartan"},
		{"-pril", "they started me on trandolapril", TypeMedication, "trandolapril"},
		{"-olol", "I'm on nadolol.", TypeMedication, "nadolol"},
		{"-mab", "I have secukinumab injections monthly.", TypeMedication, "secukinumab"},
		{"-gliflozin", "He takes ertugliflozin.", TypeMedication, "ertugliflozin"},
		{"-vir", "She was given valaciclovir.", TypeMedication, "valaciclovir"},
		{"-oxacin", "they gave me moxifloxacin", TypeMedication, "moxifloxacin"},
		{"-cycline", "I'm on lymecycline for my skin.", TypeMedication, "lymecycline"},
		{"-prazole with dose", "rabeprazole 20mg once a day", TypeMedication, "rabeprazole 20mg"},
		// Brands and unknown words beside a cue.
		{"brand after I'm on", "I'm on Entresto now.", TypeMedication, "Entresto"},
		{"brand before a form", "I need more Anusol cream.", TypeMedication, "Anusol"},
		{"brand before a dose", "Januvia 100mg in the morning", TypeMedication, "Januvia"},
		{"lower-case brand after prescribed", "i was prescribed zapain", TypeMedication, "zapain"},
		{"brand with inner capital", "I carry an EpiPen.", TypeMedication, "EpiPen"},
		// Hard negatives: words that merely look like drug stems.
		{"cholesterol is not a drug", "my cholesterol was fine", TypeMedication, ""},
		{"a pram", "I'll bring the pram in", TypeMedication, ""},
		{"a diagram", "can you send me a diagram of the route", TypeMedication, ""},
		{"practitioner name after on", "I'm on Dr Okafor's list", TypeMedication, ""},
		{"a day after on", "I'm on Monday at ten", TypeMedication, ""},
		{"a street after on", "we're on Station Road", TypeMedication, ""},
		{"an English word after take", "I'll take the bus", TypeMedication, ""},
	})
}

func TestConditionForms(t *testing.T) {
	runFormCases(t, []formCase{
		{"-itis", "I've got labyrinthitis.", TypeMedicalCondition, "labyrinthitis"},
		{"-osis", "they said it's endometriosis", TypeMedicalCondition, "endometriosis"},
		{"-aemia", "history of hypokalaemia", TypeMedicalCondition, "hypokalaemia"},
		{"-algia", "I get metatarsalgia when I run", TypeMedicalCondition, "metatarsalgia"},
		{"-pathy", "diabetic retinopathy in both eyes", TypeMedicalCondition, "retinopathy"},
		{"eponym disease", "He has Addison's disease.", TypeMedicalCondition, "Addison's disease"},
		{"compound syndrome", "she's got restless legs syndrome", TypeMedicalCondition, "legs syndrome"},
		{"compound infection", "I think it's a water infection", TypeMedicalCondition, "water infection"},
		{"type 2", "my mum is type 2", TypeMedicalCondition, "type 2"},
		{"lay level", "my sugar's high again", TypeMedicalCondition, "sugar's high"},
		{"lay level spoken", "my blood pressures been really high", TypeMedicalCondition, "high"},
		{"through the roof", "her blood pressure is through the roof", TypeMedicalCondition, "through the roof"},
		{"injury adjective", "I've got a torn rotator cuff", TypeMedicalCondition, "torn rotator cuff"},
		{"injury verb", "ive sprained my ankle", TypeMedicalCondition, "sprained my ankle"},
		{"adjective", "He's dyslexic.", TypeMedicalCondition, "dyslexic"},
		{"derived adjective", "I'm asthmatic", TypeMedicalCondition, "asthmatic"},
		{"intolerant", "she's lactose intolerant", TypeMedicalCondition, "lactose intolerant"},
		{"negated is still health data", "I don't have asthma", TypeMedicalCondition, "asthma"},
		{"unknown after have", "I have lymphoedema in my arm", TypeMedicalCondition, "lymphoedema"},
		// Hard negatives.
		{"diagnosis is not a condition", "when will I get a diagnosis", TypeMedicalCondition, ""},
		{"sympathy", "thanks for your sympathy", TypeMedicalCondition, ""},
		{"a name ending in -emia", "It's for my grandmother, Euphemia Lockhart.", TypeMedicalCondition, ""},
		{"money problems", "we've had money problems", TypeMedicalCondition, ""},
		{"sick of waiting", "I'm sick of waiting", TypeMedicalCondition, ""},
		{"high street", "the clinic on the high street", TypeMedicalCondition, ""},
		{"a bad day", "I've had a bad day", TypeMedicalCondition, ""},
		{"have a question", "I have a question about parking", TypeMedicalCondition, ""},
	})
}

func TestProcedureForms(t *testing.T) {
	runFormCases(t, []formCase{
		{"-ectomy", "she's had a cholecystectomy", TypeProcedure, "cholecystectomy"},
		{"-plasty", "booked for a rhinoplasty", TypeProcedure, "rhinoplasty"},
		{"-scopy", "I need a bronchoscopy", TypeProcedure, "bronchoscopy"},
		{"-graphy", "they did a venography", TypeProcedure, "venography"},
		{"compound test", "I need a thyroid function test", TypeProcedure, "thyroid function test"},
		{"compound scan", "I'm booked for a bone density scan", TypeProcedure, "bone density scan"},
		{"week scan", "my twenty week scan is on Friday", TypeProcedure, "week scan"},
		{"compound repair", "I'm down for a hernia repair", TypeProcedure, "hernia repair"},
		{"of the", "an MRI of the lumbar spine", TypeProcedure, "MRI of the lumbar spine"},
		{"removal of", "I'm in for removal of a mole", TypeProcedure, "removal of a mole"},
		{"CT of", "I'm having a CT of my chest", TypeProcedure, "CT of my chest"},
		{"done to a body part", "I had a tooth out on Monday", TypeProcedure, "tooth out"},
		{"participle", "i want my teeth whitened", TypeProcedure, "teeth whitened"},
		// Hard negatives: clinic names, non-medical heads.
		{"practice name", "I'm calling from Oakfield Physiotherapy.", TypeProcedure, ""},
		{"doctor's practice", "Dr Cole's surgery is on Mill Street.", TypeProcedure, ""},
		{"driving test", "I have my driving test on Friday", TypeProcedure, ""},
		{"replacement card", "I need a replacement card", TypeProcedure, ""},
		{"telegram", "I sent you a telegram", TypeProcedure, ""},
		{"photography", "I do photography at weekends", TypeProcedure, ""},
	})
}

func TestDateOfBirthForms(t *testing.T) {
	runFormCases(t, []formCase{
		{"european dots", "I was born on 22.11.1989", TypeDateOfBirth, "22.11.1989"},
		{"month first", "He was born 5/16/1988 in Ohio", TypeDateOfBirth, "5/16/1988"},
		{"possessive cue", "My date of birth's 11-12-2001.", TypeDateOfBirth, "11-12-2001"},
		{"spoken", "my date of birth is the third of march nineteen eighty four", TypeDateOfBirth, "third of march nineteen eighty four"},
		{"spoken compact", "dob zero three zero five nineteen sixty eight", TypeDateOfBirth, "zero three zero five nineteen sixty eight"},
		{"spoken day month year", "date of birth twenty five eleven seventy nine", TypeDateOfBirth, "twenty five eleven seventy nine"},
		{"year first", "born in ninety four on the sixth of june", TypeDateOfBirth, "sixth of june"},
		// Hard negatives: appointment dates stay dates.
		{"appointment date", "Can I book for the 14/03/2025 at half nine?", TypeDateOfBirth, ""},
		{"appointment spoken", "the appointment is on the fourteenth of march at ten thirty", TypeDateOfBirth, ""},
		{"letter date", "The date on the letter is 15/10/2025.", TypeDateOfBirth, ""},
	})
}

func TestNameForms(t *testing.T) {
	runFormCases(t, []formCase{
		{"open gazetteer", "Hello, Oluwaseun Adebisi here.", TypePerson, "Oluwaseun Adebisi"},
		{"lower case after my name is", "my name is sunita ramesh", TypePerson, "sunita ramesh"},
		{"ASR my names", "my names precious adeyemi", TypePerson, "precious adeyemi"},
		{"ASR its", "yeah its tomasz zielinski", TypePerson, "tomasz zielinski"},
		{"ordinary word after a relation", "my daughter Poppy has a rash", TypePerson, "Poppy"},
		{"lower-case title", "can i speak to doctor fitzgerald", TypePerson, "fitzgerald"},
		{"title inside a capitalised run", "Is Dr Whitfield in on Monday?", TypePerson, "Whitfield"},
		{"relation then comma", "It's for my grandmother, Euphemia Lockhart.", TypePerson, "Euphemia Lockhart"},
		{"ordinary word after this is ... calling", "Hi, this is Rose calling about my results", TypePerson, "Rose"},
		{"ordinary word after for my son", "it's for my son Hunter, he's got a cough", TypePerson, "Hunter"},
		{"non-English name", "My name is Ngozi Okonkwo-Adeyemi.", TypePerson, "Ngozi"},
		// Hard negatives.
		{"clinic name", "The clinic is Riverside Dental Care.", TypePerson, ""},
		{"ASR contraction", "ive got a bad back", TypePerson, ""},
		{"folded accent is no English word", "can i come in tomorrow", TypePerson, ""},
		{"identifier label", "Personnummer: 811218-9876", TypePerson, ""},
	})
}

// TestPractitionerNamesAreNotMedical: eponyms in a practitioner's or a
// clinic's name are people and places, not conditions.
func TestPractitionerNamesAreNotMedical(t *testing.T) {
	runFormCases(t, []formCase{
		{"Dr Parkinson", "Can I see Dr Parkinson on Friday?", TypeMedicalCondition, ""},
		{"Dr Parkinson is a person", "Can I see Dr Parkinson on Friday?", TypePerson, "Parkinson"},
		{"Dr Addison", "Dr Addison is in today.", TypeMedicalCondition, ""},
		{"Dr Statham", "I'm on Dr Statham's list.", TypeMedication, ""},
		{"clinic with a clinical word", "I'm calling from Oakfield Physiotherapy.", TypeProcedure, ""},
		{"the X-ray department", "Is the X-ray department open on Saturday?", TypeProcedure, ""},
	})
}

func TestPhonePrecision(t *testing.T) {
	runFormCases(t, []formCase{
		{"mobile", "My mobile is 07700 900461.", TypePhoneNumber, "07700 900461"},
		{"spoken", "my number is oh seven seven double oh nine hundred three one four", TypePhoneNumber, "oh seven seven"},
		{"order number", "My order number is 100493827.", TypePhoneNumber, ""},
		{"booking reference", "Your booking reference is 48213907.", TypePhoneNumber, ""},
		{"tracking", "The tracking number for the retainers is 3300 8172 6654.", TypePhoneNumber, ""},
		{"spoken order number", "the order number is one two three four five six seven eight nine", TypePhoneNumber, ""},
		{"price", "The whitening is £299 or £349 with the trays.", TypePhoneNumber, ""},
		{"time", "I'll be there at 9:15 on Monday.", TypePhoneNumber, ""},
		{"account", "Our account number with you is 55102843.", TypePhoneNumber, ""},
	})
}
