package pii

import (
	"regexp"
	"strings"
)

// Street addresses are found as a core (a house number with a street name
// and type, a continental "Name 12", a flat or suite, a PO box, a forces
// address, a postcode) and then extended over what follows on the same
// line and over the next lines while they still look like an address
// (flat, town, county code, country, postcode). Written addresses are
// multi-line; spoken ones come after a cue ("I live at").

var ukPostcodeRe = regexp.MustCompile(`\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b`)

func findAddresses(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		end, score, ok := addressCoreAt(st, i)
		if !ok {
			continue
		}
		if clinicsAddress(st, i) {
			i = end - 1
			continue
		}
		start := i
		end = extendAddress(st, end)
		st.add(TypeStreetAddress, toks[start].s, toks[end-1].e, score, prioAddress)
		i = end - 1
	}
	if !strings.ContainsAny(st.text, "0123456789") {
		return // a postcode holds a digit
	}
	for _, m := range ukPostcodeRe.FindAllStringIndex(st.text, -1) {
		st.add(TypeStreetAddress, m[0], m[1], 0.6, prioAddress-1)
	}
}

func (st *scanState) tok(i int) token {
	if i < 0 || i >= len(st.toks) {
		return token{kind: tokPunct}
	}
	return st.toks[i]
}

// skipDot steps over an abbreviation's full stop ("Apt.", "St.", "ul.").
func (st *scanState) skipDot(i int) int {
	if t := st.tok(i); t.text == "." && !t.sp {
		return i + 1
	}
	return i
}

func isHouseNumber(t token) bool {
	if t.kind == tokNum {
		return len(t.text) <= 5
	}
	// "12a", "221B"
	if t.kind == tokWord && len(t.text) <= 5 && isASCIIDigit(t.text[0]) {
		tail := strings.TrimLeft(t.text, "0123456789")
		return len(tail) == 1
	}
	return false
}

func hasStreetEnding(w string) bool {
	if len([]rune(w)) < 5 {
		return false
	}
	for _, e := range streetEndings {
		if strings.HasSuffix(w, e) && len(w) > len(e)+2 {
			return true
		}
	}
	return false
}

// isNameWord: a word that can be part of a street name.
func isNameWord(t token, lowerOK bool) bool {
	if t.kind != tokWord || hasDigit(t.text) {
		return false
	}
	if t.upper {
		return t.text != "I" && !isMonth(t) && !weekdays[t.low]
	}
	if streetConnectors[t.low] || strings.HasPrefix(t.low, "d'") || strings.HasPrefix(t.low, "l'") {
		return true
	}
	return lowerOK && !stopWords[t.low]
}

