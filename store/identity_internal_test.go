package store

import (
	"testing"

	"github.com/google/uuid"
)

// TestChoosePatient walks the identity rule case by case: which patient a
// turn's claims may link the call to, and which claims are refused.
func TestChoosePatient(t *testing.T) {
	s := func(v string) *string { return &v }
	victim := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	other := uuid.MustParse("00000000-0000-4000-8000-000000000002")
	// The victim's stored indexes: number X, NHS N1, DOB D1, insurance I1.
	victimRow := candidate{id: victim, phoneIdx: s("X"), natIdx: s("N1"), dobIdx: s("D1"), insIdx: s("I1")}
	otherRow := candidate{id: other, phoneIdx: s("Y"), natIdx: s("N2")}
	linkedVictim := victimRow
	linkedVictim.linked = true

	for _, tc := range []struct {
		name  string
		cands []candidate
		cl    identityClaims
		want  linkDecision
	}{
		{"the NHS number alone, from another number", []candidate{victimRow}, identityClaims{caller: "Z", nat: "N1"},
			linkDecision{mismatch: MismatchUnverified, about: victim, agreeing: 1}},
		{"the NHS number alone, number withheld", []candidate{victimRow}, identityClaims{nat: "N1"},
			linkDecision{mismatch: MismatchUnverified, about: victim, agreeing: 1}},
		{"the insurance id alone", []candidate{victimRow}, identityClaims{caller: "Z", ins: "I1"},
			linkDecision{mismatch: MismatchUnverified, about: victim, agreeing: 1}},
		{"the NHS number from the patient's own number", []candidate{victimRow}, identityClaims{caller: "X", nat: "N1"},
			linkDecision{id: victim, callerAgrees: true, agreeing: 1}},
		{"the NHS number and the date of birth agree", []candidate{victimRow}, identityClaims{caller: "Z", nat: "N1", dob: "D1"},
			linkDecision{id: victim, agreeing: 2}},
		{"the NHS number with a wrong date of birth", []candidate{victimRow}, identityClaims{caller: "X", nat: "N1", dob: "D9"},
			linkDecision{mismatch: MismatchConflict, about: victim, callerAgrees: true, agreeing: 1}},
		{"identifiers of two patients", []candidate{victimRow, otherRow}, identityClaims{nat: "N2", ins: "I1"},
			linkDecision{mismatch: MismatchAmbiguous, about: victim, agreeing: 1}},
		{"the caller's number alone", []candidate{victimRow}, identityClaims{caller: "X"},
			linkDecision{id: victim, callerAgrees: true}},
		{"the caller's number and a new identifier", []candidate{{id: victim, phoneIdx: s("X")}}, identityClaims{caller: "X", nat: "N7"},
			linkDecision{id: victim, callerAgrees: true}},
		{"another person on the patient's phone", []candidate{victimRow}, identityClaims{caller: "X", nat: "N7"},
			linkDecision{mismatch: MismatchConflict, about: victim, callerAgrees: true}},
		{"a date of birth alone names nobody", nil, identityClaims{caller: "Z", dob: "D1"}, linkDecision{create: true}},
		{"a new caller", nil, identityClaims{caller: "Z", nat: "N9"}, linkDecision{create: true}},
		{"the call's patient, told again", []candidate{linkedVictim}, identityClaims{caller: "Z", nat: "N1"},
			linkDecision{id: victim, agreeing: 1}},
		{"the call's patient, then someone else's NHS number", []candidate{linkedVictim, otherRow}, identityClaims{caller: "Z", nat: "N2"},
			linkDecision{mismatch: MismatchAmbiguous, about: other, agreeing: 1}},
		{"the call's patient, then a different date of birth", []candidate{linkedVictim}, identityClaims{dob: "D9"},
			linkDecision{mismatch: MismatchConflict, about: victim}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := choosePatient(tc.cands, tc.cl); got != tc.want {
				t.Errorf("choosePatient = %+v, want %+v", got, tc.want)
			}
		})
	}
}
