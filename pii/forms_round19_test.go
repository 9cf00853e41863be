package pii

import "testing"

// TestFormsRound19MisreadCards: a card-shaped number after a card word
// is the caller's card even when one digit was misread and the Luhn check
// fails; without the card word it is not claimed as a card, and an order
// number stays nobody's card.
func TestFormsRound19MisreadCards(t *testing.T) {
	runFormCases(t, []formCase{
		{"valid card, no cue", "it's 4539 1488 0343 6467 expiring next May", TypeCreditCard, "4539 1488 0343 6467"},
		{"misread card after a card word", "my card number is 4929 1837 6620 4415", TypeCreditCard, "4929 1837 6620 4415"},
		{"misread spoken card", "the long number on my debit card is four nine two nine one eight three seven six six five two oh four one eight", TypeCreditCard, "four nine two nine"},
		{"misread card is not a phone", "my card number is 4929 1837 6620 4415", TypePhoneNumber, ""},
		{"no card word", "it's 4929 1837 6620 4415 I think", TypeCreditCard, ""},
		{"order number", "order number 4929 1837 6620 4415 was never delivered", TypeCreditCard, ""},
		{"card word, phone shape", "pay by card or ring 0161 496 0018 to pay", TypeCreditCard, ""},
		{"insurance card", "my health insurance card number is 4929 1837 6620 4415", TypeCreditCard, ""},
		{"membership card", "the membership card number is 5412 7534 9021 3382", TypeCreditCard, ""},
		{"no scheme digit", "my card number is 8929 1837 6620 4415", TypeCreditCard, ""},
		{"too long for a misread card", "my card number is 4929 1837 6620 4415 123", TypeCreditCard, ""},
	})
}

// TestFormsRound19MisreadIBANs: an IBAN of its country's exact length and
// bank-code shape is an IBAN even when its check digits fail; a string
// of the wrong length or shape is not, and a spoken IBAN read letter by
// letter joins like a written one.
func TestFormsRound19MisreadIBANs(t *testing.T) {
	runFormCases(t, []formCase{
		{"valid IBAN", "please refund it to GB29 NWBK 6016 1331 9268 19", TypeIBAN, "GB29 NWBK 6016 1331 9268 19"},
		{"check digits misread", "The IBAN is GB47 BARC 2003 8154 6720 91 for the refund.", TypeIBAN, "GB47 BARC 2003 8154 6720 91"},
		{"German, misread", "meine IBAN ist DE45 5001 0517 5407 3249 31", TypeIBAN, "DE45 5001 0517 5407 3249 31"},
		{"German, misread, no bank word", "the code on the parcel was DE45 5001 0517 5407 3249 31", TypeIBAN, ""},
		{"too short for GB", "the reference is GB47 BARC 2003 8154 6720", TypeIBAN, ""},
		{"letters where Germany has digits", "the code was DE45 ABCD 0517 5407 3249 31", TypeIBAN, ""},
		{"unknown country", "the serial is ZZ45 5001 0517 5407 3249 31", TypeIBAN, ""},
		{"spoken, valid", "its g b two two b a r c two zero zero three five five four four seven seven eight eight one two", TypeIBAN, "g b two two b a r c"},
		{"spoken, misread, after a bank word", "my bank account is g b four seven b a r c two zero zero three eight one five four six seven two zero nine one", TypeIBAN, "g b four seven"},
		{"spoken, country as one word", "my bank account is gb four seven b a r c two zero zero three eight one five four six seven two zero nine one", TypeIBAN, "gb four seven"},
		{"a two-letter word before numbers", "it is two two one three four five six seven eight nine one two three four five six seven eight nine one two three four five six", TypeIBAN, ""},
		{"spoken, misread, no bank word", "the code on the box is g b four seven b a r c two zero zero three eight one five four six seven two zero nine one", TypeIBAN, ""},
	})
}
