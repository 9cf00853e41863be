package pii

import (
	"strconv"
	"strings"
)

// normalized is the text the recognizers read, plus the way back to the
// caller's text. Speech-to-text writes numbers and e-mail addresses as words
// ("oh seven seven double five", "jane dot doe at gmail dot com"); the
// recognizers only understand digits and "@", so spoken forms are rewritten
// first and every rewritten byte remembers the original span it came from.
type normalized struct {
	orig string
	text string
	// starts[i] and ends[i] are the original byte span of normalised byte i.
	// Both are nil when nothing was rewritten (the common, fast case).
	starts, ends []int32
}

// origSpan maps a normalised byte span back to original byte offsets.
func (n *normalized) origSpan(s, e int) (int, int) {
	if n.starts == nil {
		return s, e
	}
	if e <= s {
		return int(n.starts[s]), int(n.starts[s])
	}
	return int(n.starts[s]), int(n.ends[e-1])
}

type edit struct {
	s, e int // original byte span replaced
	repl string
}

var digitWords = map[string]int{
	"zero": 0, "oh": 0, "o": 0, "nought": 0, "nil": 0,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9,
}

var teenWords = map[string]int{
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tensWords = map[string]int{
	"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var repeatWords = map[string]int{"double": 2, "triple": 3, "treble": 3}

var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
	"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30,
}

var monthNames = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
	"oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// spokenTLDs are the endings that make "x at y dot com" an e-mail address
// rather than a sentence that happens to contain "at" and "dot".
var spokenTLDs = map[string]bool{
	"com": true, "org": true, "net": true, "uk": true, "co": true, "io": true,
	"nhs": true, "gov": true, "edu": true, "ie": true, "de": true, "fr": true,
	"es": true, "it": true, "nl": true, "eu": true, "us": true, "info": true,
	"me": true, "ac": true, "au": true, "ca": true, "biz": true,
}

func isNumberWord(w string) bool {
	if _, ok := digitWords[w]; ok {
		return true
	}
	if _, ok := teenWords[w]; ok {
		return true
	}
	if _, ok := tensWords[w]; ok {
		return true
	}
	if _, ok := repeatWords[w]; ok {
		return true
	}
	return w == "hundred" || w == "thousand"
}

// normalize rewrites spoken numbers, spoken e-mail addresses and ordinal
// dates. It never rewrites anything it is unsure of: a lone "one" or "oh"
// stays a word.
func normalize(text string) *normalized {
	n := &normalized{orig: text, text: text}
	if !mayHaveSpokenForms(text) {
		return n
	}
	toks := tokenize(text, nil)
	var edits []edit
	for i := 0; i < len(toks); {
		if next, ed, ok := spokenEmail(toks, i); ok {
			edits = append(edits, ed)
			i = next
			continue
		}
		if next, ed, ok := ordinalDate(toks, i); ok {
			edits = append(edits, ed)
			i = next
			continue
		}
		if next, ed, ok := numberRun(text, toks, i); ok {
			edits = append(edits, ed)
			i = next
			continue
		}
		i++
	}
	if len(edits) == 0 {
		return n
	}
	var b strings.Builder
	b.Grow(len(text))
	starts := make([]int32, 0, len(text))
	ends := make([]int32, 0, len(text))
	pos := 0
	for _, ed := range edits {
		for p := pos; p < ed.s; p++ {
			starts = append(starts, int32(p))
			ends = append(ends, int32(p+1))
		}
		b.WriteString(text[pos:ed.s])
		b.WriteString(ed.repl)
		for range len(ed.repl) {
			starts = append(starts, int32(ed.s))
			ends = append(ends, int32(ed.e))
		}
		pos = ed.e
	}
	for p := pos; p < len(text); p++ {
		starts = append(starts, int32(p))
		ends = append(ends, int32(p+1))
	}
	b.WriteString(text[pos:])
	n.text, n.starts, n.ends = b.String(), starts, ends
	return n
}

// mayHaveSpokenForms is a cheap pre-check so written text (the presidio set,
// tool-call fields) skips tokenising twice.
func mayHaveSpokenForms(text string) bool {
	low := strings.ToLower(text)
	for _, cue := range []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "oh", "zero", "nought", "ten", "eleven", "twelve", "teen", "ty", "double", "triple", "treble", "hundred", "thousand", " at ", "first", "second", "third", "th "} {
		if strings.Contains(low, cue) {
			return true
		}
	}
	return false
}

