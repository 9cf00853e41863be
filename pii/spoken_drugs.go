package pii

import "strings"

// Speech-to-text writes a drug name it does not know as the everyday
// words it hears: "met for min" for metformin, "riva rocks a ban" for
// rivaroxaban, "levo thigh rock seen" for levothyroxine. No word of such
// a run is a medicine, so neither the lexicons nor the tagger see one.
// findSpokenDrugs joins runs of two to five words and compares how the
// join sounds with how the known medicines sound: a sound key that spells
// the consonants the way they are said (c before e/i is s, x is ks, ph is
// f, v is f, j is g, z is s, a final e is silent), writes every run of
// vowels as one "a" and drops h and doubled letters. "war far in" and
// warfarin both key to warfaran, "me man teen" and memantine to mamantan.
// Keys keep their vowel slots: without them "bone scan" sounds like a
// drug. One edit away still matches on long keys ("gly clar zide").

// soundKey is the sound key of the letters of s.
func soundKey(s string) string {
	var b strings.Builder
	var last byte
	put := func(c byte) {
		if c != last {
			b.WriteByte(c)
			last = c
		}
	}
	s = strings.ToLower(s)
	if n := len(s); n > 3 && s[n-1] == 'e' && !isVowel(s[n-2]) {
		s = s[:n-1] // a silent final e
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			put('a')
		case 'h':
		case 'w':
			if i > 0 && isVowel(s[i-1]) {
				put('a') // "flew", "own": w closes a vowel
				continue
			}
			put('w')
		case 'p':
			if next == 'h' {
				put('f')
				i++
				continue
			}
			put('p')
		case 'g':
			if next == 'h' { // "thigh": gh is silent
				i++
				continue
			}
			put('g')
		case 'c':
			switch next {
			case 'e', 'i', 'y':
				put('s')
			case 'k':
				put('k')
				i++
			default:
				put('k')
			}
		case 'q':
			put('k')
		case 'x':
			put('k')
			put('s')
		case 'z':
			put('s')
		case 'v':
			put('f')
		case 'j':
			put('g')
		default:
			if c >= 'a' && c <= 'z' {
				put(c)
			}
		}
	}
	return b.String()
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }

// consonants counts the consonants of a sound key.
func consonants(k string) int { return len(k) - strings.Count(k, "a") }

// spokenDrugKeys holds the sound key of each one-word medicine the rules
// know (the hand-written list and WordNet's unambiguous drugs). A key of
// fewer than four consonants says too little to match on.
// spokenDrugNear holds each key of eight letters or more with one letter
// deleted: a heard key one edit from a medicine's ("ari pip razor" for
// aripiprazole) shares a key or a deletion with it.
var spokenDrugKeys, spokenDrugNear = func() (map[string]bool, map[string]bool) {
	keys, near := map[string]bool{}, map[string]bool{}
	add := func(name string) {
		k := soundKey(name)
		if strings.ContainsRune(name, ' ') || consonants(k) < 4 {
			return
		}
		keys[k] = true
		if len(k) >= 8 {
			for i := range len(k) {
				near[k[:i]+k[i+1:]] = true
			}
		}
	}
	for _, m := range phraseLines(medicationsSrc) {
		add(strings.ToLower(m))
	}
	for _, m := range wordnetLexicon[wnMedication] {
		add(m)
	}
	return keys, near
}()

// spokenDrugEither holds every key of spokenDrugKeys and spokenDrugNear,
// so that the edit loop below looks each deletion up once.
var spokenDrugEither = func() map[string]struct{} {
	m := make(map[string]struct{}, len(spokenDrugKeys)+len(spokenDrugNear))
	for k := range spokenDrugKeys {
		m[k] = struct{}{}
	}
	for k := range spokenDrugNear {
		m[k] = struct{}{}
	}
	return m
}()

// spokenDrugMatch reports whether a heard key is a medicine's key, or, at
// eight letters and five consonants or more, one edit from one.
func spokenDrugMatch(k string) (exact, near bool) {
	if spokenDrugKeys[k] {
		return true, false
	}
	if len(k) < 8 || consonants(k) < 5 {
		return false, false
	}
	if spokenDrugNear[k] {
		return false, true // a letter missing
	}
	var buf [64]byte
	for i := range len(k) {
		if i > 0 && k[i] == k[i-1] {
			continue // deleting either of a double letter gives the same key
		}
		d := append(append(buf[:0], k[:i]...), k[i+1:]...)
		if _, ok := spokenDrugEither[string(d)]; ok { // no allocation: a map index by string(bytes)
			return false, true // a letter too many, or one changed
		}
	}
	return false, false
}

