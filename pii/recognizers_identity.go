package pii

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// UK National Insurance number: two prefix letters (D, F, I, Q, U, V never
// used; O not second; some pairs never issued), six digits, suffix A-D.
var ninoRe = regexp.MustCompile(`\b([A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z]) ?([A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-Da-d])\b`)

var ninoCues = []string{"national insurance", "ni number", "ni", "nino", "insurance number"}

func findNINO(st *scanState) {
	if !strings.ContainsAny(st.text, "0123456789") {
		return
	}
	for _, m := range ninoRe.FindAllStringSubmatchIndex(st.text, -1) {
		prefix := strings.ToUpper(st.text[m[2]:m[3]] + st.text[m[4]:m[5]])
		switch prefix {
		case "BG", "GB", "NK", "KN", "TN", "NT", "ZZ":
			continue
		}
		cue := containsAny(st.windowBefore(m[0], 8), ninoCues)
		upper := strings.ToUpper(st.text[m[0]:m[1]]) == st.text[m[0]:m[1]]
		switch {
		case cue:
			st.add(TypeNationalID, m[0], m[1], 1.0, prioNationalID)
		case upper:
			st.add(TypeNationalID, m[0], m[1], 0.7, prioNationalID)
		}
	}
}

// Insurance ids have no public format, so they are only taken after a cue
// ("membership number", "Bupa", "policy number") and must look like an id:
// digits, or letters and digits, six to twenty-four characters.
var insuranceCues = []string{
	"member number", "membership number", "member id", "membership id", "member no",
	"policy number", "policy no", "policy id", "policy", "insurance number", "insurance id",
	"insurance", "insurer", "insurance card", "subscriber id", "subscriber number",
	"group number", "plan number", "scheme number", "authorisation number", "authorization number",
	"pre authorisation", "pre authorization", "bupa", "axa", "aviva", "vitality", "cigna", "aetna",
	"blue cross", "blue shield", "healthcare", "humana", "kaiser", "medicare", "medicaid",
	"simplyhealth", "wpa", "allianz", "health insurance", "claim number",
	"krankenkasse", "krankenversicherung", "versichertennummer", "mutuelle", "ehic", "polisnummer", "vhi", "laya",
	"medical card", "gms card", "zorgpas", "polis", "polis number", "sanitas", "adeslas", "mapfre", "zilveren kruis",
	"tessera sanitaria", "carte vitale", "european health card", "health card",
}

// insuranceCuesAfter name the number just read out: "eight two nine one
// four four zero six, that's the axa membership number".
var insuranceCuesAfter = []string{"membership number", "member number", "policy number", "insurance number", "medical card"}

// insuranceCueAfter: the cue follows the number ("..., that's the axa
// membership number"), no other kind of number was named before it ("the
// invoice number is INV-20417 and the policy number is ...") and the cue
// is not a National Insurance number's.
func insuranceCueAfter(st *scanState, before string, e int) bool {
	after := st.windowAfter(e, 6)
	return containsAny(after, insuranceCuesAfter) && !strings.Contains(after, "national insurance") && !containsAny(before, notPhoneCues) && !containsAny(before, dobCues)
}

func findInsuranceIDs(st *scanState) {
	if !strings.ContainsAny(st.text, "0123456789") {
		return
	}
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !(t.kind == tokNum || t.kind == tokWord && hasDigit(t.text)) {
			continue
		}
		w := st.windowBefore(t.s, 7)
		if !containsAny(w, insuranceCues) && !insuranceCueAfter(st, w, t.e) || strings.Contains(w, " national insurance ") {
			continue
		}
		// Extend left over letter blocks glued by space ("BUP 1234 5678")
		// and right over further groups.
		start := i
		for start > 0 && !toks[start].nl {
			if isIDLetters(toks[start-1]) {
				start--
				continue
			}
			// "AXA-778-201-55": a prefix glued on with a hyphen.
			if h := toks[start-1]; (h.text == "-" || h.text == "/") && !h.sp && !toks[start].sp && start > 1 && isIDLetters(toks[start-2]) {
				start -= 2
				continue
			}
			break
		}
		end := i + 1
		for end < len(toks) && !toks[end].nl {
			u := toks[end]
			if u.kind == tokNum || u.kind == tokWord && (hasDigit(u.text) || isIDLetters(u)) {
				end++
				continue
			}
			if (u.text == "-" || u.text == "/") && end+1 < len(toks) && !u.sp && (toks[end+1].kind == tokNum || hasDigit(toks[end+1].text)) {
				end++
				continue
			}
			break
		}
		for end-1 > i && isIDLetters(toks[end-1]) {
			end--
		}
		alnum, digits := 0, 0
		for _, u := range toks[start:end] {
			for _, c := range []byte(u.text) {
				if isASCIIDigit(c) {
					digits++
				}
				if isASCIIAlnum(c) {
					alnum++
				}
			}
		}
		if alnum >= 6 && alnum <= 24 && digits >= 4 {
			st.add(TypeInsuranceID, toks[start].s, toks[end-1].e, 0.85, prioInsurance)
		}
		i = end - 1
	}
}