// addressCoreAt tries each core pattern at token i; it returns the token
// index just after the core.
func addressCoreAt(st *scanState, i int) (int, float64, bool) {
	t := st.toks[i]
	if t.kind == tokPunct {
		return 0, 0, false
	}
	cue := func() bool { return containsAny(st.windowBefore(t.s, 4), addressCues) }
	lowerOK := false

	switch t.low {
	case "psc", "unit", "cmr":
		// Forces addresses: "PSC 5217, Box 4854", "Unit 5022 Box 1225".
		j := i + 1
		if st.tok(j).kind == tokNum {
			j++
			if st.tok(j).text == "," {
				j++
			}
			if st.tok(j).low == "box" && st.tok(j+1).kind == tokNum {
				return j + 2, 0.95, true
			}
		}
	case "usns", "uss", "usnv", "uscgc":
		if t.text == strings.ToUpper(t.text) && st.tok(i+1).upper {
			j := i + 2
			for st.tok(j).upper && !st.tok(j).nl {
				j++
			}
			if n := st.tok(j); n.nl && (n.text == "FPO" || n.text == "APO" || n.text == "DPO") {
				return j, 0.95, true
			}
		}
	case "the":
		// "the corner of X and Y": the whole phrase is the address.
		if st.tok(i+1).low == "corner" && st.tok(i+2).low == "of" {
			j := i + 3
			and := -1
			for k := j; k < len(st.toks) && k < j+12; k++ {
				u := st.toks[k]
				if u.text == "?" || u.text == "!" || (u.text == "." && (k+1 >= len(st.toks) || st.toks[k+1].sp) && !isAbbrev(st.tok(k-1).low)) || u.nl {
					break
				}
				if u.low == "and" && and < 0 {
					and = k
				}
				if and >= 0 && k > and {
					j = k + 1
				}
			}
			if and > i+3 && j > and+1 && namedCorner(st, i+3, j) {
				return j, 0.85, true
			}
		}
	case "p", "po":
		// "P.O. Box 255", "PO Box 12"
		j := i + 1
		if t.low == "p" {
			j = st.skipDot(j)
			if st.tok(j).low != "o" {
				break
			}
			j = st.skipDot(j + 1)
		} else {
			j = st.skipDot(j)
		}
		if st.tok(j).low == "box" && st.tok(j+1).kind == tokNum {
			return j + 2, 0.85, true
		}
	}

	if unitWords[t.low] && (t.upper || cue()) && !(t.low == "room" || t.low == "rm") || (t.low == "room" || t.low == "rm") && cue() {
		j := st.skipDot(i + 1)
		if u := st.tok(j); u.kind == tokNum || u.kind == tokWord && hasDigit(u.text) && len(u.text) <= 6 {
			return j + 1, 0.7, true
		}
	}

	if isHouseNumber(t) || isNumberToken(t) && t.kind == tokWord && (cue() || strongSuffixSoon(st, i+1)) {
		// A lone spoken number stays a word in normalize ("fifteen church
		// lane"); after "I live at" it is the house number.
		j := i + 1
		if isHouseNumber(st.tok(j)) && !st.tok(j).nl {
			j++ // "704 1436 Redbud Drive", "22829 Jagerij 64"
		}
		if st.tok(j).text == "," {
			j++
		}
		lowerOK = cue()
		return streetAfterNumber(st, i, j, lowerOK)
	}

	if t.kind == tokWord {
		// "Rue Dielhère 130", "ul. Miła 53", "Via Roma 131"
		if streetPrefixes[t.low] && (t.upper || t.low == "ul" || t.low == "rue" || cue()) {
			j := st.skipDot(i + 1)
			k := j
			for k < j+5 && isNameWord(st.tok(k), true) && !st.tok(k).nl {
				k = st.skipDot(k + 1)
			}
			if k > j && isHouseNumber(st.tok(k)) && !st.tok(k).nl {
				return st.skipDot(k + 1), 0.8, true
			}
		}
		// "Wingertweg 126", "Laukaantie 80", "Rákóczi út 66."
		k := i
		for k < i+4 && isNameWord(st.tok(k), k > i) && !(k > i && st.tok(k).nl) {
			k = st.skipDot(k + 1)
		}
		if k > i && isHouseNumber(st.tok(k)) && !st.tok(k).nl {
			last := st.tok(k - 1)
			if last.text == "." {
				last = st.tok(k - 2)
			}
			if hasStreetEnding(last.low) || hasStreetEnding(t.low) {
				if t.upper || cue() {
					return st.skipDot(k + 1), 0.75, true
				}
			}
			// A bare "Name 12" is an address only after an address cue or
			// when a flat, suite or new address line follows.
			if t.upper && (cue() || unitFollows(st, k+1)) {
				return st.skipDot(k + 1), 0.65, true
			}
		}
		// "Marina Fort Street", "Lahtinen Road": no number, strong type.
		if t.upper && !stopWords[t.low] {
			k := i + 1
			for k < i+3 && st.tok(k).upper && !st.tok(k).nl && !strongStreetSuffixes[st.tok(k).low] {
				k++
			}
			if s := st.tok(k); s.upper && strongStreetSuffixes[s.low] && !s.nl && k > i && !streetSuffixes[t.low] {
				// "St John", "Dr Patel": a title, not a street type, when
				// a capitalised word follows.
				n := st.tok(st.skipDot(k + 1))
				// "the Harley Street clinic", "on the High Street": a
				// place people know, not someone's address.
				if st.tok(i-1).low == "the" || clinicNameHeads[n.low] || placeInClinic[n.low] || streetInDirections(st, i, st.skipDot(k+1)) {
					return 0, 0, false
				}
				if !((s.low == "st" || s.low == "dr") && n.upper && !n.nl) {
					return st.skipDot(k + 1), 0.55, true
				}
			}
		}
	}
	return 0, 0, false
}

