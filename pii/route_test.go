package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClassifyField(t *testing.T) {
	tests := map[string]Class{
		"callback_number": ClassContact, "caller_name": ClassContact, "email": ClassContact,
		"From": ClassContact, "callbackNumber": ClassContact,
		"date_of_birth": ClassIdentity, "nhs_number": ClassIdentity, "insurance_number": ClassIdentity,
		"card_number": ClassPayment, "iban": ClassPayment,
		"reason_for_visit": ClassMedical, "symptoms": ClassMedical, "notes": ClassMedical, "transcript": ClassMedical,
		"CallSid": ClassOperational, "CallStatus": ClassOperational, "To": ClassOperational, "slot_id": ClassOperational,
		// Fail closed.
		"favourite_colour": ClassMedical, "": ClassMedical, "x-custom": ClassMedical,
	}
	for field, want := range tests {
		assert.Equal(t, want, ClassifyField(field), field)
	}
}

func TestClassOrder(t *testing.T) {
	order := []Class{ClassOperational, ClassContact, ClassIdentity, ClassMedical, ClassPayment}
	for i, a := range order {
		for j, b := range order {
			want := a
			if j > i {
				want = b
			}
			assert.Equal(t, want, a.Raise(b), "%s raise %s", a, b)
		}
	}
	assert.Equal(t, ClassMedical, ClassContact.Raise(Class("something-new")), "an unknown class counts as medical")
	assert.Equal(t, ClassPayment, Class("something-new").Raise(ClassPayment))
}

func TestRouteRaisesNeverLowers(t *testing.T) {
	fields := []string{"callback_number", "caller_name", "date_of_birth", "card_number", "symptoms", "CallSid", "mystery_field"}
	values := []string{
		"", "07700 900123", "Sarah Mitchell", "12/04/1986", "4111 1111 1111 1111",
		"I've had chest pain and I take 50mg sertraline",
		"my card is 4111 1111 1111 1111 and I have asthma",
		"ok", "CA1234567890ABCDE",
	}
	for _, f := range fields {
		for _, v := range values {
			dec := testDetector.Route(f, v)
			assert.GreaterOrEqual(t, dec.Class.rank(), ClassifyField(f).rank(), "%s=%q lowered to %s", f, v, dec.Class)
			assert.Equal(t, ClassifyField(f), dec.FieldClass)
		}
	}
}

func TestRoute(t *testing.T) {
	tests := []struct {
		field, value string
		class        Class
		types        []string
		redacted     string
	}{
		{"callback_number", "07700 900123", ClassContact, []string{TypePhoneNumber}, "07700 900123"},
		{"caller_name", "Sarah Mitchell", ClassContact, []string{TypePerson}, "Sarah Mitchell"},
		{"caller_name", "Zyx Qwerty", ClassContact, []string{TypePerson}, "Zyx Qwerty"},
		// Contact fields that carry health data or free text become medical.
		{"caller_name", "Sarah, I have asthma", ClassMedical, []string{TypeMedicalCondition, TypePerson}, "Sarah, I have asthma"},
		{"callback_number", "call me after my shift because I work nights at the depot", ClassMedical, nil, "call me after my shift because I work nights at the depot"},
		// Identity and payment fields are masked whole, recognised or not.
		{"nhs_number", "943 476 5919", ClassIdentity, []string{TypeNationalID}, "[NHS_NUMBER]"},
		{"card_number", "4111 1111 1111 1112", ClassPayment, nil, "[PAYMENT]"},
		// A card read out in the transcript raises it to payment and is masked.
		{"transcript", "sure, it's 4111 1111 1111 1111 and my knee hurts", ClassPayment, []string{TypeCreditCard, TypeMedicalCondition}, "sure, it's [CREDIT_CARD] and my knee hurts"},
		{"symptoms", "headache", ClassMedical, []string{TypeMedicalCondition}, "headache"},
		// Operational fields stay operational only when nothing is found.
		{"CallSid", "CA1234567890ABCDE", ClassOperational, nil, "CA1234567890ABCDE"},
		{"CallStatus", "completed", ClassOperational, nil, "completed"},
		{"To", "+44 7700 900 654", ClassContact, []string{TypePhoneNumber}, "+44 7700 900 654"},
		{"unknown_field", "hello", ClassMedical, nil, "hello"},
	}
	for _, tt := range tests {
		dec := testDetector.Route(tt.field, tt.value)
		assert.Equal(t, tt.class, dec.Class, "%s=%q", tt.field, tt.value)
		var types []string
		if len(dec.Entities) > 0 {
			types = dec.Types()
		}
		assert.Equal(t, tt.types, types, "%s=%q", tt.field, tt.value)
		assert.Equal(t, tt.redacted, dec.Redacted, "%s=%q", tt.field, tt.value)
	}
}

func TestRedactForLLM(t *testing.T) {
	in := "I'm Zoë, card 4111 1111 1111 1111, NHS number 943 476 5919, IBAN GB29NWBK60161331926819, call 020 7946 0018 about my migraine"
	want := "I'm Zoë, card [CREDIT_CARD], NHS number [NATIONAL_ID], IBAN [IBAN_CODE], call 020 7946 0018 about my migraine"
	assert.Equal(t, want, testDetector.RedactForLLM(in))
	assert.Equal(t, "nothing to hide", testDetector.RedactForLLM("nothing to hide"))
}

func TestDecisionCarriesNoValues(t *testing.T) {
	dec := testDetector.Route("transcript", "card 4111 1111 1111 1111")
	assert.Equal(t, map[string]int{TypeCreditCard: 1}, dec.Entities)
	// Redacted is for the LLM only and is not marshalled with the decision.
	b, err := jsonMarshal(dec)
	assert.NoError(t, err)
	assert.NotContains(t, string(b), "4111")
}

// TestRedactForLLMMisreadNumbers: a card number with one digit misread
// (it fails Luhn) and an IBAN whose check digits fail are masked like
// valid ones, so the LLM never sees the rest of them in clear.
func TestRedactForLLMMisreadNumbers(t *testing.T) {
	assert.Equal(t, "my card number is [CREDIT_CARD] thanks",
		testDetector.RedactForLLM("my card number is 4929 1837 6620 4415 thanks"))
	assert.Equal(t, "my bank account is [IBAN_CODE] for the refund",
		testDetector.RedactForLLM("my bank account is gb four seven b a r c two zero zero three eight one five four six seven two zero nine one for the refund"))
}
