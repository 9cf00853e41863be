package pii

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Digit strings are read once and then claimed by the most specific
// reading: a payment card (Luhn), a US social security number (its
// allocation rules), an NHS number (mod 11), and only then a phone number
// (validated per region by libphonenumber). Dates, house numbers and
// postcodes are the traps: dates are refused by shape here, house numbers
// lose to the address recognizer in resolve.

// digitRun is a maximal run of digits joined by single separators.
type digitRun struct {
	s, e   int
	digits string
	groups []int
	seps   string // the distinct separators used
	plus   bool
	paren  bool
	ext    bool
	raw    string // the run without its extension, for libphonenumber
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }
func isASCIIAlnum(c byte) bool {
	return isASCIIDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// scanDigitRuns finds candidate runs with at least minDigits digits.
func scanDigitRuns(text string, minDigits int) []digitRun {
	var runs []digitRun
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !isASCIIDigit(c) && c != '+' && c != '(' {
			continue
		}
		if i > 0 && (isASCIIAlnum(text[i-1]) || text[i-1] >= 0x80 || text[i-1] == '+') {
			// Part of a word or an IBAN ("GB10LORI2028...").
			for i < len(text) && (isASCIIAlnum(text[i])) {
				i++
			}
			continue
		}
		r, next := readDigitRun(text, i)
		if next <= i {
			continue
		}
		if len(r.digits) >= minDigits {
			runs = append(runs, r)
		}
		i = next - 1
	}
	return runs
}

func readDigitRun(text string, i int) (digitRun, int) {
	r := digitRun{s: i}
	j := i
	if text[j] == '+' {
		r.plus = true
		j++
		if j >= len(text) || !isASCIIDigit(text[j]) {
			return r, i
		}
	}
	var digits []byte
	var seps []byte
	lastDigitEnd := -1
	for j < len(text) {
		if text[j] == '(' {
			k := j + 1
			for k < len(text) && isASCIIDigit(text[k]) && k-j <= 5 {
				k++
			}
			if k >= len(text) || text[k] != ')' || k == j+1 {
				break
			}
			r.paren = true
			inner := text[j+1 : k]
			// "+46 (0)179": the bracketed trunk zero is not dialled from abroad.
			if !(r.plus && inner == "0") {
				digits = append(digits, inner...)
				r.groups = append(r.groups, len(inner))
			}
			j = k + 1
			lastDigitEnd = j
		} else if isASCIIDigit(text[j]) {
			k := j
			for k < len(text) && isASCIIDigit(text[k]) {
				k++
			}
			digits = append(digits, text[j:k]...)
			r.groups = append(r.groups, k-j)
			j = k
			lastDigitEnd = j
		} else {
			break
		}
		// "(602)272-9781", "+46 (0)179": digits may follow a bracket directly.
		if text[j-1] == ')' && j < len(text) && isASCIIDigit(text[j]) {
			continue
		}
		// A separator continues the run only when a digit or "(" follows.
		k := j
		for k < len(text) && k-j < 3 && (text[k] == ' ' || text[k] == '-' || text[k] == '.' || text[k] == '/' || text[k] == '\t') {
			k++
		}
		if k == j || k >= len(text) || !(isASCIIDigit(text[k]) || text[k] == '(') {
			break
		}
		if text[k] == '(' && !strings.ContainsRune(text[j:k], ' ') {
			break
		}
		for _, c := range []byte(text[j:k]) {
			if c != '\t' && strings.IndexByte(string(seps), c) < 0 {
				seps = append(seps, c)
			}
		}
		j = k
	}
	if lastDigitEnd < 0 {
		return r, i
	}
	j = lastDigitEnd
	r.raw = text[i:j]
	// A time ("2020-06-20 14:11:22"): the run is a timestamp, not a number.
	if j+1 < len(text) && text[j] == ':' && isASCIIDigit(text[j+1]) {
		return digitRun{}, j + 1
	}
	// A run glued to letters ("12th", "20mg", "3pm") is not a number to claim.
	if j < len(text) && (isASCIIAlnum(text[j]) || text[j] >= 0x80) && !(text[j] == 'x' || text[j] == 'X') {
		return digitRun{}, j + 1
	}
	// Extensions: "x565", " ext. 12".
	if k := extensionEnd(text, j); k > j {
		r.ext = true
		j = k
	}
	r.e = j
	r.digits = string(digits)
	r.seps = string(seps)
	return r, j
}