// streetAfterNumber reads the street after a house number starting at j.
func streetAfterNumber(st *scanState, i, j int, lowerOK bool) (int, float64, bool) {
	start := j
	if streetPrefixes[st.tok(j).low] {
		// "56 rue La Boétie", "9243 Avenue d'Ouchy 109"
		k := st.skipDot(j + 1)
		n := 0
		for n < 5 && isNameWord(st.tok(k), true) && !st.tok(k).nl {
			k = st.skipDot(k + 1)
			n++
		}
		if isHouseNumber(st.tok(k)) && !st.tok(k).nl {
			k = st.skipDot(k + 1)
		}
		if n > 0 {
			return k, 0.8, true
		}
	}
	k := j
	n := 0
	if measureWords[st.tok(j).low] {
		return 0, 0, false
	}
	capitalised := st.tok(j).upper
	for n < 5 && !st.tok(k).nl {
		w := st.tok(k)
		// The suffix is checked first: in lower case "lane" and "road" are
		// also stop words ("i live at 42 oak lane").
		if n > 0 && streetSuffixes[w.low] && w.kind == tokWord && (capitalised || lowerOK || strongStreetSuffixes[w.low]) {
			e := st.skipDot(k + 1)
			if n := st.tok(e); strongStreetSuffixes[n.low] && !n.nl && n.upper == w.upper {
				e = st.skipDot(e + 1) // "14 holly bank road": a suffix word in the name
			}
			return e, 0.85, true
		}
		if !isNameWord(w, true) && !(w.kind == tokWord && streetStops[w.low]) {
			break
		}
		if !capitalised && !lowerOK && n >= 3 {
			break
		}
		k = st.skipDot(k + 1)
		n++
		if hasStreetEnding(w.low) && isHouseNumber(st.tok(k)) && !st.tok(k).nl {
			return st.skipDot(k + 1), 0.8, true
		}
	}
	if n > 0 && k > start && isHouseNumber(st.tok(k)) && !st.tok(k).nl && st.tok(start).upper {
		// "22829 Jagerij 64": number, name, number.
		return st.skipDot(k + 1), 0.75, true
	}
	if n > 0 && (lowerOK || allLowerLine(st, start, k)) && hasStreetEnding(st.tok(k-1).low) {
		return k, 0.7, true
	}
	if n > 0 && lowerOK && capitalised {
		// "The restaurant is at 9816 214 Pavlou Drandaki": a cue, a
		// number and a capitalised name.
		return k, 0.6, true
	}
	return 0, 0, false
}

// strongSuffixSoon: a strong street suffix ("road", "street", "avenue")
// ends a run of up to four words from toks[i] on one line: "from
// fourteen holly bank road" needs no "I live at".
func strongSuffixSoon(st *scanState, i int) bool {
	for k := i + 1; k < i+5 && k < len(st.toks); k++ {
		t := st.toks[k]
		if t.kind != tokWord || t.nl {
			return false
		}
		if strongStreetSuffixes[t.low] {
			return true
		}
	}
	return false
}

// streetStops are stop words (names, colours, trees, landmarks) that
// street names are made of: "14 holly bank road", "fourteen green lane",
// "2 church hill". After a house number, as speech-to-text writes them in
// lower case, they still name the street.
var streetStops = wordSet(`will may mark bill grace hope rose lily daisy holly ivy iris heather amber ruby
crystal dawn summer king queen prince princess duke royal white black brown green gray grey price bell rice
wood woods stone hill park love cook long little small big field fields lane way ford mills miles baker hall
cross banks bush marshall carter porter mason walker taylor smith miller parker cooper butler fisher
shepherd turner weaver wright gardener north south east west upper lower new old great saint mount bank
college school church station mill market manor abbey castle`)

func allLowerLine(st *scanState, a, b int) bool {
	for k := a; k < b; k++ {
		if st.tok(k).upper {
			return false
		}
	}
	return true
}

// unitFollows reports whether a flat/suite or a new address-like line comes
// next.
func unitFollows(st *scanState, k int) bool {
	k = st.skipDot(k)
	t := st.tok(k)
	if t.text == "," {
		t = st.tok(k + 1)
	}
	return unitWords[t.low] || t.nl && addressLine(st, k) > k
}

// extendAddress grows a core over the rest of its line and the following
// address lines.
func extendAddress(st *scanState, end int) int {
	for end < len(st.toks) {
		t := st.toks[end]
		if t.nl {
			next := addressLine(st, end)
			if next == end {
				return end
			}
			end = next
			continue
		}
		next := addressPiece(st, end)
		if next == end {
			return end
		}
		end = next
	}
	return end
}

