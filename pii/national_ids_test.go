package pii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The valid examples are the issuers' own published specimens where there
// is one (PESEL 44051401359, BZSt's 86095742719, the INSEE example, BSN
// 111222333, Skatteverket's 811218-9876, RSSMRA85T10A562S), so the
// validators are not checked against themselves.
func TestNationalIDValidators(t *testing.T) {
	tests := []struct {
		name  string
		valid func(string) bool
		good  []string
		bad   []string
	}{
		{"Steuer-ID", validSteuerID, []string{"86095742719", "47036892816"},
			[]string{"86095742718", "06095742719", "11111111111", "1234567890", "8609574271x", ""}},
		{"PESEL", validPESEL, []string{"44051401359", "02070803628"},
			[]string{"44051401358", "44131401359", "4405140135", "abcdefghijk", ""}},
		{"NIR", validNIR, []string{"255081416802538", "184127645108946"},
			[]string{"255081416802539", "955081416802538", "25508141680253", "2550814168025xx", ""}},
		{"BSN", validBSN, []string{"111222333", "123456782"},
			[]string{"111222334", "000000000", "12345678", "12345678a", ""}},
		{"personnummer", validPersonnummer, []string{"8112189876", "198112189876"},
			[]string{"8112189875", "8113189876", "308112189876", "811218987", ""}},
		{"PPSN", validPPSN, []string{"1234567T", "1234567t", "1234567FA", "1234567TW"},
			[]string{"1234567A", "1234567FZ", "123456T", "12345678T", ""}},
		{"DNI", validDNI, []string{"12345678Z", "12345678z"},
			[]string{"12345678A", "1234567Z", "X2345678Z", ""}},
		{"NIE", validNIE, []string{"X1234567L", "y1234567x"},
			[]string{"X1234567A", "A1234567L", "X123456L", ""}},
		{"codice fiscale", validCodiceFiscale, []string{"RSSMRA85T10A562S", "rssmra85t10a562s"},
			[]string{"RSSMRA85T10A562T", "RSSMRA85T10A562", "RSSMRA85T10A56!S", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range tc.good {
				assert.True(t, tc.valid(s), "%s should be valid", s)
			}
			for _, s := range tc.bad {
				assert.False(t, tc.valid(s), "%s should be invalid", s)
			}
		})
	}
}

func TestNationalIDsInText(t *testing.T) {
	tests := []struct {
		name, text, want string // want "" means no NATIONAL_ID
	}{
		{"PESEL cued", "My PESEL is 44051401359.", "44051401359"},
		{"PESEL bad check", "My PESEL is 44051401358.", ""},
		{"Steuer-ID grouped", "Meine Steuer-ID ist 86 095 742 719.", "86 095 742 719"},
		{"NIR spaced", "numéro de sécurité sociale 2 55 08 14 168 025 38", "2 55 08 14 168 025 38"},
		{"NIR solid, cued, also Luhn-valid", "my sécu is 255081416802538", "255081416802538"},
		{"BSN cued", "my BSN is 111222333", "111222333"},
		{"BSN dotted", "BSN 1112.22.333 please", "1112.22.333"},
		{"BSN bare nine digits are not enough", "the parcel is 111222333", ""},
		{"personnummer hyphen", "personnummer 811218-9876", "811218-9876"},
		{"PPSN", "my PPS number is 1234567T", "1234567T"},
		{"PPSN lower case speech", "pps number one two three four five six seven t", "one two three four five six seven t"},
		{"DNI", "DNI 12345678Z", "12345678Z"},
		{"NIE", "my NIE is X-1234567-L", "X-1234567-L"},
		{"codice fiscale", "codice fiscale RSSMRA85T10A562S", "RSSMRA85T10A562S"},
		{"codice fiscale bad check", "codice fiscale RSSMRA85T10A562T", ""},
		{"PESEL spoken", "my pesel is four four zero five one four zero one three five nine", "four four zero five one four zero one three five nine"},
		{"order number with a valid-looking checksum", "my order number is 44051401359", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := typesOf(testDetector, tc.text)[TypeNationalID]
			assert.Equal(t, tc.want, got, "%q: %v", tc.text, spans(testDetector, tc.text))
			if tc.want != "" {
				assert.Empty(t, typesOf(testDetector, tc.text)[TypePhoneNumber], "an id is not also a phone: %q", tc.text)
			}
		})
	}
}

// FuzzValidators: garbage never panics a validator.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"", "1", "2A", "255081416802538", "X1234567L", "RSSMRA85T10A562S", "ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ", "1234567T\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []func(string) bool{validSteuerID, validPESEL, validNIR, validBSN, validPersonnummer, validPPSN, validDNI, validNIE, validCodiceFiscale, validNHS, validSSN} {
			v(s)
		}
	})
}