// isIDLetters: an upper-case block of one to five letters, the way ids
// carry a scheme prefix ("BUP", "XK").
func isIDLetters(t token) bool {
	if t.kind != tokWord || len(t.text) > 5 {
		return false
	}
	for _, c := range []byte(t.text) {
		if !(c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return t.text != "I" && t.text != "A"
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			return true
		}
	}
	return false
}

// Dates. A date is a date of birth only with a birth cue nearby: a clinic
// call is full of appointment dates.
const monthAlt = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

var dateRe = regexp.MustCompile(`(?i)\b(?:` +
	`\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})` + // 12/05/1990
	`|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}` + // 1990-05-12, 1990/05/12
	`|\d{1,2}(?:st|nd|rd|th)?(?: of)? ` + monthAlt + `,?(?: \d{4}| '?\d{2})?` + // 12th of May 1990
	`|` + monthAlt + ` (?:the )?\d{1,2}(?:st|nd|rd|th)?(?:,? (?:\d{4}|'?\d{2}))?` + // May 12th, 1990
	`|\d{1,2} \d{1,2} \d{4}` + // 12 05 1990
	`)\b`)

var dobCues = []string{"born", "date of birth", "dob", "d o b", "d.o.b", "birthday", "birth date", "birthdate", "birth", "birth's", "birthday's", "dob's", "geburtsdatum", "date de naissance", "fecha de nacimiento", "data di nascita"}

func findDatesOfBirth(st *scanState) {
	findOrdinalOfOrdinalDOB(st) // may have no digit at all: "first of the first ninety"
	if !strings.ContainsAny(st.text, "0123456789") {
		return
	}
	findDateReplies(st)
	if !mentionsBirth(st.text) {
		return // every cue below and in findCompactDOB and findBirthYear holds one of birthWords
	}
	for _, m := range st.dates() {
		s, e := m[0], m[1]
		if !plausibleDate(st.text[s:e]) {
			continue
		}
		before := st.windowBefore(s, 8)
		after := st.windowAfter(e, 5) // "the second of june, that's my date of birth"
		if containsAny(before, dobCues) || dobCueAcrossFiller(st, s) || containsAny(after, []string{"dob", "d o b", "date of birth", "born"}) {
			st.add(TypeDateOfBirth, s, e, 0.9, prioDOB)
		}
	}
	findCompactDOB(st)
	findBirthYear(st)
}

// dates returns dateRe's matches in the text, found once per scan: three
// recognizers read them.
func (st *scanState) dates() [][]int {
	if !st.datesKnown {
		st.datesKnown, st.dateSpans = true, dateRe.FindAllStringIndex(st.text, -1)
	}
	return st.dateSpans
}

