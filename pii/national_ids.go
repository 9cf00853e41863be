package pii

import (
	"regexp"
	"strings"
)

// National identity numbers of the main EU countries, the UK, the US and
// Ireland. Each is validated by its own check digit or check letter, so a
// wrong digit drops the match whatever the context; a cue word ("PESEL",
// "Steuer-ID", "BSN") lifts the score and, for formats whose shape alone
// is too common (nine or eleven bare digits), is required.
//
// The validators take the identifier without separators and never panic on
// garbage: wrong length or characters are simply invalid.

// validSteuerID checks a German tax identification number (11 digits):
// first digit not 0, among the first ten one digit appears two or three
// times and at least one digit not at all, and the last is an ISO 7064
// MOD 11,10 check digit.
func validSteuerID(d string) bool {
	if len(d) != 11 || !allDigits(d) || d[0] == '0' {
		return false
	}
	var counts [10]int
	for i := range 10 {
		counts[d[i]-'0']++
	}
	multi, missing := 0, 0
	for _, c := range counts {
		switch {
		case c == 0:
			missing++
		case c == 2 || c == 3:
			multi++
		case c > 3:
			return false
		}
	}
	if multi != 1 || missing == 0 {
		return false
	}
	p := 10
	for i := range 10 {
		s := (int(d[i]-'0') + p) % 10
		if s == 0 {
			s = 10
		}
		p = (2 * s) % 11
	}
	check := 11 - p
	if check == 10 {
		check = 0
	}
	return int(d[10]-'0') == check
}

// validPESEL checks a Polish PESEL (11 digits): a real birth date in the
// first six (the month carries the century: +20 for the 2000s, +80 for
// the 1800s, ...) and a weighted check digit.
func validPESEL(d string) bool {
	if len(d) != 11 || !allDigits(d) {
		return false
	}
	mm := atoi2(d[2:4])
	dd := atoi2(d[4:6])
	month := mm % 20
	if month < 1 || month > 12 || mm > 92 || dd < 1 || dd > 31 {
		return false
	}
	w := [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i := range 10 {
		sum += int(d[i]-'0') * w[i]
	}
	return int(d[10]-'0') == (10-sum%10)%10
}

// validNIR checks a French social security number (13 digits and a 2-digit
// key = 97 - number mod 97). Corsican départements 2A and 2B stand for 19
// and 18 in the key computation.
func validNIR(s string) bool {
	if len(s) != 15 {
		return false
	}
	s = strings.ToUpper(s)
	body := s[:13]
	switch body[5:7] {
	case "2A":
		body = body[:5] + "19" + body[7:]
	case "2B":
		body = body[:5] + "18" + body[7:]
	}
	if !allDigits(body) || !allDigits(s[13:]) || !strings.ContainsRune("12378", rune(body[0])) {
		return false
	}
	if mm := atoi2(body[3:5]); mm < 1 || (mm > 12 && mm < 20) || mm > 42 && mm != 99 {
		return false
	}
	rem := 0
	for i := 0; i < len(body); i++ {
		rem = (rem*10 + int(body[i]-'0')) % 97
	}
	return atoi2(s[13:]) == 97-rem
}

// validBSN checks a Dutch citizen service number (9 digits, the "11-test"
// with weights 9..2 and -1).
func validBSN(d string) bool {
	if len(d) != 9 || !allDigits(d) || d[0] == '0' && d[1] == '0' {
		return false
	}
	sum := 0
	for i := range 8 {
		sum += int(d[i]-'0') * (9 - i)
	}
	sum -= int(d[8] - '0')
	return sum != 0 && sum%11 == 0
}

// validPersonnummer checks a Swedish personal identity number, 10 digits
// (YYMMDDNNNC) or 12 (YYYYMMDDNNNC): a real date (day + 60 for a
// coordination number) and a Luhn check digit over the last ten.
func validPersonnummer(d string) bool {
	if len(d) == 12 {
		if !(strings.HasPrefix(d, "19") || strings.HasPrefix(d, "20")) {
			return false
		}
		d = d[2:]
	}
	if len(d) != 10 || !allDigits(d) {
		return false
	}
	mm, dd := atoi2(d[2:4]), atoi2(d[4:6])
	if dd > 60 {
		dd -= 60
	}
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return false
	}
	return luhn(d)
}

