package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRecognizers(t *testing.T) {
	tests := []struct {
		name string
		text string
		typ  string
		want string // "" means the type must not be found
	}{
		// Cards: Luhn decides, except that a card-shaped number after a
		// card word is a misread card (forms_round19_test.go).
		{"card spaced", "my card is 4111 1111 1111 1111 thanks", TypeCreditCard, "4111 1111 1111 1111"},
		{"card solid", "Please block card no 5372651676122202", TypeCreditCard, "5372651676122202"},
		{"amex 4-6-5", "amex 3782 822463 10005", TypeCreditCard, "3782 822463 10005"},
		{"card fails luhn, after a card word", "my card is 4111 1111 1111 1112", TypeCreditCard, "4111 1111 1111 1112"},
		{"card fails luhn, no card word", "it is 4111 1111 1111 1112", TypeCreditCard, ""},
		{"card fails luhn, not a scheme's first digit", "my card is 1111 1111 1111 1112", TypeCreditCard, ""},
		{"luhn-valid phone grouping is not a card", "call 21 284 698 2548 please", TypeCreditCard, ""},

		// IBAN: mod 97, or the country's exact length and bank-code shape.
		{"iban solid", "My IBAN is GB29NWBK60161331926819", TypeIBAN, "GB29NWBK60161331926819"},
		{"iban grouped", "IBAN GB29 NWBK 6016 1331 9268 19 from my bank", TypeIBAN, "GB29 NWBK 6016 1331 9268 19"},
		{"iban lower case", "my iban is de89370400440532013000", TypeIBAN, "de89370400440532013000"},
		{"iban bad checksum, exact shape", "My IBAN is GB28NWBK60161331926819", TypeIBAN, "GB28NWBK60161331926819"},
		{"iban bad checksum, wrong length", "My IBAN is GB28NWBK6016133192681", TypeIBAN, ""},
		{"iban bad checksum, unknown bank-code shape", "My IBAN is FR28NWBK60161331926819", TypeIBAN, ""},

		// NHS numbers: mod 11, and a cue before it counts over a phone reading.
		{"nhs cued", "My NHS number is 943 476 5919.", TypeNationalID, "943 476 5919"},
		{"nhs solid", "NHS no 0830166130", TypeNationalID, "0830166130"},
		{"nhs fails mod 11", "My NHS number is 943 476 5918.", TypeNationalID, ""},
		{"nhs fails mod 11 is no phone either", "My NHS number is 943 476 5918.", TypePhoneNumber, ""},

		// SSN: allocation rules.
		{"ssn", "His social security number is 536-22-8147", TypeNationalID, "536-22-8147"},
		{"ssn area 666", "SSN 666-22-8147", TypeNationalID, ""},
		{"ssn area 9xx", "SSN 912-22-8147", TypeNationalID, ""},
		{"ssn group 00", "SSN 536-00-8147", TypeNationalID, ""},
		{"ssn serial 0000", "SSN 536-22-0000", TypeNationalID, ""},
		{"ssn advertised", "SSN 078-05-1120", TypeNationalID, ""},

		// UK National Insurance numbers.
		{"nino", "my national insurance number is AB 12 34 56 C", TypeNationalID, "AB 12 34 56 C"},
		{"nino bad prefix", "national insurance number BG 12 34 56 C", TypeNationalID, ""},

		// Phones: validated per region, traps refused.
		{"uk landline", "Call me on 020 7946 0018 tomorrow", TypePhoneNumber, "020 7946 0018"},
		{"us with extension", "Desk: +1-604-696-5272x565", TypePhoneNumber, "+1-604-696-5272x565"},
		{"brackets", "Desk: (602)272-9781", TypePhoneNumber, "(602)272-9781"},
		{"trunk zero in brackets", "Fax: +46 (0)179 459 33", TypePhoneNumber, "+46 (0)179 459 33"},
		{"drama range with plus", "it's +44 7700 900 654", TypePhoneNumber, "+44 7700 900 654"},
		{"date is no phone", "the letter is dated 12/05/2021", TypePhoneNumber, ""},
		{"iso timestamp is no phone", "Date: 2020-06-20 14:11:22", TypePhoneNumber, ""},
		{"ip is no phone", "keep getting address 172.61.42.192 blocked", TypePhoneNumber, ""},
		{"licence is no phone", "My driver's license number is 5130634", TypePhoneNumber, ""},
		{"house numbers are no phone", "I live at 7873 216 Menzies Street", TypePhoneNumber, ""},
		{"postcode is no phone", "My zip code is 90010-170", TypePhoneNumber, ""},

		// E-mail.
		{"email", "You said your email is SueDHague@armyspy.com. Is that correct?", TypeEmailAddress, "SueDHague@armyspy.com"},

		// Dates of birth need a birth cue.
		{"dob numeric", "DOB 14.07.1992", TypeDateOfBirth, "14.07.1992"},
		{"dob words", "I was born on 3rd March 1979", TypeDateOfBirth, "3rd March 1979"},
		{"dob us order", "date of birth: May 12, 1990", TypeDateOfBirth, "May 12, 1990"},
		{"appointment date is no dob", "can I come on 14/06/2025", TypeDateOfBirth, ""},
		{"impossible date", "born on 45/13/1990", TypeDateOfBirth, ""},

		// Insurance ids need a cue.
		{"bupa", "my Bupa membership number is BUP 4417 2209", TypeInsuranceID, "BUP 4417 2209"},
		{"policy", "my AXA policy number is AXA-778-201-55", TypeInsuranceID, "AXA-778-201-55"},
		{"no cue", "the code for the door is 4471 2209", TypeInsuranceID, ""},

		// Addresses.
		{"uk address", "I live at 42 Harley Street, London W1G 9PF.", TypeStreetAddress, "42 Harley Street, London W1G 9PF"},
		{"flat", "My address is Flat 3, 17 Kingsway Road, Manchester M19 2LT", TypeStreetAddress, "Flat 3, 17 Kingsway Road, Manchester M19 2LT"},
		{"continental", "Trivo lives on Grössgstötten 50 street.", TypeStreetAddress, "Grössgstötten 50"},
		{"multi-line", "Fausto Calabrese\n\n22829 Jagerij 64\n Apt. 591\n Mazée\n Belgium 65260", TypeStreetAddress, "22829 Jagerij 64\n Apt. 591\n Mazée\n Belgium 65260"},
		{"forces", "Meet me at PSC 1437, Box 3833\nAPO AA 66791", TypeStreetAddress, "PSC 1437, Box 3833\nAPO AA 66791"},
		{"corner", "I'd like it to be sent to the corner of Alšova 408 and Vedzizhev Greens", TypeStreetAddress, "the corner of Alšova 408 and Vedzizhev Greens"},
		{"minutes drive is no address", "it's a 20 minute drive from the station", TypeStreetAddress, ""},

		// People.
		{"my name is, lower case", "hi my name is naomi ryan and I need a GP", TypePerson, "naomi ryan"},
		{"title", "Hello, this is Dr. Kyle Kuefer. Who are you?", TypePerson, "Kyle Kuefer"},
		{"initial", "Szabina J Gelencsér wrote it", TypePerson, "Szabina J Gelencsér"},
		{"gazetteer pair", "Please tell Sarah Mitchell I called", TypePerson, "Sarah Mitchell"},
		{"relation", "I would like to remove my kid Agi from the will.", TypePerson, "Agi"},
		{"possessive", "Meet Lisa Walker's team", TypePerson, "Lisa Walker"},
		{"I'm a state, not a name", "I'm dying to know", TypePerson, ""},
		{"capitalised words are not names", "Capitalized words like Wisdom and Discipline are often mistaken with names.", TypePerson, ""},
		{"country", "I'm in Uruguay, at the conference", TypePerson, ""},
		{"company", "I work for Johnson Inc", TypePerson, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := typesOf(testDetector, tt.text)[tt.typ]
			if tt.want == "" {
				assert.False(t, ok, "%s found %q in %q", tt.typ, got, tt.text)
				return
			}
			assert.Equal(t, tt.want, got, tt.text)
		})
	}
}