// findDateReplies: a turn that is nothing but a full date with a year at
// least ten years past ("It's the 3rd of March 1958.", "yes 14/07/1936
// that's him") answers the question callers are asked most, the date of
// birth; no one books, or recalls a visit, in a bare date that old.
func findDateReplies(st *scanState) {
	if len(st.toks) > 16 {
		return
	}
	for _, m := range st.dates() {
		s, e := m[0], m[1]
		date := st.text[s:e]
		if !plausibleDate(date) || !yearsAgo(date, 10) {
			continue
		}
		rest := strings.Fields(strings.Map(func(r rune) rune {
			if r == ',' || r == '.' || r == '!' || r == '?' || r == '-' {
				return ' '
			}
			return unicode.ToLower(r)
		}, st.text[:s]+" "+st.text[e:]))
		reply := true
		for _, w := range rest {
			if !dateReplyWords[w] {
				reply = false
			}
		}
		if reply {
			st.add(TypeDateOfBirth, s, e, 0.85, prioDOB)
		}
	}
}

// dateReplyWords may stand around a date given as an answer.
var dateReplyWords = wordSet(`it's its it is the yes yeah yep um erm er uh ah oh ok okay right that's thats that him her
sorry so and of`)

// yearsAgo: the date ends in a four-digit year at least n years before this one.
func yearsAgo(date string, n int) bool {
	if len(date) < 4 {
		return false
	}
	y := date[len(date)-4:]
	for i := 0; i < 4; i++ {
		if !isASCIIDigit(y[i]) {
			return false
		}
	}
	v := atoiN(y)
	return v >= 1900 && v <= time.Now().Year()-n
}

// findDatesAfterNames: a full date said straight after a person's name
// ("my father, Hamid Karimi, 03/03/1951.", "Mrs Evelyn Pryce, 12/09/1934,
// her leg ulcer ...") is how professionals and relatives identify a
// patient: name, then date of birth. A date at least two years past is
// taken so; an appointment is never given that way.
func findDatesAfterNames(st *scanState) {
	if !strings.ContainsAny(st.text, "0123456789") || !mayNameSomeone(st) {
		return // the date pattern runs only where a name or "she's" could lead one
	}
	for _, m := range st.dates() {
		s, e := m[0], m[1]
		if !plausibleDate(st.text[s:e]) || !pastYear(st.text[s:e]) {
			continue
		}
		dated := false
		for _, c := range st.cands {
			dated = dated || c.typ == TypeDateOfBirth && c.s < e && s < c.e
		}
		if dated {
			continue
		}
		if personIsDate(st, s) {
			st.add(TypeDateOfBirth, s, e, 0.85, prioDOB) // "she's 11/03/2009"
			continue
		}
		k := strings.TrimRight(st.text[:s], " ")
		comma := strings.HasSuffix(k, ",")
		if comma {
			k = strings.TrimRight(k[:len(k)-1], " ")
		} else if !lowerSentence(st) {
			continue // in writing a comma sets the date off; speech-to-text writes none
		}
		named := false
		for _, c := range st.cands {
			named = named || c.typ == TypePerson && c.e == len(k)
		}
		if named {
			st.add(TypeDateOfBirth, s, e, 0.85, prioDOB)
		}
	}
}

// pastYear: the date ends in a year at least two years ago: four digits,
// or two ("10.10.96", "19th of october 63"), read as last century's when
// above this year's two.
func pastYear(date string) bool {
	n := 0
	for n < len(date) && n < 4 && isASCIIDigit(date[len(date)-1-n]) {
		n++
	}
	now := time.Now().Year()
	switch {
	case n == 4:
		y := atoiN(date[len(date)-4:])
		return y >= 1900 && y <= now-2
	case n == 2 && len(date) > 2 && !isASCIIDigit(date[len(date)-3]):
		y := atoiN(date[len(date)-2:])
		if y > now%100 {
			return true // 1900s
		}
		return 2000+y <= now-2
	}
	return false
}

// mayNameSomeone: a person was found, or a word personIsDate reads.
func mayNameSomeone(st *scanState) bool {
	for _, c := range st.cands {
		if c.typ == TypePerson {
			return true
		}
	}
	for _, t := range st.toks {
		switch t.low {
		case "she's", "he's", "they're", "i'm", "shes", "hes", "theyre", "im", "is", "are", "am":
			return true
		}
	}
	return false
}