// addressPiece accepts one same-line continuation at k: ", Town", "Apt. 5",
// "SW1A 1AA", a zip, a county code.
func addressPiece(st *scanState, k int) int {
	t := st.tok(k)
	switch {
	case t.text == ",":
		if st.tok(k + 1).nl {
			return k
		}
		if n := addressPiece(st, k+1); n > k+1 {
			return n
		}
		return k
	case unitWords[t.low] && t.upper:
		j := st.skipDot(k + 1)
		if u := st.tok(j); (u.kind == tokNum || u.kind == tokWord && hasDigit(u.text)) && !u.nl {
			return j + 1
		}
	case t.kind == tokNum && len(t.text) <= 6:
		return k + 1
	case t.kind == tokWord && hasDigit(t.text) && t.text == strings.ToUpper(t.text) && len(t.text) <= 4:
		return k + 1 // postcode halves
	case t.kind == tokWord && t.upper && (!stopWords[t.low] || streetSuffixes[t.low] || places[t.low]) && t.text != "I":
		j := k + 1
		if st.tok(j).text == "-" && !st.tok(j).sp && st.tok(j+1).upper {
			j += 2
		}
		return st.skipDot(j)
	case t.kind == tokWord && (t.low == "nan" || streetConnectors[t.low]) && (st.tok(k+1).upper || st.tok(k+1).kind == tokNum) && !st.tok(k+1).nl:
		return k + 1
	}
	return k
}

// addressLine accepts a whole next line (starting at token k, which begins
// the line) when every piece of it looks like part of an address: a flat,
// a town, ", VIC", "Australia 38837", "APO AE 44085". Labelled lines
// ("Mobile: ...") and lines with long digit runs end the address.
func addressLine(st *scanState, k int) int {
	j := k
	// Quote and bullet marks at a line start ("> ", "??? ").
	for st.tok(j).kind == tokPunct && (st.tok(j).text == ">" || st.tok(j).text == "?" || st.tok(j).text == "*" || st.tok(j).text == "-") && j < k+4 {
		j++
	}
	first := j
	for j < len(st.toks) && (j == first || !st.toks[j].nl) {
		t := st.toks[j]
		if t.text == ":" || t.text == "@" || t.text == "?" && j > first || t.text == "!" {
			return k
		}
		if t.kind == tokNum && len(t.text) > 6 {
			return k
		}
		if t.kind == tokNum && j+1 < len(st.toks) && st.toks[j+1].kind == tokNum && !st.toks[j+1].nl {
			return k // "0489 25 37 29": a phone line
		}
		if t.text == "." {
			if j+1 < len(st.toks) && !st.toks[j+1].nl {
				if st.toks[j+1].sp && !isAbbrev(st.tok(j-1).low) {
					break
				}
			}
			j++
			continue
		}
		n := addressPiece(st, j)
		if n == j {
			if t.text == "," {
				j++
				continue
			}
			if t.kind == tokWord && len(t.text) <= 3 && !t.upper && !stopWords[t.low] {
				j++ // ", nan", "u."
				continue
			}
			return k
		}
		j = n
	}
	if j == first {
		return k
	}
	return j
}

var weekdays = wordSet(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun`)

// clinicsAddress: "the clinic on Elm Street", "Dr Cole's surgery is at 4
// Mill Street", "is the dentist on Cedar Road yours?": the address of a
// practice, pharmacy or hospital the caller asks about is no one's
// personal data. A personal cue ("I live", "my address", "send it to")
// keeps it.
func clinicsAddress(st *scanState, i int) bool {
	w := st.windowBefore(st.toks[i].s, 7)
	for _, c := range []string{" i live", " we live", " my address", " our address", " his address", " her address", " moved", " send ", " post ", " deliver", " home", " my house", " my flat", " staying", " i'm at", " im at", " we're at", " i am at"} {
		if strings.Contains(w, c) {
			return false
		}
	}
	for _, c := range []string{" clinic ", " clinic's ", " practice ", " practice's ", " surgery ", " surgery's ", " dentist ", " dentists ", " dentist's ", " pharmacy ", " chemist ", " chemists ", " hospital ", " physio ", " centre ", " branch ", " boots ", " lloyds ", " superdrug "} {
		if strings.Contains(w, c) {
			return true
		}
	}
	return false
}
