package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedical(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"I've had a migraine and chest pains since Tuesday", []string{"MEDICAL_CONDITION:migraine", "MEDICAL_CONDITION:chest pains"}},
		{"I'm on sertraline 50 mg and omeprazole 20mg", []string{"MEDICATION:sertraline 50 mg", "MEDICATION:omeprazole 20mg"}},
		{"she takes 500 milligrams of metformin", []string{"MEDICATION:500 milligrams of metformin"}},
		{"two puffs of ventolin", []string{"MEDICATION:two puffs of ventolin"}},
		{"they changed him to candesartan", []string{"MEDICATION:candesartan"}}, // INN stem, not in the lexicon
		{"my knee is really swollen", []string{"MEDICAL_CONDITION:my knee is really swollen"}},
		{"my back is killing me", []string{"MEDICAL_CONDITION:my back is killing me"}},
		{"I need a smear test and a flu jab", []string{"PROCEDURE:smear test", "PROCEDURE:flu jab"}},
		{"can I book a Hydrafacial", []string{"PROCEDURE:Hydrafacial"}},                       // clinic catalogue
		{"the Invisalign consultation please", []string{"PROCEDURE:Invisalign consultation"}}, // multi-word catalogue entry
		{"I've got a cold and a cough", []string{"MEDICAL_CONDITION:a cold", "MEDICAL_CONDITION:a cough"}},
		{"she needs a crown on that tooth", []string{"PROCEDURE:crown"}},

		// Traps: idioms, not health data.
		{"I'm sick of waiting on hold", nil},
		{"your clinic is in the heart of the city", nil},
		{"I'm dying to know if you have slots", nil},
		{"parking there is a pain in the neck", nil},
		{"he's a real pain", nil},
		{"it was a stroke of luck", nil},
		{"I'm filling in the form", nil},
		{"I rang the surgery yesterday", nil},
		{"do I scan the QR code", nil},
		{"I've got a cold drink in my hand", nil},
		{"I'm anxious to get this sorted", nil},
		{"we need a booster seat", nil},
		{"I'm going to Crown Street later", []string{"STREET_ADDRESS:Crown Street"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, spans(testDetector, tt.text), tt.text)
	}
}

// What a medicine is "for" is a condition only with clinical evidence: a
// place, a titled name or an everyday thing after "for" is not one
// (probes found on development batches: "malaria tablets for kenya" gave
// the condition "kenya", "review for Mrs Okonkwo" the condition "Mrs
// Okonkwo").
func TestTreatedForNeedsClinicalEvidence(t *testing.T) {
	rules := NewDetector(Options{RulesOnly: true})
	requireFinds(t, rules, TypeMedicalCondition, []finds{
		{"I take Zirtek for the itching", "itching"},
		{"Fostair, two puffs, for my chest infection", "chest infection"},
		{"he has Movicol for the runs", "the runs"},
	}, []string{
		"do i need malaria tablets for kenya",
		"do I need doxycycline for Thailand",
		"she's on amitriptyline and I'm doing the medication review for Mrs Okonkwo",
		"the vet has my horse on meloxicam for his hock",
	})
	requireFinds(t, rules, TypePerson, []finds{
		{"I'm doing the structured medication review for Mrs Okonkwo", "Okonkwo"},
	}, nil)
}

// A condition named before a practitioner is the practitioner's field, a
// role, not the caller's condition ("the diabetes podiatrist").
func TestConditionBeforePractitionerIsARole(t *testing.T) {
	requireFinds(t, NewDetector(Options{}), TypeMedicalCondition, []finds{
		{"my diabetes is all over the place so the podiatrist wants to see me", "diabetes"},
	}, []string{
		"the diabetes podiatrist wants to see her this week",
		"can I book in with the asthma nurse",
		"the epilepsy specialist rang back",
	})
}