// personIsDate: the date follows "she's", "he's", "they're", "I'm" or
// "she is": a person said to be a date is born on it.
func personIsDate(st *scanState, s int) bool {
	k := st.tokenAt(s) - 1
	if k < 0 {
		return false
	}
	p := st.toks[k].low
	switch p {
	case "she's", "he's", "they're", "i'm", "shes", "hes", "theyre", "im":
		return true
	case "is", "are", "am":
		q := st.tok(k - 1)
		if q.low == "she" || q.low == "he" || q.low == "they" || q.low == "i" || kinNouns[q.low] {
			return true // "my son is 3 June 2016"
		}
		for _, c := range st.cands {
			if c.typ == TypePerson && c.e == q.e {
				return true // "my son Oliver is 3 June 2016"
			}
		}
	}
	return false
}

// birthWords are the substrings some birth cue (dobCues, the cues after a
// date, dobCueAcrossFiller, findBirthYear's) always holds.
var birthWords = []string{"born", "birth", "dob", "d o b", "d.o.b", "d-o-b", "d. o. b", "geburtsdatum", "naissance", "nacimiento", "nascita"}

func mentionsBirth(text string) bool {
	low := strings.ToLower(text)
	for _, w := range birthWords {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// findBirthYear reads a year of birth given alone: "born 1947", "born in
// nineteen sixty-four" (normalized to digits), "year of birth 1982", "my
// date of birth is down wrong, it should be 1979". It is
// part of a date of birth and as identifying as the rest of it.
func findBirthYear(st *scanState) {
	toks := st.toks
	for i, t := range toks {
		if t.kind != tokNum || len(t.text) != 4 {
			continue
		}
		y, _ := strconv.Atoi(t.text)
		if y < 1900 || y > 2030 {
			continue
		}
		k := i - 1
		for k >= 0 && (toks[k].low == "in" || toks[k].low == "the" || toks[k].low == "year" || toks[k].low == "is" || toks[k].low == "was" || toks[k].text == ",") {
			k--
		}
		if k < 0 {
			continue
		}
		born := toks[k].low == "born"
		ofBirth := k >= 2 && toks[k].low == "birth" && toks[k-1].low == "of" && toks[k-2].low == "year"
		if born || ofBirth || dobCueAcrossFiller(st, t.s) {
			st.add(TypeDateOfBirth, t.s, t.e, 0.8, prioDOB)
		}
	}
}

// findOrdinalOfOrdinalDOB reads "the first of the first ninety", "ninth of
// the eleventh thirty eight": day and month both as ordinals, then the
// year, after a birth cue.
func findOrdinalOfOrdinalDOB(st *scanState) {
	toks := st.toks
	for i := 0; i+4 < len(toks); i++ {
		day, ok := ordinalValue(toks[i])
		if !ok || day > 31 || toks[i+1].low != "of" {
			continue
		}
		j := i + 2
		if toks[j].low == "the" {
			j++
		}
		month, ok := ordinalValue(st.tok(j))
		if !ok || month > 12 {
			continue
		}
		y := st.tok(j + 1)
		if y.text == "," {
			j++ // "the 3rd of the 12th, 1975"
			y = st.tok(j + 1)
		}
		if isApostropheToken(y) && st.tok(j+2).kind == tokNum && len(st.tok(j+2).text) == 2 {
			j++ // "the 5th of the 7th, '94"
			y = st.tok(j + 1)
		}
		_, tens := tensWords[y.low]
		if !(y.kind == tokNum && (len(y.text) == 2 || len(y.text) == 4) || tens) {
			continue
		}
		if !containsAny(st.windowBefore(toks[i].s, 6), dobCues) && !dobCueAcrossFiller(st, toks[i].s) {
			continue
		}
		st.add(TypeDateOfBirth, toks[i].s, y.e, 0.85, prioDOB)
		i = j + 1
	}
}

// ordinalValue reads "first", "21st", "twenty" "first" is not handled:
// callers say compound ordinals for days, which normalize rewrites only
// next to a month name.
func ordinalValue(t token) (int, bool) {
	if v, ok := ordinalWords[t.low]; ok {
		return v, true
	}
	if t.kind == tokWord && len(t.low) >= 3 {
		n := strings.TrimRight(t.low, "stndrh")
		if n != t.low && allDigits(n) && len(n) <= 2 {
			return atoiN(n), true
		}
	}
	return 0, false
}

// findCompactDOB reads a date written or spoken without separators after a
// birth cue: "dob 03051968", "date of birth twenty five eleven seventy
// nine" (normalised to "251179"). Day first or month first, two- or
// four-digit year; without the cue six digits are anything.
func findCompactDOB(st *scanState) {
	for i, t := range st.toks {
		if t.kind != tokNum || len(t.text) != 5 && len(t.text) != 6 && len(t.text) != 8 {
			continue
		}
		if i+1 < len(st.toks) && !st.toks[i+1].sp && st.toks[i+1].kind != tokPunct {
			continue
		}
		if !containsAny(st.windowBefore(t.s, 6), dobCues) && !dobCueAcrossFiller(st, t.s) {
			continue
		}
		d := t.text
		if len(d) == 5 {
			// "twenty six one ninety nine", "twelve four sixty-seven":
			// spoken, a day or a month of one digit leaves five.
			if shortDayMonth(d) {
				st.add(TypeDateOfBirth, t.s, t.e, 0.8, prioDOB)
			}
			continue
		}
		a, b := atoiN(d[0:2]), atoiN(d[2:4])
		year := atoiN(d[4:])
		if len(d) == 8 && (year < 1900 || year > 2100) {
			continue
		}
		dayMonth := a >= 1 && a <= 31 && b >= 1 && b <= 12
		monthDay := a >= 1 && a <= 12 && b >= 1 && b <= 31
		if dayMonth || monthDay {
			st.add(TypeDateOfBirth, t.s, t.e, 0.85, prioDOB)
		}
	}
}

// plausibleDate refuses numeric "dates" whose day or month is impossible.
func plausibleDate(s string) bool {
	var nums []int
	cur, in := 0, false
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			cur = cur*10 + int(s[i]-'0')
			in = true
			continue
		}
		if in {
			nums = append(nums, cur)
			cur, in = 0, false
		}
	}
	if in {
		nums = append(nums, cur)
	}
	if len(nums) == 0 {
		return false
	}
	hasMonthWord := false
	low := strings.ToLower(s)
	for m := range monthNames {
		if len(m) >= 3 && strings.Contains(low, m) {
			hasMonthWord = true
			break
		}
	}
	if hasMonthWord {
		return nums[0] >= 1 && (nums[0] <= 31 || nums[0] >= 1900)
	}
	if len(nums) != 3 {
		return false
	}
	a, b, c := nums[0], nums[1], nums[2]
	if a >= 1000 { // y-m-d
		return b >= 1 && b <= 12 && c >= 1 && c <= 31
	}
	if a < 1 || b < 1 || a > 31 || b > 31 || (a > 12 && b > 12) {
		return false
	}
	return c < 100 || c >= 1900 && c <= 2100
}