// gapIs reports whether the text between two tokens consists only of runes
// in allowed (spaces always allowed).
func gapIs(text string, a, b token, allowed string) bool {
	for _, r := range text[a.e:b.s] {
		if r == ' ' || r == '\t' {
			continue
		}
		if !strings.ContainsRune(allowed, r) {
			return false
		}
	}
	return true
}

// numberRun converts a run of spoken digits starting at toks[i]. Digits are
// concatenated the way people dictate them, so "nineteen eighty four" is
// 1984 and "oh seven seven double oh nine hundred one two three" is
// 07700900123; "hundred" and "thousand" compose only where a number (not a
// digit string) is plainly meant ("two thousand and three").
func numberRun(text string, toks []token, i int) (int, edit, bool) {
	first := toks[i]
	startsWithPlus := first.kind == tokWord && first.low == "plus"
	j := i
	if startsWithPlus {
		j++
	}
	var words []token
	wordCount := 0
	end := j
	for k := j; k < len(toks); k++ {
		t := toks[k]
		if k > j && !gapIs(text, toks[k-1], t, ",-") {
			break
		}
		// Speech-to-text punctuates dictated digits in groups: "nine nine
		// six, zero three zero".
		if (t.text == "," || t.text == "-") && k > j && k+1 < len(toks) && (toks[k+1].kind == tokNum || isNumberWord(toks[k+1].low)) {
			continue
		}
		if t.kind == tokNum {
			words = append(words, t)
			end = k + 1
			continue
		}
		if t.kind != tokWord {
			break
		}
		if t.low == "and" && k > j && (toks[k-1].low == "hundred" || toks[k-1].low == "thousand") && k+1 < len(toks) && isNumberWord(toks[k+1].low) {
			words = append(words, t)
			continue
		}
		if !isNumberWord(t.low) {
			break
		}
		words = append(words, t)
		wordCount++
		end = k + 1
	}
	// Trim a trailing connective that did not lead anywhere.
	for len(words) > 0 && words[len(words)-1].low == "and" {
		words = words[:len(words)-1]
	}
	if wordCount < 2 && !(wordCount == 1 && len(words) >= 2) {
		return 0, edit{}, false
	}
	if len(words) > 0 && (words[0].low == "hundred" || words[0].low == "thousand") {
		return 0, edit{}, false
	}
	digits, ok := spokenDigits(words)
	if !ok || digits == "" {
		return 0, edit{}, false
	}
	if startsWithPlus {
		digits = "+" + digits
	}
	return end, edit{s: first.s, e: toks[end-1].e, repl: digits}, true
}

