package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeSpokenForms(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"oh seven seven double oh nine hundred one two three", "07700900123"},
		{"triple five two three four", "555234"},
		{"plus four four seven seven double oh", "+447700"},
		{"nine nine six, zero three zero, eight two four three", "9960308243"},
		{"born nineteen eighty four", "born 1984"},
		{"two thousand and three", "2003"},
		{"one hundred and twelve", "112"},
		{"the twenty first of may", "the 21st of may"},
		{"March third", "March 3rd"},
		{"jane dot doe at gmail dot com", "jane.doe@gmail.com"},
		{"tom underscore baker at outlook dot co dot uk", "tom_baker@outlook.co.uk"},
		{"jane.doe at gmail.com", "jane.doe@gmail.com"},
		// Words with no connector form one local part only right after an
		// e-mail cue.
		{"my email is rosa martinez at hotmail dot com", "my email is rosamartinez@hotmail.com"},
		{"tell rosa martinez at hotmail dot com", "tell rosa martinez@hotmail.com"},
		// Left alone: a lone number word, an interjection, ordinary "at".
		{"the one I booked", "the one I booked"},
		{"oh I see", "oh I see"},
		{"first time here", "first time here"},
		{"meet me at the station", "meet me at the station"},
		{"I may come on the second", "I may come on the second"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, normalize(tt.in).text, tt.in)
	}
}

func TestNormalizeOffsetsMapBack(t *testing.T) {
	text := "Zoë here, call oh seven seven double oh nine hundred one two three please"
	n := normalize(text)
	assert.Equal(t, "Zoë here, call 07700900123 please", n.text)
	s := len("Zoë here, call ")
	e := s + len("07700900123")
	os, oe := n.origSpan(s, e)
	assert.Equal(t, "oh seven seven double oh nine hundred one two three", text[os:oe])
	// Untouched bytes map to themselves.
	os, oe = n.origSpan(0, len("Zoë"))
	assert.Equal(t, "Zoë", text[os:oe])
}

func TestSpokenEntitiesReportOriginalOffsets(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{
			"my number is oh seven seven double oh nine hundred one two three",
			[]string{"PHONE_NUMBER:oh seven seven double oh nine hundred one two three"},
		},
		{
			"email is jane dot doe at gmail dot com thanks",
			[]string{"EMAIL_ADDRESS:jane dot doe at gmail dot com"},
		},
		{
			"my nhs number is nine four three, four seven six, five nine one nine",
			[]string{"NATIONAL_ID:nine four three, four seven six, five nine one nine"},
		},
		{
			"date of birth the twenty first of may nineteen eighty four",
			[]string{"DATE_OF_BIRTH:twenty first of may nineteen eighty four"},
		},
		{
			"Zoë's number is plus four four seven seven double oh nine hundred eight seven six",
			[]string{"PERSON:Zoë", "PHONE_NUMBER:plus four four seven seven double oh nine hundred eight seven six"},
		},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, spans(testDetector, tt.text), tt.text)
	}
}
