package pii

import (
	"regexp"
	"strings"
)

// Cards, IBANs: formats that carry their own checksum, so a match that fails
// the checksum is dropped whatever its context says.

var emailRe = regexp.MustCompile(`(?i)[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}\b`)

func findEmails(st *scanState) {
	if strings.IndexByte(st.text, '@') < 0 {
		return
	}
	for _, m := range emailRe.FindAllStringIndex(st.text, -1) {
		st.add(TypeEmailAddress, m[0], m[1], 1.0, prioEmail)
	}
}

// ibanRe accepts an IBAN written solid or in the usual groups of four.
var ibanRe = regexp.MustCompile(`(?i)\b[a-z]{2}\d{2}(?:[a-z0-9]{11,30}|(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?)\b`)

var ibanCues = []string{"iban", "account", "bank", "transfer", "wire"}

func findIBANs(st *scanState) {
	if longestDigitRun(st.text) < 2 {
		return // an IBAN's check digits are two digits in a row
	}
	for _, m := range ibanRe.FindAllStringIndex(st.text, -1) {
		s, e := m[0], m[1]
		// Trailing groups may be ordinary words ("... 32 from"): shorten
		// group by group until the checksum holds.
		for e-s >= 15 {
			if validIBAN(st.text[s:e]) {
				score := 0.9
				if containsAny(st.windowBefore(s, 6), ibanCues) {
					score = 1.0
				}
				st.add(TypeIBAN, s, e, score, prioIBAN)
				break
			}
			sp := strings.LastIndexByte(st.text[s:e], ' ')
			if sp <= 0 {
				break
			}
			e = s + sp
		}
	}
}

// validIBAN checks the ISO 13616 mod-97 checksum and, where the country is
// known, the length.
func validIBAN(s string) bool {
	var buf [40]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		if n == len(buf) {
			return false
		}
		buf[n] = c
		n++
	}
	if n < 15 || n > 34 {
		return false
	}
	iban := buf[:n]
	if want, ok := ibanLengths[string(iban[:2])]; ok && want != n {
		return false
	}
	rem := 0
	for k := range n {
		c := iban[(k+4)%n]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

var ibanLengths = map[string]int{
	"GB": 22, "IE": 22, "DE": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18,
	"BE": 16, "CH": 21, "AT": 20, "PT": 25, "SE": 24, "NO": 15, "DK": 18,
	"FI": 18, "PL": 28, "LU": 20, "GR": 27, "CZ": 24, "HU": 28, "IS": 26,
}

// luhn reports whether a digit string passes the Luhn check used by every
// payment card scheme.
func luhn(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

var cardCues = []string{"card", "cc", "visa", "mastercard", "amex", "debit", "credit", "pay", "payment", "charge"}

// cardShaped accepts how people write card numbers: solid, or in groups of
// four (Amex: 4-6-5). Phone-like groupings ("21 284 698 2548") are not cards
// even when the Luhn check happens to pass, which it does one time in ten.
func cardShaped(c *digitRun) bool {
	if c.plus || c.paren {
		return false
	}
	if len(c.groups) == 1 {
		return true
	}
	if len(c.groups) == 3 && c.groups[0] == 4 && c.groups[1] == 6 && (c.groups[2] == 5 || c.groups[2] == 4) {
		return true
	}
	for i, g := range c.groups {
		if g != 4 && !(i == len(c.groups)-1 && g >= 1 && g < 4) {
			return false
		}
	}
	return true
}