func isApostropheToken(t token) bool {
	r := []rune(t.text)
	return t.kind == tokPunct && len(r) == 1 && isApostrophe(r[0])
}

// dobFillerStops are words that, between a birth cue and a date, say the
// date is about something else: "date of birth 3/4/85, appointment on
// the 12th of May 2025".
var dobFillerStops = wordSet(`appointment appointments appt booked booking book visit seen see come coming
	review clinic moved started tomorrow today yesterday next last until till from since expires expiry due`)

// dobCueAcrossFiller finds a birth cue up to 14 words before pos when only
// filler stands between them, across a question mark: "my date of
// birth? hang on, sorry, it's the thirtieth of the twelfth eighty-one".
// A number or a word of another date's context in between stops it.
func dobCueAcrossFiller(st *scanState, pos int) bool {
	i := st.tokenAt(pos) - 1
	for n := 0; i >= 0 && n < 14; i-- {
		t := st.toks[i]
		if t.kind == tokPunct {
			continue
		}
		if t.kind == tokNum || isNumberWord(t.low) || isMonth(t) || dobFillerStops[t.low] {
			return false
		}
		if t.low == "born" || t.low == "dob" || strings.HasPrefix(t.low, "birth") && i >= 2 && st.toks[i-1].low == "of" && st.toks[i-2].low == "date" {
			return true
		}
		n++
	}
	return false
}