// Ordinary phrases sound like medicines too ("prices on" like prazosin,
// "late night" like lithonate), and more of them sound nearly like one.
// A run of English words only, a short key or a near match counts when
// the call says a medicine is meant: a word before it that takes one
// ("on", "take", "stopped", "run out of") or a dose word after it; a
// strength said after it is enough for a run with a word that is not
// English.
var spokenDrugCues = wordSet(`on take takes taking took prescribed stop stopped stopping start started starting
	of order ordered some more collect give gave giving reduce reduced increase increased`)

// spokenDoseWords after a run say it is a medicine: its form, how often,
// or the script it is on ("his movi col prescription ran out").
var spokenDoseWords = wordSet(`dose doses tablet tablets pill pills capsule capsules cream injection injections
	patch patches inhaler drops liquid twice once daily pen pens spray sachets syrup gel
	prescription prescriptions script scripts`)

// spokenOwners before a run of three words or more that sounds exactly
// like a medicine say it is one: whose it is, as a medicine is spoken of
// ("his meh man teen reviewed", "my dads war far in", "the gab a pen tin
// makes me"). Three words keep two-word phrases that sound like a drug
// ("my late night") out.
var spokenOwners = wordSet(`my his her their your our the`)

// spokenOwnerBefore: an owner word, or a kin word's possessive written
// without its apostrophe ("my dads war far in"), right before the run.
func spokenOwnerBefore(toks []token, i, j int) bool {
	if i == 0 || toks[i-1].nl || kinNouns[toks[i].low] {
		return false // "my son yusuf" is a son
	}
	// A drug's syllables are not heard as "the", "for" or "is" ("the
	// noise in the", "the right one for", "my son is off"); they are as
	// "a" or "in" ("sin a met", "war far in").
	for _, t := range toks[i:j] {
		if spokenRunStarts[t.low] && !vowelSyllables[t.low] {
			return false
		}
	}
	p := toks[i-1].low
	// "my brother's just had one": with its apostrophe the word may be
	// "brother has", so only the written-without form counts.
	return spokenOwners[p] || !strings.Contains(p, "'") && kinPossessive(p) && i >= 2 && spokenOwners[toks[i-2].low]
}

// spokenStrengthUnits are the units a strength is said in; "mill" is how
// "ten mil" comes out of speech-to-text.
var spokenStrengthUnits = wordSet(`mill mil mils mills`)

// spokenStrengthAfter: a strength in words and its unit after the run
// ("am it rip tea line ten mill").
func spokenStrengthAfter(toks []token, j int) bool {
	k := j
	for k < len(toks) && !toks[k].nl && (toks[k].kind == tokNum || spokenNumberWord(toks[k].low)) {
		k++
	}
	return k > j && k < len(toks) && !toks[k].nl && (doseUnits[toks[k].low] || spokenStrengthUnits[toks[k].low])
}

// spokenSkip are the words passed over looking back for a cue: "on the
// um met for min", "can I give him cal pol".
var spokenSkip = wordSet(`the a an my his her their your our um er erm uh like him them`)

func spokenCueBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if spokenDrugCues[toks[k].low] {
			return true
		}
		// "put me on something called nick or and ill"
		if toks[k].low == "called" && k > 0 && (toks[k-1].low == "something" || toks[k-1].low == "stuff") {
			return true
		}
		// "cut down the war for in": a dose changed; "change from micro
		// gyno to": a medicine switched
		if toks[k].low == "down" && k > 0 && toks[k-1].low == "cut" || toks[k].low == "from" && k > 0 && switchVerbs[toks[k-1].low] {
			return true
		}
		if !spokenSkip[toks[k].low] {
			return false
		}
	}
	return false
}

// vowelSyllables are the run-start words a drug's first vowel is heard
// as ("a", "an", "i"; "o" never stops a run).
var vowelSyllables = wordSet(`a an i in`)

// spokenListCue: the run is allergic-to's object or follows a medicine in
// a list ("allergic to cal pol", "the lat an oh prost drops and tim oh
// lol", "ibuprofen or cal pol").
func spokenListCue(st *scanState, i int) bool {
	p, p2 := st.tok(i-1).low, st.tok(i-2).low
	if p == "to" && (p2 == "allergic" || p2 == "allergy" || p2 == "reaction") {
		return true
	}
	k := i - 2 // past the medicine's form: "the lat an oh prost drops and"
	if spokenSkip[p] && (p2 == "and" || p2 == "or" || p2 == "with") {
		p, k = p2, i-3 // "the sitter glip tin and the met for min"
	}
	if p != "and" && p != "or" && p != "with" {
		return false
	}
	for k >= 0 && medicationForms[st.toks[k].low] {
		k--
	}
	if k < 0 {
		return false
	}
	end := st.toks[k].e
	for _, c := range st.cands {
		if c.typ == TypeMedication && c.e == end {
			return true
		}
	}
	return false
}