func extensionEnd(text string, j int) int {
	k := j
	rest := text[k:]
	switch {
	case strings.HasPrefix(rest, "x"), strings.HasPrefix(rest, "X"):
		k++
	case strings.HasPrefix(rest, " x"):
		k += 2
	case strings.HasPrefix(rest, " ext. "):
		k += 6
	case strings.HasPrefix(rest, " ext "):
		k += 5
	case strings.HasPrefix(rest, " ext"):
		k += 4
	default:
		return j
	}
	d := k
	for d < len(text) && isASCIIDigit(text[d]) && d-k < 6 {
		d++
	}
	if d == k || d < len(text) && isASCIIAlnum(text[d]) {
		return j
	}
	return d
}

var (
	phoneCues      = []string{"phone", "telephone", "tel", "mobile", "cell", "cellphone", "number", "call", "ring", "text", "reach", "contact", "fax", "office", "desk", "landline", "whatsapp", "sms", "messages", "message", "callback", "on", "registered", "answering", "dial", "extension", "home", "work"}
	phoneCuesAfter = []string{"office", "fax", "mobile", "cell", "home", "work", "landline", "desk"}
	// notPhoneCues name other numbers that look like phone numbers.
	notPhoneCues = []string{"license", "licence", "zip", "postcode", "post code", "passport", "order", "orders", "reference", "ref", "invoice", "account", "sort code", "tracking", "serial", "version", "isbn", "ip",
		"booking", "booking number", "booking ref", "confirmation", "receipt", "voucher", "transaction", "parcel", "consignment", "case number", "ticket", "membership", "policy", "claim", "batch", "lot", "prescription number", "customer", "client", "quote", "estimate", "job", "loyalty", "item", "product", "sku", "model", "pin", "code", "ends in", "ending"}
	ssnCues = []string{"ssn", "social security", "social", "security"}
	nhsCues = []string{"nhs", "n h s", "health service", "nhs number", "chi number", "hospital number", "patient number", "h and c", "h&c", "health and care"}
)

func findDigitEntities(st *scanState, regions []string) {
	if !strings.ContainsAny(st.text, "0123456789") {
		return
	}
	for _, r := range scanDigitRuns(st.text, 7) {
		classifyDigitRun(st, &r, regions)
	}
}

func classifyDigitRun(st *scanState, r *digitRun, regions []string) {
	n := len(r.digits)
	before := st.windowBefore(r.s, 6)

	// A checksummed national id (with its cue where the shape is common)
	// is read before a card: "sécu 255081416802538" is also Luhn-valid.
	if findNationalIDDigits(st, r) {
		return
	}
	if ehicNumber(r) {
		st.add(TypeInsuranceID, r.s, r.e, 0.9, prioInsurance)
		return
	}

	if n >= 12 && n <= 19 && !r.ext && cardShaped(r) {
		if luhn(r.digits) {
			score := 0.9
			if containsAny(before, cardCues) {
				score = 1.0
			}
			st.add(TypeCreditCard, r.s, r.e, score, prioCard)
			return
		}
		if containsAny(before, cardCues) {
			// A card number that fails Luhn after a card word is a card
			// number misread, misheard or mistyped by a digit or two: the
			// rest of it is still the caller's card, so it is kept, with a
			// lower score, where it has a payment card's length and scheme
			// digit and no other card is named (a health-insurance card's
			// number is not a payment card's). Either way it is not a
			// phone number.
			if misreadCard(r.digits, before) {
				st.add(TypeCreditCard, r.s, r.e, 0.8, prioCard)
			}
			return
		}
	}

	// "my social security number uh the american one is ...": the cue
	// may stand further back than a phone's.
	ssnCue := containsAny(st.windowBeforeAnswer(r.s, 8), ssnCues)
	if n == 9 && !r.plus && !r.paren && !r.ext && (ssnShaped(r) || len(r.groups) == 1 && ssnCue) {
		if validSSN(r.digits) {
			score := 0.85
			if ssnCue {
				score = 1.0
			}
			st.add(TypeNationalID, r.s, r.e, score, prioNationalID)
		}
		return
	}

	if ipShaped(r) || dateShaped(r) || containsAny(before, notPhoneCues) {
		return
	}

	// "my NHS number, hang on it's on the letter, it's 455 754 3855":
	// a caller looks for it, so the cue may be a dozen words back.
	nhsCue := containsAny(st.windowBefore(r.s, 12), nhsCues)
	if n == 10 && !r.plus && !r.paren && !r.ext && (len(r.groups) == 1 || equalGroups(r.groups, 3, 3, 4)) {
		if validNHS(r.digits) {
			if nhsCue {
				st.add(TypeNationalID, r.s, r.e, 1.0, prioNationalID)
				return
			}
		} else if nhsCue {
			return
		}
	}
	// "my hospital number's 8830214": a record number, whatever its
	// length, once it is not a valid NHS number.
	if nhsCue && n <= 11 {
		return
	}

	if n > 15 {
		return
	}
	cue := containsAny(before, phoneCues) || containsAny(st.windowAfter(r.e, 4), phoneCuesAfter) || hyphenCueAfter(st.text, r.e)
	valid, possible := validPhone(r, regions)
	var score float64
	switch {
	case !valid && possible && r.plus:
		// "+44 7700 900123": Ofcom's drama range and fresh allocations
		// fail strict validation, but a "+" and a real country code with
		// a possible length is a phone number.
		score = 0.7
	case valid && (cue || r.plus):
		score = 0.85
		if cue && r.plus {
			score = 0.95
		}
	case valid:
		score = 0.6
	case cue && n >= 9 && n <= 13:
		score = 0.4
	default:
		return
	}
	if n == 10 && validNHS(r.digits) && !r.plus && (!cue || r.digits[0] != '0' && !explicitPhoneCue(st, r)) {
		// Mod-11-valid and phone-valid with no phone cue: keep both
		// readings possible but prefer the national id, the stricter
		// class. A British or Irish phone number opens with 0, so ten
		// digits that do not are read the same way after a bare "the
		// number is"; "ring me on" keeps them a phone.
		st.add(TypeNationalID, r.s, r.e, 0.5, prioNationalID)
		return
	}
	st.add(TypePhoneNumber, r.s, r.e, score, prioPhone)
}