// validPPSN checks an Irish Personal Public Service Number: seven digits,
// a check letter (mod 23 over weights 8..2, plus 9 times the value of a
// second letter where there is one), and an optional second letter.
func validPPSN(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 8 && len(s) != 9 || !allDigits(s[:7]) {
		return false
	}
	sum := 0
	for i := range 7 {
		sum += int(s[i]-'0') * (8 - i)
	}
	if len(s) == 9 {
		c := s[8]
		switch {
		case c == 'W':
		case c >= 'A' && c <= 'I':
			sum += 9 * int(c-'A'+1)
		default:
			return false
		}
	}
	const letters = "WABCDEFGHIJKLMNOPQRSTUV"
	return s[7] == letters[sum%23]
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// validDNI checks a Spanish DNI: eight digits and the letter of their
// value mod 23.
func validDNI(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 9 || !allDigits(s[:8]) {
		return false
	}
	return s[8] == dniLetters[atoiN(s[:8])%23]
}

// validNIE checks a Spanish foreigner's number: X, Y or Z (read as 0, 1,
// 2), seven digits, and the DNI letter of the whole.
func validNIE(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 9 || !allDigits(s[1:8]) {
		return false
	}
	lead := strings.IndexByte("XYZ", s[0])
	if lead < 0 {
		return false
	}
	return s[8] == dniLetters[(lead*10000000+atoiN(s[1:8]))%23]
}

// Codice fiscale: odd positions (1st, 3rd, ...) and even ones map to
// different values; the 16th letter is their sum mod 26. Digits may be
// replaced by letters (omocodia), which the tables cover.
var cfOdd = [36]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23} // A-Z

func validCodiceFiscale(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 16 {
		return false
	}
	sum := 0
	for i := range 15 {
		c := s[i]
		var idx, even int
		switch {
		case c >= '0' && c <= '9':
			idx, even = int(c-'0'), int(c-'0')
		case c >= 'A' && c <= 'Z':
			idx, even = 10+int(c-'A'), int(c-'A')
		default:
			return false
		}
		if i%2 == 0 {
			sum += cfOdd[idx]
		} else {
			sum += even
		}
	}
	return s[15] == byte('A'+sum%26)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}

func atoi2(s string) int { return atoiN(s) }

