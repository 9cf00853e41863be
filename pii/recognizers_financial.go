package pii

import (
	"regexp"
	"strings"
)

// Cards, IBANs: formats that carry their own checksum. A match that passes
// it is taken anywhere; one that fails it only where nothing else has that
// shape: a card-shaped number after a card word, an IBAN of its country's
// exact length and bank-code shape. A caller who misreads one digit of a
// card or an IBAN has still said the rest of it.

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
			if ibanShaped(st.text[s:e]) && (bankLettersIBAN(st.text[s:e]) || containsAny(st.windowBefore(s, 6), ibanCues)) {
				st.add(TypeIBAN, s, e, 0.8, prioIBAN)
				break
			}
			sp := strings.LastIndexByte(st.text[s:e], ' ')
			if sp <= 0 {
				break
			}
			e = s + sp
		}
	}
	findSpokenIBAN(st)
}

// findSpokenIBAN: an IBAN read out in speech-to-text, its letters one by
// one ("g b two two b a r c two zero zero three ...", which normalize
// turns into letters and digit runs), is joined and checked like a
// written one: its checksum, or its exact shape after a bank word.
func findSpokenIBAN(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		// The country code comes as two letters ("g b") or one word
		// ("gb"); the exact length and the checksum (or the shape after
		// a bank word) keep "it is two ..." from passing.
		country := ""
		switch {
		case spellingLetter(toks[i]) && spellingLetter(toks[i+1]):
			country = toks[i].low + toks[i+1].low
		case toks[i].kind == tokWord && len(toks[i].low) == 2 && toks[i+1].kind == tokNum:
			country = toks[i].low
		default:
			continue
		}
		want, ok := ibanLengths[strings.ToUpper(country)]
		if !ok || country[0] < 'a' || country[0] > 'z' || country[1] < 'a' || country[1] > 'z' {
			continue
		}
		var b strings.Builder
		b.WriteString(country)
		k := i + 1
		if len(toks[i].low) == 1 {
			k = i + 2
		}
		for k < len(toks) && b.Len() < want && !toks[k].nl && (spellingLetter(toks[k]) || toks[k].kind == tokNum) {
			b.WriteString(toks[k].low)
			k++
		}
		id := b.String()
		if len(id) != want {
			continue
		}
		if validIBAN(id) || ibanShaped(id) && containsAny(st.windowBefore(toks[i].s, 6), ibanCues) {
			st.add(TypeIBAN, toks[i].s, toks[k-1].e, 0.9, prioIBAN)
			i = k - 1
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

// ibanShaped reports whether s, failing its checksum, is still an IBAN
// beyond doubt: a country whose IBANs have a fixed length and a fixed
// bank-code shape (letters, or digits only), that length exactly, and
// that shape. "GB47 BARC 2003 8154 6720 91" with one digit misread is
// nothing else.
func ibanShaped(s string) bool {
	t := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(t) < 15 || !isASCIIDigit(t[2]) || !isASCIIDigit(t[3]) {
		return false
	}
	shape, ok := ibanBBANShapes[t[:2]]
	if !ok || len(t) != ibanLengths[t[:2]] {
		return false
	}
	bban := t[4:]
	for i := 0; i < len(bban); i++ {
		c := bban[i]
		letter := c >= 'A' && c <= 'Z'
		if !letter && !isASCIIDigit(c) {
			return false
		}
		if i < len(shape) && (shape[i] == 'a') != letter {
			return false
		}
		if i >= len(shape) && letter {
			return false
		}
	}
	return true
}

// bankLettersIBAN: the country's bank code is letters ("GB47 BARC ..."),
// a shape nothing else has; a digits-only one ("DE45 5001 ...") needs a
// bank word before it when its checksum fails.
func bankLettersIBAN(s string) bool {
	t := strings.ToUpper(strings.TrimSpace(s))
	return len(t) >= 2 && strings.HasPrefix(ibanBBANShapes[t[:2]], "a")
}

// ibanBBANShapes: the bank-code prefix of a country's BBAN, 'a' a letter
// and 'n' a digit; the rest of the BBAN is digits (ISO 13616 registry).
var ibanBBANShapes = map[string]string{
	"GB": "aaaa", "IE": "aaaa", "NL": "aaaa",
	"DE": "nnnnnnnn", "ES": "nnnnnnnn", "AT": "nnnnn", "BE": "nnn", "PL": "nnnnnnnn",
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

// misreadCard: digits that fail Luhn after a card word still make a
// payment card's number when they have a scheme's length and first digit
// (Amex 15 digits from 3, Visa, Mastercard and Discover 16 from 4, 5, 2
// or 6) and the words before them name no other kind of card.
func misreadCard(d, before string) bool {
	switch {
	case len(d) == 15 && d[0] == '3':
	case len(d) == 16 && strings.IndexByte("2456", d[0]) >= 0:
	default:
		return false
	}
	return !containsAny(before, otherCardCues)
}

var otherCardCues = []string{"insurance", "insurer", "health", "medical", "nhs", "ehic", "gesundheitskarte", "tessera", "member", "membership", "policy", "loyalty", "library", "gym", "id", "identity", "oyster", "bus", "travel", "student", "donor", "blue badge", "prepayment", "exemption"}

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