// medicineTalkWords show a call is about medicines: an exact sound match
// of English words near one of them is taken as a medicine ("a medication
// review for the um sitter glip tin", "can i order my repeat its the met
// for min").
var medicineTalkWords = wordSet(`medication medications medicine medicines tablets tablet pills prescription
prescriptions repeat repeats pharmacy pharmacist chemist dose doses milligrams mg prescribed inhaler`)

// medicineTalk: a medicine word within eight words of a run of three
// words or more, two of them not function words ("there was one" sounds
// like a medicine too).
func medicineTalk(toks []token, i, j int) bool {
	content := 0
	for _, t := range toks[i:j] {
		if !stopWords[t.low] {
			content++
		}
	}
	if content < 2 {
		return false
	}
	for k := max(0, i-8); k < min(len(toks), j+8); k++ {
		if k >= i && k < j {
			continue
		}
		if medicineTalkWords[toks[k].low] {
			return true
		}
	}
	return false
}

func spokenDoseAfter(toks []token, j int) bool {
	return j < len(toks) && !toks[j].nl && (spokenDoseWords[toks[j].low] || doseUnits[toks[j].low])
}

func spokenNumberAfter(toks []token, j int) bool {
	return j < len(toks) && !toks[j].nl && (toks[j].kind == tokNum || spokenNumberWord(toks[j].low))
}

func allEnglish(run []token) bool {
	for _, t := range run {
		if !englishWord(t.low) && !stopWords[t.low] {
			return false
		}
	}
	return true
}

// spokenRunStarts are words a split drug name does not start with.
var spokenRunStarts = wordSet(`a an the my his her their your our its this that of on in to for and or but with
	is are was were be been i you he she it we they me him them at by from as if so not no`)

// findSpokenDrugs adds a medication for each run of two to five lower-case
// words whose join sounds like a known medicine and is not itself made of
// medicine words already matched. The longest run at a position wins.
func findSpokenDrugs(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		if !spokenWord(toks[i]) || spokenRunStarts[toks[i].low] && !vowelSyllables[toks[i].low] || spokenRoleStart(toks[i]) || labelReading(toks, i) || surnameAfterGiven(toks, i) {
			continue
		}
		// "a mio da rone", "i bu profen": a drug that starts with a vowel
		// can be heard as an article or a pronoun; such a run needs an
		// exact match and a cue, or one of five consonants or more.
		vowelStart := spokenRunStarts[toks[i].low]
		found := 0
		// A run is spoken words on one line; the longest such run from i
		// bounds n before spokenRun looks each word up in the lexicon.
		longest := 1
		for longest < 5 && i+longest < len(toks) {
			if t := toks[i+longest]; !spokenWord(t) || t.nl || !t.sp {
				break
			}
			longest++
		}
		for n := longest; n >= 2; n-- {
			if !spokenRun(toks[i : i+n]) {
				continue
			}
			k, soft := spokenKeys(toks[i : i+n])
			exact := spokenDrugKeys[k] || spokenDrugKeys[soft]
			english := allEnglish(toks[i : i+n])
			// An English run after a vowel word needs the call to be about
			// medicines: "my in sue lin pens", "change my in sue lin ...
			// when to take the tablets".
			if vowelStart && (!exact || english && !(spokenDoseAfter(toks, i+n) || n >= 3 && medicineTalk(toks, i, i+n))) {
				continue
			}
			// A word that takes a medicine before the run, or a dose word
			// after it, says a medicine is meant; a number after it
			// ("forty", "at four") says less.
			cue := spokenCueBefore(toks, i) || spokenDoseAfter(toks, i+n) || spokenListCue(st, i) || spokenEffectAfter(toks, i+n) ||
				exact && n >= 3 && medicineTalk(toks, i, i+n) ||
				exact && (n >= 3 || !english) && spokenOwnerBefore(toks, i, i+n) ||
				exact && spokenStrengthAfter(toks, i+n)
			number := spokenNumberAfter(toks, i+n)
			if vowelStart && !cue && consonants(k) < 5 {
				continue
			}
			// A near match counts only for a run with a word that is not
			// English and a cue or a number, so the costly edit search is
			// left for those.
			near := false
			if !exact && !english && (cue || number) && !functionWordInside(toks[i:i+n]) {
				_, near = spokenDrugMatch(k)
				if !near {
					_, near = spokenDrugMatch(soft)
				}
			}
			if !exact && !near || objectPronounInside(toks[i:i+n]) {
				continue
			}
			switch {
			case exact && !english && consonants(k) >= 5:
			case exact && (cue || number && !english):
			case exact && n >= 3 && joinsToMedicine(toks[i:i+n]) && !joinsOn(toks, i+n-1):
				// "the met for min is giving me": three words or more that
				// spell a medicine's name need no cue ("we met for min utes"
				// spells minutes).
			case near && !english && (cue || number):
			default:
				continue
			}
			found = n
			break
		}
		if found == 0 {
			continue
		}
		e := spokenStrength(toks, doseAfter(toks, i+found))
		st.add(TypeMedication, toks[i].s, toks[e-1].e, 0.7, prioMedical+2)
		i = e - 1
	}
}