func spokenDigits(words []token) (string, bool) {
	var out []byte
	for k := 0; k < len(words); {
		w := words[k].low
		next := func(o int) string {
			if k+o < len(words) {
				return words[k+o].low
			}
			return ""
		}
		if words[k].kind == tokNum {
			out = append(out, w...)
			k++
			continue
		}
		if rep, ok := repeatWords[w]; ok {
			d, ok := digitWords[next(1)]
			if !ok {
				return "", false
			}
			for range rep {
				out = append(out, byte('0'+d))
			}
			k += 2
			continue
		}
		if d, ok := digitWords[w]; ok {
			switch next(1) {
			case "hundred":
				v := d * 100
				k += 2
				v, k = addBelowHundred(words, k, v)
				out = append(out, strconv.Itoa(v)...)
				continue
			case "thousand":
				v := d * 1000
				k += 2
				if k < len(words) {
					if dd, ok := digitWords[words[k].low]; ok && k+1 < len(words) && words[k+1].low == "hundred" {
						v += dd * 100
						k += 2
					}
				}
				v, k = addBelowHundred(words, k, v)
				out = append(out, strconv.Itoa(v)...)
				continue
			}
			out = append(out, byte('0'+d))
			k++
			continue
		}
		if t, ok := teenWords[w]; ok {
			if next(1) == "hundred" {
				v := t * 100
				k += 2
				v, k = addBelowHundred(words, k, v)
				out = append(out, strconv.Itoa(v)...)
				continue
			}
			out = append(out, strconv.Itoa(t)...)
			k++
			continue
		}
		if t, ok := tensWords[w]; ok {
			if d, ok := digitWords[next(1)]; ok && d > 0 && next(1) != "o" && next(1) != "oh" {
				t += d
				k++
			}
			out = append(out, strconv.Itoa(t)...)
			k++
			continue
		}
		if w == "and" {
			k++
			continue
		}
		return "", false
	}
	return string(out), true
}

// addBelowHundred adds "and twelve" / "twenty three" after a hundred or a
// thousand.
func addBelowHundred(words []token, k, v int) (int, int) {
	if k < len(words) && words[k].low == "and" {
		k++
	} else if k < len(words) {
		// Without "and", only a tens or teen word continues the number: in
		// "nine hundred one two three" the digits are dictated one by one.
		if _, ok := tensWords[words[k].low]; !ok {
			if _, ok := teenWords[words[k].low]; !ok {
				return v, k
			}
		}
	}
	if k >= len(words) {
		return v, k
	}
	w := words[k].low
	if t, ok := teenWords[w]; ok {
		return v + t, k + 1
	}
	if t, ok := tensWords[w]; ok {
		k++
		if k < len(words) {
			if d, ok := digitWords[words[k].low]; ok && d > 0 {
				return v + t + d, k + 1
			}
		}
		return v + t, k
	}
	if d, ok := digitWords[w]; ok {
		return v + d, k + 1
	}
	return v, k
}

// ordinalDate rewrites "the twenty first of May" / "May third" into
// "21st of May" / "May 3rd"; ordinals are only touched next to a month so
// "first time" and "second opinion" stay words.
func ordinalDate(toks []token, i int) (int, edit, bool) {
	t := toks[i]
	if t.kind != tokWord {
		return 0, edit{}, false
	}
	v, n := 0, 0
	if tens, ok := tensWords[t.low]; ok && i+1 < len(toks) {
		if o, ok := ordinalWords[toks[i+1].low]; ok && o < 10 {
			v, n = tens+o, 2
		} else if toks[i+1].text == "-" && i+2 < len(toks) && !toks[i+1].sp && !toks[i+2].sp {
			// "twenty-third" as written
			if o, ok := ordinalWords[toks[i+2].low]; ok && o < 10 {
				v, n = tens+o, 3
			}
		}
	}
	if n == 0 {
		o, ok := ordinalWords[t.low]
		if !ok {
			return cardinalDay(toks, i)
		}
		v, n = o, 1
	}
	end := i + n
	nearMonth := i > 0 && isMonth(toks[i-1])
	if end < len(toks) {
		// After "of", lower-case "may" is the month: "the first of may".
		nearMonth = nearMonth || isMonth(toks[end]) ||
			toks[end].low == "of" && end+1 < len(toks) && (isMonth(toks[end+1]) || toks[end+1].low == "may")
	}
	if !nearMonth || v > 31 {
		return 0, edit{}, false
	}
	return end, edit{s: t.s, e: toks[end-1].e, repl: strconv.Itoa(v) + ordinalSuffix(v)}, true
}