func TestChecksums(t *testing.T) {
	assert.True(t, luhn("4111111111111111"))
	assert.False(t, luhn("4111111111111112"))
	assert.True(t, validNHS("9434765919"))
	assert.False(t, validNHS("9434765918"))
	assert.False(t, validNHS("1111111111"), "repeated digits")
	assert.True(t, validIBAN("GB29 NWBK 6016 1331 9268 19"))
	assert.False(t, validIBAN("GB29 NWBK 6016 1331 9268 18"))
	assert.False(t, validIBAN("GB29NWBK601613319268"), "wrong length for GB")
	assert.True(t, validSSN("536228147"))
	assert.False(t, validSSN("000228147"))
}

func TestDetectSortedAndDisjoint(t *testing.T) {
	text := "Hi I'm Sarah Mitchell, card 4111 1111 1111 1111, call 020 7946 0018, I have asthma and take 50mg sertraline."
	ents := testDetector.Detect(text)
	assert.NotEmpty(t, ents)
	for i := 1; i < len(ents); i++ {
		assert.LessOrEqual(t, ents[i-1].End, ents[i].Start, "entities overlap or are unsorted: %v", ents)
	}
	for _, e := range ents {
		assert.Equal(t, CategoryOf(e.Type), e.Category)
		assert.Greater(t, e.Score, 0.0)
		assert.LessOrEqual(t, e.Score, 1.0)
	}
	assert.Nil(t, testDetector.Detect("   "))
}