func atoiN(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Cue words per identifier, matched in the words before the number.
var (
	steuerCues = []string{"steuer", "steuer id", "steuer-id", "steuerid", "steueridentifikationsnummer", "identifikationsnummer", "idnr", "tax id", "tax identification", "tax identification number", "german tax", "tax number", "tin", "tax"}
	peselCues  = []string{"pesel"}
	nirCues    = []string{"sécurité sociale", "securite sociale", "sécu", "secu", "nir", "insee", "carte vitale", "french social security", "social security", "numéro de sécurité sociale"}
	bsnCues    = []string{"bsn", "burgerservicenummer", "citizen service number", "sofi", "sofinummer", "dutch"}
	pnrCues    = []string{"personnummer", "personal identity number", "swedish", "samordningsnummer"}
	ppsnCues   = []string{"pps", "ppsn", "pps number", "personal public service", "irish"}
	dniCues    = []string{"dni", "nie", "nif", "documento", "spanish", "identidad", "id number", "id card"}
	cfCues     = []string{"codice fiscale", "fiscal code", "tax code", "italian", "tessera sanitaria", "cf"}
	idCues     = []string{"id", "identity", "identification", "national id", "national identity", "id number", "identity number"}
)

// findNationalIDDigits claims digit runs that are a checksummed national
// identifier; it runs before the phone reading and reports whether it did.
func findNationalIDDigits(st *scanState, r *digitRun) bool {
	d := r.digits
	if r.plus || r.paren || r.ext {
		return false
	}
	before := st.windowBeforeAnswer(r.s, 8)
	other := containsAny(before, notPhoneCues) // "order number 44051401359"
	cued := func(cues []string) bool { return !other && containsAny(before, cues) }
	add := func(score float64) bool {
		st.add(TypeNationalID, r.s, r.e, score, prioNationalID)
		return true
	}
	switch len(d) {
	case 15:
		if validNIR(d) && !other {
			if cued(nirCues) {
				return add(1)
			}
			// Uncued, a Luhn-valid number or one after a card word is a
			// card: one in 97 card numbers passes the NIR key too.
			if !luhn(d) && !containsAny(before, cardCues) {
				return add(0.8)
			}
		}
	case 11:
		switch {
		case cued(peselCues) && validPESEL(d), cued(steuerCues) && validSteuerID(d):
			return add(1)
		case validPESEL(d) && cued(idCues) && d[0] != '0':
			return add(0.6)
		case validSteuerID(d) && cued(idCues):
			return add(0.6)
		}
	case 9:
		if validBSN(d) && cued(bsnCues) {
			return add(1)
		}
		// "1234.56.782" is how a BSN is printed; no phone looks like it.
		if validBSN(d) && equalGroups(r.groups, 4, 2, 3) && r.seps == "." && !other {
			return add(0.8)
		}
	case 10, 12:
		if validPersonnummer(d) {
			if cued(pnrCues) {
				return add(1)
			}
			// YYMMDD-NNNC: the hyphen after a date is the personnummer's own.
			if !other && len(r.groups) == 2 && (r.groups[0] == 6 || r.groups[0] == 8) && r.seps == "-" {
				return add(0.75)
			}
		}
	}
	return false
}

var (
	ppsnRe = regexp.MustCompile(`(?i)\b(\d{7}) ?([a-w])( ?[a-iw])?\b`)
	dniRe  = regexp.MustCompile(`(?i)\b(?:(\d{8})|([xyz])[ -]?(\d{7}))[ -]?([a-z])\b`)
	cfRe   = regexp.MustCompile(`(?i)\b[a-z]{6}[0-9lmnpqrstuv]{2}[abcdehlmprst][0-9lmnpqrstuv]{2}[a-z][0-9lmnpqrstuv]{3}[a-z]\b`)
)

// findAlphanumericIDs finds identifiers with letters in them: the Irish
// PPSN, the Spanish DNI and NIE, the Italian codice fiscale.
func findAlphanumericIDs(st *scanState) {
	text := st.text
	if !strings.ContainsAny(text, "0123456789") {
		return
	}
	if len(text) >= 16 {
		for _, m := range cfRe.FindAllStringIndex(text, -1) {
			if validCodiceFiscale(text[m[0]:m[1]]) {
				st.add(TypeNationalID, m[0], m[1], 0.95, prioNationalID)
			}
		}
		findSpokenCodiceFiscale(st)
	}
	if longestDigitRun(text) < 7 {
		return // a PPSN, a DNI and an NIE hold seven digits in a row
	}
	for _, m := range ppsnRe.FindAllStringSubmatchIndex(text, -1) {
		id := text[m[2]:m[3]] + text[m[4]:m[5]]
		if m[6] >= 0 {
			id += strings.TrimSpace(text[m[6]:m[7]])
		}
		if !validPPSN(id) {
			// "1234567 T a" may have caught a word's first letter as the
			// second letter: try without it.
			if m[6] < 0 || !validPPSN(text[m[2]:m[3]]+text[m[4]:m[5]]) {
				continue
			}
			m[1] = m[5]
		}
		score := 0.7
		if containsAny(st.windowBefore(m[0], 8), ppsnCues) {
			score = 1
		} else if text[m[4]:m[5]] == strings.ToLower(text[m[4]:m[5]]) && !lowerSentence(st) {
			continue // "1234567 a" in written text is a count and a word
		}
		st.add(TypeNationalID, m[0], m[1], score, prioNationalID)
	}
	for _, m := range dniRe.FindAllStringSubmatchIndex(text, -1) {
		var ok bool
		if m[2] >= 0 {
			ok = validDNI(text[m[2]:m[3]] + text[m[8]:m[9]])
		} else {
			ok = validNIE(text[m[4]:m[5]] + text[m[6]:m[7]] + text[m[8]:m[9]])
		}
		if !ok {
			continue
		}
		score := 0.8
		if containsAny(st.windowBefore(m[0], 8), dniCues) {
			score = 1
		}
		st.add(TypeNationalID, m[0], m[1], score, prioNationalID)
	}
}

func longestDigitRun(s string) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