func ordinalSuffix(v int) string {
	switch {
	case v%100 >= 11 && v%100 <= 13:
		return "th"
	case v%10 == 1:
		return "st"
	case v%10 == 2:
		return "nd"
	case v%10 == 3:
		return "rd"
	}
	return "th"
}

// spokenEmail rewrites "jane dot doe at gmail dot com" (or "jane.doe at
// gmail.com") starting at toks[i]. The domain must end in a known TLD, which
// keeps "meet me at the station dot" and friends untouched.
func spokenEmail(toks []token, i int) (int, edit, bool) {
	// Find the local part: word (connector word)* immediately followed by "at".
	if toks[i].kind == tokPunct {
		return 0, edit{}, false
	}
	var local strings.Builder
	k := i
	local.WriteString(toks[k].low)
	k++
	for k+1 < len(toks) {
		c := toks[k]
		sep := ""
		switch {
		case c.low == "dot" || c.text == ".":
			sep = "."
		case c.low == "underscore" || c.text == "_":
			sep = "_"
		case c.low == "dash" || c.low == "hyphen" || c.text == "-":
			sep = "-"
		}
		if sep == "" || toks[k+1].kind == tokPunct {
			break
		}
		if c.kind == tokPunct && (c.sp || toks[k+1].sp) {
			break
		}
		local.WriteString(sep)
		local.WriteString(toks[k+1].low)
		k += 2
	}
	// Right after "my email is", a local part said as words with no
	// connector ("rosa martinez at hotmail dot com") is one address.
	if k < len(toks) && toks[k].low != "at" && k == i+1 && emailCueBefore(toks, i) && !emailCueWords[toks[i].low] {
		for n := 0; n < 2 && k+1 < len(toks) && toks[k].kind != tokPunct && toks[k].low != "at" && !toks[k].nl; n++ {
			local.WriteString(toks[k].low)
			k++
		}
	}
	// "jake dot whitfield eighty seven at ...", "priya underscore k r nine
	// at ...": a short run of numbers and spelt letters ends the local part.
	if k > i+1 && k < len(toks) && toks[k].low != "at" {
		m := k
		for m < len(toks) && m-k < 4 && (toks[m].kind == tokNum || isNumberWord(toks[m].low) || len(toks[m].low) == 1 && toks[m].kind == tokWord) {
			m++
		}
		if m > k && m < len(toks) && toks[m].low == "at" {
			for ; k < m; k++ {
				local.WriteString(toks[k].low)
			}
		}
	}
	if k >= len(toks) || toks[k].low != "at" {
		return 0, edit{}, false
	}
	k++
	if k >= len(toks) || toks[k].kind == tokPunct {
		return 0, edit{}, false
	}
	var domain strings.Builder
	domain.WriteString(toks[k].low)
	last := toks[k].low
	labels := 1
	k++
	for k+1 < len(toks) {
		c := toks[k]
		isDot := c.low == "dot" || (c.text == "." && !c.sp && !toks[k+1].sp)
		if !isDot || toks[k+1].kind == tokPunct {
			break
		}
		domain.WriteByte('.')
		domain.WriteString(toks[k+1].low)
		last = toks[k+1].low
		labels++
		k += 2
	}
	if labels < 2 || !spokenTLDs[last] {
		return 0, edit{}, false
	}
	return k, edit{s: toks[i].s, e: toks[k-1].e, repl: local.String() + "@" + domain.String()}, true
}

// isMonth accepts "may" only capitalised: lower-case it is a verb.
func isMonth(t token) bool {
	if _, ok := monthNames[t.low]; !ok {
		return false
	}
	return t.low != "may" || t.text == "May" || t.text == "MAY"
}

var emailCueWords = wordSet(`is address my its it's email e-mail emails`)

// emailCueBefore: toks[i] follows "email (address)? (is)?".
func emailCueBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch toks[k].low {
		case "email", "e-mail", "emails":
			return true
		case "is", "address", "my", "its", "it's", ":":
			continue
		}
		return false
	}
	return false
}