func TestCategories(t *testing.T) {
	want := map[string]string{
		TypePerson: CategoryContact, TypePhoneNumber: CategoryContact, TypeEmailAddress: CategoryContact,
		TypeStreetAddress: CategoryContact, TypeDateOfBirth: CategoryIdentity, TypeNationalID: CategoryIdentity,
		TypeInsuranceID: CategoryIdentity, TypeCreditCard: CategoryFinancial, TypeIBAN: CategoryFinancial,
		TypeMedicalCondition: CategoryMedical, TypeMedication: CategoryMedical, TypeProcedure: CategoryMedical,
	}
	for typ, cat := range want {
		assert.Equal(t, cat, CategoryOf(typ), typ)
	}
	assert.Len(t, Types, len(want))
}

func TestOptionsRegions(t *testing.T) {
	// A German landline is only a phone number when DE is a region.
	text := "Telefon 030 12345678"
	us := NewDetector(Options{Regions: []string{"US"}})
	de := NewDetector(Options{Regions: []string{"de"}})
	_, usFound := typesOf(us, text)[TypePhoneNumber]
	deVal := typesOf(de, text)[TypePhoneNumber]
	assert.Equal(t, "030 12345678", deVal)
	// Without the region the number may still be taken on context, but
	// never with a validated score.
	if usFound {
		for _, e := range us.Detect(text) {
			if e.Type == TypePhoneNumber {
				assert.Less(t, e.Score, 0.6)
			}
		}
	}
}

func TestBirthYearAlone(t *testing.T) {
	requireFinds(t, NewDetector(Options{}), TypeDateOfBirth, []finds{
		{"Mr Sandy Shaw, born 1947, ringing about my INR check", "1947"},
		{"she was born in nineteen twenty eight and needs a home visit", "nineteen twenty eight"},
		{"my year of birth is 1982", "1982"},
	}, []string{
		// a year without a birth cue is not a date of birth
		"we moved here in 1982",
		"the practice opened in 1990 on this street",
	})
}

func TestOrdinalDOBWithApostropheYear(t *testing.T) {
	requireFinds(t, NewDetector(Options{}), TypeDateOfBirth, []finds{
		{"date of birth the 5th of the 7th, '94, is that right", "5th of the 7th, '94"},
		{"date of birth the 5th of the 7th, ’94", "5th of the 7th, ’94"},
	}, nil)
}

// A birth cue a few words of filler before the date still makes it a date
// of birth; another date's context in between does not.
func TestDOBCueAcrossFiller(t *testing.T) {
	requireFinds(t, NewDetector(Options{}), TypeDateOfBirth, []finds{
		{"my date of birth? hang on, sorry, it's the thirtieth of the twelfth eighty-one", "thirtieth of the twelfth eighty-one"},
		{"Yeah, date of birth's, er, hang on, I always go blank, it's the twenty-third of February, 1959.", "twenty-third of February, 1959"},
		{"you've got my date of birth down wrong, it should be 1979", "1979"},
	}, []string{
		"date of birth is fine on the system, my appointment is the 3rd of March 2027",
		"the date of birth on the form is right, I've been with the practice since 1990",
	})
}