// hyphenCueAfter catches "555-0100-Office" signatures.
func hyphenCueAfter(text string, e int) bool {
	if e >= len(text) || text[e] != '-' {
		return false
	}
	rest := strings.ToLower(text[e+1 : min(len(text), e+12)])
	for _, c := range phoneCuesAfter {
		if strings.HasPrefix(rest, c) {
			return true
		}
	}
	return false
}

func equalGroups(g []int, want ...int) bool {
	if len(g) != len(want) {
		return false
	}
	for i := range g {
		if g[i] != want[i] {
			return false
		}
	}
	return true
}

// ipShaped: four dot-separated groups of up to three digits.
func ipShaped(r *digitRun) bool {
	if len(r.groups) != 4 || r.seps != "." {
		return false
	}
	for _, g := range r.groups {
		if g > 3 {
			return false
		}
	}
	return true
}

func ssnShaped(r *digitRun) bool {
	return equalGroups(r.groups, 3, 2, 4) && (r.seps == "-" || r.seps == " ")
}

// validSSN applies the SSA's rules: no area 000, 666 or 9xx, no group 00,
// no serial 0000, and none of the numbers published in advertising.
func validSSN(d string) bool {
	if len(d) != 9 {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
		return false
	}
	switch d {
	case "078051120", "219099999", "123456789":
		return false
	}
	return strings.Count(d, d[:1]) != len(d)
}

// validNHS checks the NHS number's modulus 11 check digit.
func validNHS(d string) bool {
	if len(d) != 10 {
		return false
	}
	sum := 0
	for i := range 9 {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 {
		return false
	}
	return int(d[9]-'0') == check && strings.Count(d, d[:1]) != len(d)
}

// dateShaped refuses 12/05/1990, 12.05.1990, 1990-05-12 and 12-05-1990 as
// phone numbers.
func dateShaped(r *digitRun) bool {
	if len(r.groups) < 3 || r.plus || r.paren {
		return false
	}
	g := r.groups
	if g[0] == 4 && g[1] <= 2 && g[2] <= 2 && strings.Contains(r.seps, "-") {
		return true
	}
	if len(g) != 3 {
		return false
	}
	if strings.ContainsAny(r.seps, "/") {
		return true
	}
	if !(r.seps == "." || r.seps == "-") {
		return false
	}
	return (g[0] <= 2 && g[1] <= 2 && (g[2] == 2 || g[2] == 4)) || (g[0] == 4 && g[1] <= 2 && g[2] <= 2)
}

// validPhone asks libphonenumber: an international number as written, a
// national one against each configured region in turn.
// It also reports whether an international number is at least possible
// (a real country code and a plausible length).
func validPhone(r *digitRun, regions []string) (valid, possible bool) {
	raw := r.raw
	if r.plus {
		raw = strings.Replace(raw, "(0)", "", 1)
		num, err := phonenumbers.Parse(raw, "ZZ")
		if err != nil {
			return false, false
		}
		return phonenumbers.IsValidNumber(num), phonenumbers.IsPossibleNumber(num)
	}
	if len(r.digits) < 7 {
		return false, false
	}
	for _, region := range regions {
		num, err := phonenumbers.Parse(raw, region)
		if err == nil && phonenumbers.IsValidNumberForRegion(num, region) {
			return true, true
		}
	}
	return false, false
}