// functionWordInside: a word of the run after its first is one a drug's
// syllables are not heard as ("kelly from forty two" is a caller and her
// house number); only an exact match may hold one.
func functionWordInside(run []token) bool {
	for _, t := range run[1:] {
		if spokenRunStarts[t.low] && !vowelSyllables[t.low] {
			return true
		}
	}
	return false
}

// spokenWord is a word of letters only, as speech-to-text writes one.
func spokenWord(t token) bool {
	if t.kind != tokWord || t.upper {
		return false
	}
	for i := 0; i < len(t.low); i++ {
		if c := t.low[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// spokenRun is a run of spoken words on one line, each but the last
// followed by a single space (no punctuation between them), none of them
// a medicine on its own.
func spokenRun(run []token) bool {
	for k, t := range run {
		if !spokenWord(t) || k > 0 && (t.nl || !t.sp) {
			return false
		}
		if medicationLexicon.match(run, k) > k {
			return false
		}
	}
	return true
}

// spokenStrength extends a spoken drug name over a strength said in
// words right after it ("met for min five hundred", "ome prazole forty"),
// as a prescription's line reads.
func spokenStrength(toks []token, j int) int {
	k := j
	for k < len(toks) && !toks[k].nl && (toks[k].kind == tokNum || spokenNumberWord(toks[k].low)) {
		k++
	}
	if k > j && k < len(toks) && (doseUnits[toks[k].low] || spokenStrengthUnits[toks[k].low]) && !toks[k].nl {
		k++
	}
	return k
}

func spokenNumberWord(w string) bool {
	_, d := digitWords[w]
	_, t := teenWords[w]
	_, n := tensWords[w]
	return d || t || n || w == "hundred"
}

// spokenKeys is the sound key of a run's words joined, and the key with
// an r that ends a word after a vowel left out: British speech drops it,
// so speech-to-text writes "closer peen" for clozapine and "latter no
// prost" for latanoprost.
func spokenKeys(run []token) (k, soft string) {
	var join, nonRhotic strings.Builder
	for _, t := range run {
		join.WriteString(t.low)
		w := t.low
		if n := len(w); n > 2 && w[n-1] == 'r' && isVowel(w[n-2]) {
			w = w[:n-1]
		}
		nonRhotic.WriteString(w)
	}
	return soundKey(join.String()), soundKey(nonRhotic.String())
}

// inSpokenMedicine reports whether toks[i] is one of a run of two to four
// spoken words that join into a medicine the lexicon spells as one word
// ("met for min", "a tor va statin"), whether or not a cue made the run
// a medication. The join must be exact: sound keys are too loose to
// overrule a name ("its liam again" sounds like lamotrigine).
func inSpokenMedicine(toks []token, i int) bool {
	for s := max(0, i-3); s <= i; s++ {
		var join strings.Builder
		for e := s; e < min(len(toks), s+4); e++ {
			if !spokenWord(toks[e]) || e > s && (toks[e].nl || !toks[e].sp) {
				break
			}
			join.WriteString(toks[e].low)
			if e >= i && e > s && medicationLexicon.hasWord(join.String()) {
				return true // two words or more, toks[i] among them
			}
		}
	}
	return false
}

// joinsToMedicine: the run's words written together are a one-word
// medicine of the lexicon ("met"+"for"+"min").
func joinsToMedicine(run []token) bool {
	var b strings.Builder
	for _, t := range run {
		b.WriteString(t.low)
	}
	return medicationLexicon.hasWord(b.String())
}

// joinsOn: toks[k] and the fragment after it make one English word, as
// speech-to-text splits one ("min utes").
func joinsOn(toks []token, k int) bool {
	if k+1 >= len(toks) || !spokenWord(toks[k+1]) {
		return false
	}
	n := toks[k+1].low // a fragment, not a word of its own ("utes", not "is")
	return !englishWord(n) && !stopWords[n] && englishWord(toks[k].low+n)
}
