package pii

import (
	_ "embed"
	"strings"
)

// PERSON without a model: a name is a run of capitalised words (or, after
// "my name is", any non-stop words) that the embedded gazetteer of given
// names and surnames, name morphology (-sson, -ová, -ić, -enko, ...), an
// initial ("Ella H. Snider") or an introducing context ("my name is", "Mr",
// "speak to") vouches for. Capitalised words with no such evidence
// ("Entertainment Weekly") are left alone.

var (
	//go:embed names_first.txt
	firstNamesSrc string
	//go:embed names_last.txt
	lastNamesSrc string
	//go:embed stopwords.txt
	stopWordsSrc string

	firstNames = loadWordList(firstNamesSrc)
	lastNames  = loadWordList(lastNamesSrc)
	stopWords  = loadWordList(stopWordsSrc)
)

// nameEndings are surname endings common enough across Europe and Asia to
// count as evidence on their own.
var nameEndings = []string{
	"sson", "dóttir", "dottir", "sen", "son", "ova", "ová", "eva", "ovich", "ovič", "evich",
	"ov", "ev", "sky", "ski", "ska", "skiy", "skaya", "cki", "cka", "ský", "ská", "ić", "vić", "vič",
	"escu", "eanu", "opoulos", "poulos", "idis", "iadis", "akis", "oglu", "oğlu", "enko", "chuk", "czyk",
	"czak", "wicz", "ewicz", "owicz", "berg", "ström", "strom", "qvist", "kvist", "lund", "gren", "inen",
	"mann", "stein", "baum", "ucci", "etti", "elli", "otti", "yan", "shvili", "adze", "ulin", "ayev", "iyev",
}

var titles = wordSet(`mr mrs ms miss mx dr doctor prof professor sir dame lady lord rev reverend fr sister
nurse madam madame mister monsieur herr frau señor senor señora senora`)

// introCues: the next words are a name even in lower case ("my name is
// naomi ryan").
var introCues = []string{
	"my name is", "name is", "name's", "names", "name", "call me", "called", "named", "surname is", "surname's", "surnames",
	"surname", "last name is", "first name is", "maiden name is", "known as", "this is", "i am",
	"i'm", "im", "it's", "its", "my names", "under", "speak to", "speak with", "talk to", "talk with", "ask for",
	"patient", "patient is", "spell", "spelt", "spelled", "named him", "named her", "called him",
	"called her", "calls me", "everyone calls me", "name was",
}

// introCueEnds holds the last word of each intro cue: a window that does
// not end in one cannot end in a cue, so most words skip building it.
var introCueEnds = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range introCues {
		f := strings.Fields(c)
		m[f[len(f)-1]] = true
	}
	return m
}()

// mayFollowIntroCue reports whether the word before toks[i] (punctuation
// skipped, as the window skips it) could end an intro cue.
func mayFollowIntroCue(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].kind != tokPunct {
			return introCueEnds[toks[j].low]
		}
	}
	return false
}

// callWhen are words after "call me" that say when or how to call, not
// what to call the caller.
var callWhen = wordSet(`instead later anytime whenever asap soon sooner now first today tonight tomorrow
afterwards after before again back directly straight urgently quickly please maybe only`)

// relationCues: kinship and roles that usually come right before a name
// ("my daughter Lily", "partner's name").
var relationCues = wordSet(`son daughter wife husband partner mum mom mother dad father brother sister kid
child baby grandson granddaughter grandmother grandfather nan gran friend colleague boss guardian nephew
niece aunt uncle cousin fiancé fiance fiancée fiancee carer hi hello dear thanks with by and to ms mrs mr
dr`)

var orgSuffixes = wordSet(`inc ltd llc plc corp co gmbh ag sa bv group bank university college school
institute foundation society club association orchestra band records hospital clinic surgery practice
consulting consultants consultancy solutions systems technologies labs
pharmacy centre center partners holdings industries international`)

func isInitial(t token) bool {
	return t.kind == tokWord && len(t.text) == 1 && t.text[0] >= 'A' && t.text[0] <= 'Z'
}

func baseName(t token) string {
	low := t.low
	if strings.HasSuffix(low, "'s") || strings.HasSuffix(low, "’s") {
		low = low[:strings.LastIndexAny(low, "'’")]
	}
	return low
}

// The curated lists come first; the open ones (names of many origins, with
// English words taken out when they were built) widen them.
// An open-list name that the English word list knows as a proper noun
// ("Alberta", "Kiel", "Nicosia") may as well be a place: it counts only
// through the curated lists.
func isFirstName(t token) bool {
	w := baseName(t)
	f := foldAccents(w)
	if f == w { // most words: look each list up once
		return firstNames[w] || givenOpen[w] && !properNouns[w]
	}
	return firstNames[w] || firstNames[f] || (givenOpen[w] || givenOpen[f]) && !properNouns[f]
}

func isLastName(t token) bool {
	w := baseName(t)
	f := foldAccents(w)
	if f == w {
		return lastNames[w] || familyOpen[w] && !properNouns[w]
	}
	return lastNames[w] || lastNames[f] || (familyOpen[w] || familyOpen[f]) && !properNouns[f]
}

// inOpenNames counts the open lists whatever the word list says: where a
// cue already says a name follows ("my wife Yolanda", "this is Lorraine")
// or two such words stand together ("Gwendolyn Ashby"), a name that is
// also a place is a name.
func inOpenNames(t token) bool {
	w := foldAccents(baseName(t))
	return givenOpen[w] || familyOpen[w]
}
func isStop(t token) bool { return stopWords[baseName(t)] }

func hasNameEnding(t token) bool {
	w := baseName(t)
	if len([]rune(w)) < 5 || englishSonWords[w] || places[w] {
		return false
	}
	for _, e := range nameEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// capWord: a capitalised word that could be part of a name.
func capWord(t token) bool {
	if t.kind != tokWord || !t.upper || hasDigit(t.text) || len(t.text) < 2 {
		return false
	}
	// ALL-CAPS words are towns on address lines and shouting, not names,
	// unless short enough to be an initialism-free name like "LEE".
	if strings.ToUpper(t.text) == t.text && (len(t.text) > 3 || !(isFirstName(t) || isLastName(t))) {
		return false
	}
	return true
}

func findPersons(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord || firstPerson[strings.ReplaceAll(t.low, "’", "'")] {
			continue
		}
		// Introduced names may be lower case: "my name is naomi ryan".
		if end, ok := introducedName(st, i); ok {
			st.add(TypePerson, toks[i].s, nameEnd(toks[end-1]), 0.85, prioPerson)
			i = end - 1
			continue
		}
		if end, ok := lowerTitledName(st, i); ok {
			st.add(TypePerson, toks[i].s, nameEnd(toks[end-1]), 0.75, prioPerson)
			i = end - 1
			continue
		}
		if titles[t.low] || !capWord(t) && !isLowerGazetteerName(st, i) && !lowerRelated(st, i) {
			continue
		}
		end := nameRunEnd(st, i)
		start := i
		prev := st.tok(i - 1)
		if prev.text == "." {
			prev = st.tok(i - 2)
		}
		// "my wife, Pat", "my father-in-law, Augustine Mbeki", "the
		// physio, Jas, gave me": a name in apposition after a kinship or
		// a practitioner's word.
		if prev.text == "," && capWord(t) && !sentenceStart(st, i) {
			if p, ok := appositionCue(st, i-2); ok {
				prev = p
			}
		}
		// A capitalised word mid-sentence right after a kinship word is a
		// name even when it is also a word: "my son Hunter", "my
		// daughter Poppy".
		// "my carer is Blessing", "my son's called Hunter"
		if (prev.low == "is" || prev.low == "called") && strongRelations[strings.TrimSuffix(st.tok(i-2).low, "'s")] && possessives[st.tok(i-3).low] {
			prev = st.tok(i - 2)
		}
		kinCap := strongRelations[strings.TrimSuffix(prev.low, "'s")] && capWord(t) && !sentenceStart(st, i) && !determiners[t.low] && !copulas[t.low] && !unitWords[t.low] && !placeInClinic[t.low] && !clinicNameHeads[t.low]
		if (titles[prev.low] || strongRelations[prev.low] || strongRelations[strings.TrimSuffix(prev.low, "s")] && lowerSentence(st)) && (isFirstName(t) || inOpenNames(t) || kinCap || lowerRelated(st, i)) {
			// "my daughter Lily", "Mrs. Baker": a stop word is a name here.
			st.add(TypePerson, toks[start].s, nameEnd(toks[end-1]), 0.75, prioPerson)
			i = end - 1
			continue
		}
		// Drop leading stop words ("The", "Why", "Will you") unless they
		// are a given name followed by a surname ("Will Smith").
		for start < end && isStop(toks[start]) && !(isFirstName(toks[start]) && start+1 < end && isLastName(toks[start+1]) && !isStop(toks[start+1])) && !surnameWord(st, start, end) {
			start++
		}
		for end > start && (isStop(toks[end-1]) && !(isLastName(toks[end-1]) && end-1 > start && isFirstName(toks[end-2])) && !(end-2 >= start && surnameWord(st, end-2, end)) || isInitial(toks[end-1])) {
			end--
		}
		// A title inside the run ("Is Dr Smith in?") starts the name.
		for k := start; k < end-1; k++ {
			if titles[toks[k].low] {
				start = k + 1
				if toks[start].text == "." {
					start++
				}
				break
			}
		}
		// A capitalised sentence start that no gazetteer knows is an
		// ordinary word in front of a name: "Meet Lisa Walker".
		if end-start >= 2 && sentenceStart(st, start) && !isFirstName(toks[start]) && !isLastName(toks[start]) &&
			(isFirstName(toks[start+1]) || isLastName(toks[start+1])) {
			start++
		}
		if start >= end {
			i = max(i, end-1)
			continue
		}
		// "Hi I'm Leontyne Abara": the capitalised run began before the
		// cue; the name after the cue is introduced all the same.
		if start > i {
			if e2, ok := introducedName(st, start); ok {
				st.add(TypePerson, toks[start].s, nameEnd(toks[e2-1]), 0.85, prioPerson)
				i = max(end, e2) - 1
				continue
			}
		}
		// "I'm Drew's dad", "Hope Mensah's mum": a capitalised possessive
		// before a kinship word is a name.
		if last := toks[end-1]; (strings.HasSuffix(last.low, "'s") || strings.HasSuffix(last.low, "’s")) && strongRelations[st.tok(end).low] && !sentenceStart(st, start) && !places[baseName(last)] && !orgSuffixes[baseName(last)] {
			st.add(TypePerson, toks[start].s, nameEnd(last), 0.75, prioPerson)
			i = end - 1
			continue
		}
		if score := scoreNameRun(st, start, end); score > 0 {
			st.add(TypePerson, toks[start].s, nameEnd(toks[end-1]), score, prioPerson)
		}
		i = end - 1
	}
}

// appositionCue returns the kinship or practitioner word that ends at
// toks[k] ("wife", "father-in-law", "receptionist"), as the cue a name
// after a comma takes.
func appositionCue(st *scanState, k int) (token, bool) {
	t := st.tok(k)
	if t.low == "law" && st.tok(k-1).text == "-" && st.tok(k-2).low == "in" {
		t = st.tok(k - 4) // "father-in-law"
		if !strongRelations[t.low] {
			return token{}, false
		}
		return t, true
	}
	if strongRelations[t.low] && !speechVerbs[t.low] && t.low != "hi" && t.low != "hello" && t.low != "thanks" && t.low != "dear" {
		return t, true
	}
	if practitionerWords[t.low] || t.low == "physio" || t.low == "audiologist" || t.low == "podiatrist" || t.low == "therapist" {
		// the practitioner cue counts as a kinship word does
		return token{low: "friend"}, true
	}
	return token{}, false
}

// functionWords never start a name, whatever the cue.
var functionWords = wordSet(`a an the my his her their your our its this that these those on in at to for of
with from by and or but not no is was are be been being have has had do does did would can could
should shall might must just still also already down up over here there what which who when where why
how all any some one two three four five six seven eight nine ten`)

// selfIntroFollowers follow a caller's own name ("it's Parveen from the
// practice", "its nkechi calling", "this is Dami speaking").
var selfIntroFollowers = wordSet(`from calling speaking here`)

// roleAfterComma: "this is Nkechi, senior carer at ...", "this is
// Anneliese, pharmacist at ...": the caller's job after their name.
func roleAfterComma(st *scanState, k int) bool {
	for n := 0; n < 3; n++ {
		w := st.tok(k + n).low
		if practitionerWords[w] || careRoles[w] || w == "physio" {
			return true
		}
		if !jobModifiers[w] && w != "the" && w != "a" && w != "one" && w != "of" {
			return false
		}
	}
	return false
}

// unlistedName: a word no list knows that no medicine's name fits ("It's
// Parveen from ..."): a name the gazetteers lack, once a cue says a name
// comes.
func unlistedName(t token) bool {
	w := t.low
	if !unknownWord(w) || properNouns[w] || medicationLexicon.byFirst[w] != nil || spokenDrugKeys[soundKey(w)] {
		return false
	}
	_, stem := drugSuffixes.find(w) // an INN stem: "its sertraline from the chemist"
	return !stem
}

// nameFollowers come after a name in an introduction: "it's Pat from ...",
// "this is Grace speaking".
var nameFollowers = wordSet(`from here speaking calling again , . here's at`)

// nameEnd leaves a possessive "'s" outside the span.
func nameEnd(t token) int {
	if strings.HasSuffix(t.low, "'s") {
		return t.e - 2
	}
	if strings.HasSuffix(t.low, "’s") {
		return t.e - len("’s")
	}
	return t.e
}

// isLowerGazetteerName: speech-to-text and chat write names in lower case;
// a lower-case word counts when it is a known given name and no English
// word.
func isLowerGazetteerName(st *scanState, i int) bool {
	t := st.toks[i]
	if t.upper || t.kind != tokWord || len(t.text) < 3 || isStop(t) {
		return false
	}
	return isFirstName(t) && !commonWordNames[t.low] && lowerSentence(st)
}

// commonWordNames are given names that are also ordinary lower-case words
// in a call ("will", "may", "mark" are stop words already).
var commonWordNames = wordSet(`sunny rich hope joy faith grace dawn chase art ray pat sue don page bill
rose lily ivy holly amber ruby crystal summer sky will may mark june april august drew gene
jay kim lee sam max ben dean glen glenn van roman christian gay rod angel destiny harmony trinity
noble royal king prince duke earl major miles bob carol jean ken kay val viola nova luna aurora
hazel ginger ebony candy honey precious jade pearl opal amber sandy rusty dusty buddy sonny patience
prudence mercy charity chance hunter ranger taylor mason cooper tanner parker porter sawyer carter
forest river ocean rain storm sage bay`)

// nameRunEnd extends a run of capitalised words, initials ("J", "M.") and
// hyphen-joined parts from i.
// hyphenNamePart: the lower-case word after a capitalised name and a
// hyphen is the rest of a double given name ("Hyun-woo"), unless it is an
// English word that makes a compound ("Smith-based", "Anne-like"); an
// English one counts when a capitalised surname follows ("Hyun-woo Park").
func hyphenNamePart(before, after token) bool {
	return before.upper && after.kind == tokWord && !after.upper && !englishWord(after.low) && !stopWords[after.low] && !hasDigit(after.low)
}

func nameRunEnd(st *scanState, i int) int {
	toks := st.toks
	j := i + 1
	for j < len(toks) && j-i < 6 {
		t := toks[j]
		if t.nl {
			break
		}
		// "Ashworth-Pole", and "Hyun-woo", "Jean-paul": a hyphen joins
		// the parts of one name, the second written in lower case too.
		if t.text == "-" && !t.sp && j+1 < len(toks) && !toks[j+1].sp && (capWord(toks[j+1]) || hyphenNamePart(toks[j-1], toks[j+1]) || toks[j-1].upper && toks[j+1].kind == tokWord && !toks[j+1].upper && capWord(st.tok(j+2)) && st.tok(j+2).sp) {
			j += 2
			continue
		}
		if isInitial(t) && j+1 < len(toks) {
			k := j + 1
			if toks[k].text == "." && !toks[k].sp {
				k++
			}
			if k < len(toks) && capWord(toks[k]) && !toks[k].nl {
				j = k
				continue
			}
			break
		}
		if capWord(t) || isLowerGazetteerName(st, j) && !toks[j-1].upper {
			if strings.HasSuffix(toks[j-1].low, "'s") {
				break
			}
			j++
			continue
		}
		break
	}
	return j
}

// introducedName reads a name right after an introducing cue, whatever its
// case: up to three words that are neither stop words nor numbers.
func introducedName(st *scanState, i int) (int, bool) {
	toks := st.toks
	w := ""
	cued := false
	if mayFollowIntroCue(toks, i) {
		w = st.windowBefore(toks[i].s, 4)
		for _, c := range introCues {
			if endsWithWords(w, c) {
				cued = true
				break
			}
		}
	}
	if !cued {
		// "Name: Jane", "What's your name? Jane"
		if i >= 2 && (toks[i-1].text == ":" || toks[i-1].text == "?") && (toks[i-2].low == "name" || toks[i-2].low == "surname") {
			cued = true
		}
	}
	if !cued {
		return 0, false
	}
	if w == "" {
		w = st.windowBefore(toks[i].s, 4)
	}
	t := toks[i]
	if titles[t.low] {
		return 0, false // the title's own run is scored in findPersons
	}
	if callWhen[t.low] && (strings.HasSuffix(w, " call me ") || strings.HasSuffix(w, " ring me ")) {
		return 0, false // "call me instead", "call me later": when, not who
	}
	if len(t.text) == 1 && (strings.HasSuffix(w, " spelt ") || strings.HasSuffix(w, " spelled ") || strings.HasSuffix(w, " spell ")) {
		return 0, false // "spelt E-Z-E": letters, the name was before
	}
	// After "my name is", "is called", "surname is" a word that is also a
	// given name is a name even when it is an ordinary word too: "my name
	// is will fisher", "my son is called River".
	strongCue := strings.HasSuffix(w, " name is ") || strings.HasSuffix(w, " name's ") || strings.HasSuffix(w, " surname is ") || strings.HasSuffix(w, " name was ") ||
		strings.HasSuffix(w, " is called ") || strings.HasSuffix(w, "'s called ") || strings.HasSuffix(w, " named ") || strings.HasSuffix(w, " my names ")
	wordName := strongCue && !functionWords[t.low] && (isFirstName(t) || commonWordNames[t.low] || t.upper && !sentenceStart(st, i) && !places[t.low])
	// "It's Pat from Holly Road", "this is Grace speaking": a given name
	// that is also a word, capitalised, before how callers go on.
	// In lower-case transcripts: "its jack reynolds".
	nx := st.tok(i + 1)
	wordGiven := (capWord(t) || !t.upper && lowerSentence(st)) && (commonWordNames[t.low] || isFirstName(t)) &&
		(nameFollowers[nx.low] || !nx.upper && lowerSentence(st) && isLastName(nx) && !isStop(nx) && !nx.nl) ||
		capWord(t) && !sentenceStart(st, i) && capWord(nx) && isLastName(nx) && !isStop(nx) && !nx.nl && !places[t.low]
	if isStop(t) && !(t.upper && isFirstName(t)) && !wordName && !wordGiven || t.kind != tokWord || hasDigit(t.text) {
		return 0, false
	}
	// After "I'm"/"this is"/"it's" only a capitalised or known name counts:
	// "I'm dying to know", "this is urgent", "it's booked".
	weak := strings.HasSuffix(w, " i'm ") || strings.HasSuffix(w, " im ") || strings.HasSuffix(w, " i am ") ||
		strings.HasSuffix(w, " this is ") || strings.HasSuffix(w, " it's ") || strings.HasSuffix(w, " under ") ||
		strings.HasSuffix(w, " names ") && !strings.HasSuffix(w, " my names ") || strings.HasSuffix(w, " name ") || strings.HasSuffix(w, " its ") || strings.HasSuffix(w, " called ") ||
		strings.HasSuffix(w, " patient ")
	// "It's Parveen from the practice", "hi its nkechi calling": a word no
	// list knows, then how a caller goes on after their name.
	introduced := !nx.nl && (selfIntroFollowers[nx.low] || nx.low == "at" && capWord(t)) && (unlistedName(t) || capWord(t) && !sentenceStart(st, i) && !notNames[t.low] && !dayOrMonth[t.low]) ||
		nx.text == "," && capWord(t) && !sentenceStart(st, i) && !notNames[t.low] && !dayOrMonth[t.low] && roleAfterComma(st, i+2)
	if weak && !(capWord(t) || isFirstName(t) || isLastName(t) || inOpenNames(t) || wordName || wordGiven || introduced && lowerSentence(st)) {
		return 0, false
	}
	if weak && capWord(t) && !wordName && !wordGiven && !introduced && !(isFirstName(t) || isLastName(t) || inOpenNames(t) || hasNameEnding(t) || hasNonASCIILetter(t.text)) {
		// "It's Aetna", "it's Monday", "this is Harley Street Dental":
		// capitalised but unknown. Only two capitalised words that are no
		// place or company make a name here.
		n := st.tok(i + 1)
		if !capWord(n) || n.nl || streetSuffixes[n.low] || orgSuffixes[n.low] || orgSuffixes[t.low] || places[t.low] {
			return 0, false
		}
	}
	end := i + 1
	for end < len(toks) && end-i < 3 {
		u := toks[end]
		// "my name is Geoffrey Mills", "this is Sarah Hill": a surname that
		// is also a word, right after a given name and cased like it.
		surnameWord := end == i+1 && streetStops[u.low] && (isFirstName(t) || inOpenNames(t)) && (u.upper && t.upper || lowerSentence(st) && strongCue)
		// A lone lower-case letter starts a spelling: "my surname's fox f o x".
		if u.nl || u.kind != tokWord || hasDigit(u.text) || isStop(u) && !surnameWord || strings.HasSuffix(toks[end-1].low, "'s") || selfIntroFollowers[u.low] || len(u.low) == 1 && !u.upper {
			break
		}
		if !capWord(u) && !(isFirstName(u) || isLastName(u) || inOpenNames(u)) && (capWord(t) || !isLastName(u) && u.upper == t.upper && !lowerSentence(st)) {
			break
		}
		end++
	}
	if orgSuffixes[st.tok(end).low] || streetSuffixes[st.tok(end).low] && st.tok(end).upper {
		return 0, false
	}
	return end, true
}

// lowerSentence: the whole text is lower case, as chat and some
// transcripts are; then case says nothing about names.
func lowerSentence(st *scanState) bool {
	if st.lowerKnown {
		return st.lower
	}
	st.lowerKnown, st.lower = true, true
	for _, t := range st.toks {
		if t.upper && t.text != "I" {
			st.lower = false
			break
		}
	}
	return st.lower
}

// scoreNameRun weighs the evidence for toks[a:b] being a person's name.
func scoreNameRun(st *scanState, a, b int) float64 {
	toks := st.toks
	words, first, last, ending, accent, initials, open := 0, 0, 0, 0, 0, 0, 0
	for k := a; k < b; k++ {
		t := toks[k]
		if t.text == "-" || t.text == "." {
			continue
		}
		if isInitial(t) {
			initials++
			continue
		}
		words++
		if isFirstName(t) && !isStop(t) {
			first++
		}
		if isLastName(t) && !isStop(t) {
			last++
		}
		if inOpenNames(t) && !isStop(t) {
			open++
		}
		if hasNameEnding(t) {
			ending++
		}
		if hasNonASCIILetter(t.text) {
			accent++
		}
	}
	if words == 0 {
		return 0
	}
	for k := a; k < b; k++ {
		if orgSuffixes[toks[k].low] || unitWords[toks[k].low] {
			return 0
		}
	}
	if placePrefixes[toks[a].low] && words >= 2 || words == 1 && places[baseName(toks[a])] {
		return 0
	}
	if words == 2 && places[toks[a].low+" "+toks[b-1].low] {
		return 0
	}
	// Company and place words right after the run: "Johnson Inc.", "Hill
	// Road" (the address recognizer claims the latter anyway).
	if n := st.tok(b); orgSuffixes[n.low] && n.upper || streetSuffixes[n.low] && n.upper && !n.nl {
		return 0
	}
	before := st.tok(a - 1)
	if before.text == "." && !before.sp {
		before = st.tok(a - 2)
	}
	if before.text == "," && strongRelations[st.tok(a-2).low] {
		before = st.tok(a - 2) // "my grandmother, Euphemia Lockhart"
	}
	titled := titles[before.low] && before.upper
	related := relationCues[before.low] || before.text == ">" || before.text == ":"
	strong := strongRelations[before.low] || before.low == "him" && st.tok(a-2).low == "named"
	startOfLine := a == 0 || toks[a].nl || toks[a-1].text == ">" || toks[a-1].text == "?"
	after := st.tok(b)
	if strings.HasSuffix(toks[b-1].low, "'s") {
		after = token{low: "'s"}
	}
	animate := animateVerbs[after.low] && !after.nl ||
		after.low == "will" && st.tok(b+1).low == "be" ||
		after.low == "had" && st.tok(b+1).low == "given" ||
		after.low == "is" && (st.tok(b+1).low == "from" || st.tok(b+1).low == "very")
	// "Vinka: What a wife." — a speaker at a line start; "Bryce, can I..."
	// — someone addressed.
	speaker := startOfLine && after.text == ":" && !stopWords[baseName(toks[a])]
	vocative := a == 0 && after.text == "," && (modalWords[st.tok(b+1).low] || st.tok(b+1).low == "i" || st.tok(b+1).low == "please")
	// The first line of a letter head or signature block is its sender.
	blockHead := startOfLine && words >= 2 && words <= 3 && (b >= len(toks) || toks[b].nl)
	switch {
	case titled:
		return 0.85
	case surnameWord(st, a, b):
		return 0.7 // "Lorna Pike", "Edna Price", "Geoffrey Mills"
	case words >= 2 && first+last >= 2:
		return 0.85
	case words >= 2 && first+last >= 1:
		return 0.75
	case words >= 2 && open >= words:
		return 0.7 // "Gwendolyn Ashby": both names, also places in the word list
	case initials > 0 && words >= 2:
		return 0.7
	case words >= 2 && (ending > 0 || accent > 0):
		return 0.6
	case words == 1 && first == 1 && !commonWordNames[baseName(toks[a])]:
		return 0.6
	case words == 1 && last == 1 && (related || !startOfLine):
		return 0.5
	case words == 1 && ending > 0 && (related || !startOfLine):
		return 0.45
	case words >= 2 && related:
		return 0.5
	case speaker || vocative || animate:
		return 0.5
	case strong && !startOfLine:
		return 0.5
	case blockHead:
		return 0.45
	}
	return 0
}

var (
	//go:embed places.txt
	placesSrc string
	places    = loadWordList(placesSrc)
)

// placePrefixes start place names, not people's: "San Bernardino",
// "United Kingdom", "Port Paien", "Den Haag".
var placePrefixes = wordSet(`san santa são sao saint sainte st port fort new north south east west upper lower
united den la le los las el mount lake cape isla ciudad villa bad great little greater`)

// animateVerbs after a capitalised word make it a person: things and places
// do not shout, explain or live somewhere.
var animateVerbs = wordSet(`said says told asked lives lived shouted explained spent began wrote sang listed
thinks thought wants wanted loves hates likes gave called smiled laughed cried died married works worked studied
speaks spoke replied answered added admitted whispered yelled argued agreed insisted speaking here calling
ringing phoning`)

// firstPerson forms are never a name, whatever comes before: "the
// hygienist said I've got", "he said I'd need" (a capital after "said"
// otherwise reads as a name).
var firstPerson = wordSet(`i i'm i've i'd i'll`)

// englishSonWords end in "son" without being patronymics.
var englishSonWords = wordSet(`person persons reason reasons season seasons lesson lessons poison prison prisons
comparison unison venison liaison salesperson chairperson spokesperson caparison crimson`)

// strongRelations right before an unknown capitalised word make it a name:
// "my kid Agi", "Hi Manlio", "says Gerste", "ms. Quinzia".
var strongRelations = wordSet(`son daughter wife husband partner mum mom mother dad father brother sister kid
child baby grandson granddaughter grandmother grandfather fiancé fiance fiancée fiancee hi hello dear thanks
said says told asked named ms mrs mr miss dr friend neighbour neighbor colleague carer grandad granddad
grandma nan nana gran stepson stepdaughter nephew niece aunt auntie uncle cousin girl boy lad lass
coordinator visitor keyworker midwife counsellor therapist advocate`)

var modalWords = wordSet(`can could would will may might should shall do did are is have`)

// sentenceStart reports whether toks[i] opens a sentence or a line.
func sentenceStart(st *scanState, i int) bool {
	if i == 0 || st.toks[i].nl {
		return true
	}
	p := st.toks[i-1].text
	return p == "." || p == "!" || p == "?" || p == "\"" || p == ">"
}

// lowerTitledName: "doctor fitzgerald", "dr o'neill", "nurse okafor" as
// speech-to-text writes them. The word after the title is a name when it is
// no English word, or a known surname that is not a stop word.
func lowerTitledName(st *scanState, i int) (int, bool) {
	toks := st.toks
	t := toks[i]
	if t.kind != tokWord || t.upper || i == 0 || !lowerTitles[st.toks[i-1].low] || toks[i-1].upper {
		return 0, false
	}
	if hasDigit(t.text) {
		return 0, false
	}
	// "sister grace mensah", "doctor may okafor": a given name that is
	// also a word, with a surname after it.
	// "mrs ivy bellamy", "mister desmond achterberg": after an honorific
	// (not "doctor" or "nurse", which are roles too) a given name that is
	// also a word, with a surname the lists or the word list know as a
	// name.
	if n := st.tok(i + 1); honorifics[st.toks[i-1].low] && !functionWords[t.low] && !speechVerbs[t.low] && !animateVerbs[t.low] && !t.nl &&
		!n.upper && !n.nl && n.kind == tokWord && !functionWords[n.low] && !isStop(n) && (properNouns[n.low] || isLastName(n) || inOpenNames(n) || unlistedName(n)) &&
		(givenName(t) || properNouns[t.low] || streetStops[t.low]) {
		return i + 2, true
	}
	if n := st.tok(i + 1); givenName(t) && !speechVerbs[t.low] && !animateVerbs[t.low] && !n.upper && !n.nl && n.kind == tokWord && !isStop(n) && (isLastName(n) || inOpenNames(n) || unlistedName(n)) {
		return i + 2, true // "mrs ivy bellamy", "mrs olive tunstall" too
	}
	// "doctor o brien": O'Brien as speech-to-text writes it.
	if n := st.tok(i + 1); t.low == "o" && !n.nl && n.kind == tokWord && !isStop(n) && (isLastName(n) || inOpenNames(n) || unlistedName(n)) {
		return i + 2, true
	}
	if isStop(t) || englishWord(t.low) && !isLastName(t) {
		return 0, false
	}
	return i + 1, true
}

// givenName: a given name on any list, the open one included even where
// the word list also has it as a proper noun ("Geoffrey", "Ivy"): used
// only where a title or a surname already says a name is meant.
func givenName(t token) bool {
	return isFirstName(t) || givenOpen[foldAccents(baseName(t))]
}

// surnameWord: toks[a:b] is a capitalised given name and a capitalised
// surname that is also a word ("Lorna Pike", "Edna Price", "Geoffrey
// Mills"); a road word ("Poppy Lane", "Holly Park") is left to the
// address rules.
func surnameWord(st *scanState, a, b int) bool {
	if b-a != 2 {
		return false
	}
	g, f := st.toks[a], st.toks[b-1]
	return g.upper && f.upper && capWord(g) && capWord(f) && givenName(g) && streetStops[baseName(f)] &&
		!roadWords[baseName(f)] && !strings.HasSuffix(g.low, "'s")
}

// roadWords end a street's name, never a person's.
var roadWords = wordSet(`lane way road street close court drive avenue crescent park green gardens terrace place
row walk square grove view rise mews`)

var honorifics = wordSet(`mr mrs miss ms mister missus`)

var lowerTitles = wordSet(`dr doctor mr mrs ms miss nurse sister professor prof mister missus pc`)

// lowerRelated: in a lower-case transcript, a name from the lists right
// after a kinship word ("my wifes yolanda", "my son jayden").
func lowerRelated(st *scanState, i int) bool {
	t := st.toks[i]
	// "my friend kasia", "my mum shanthi": right after a kinship noun a
	// word no list knows is a name too.
	if !t.upper && i > 0 && lowerSentence(st) && kinNouns[st.toks[i-1].low] && unlistedName(t) && len(t.low) >= 4 && vowelCount(t.low) >= 2 {
		return true
	}
	if t.upper || i == 0 || !lowerSentence(st) || !(isFirstName(t) || inOpenNames(t) || commonWordNames[t.low]) || isStop(t) && !commonWordNames[t.low] && !isFirstName(t) || functionWords[t.low] || modalWords[t.low] {
		return false
	}
	p := st.toks[i-1].low
	if !(strongRelations[p] || strongRelations[strings.TrimSuffix(p, "s")]) {
		return false
	}
	if isStop(t) {
		// "my husband frank has", but "my daughter said she": a name that
		// is also a word needs what follows a name, and is no verb.
		if speechVerbs[t.low] || strings.HasSuffix(t.low, "ed") || t.low == "is" || t.low == "was" || t.low == "went" || t.low == "came" || t.low == "does" {
			return false
		}
		n := st.tok(i + 1)
		return i+1 >= len(st.toks) || n.kind == tokPunct || n.nl || afterName[n.low]
	}
	return true
}

// vowelCount: initialisms ("psa", "egfr", "picc") have one at most.
func vowelCount(w string) int {
	n := 0
	for i := 0; i < len(w); i++ {
		if isVowel(w[i]) {
			n++
		}
	}
	return n
}

// kinNouns are the kinship and care words a lower-case name follows.
var kinNouns = wordSet(`son daughter wife husband partner mum mom mother dad father brother sister grandson
granddaughter grandmother grandfather friend neighbour neighbor carer grandad granddad grandma nan nana gran
nephew niece aunt auntie uncle cousin fiance fiancee`)

var afterName = wordSet(`is has had was needs and who he's she's hes shes isn't isnt hasn't hasnt can't cant
won't wont keeps needs wants been i`)

// findSpeltNames: a word said and then spelt out letter by letter ("my
// surname's fox, f o x", "Nowak, N-O-W-A-K, that's right", "Przybylski
// — P, R, Z, Y, B, Y, L, S, K, I") is a name, and the spelling is part
// of the mention: callers spell their names. A medicine or an address
// the rules have already claimed is left alone. A given name right
// before the word joins it ("she's ruby stone s t o n e"). The spelling may come first
// ("S-Z-Y-M-A-N-S-K-A, Agnieszka Szymanska"), or follow a word the
// caller corrects ("its catriona not katrina c a t r i o n a"), or stand
// alone after "spell" ("is the surname spelt d e v r i e s").
func findSpeltNames(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		if !spellingLetter(toks[i]) {
			continue
		}
		letters, end := spelling(toks, i)
		if len(letters) < 2 {
			continue
		}
		w := spelledWord(st, i, end, letters)
		if w < 0 && !(len(letters) >= 3 && spellCueBefore(toks, i)) || idPrefixSpelt(st, end, letters) {
			i = end - 1
			continue
		}
		if w >= 0 && claimedOtherwise(st, toks[w]) {
			i = end - 1 // "it's Trimbow, T-R-I-M-B-O-W": a medicine spelt
			continue
		}
		// The word and its spelling are one mention of the name: one span
		// runs from the first to the last ("oconnell thats o c o n n e l
		// l", "S-Z-Y-M-A-N-S-K-A, Agnieszka Szymanska").
		s, e := toks[i].s, toks[end-1].e
		if w >= 0 {
			first := w
			if p := st.tok(w - 1); w > 0 && p.kind == tokWord && !functionWords[p.low] && (isFirstName(p) || inOpenNames(p)) {
				first = w - 1
			}
			s, e = min(s, toks[first].s), max(e, nameEnd(toks[w]))
		}
		st.add(TypePerson, s, e, 0.85, prioPerson)
		i = end - 1
	}
}

// spellingLetter: one letter said alone ("o", "N"), as a spelling reads.
func spellingLetter(t token) bool {
	return t.kind == tokWord && len(t.low) == 1 && t.low[0] >= 'a' && t.low[0] <= 'z' && !t.nl
}

// spelling reads the letters from toks[i] on, across the hyphens and
// commas callers put between them ("H-E-W-I-T-T", "P, R, Z"), and
// returns them and the end of the run.
func spelling(toks []token, i int) (string, int) {
	var b strings.Builder
	k := i
	for k < len(toks) && !toks[k].nl {
		if spellingLetter(toks[k]) {
			b.WriteString(toks[k].low)
			k++
			continue
		}
		if (toks[k].text == "-" || toks[k].text == ",") && k+1 < len(toks) && spellingLetter(toks[k+1]) {
			k++
			continue
		}
		break
	}
	return b.String(), k
}

// spelledWord finds the word the letters spell: up to four words before
// the spelling, past lead-ins ("that's", "spelt"), or right after it. It
// returns -1 when no word matches.
func spelledWord(st *scanState, i, end int, letters string) int {
	match := func(t token) bool {
		// "my DNI is ..., D-N-I": an acronym spelt is no name
		acronym := len(t.text) <= 5 && strings.ToUpper(t.text) == t.text
		return t.kind == tokWord && len(t.low) >= 2 && !functionWords[t.low] && !hasDigit(t.text) && !acronym &&
			foldAccents(apostropheFree.Replace(t.low)) == letters
	}
	for k, n := i-1, 0; k >= 0 && n < 4; k-- {
		if t := st.toks[k]; t.kind != tokWord || spellLeadIns[t.low] {
			continue
		}
		if match(st.toks[k]) {
			return k
		}
		n++
	}
	k := end
	if st.tok(k).text == "," {
		k++
	}
	for n := 0; n < 3 && k < len(st.toks); n, k = n+1, k+1 {
		if match(st.toks[k]) {
			return k
		}
	}
	return -1
}

// idPrefixSpelt: "my membership number is b u p a seven seven four":
// letters before a number, or an insurer's name spelt, open an
// identifier, not a name.
func idPrefixSpelt(st *scanState, end int, letters string) bool {
	n := st.tok(end)
	return n.kind == tokNum || spokenNumberWord(n.low) || insurerNames[letters]
}

var insurerNames = wordSet(`bupa axa aviva vitality cigna allianz laya vhi wpa simplyhealth aetna`)

// spellCueBefore: "spell", "spelt", "spelled" or "spelling" within the
// three words before toks[i].
func spellCueBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch toks[k].low {
		case "spell", "spelt", "spelled", "spelling":
			return true
		}
	}
	return false
}

// claimedOtherwise: a rule already read the word as something other
// than a name (a medicine, an address).
func claimedOtherwise(st *scanState, t token) bool {
	for _, c := range st.cands {
		if c.typ != TypePerson && c.s < t.e && t.s < c.e {
			return true
		}
	}
	return false
}

var apostropheFree = strings.NewReplacer("'", "", "’", "")

// spellLeadIns may stand between a word and its spelling.
var spellLeadIns = wordSet(`, . that's thats spelt spelled it's its that is`)

// findLowerNamePairs: in lower case, a given name and a surname after a
// relative, an honorific or a self-introduction ("my wife june long",
// "this is grace bell", "my nan rose bell", "mr pickles"): where case
// says nothing, the cue and the given name do, even when both words are
// also words. A verb, a function word or a clinical word after the given
// name ends the name ("my wife june has ...").
func findLowerNamePairs(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		t, p := toks[i], toks[i-1]
		if t.kind != tokWord || t.upper || t.nl || functionWords[t.low] || hasDigit(t.text) {
			continue
		}
		if fillers[p.low] && i >= 2 {
			p = toks[i-2] // "my dad erm frank butcher"
		}
		if pronouns[t.low] || speechVerbs[t.low] || animateVerbs[t.low] || clinicalWord(t.low) {
			continue
		}
		honorific := honorifics[p.low] && p.text != strings.ToUpper(p.text)
		if !honorific && !kinNouns[p.low] && !selfIntro(st, i) {
			continue // the cheap test first: most words follow no cue
		}
		n := st.tok(i + 1)
		surname := i+1 < len(toks) && !n.nl && !n.upper && n.kind == tokWord && len(n.low) > 1 && !functionWords[n.low] && !afterName[n.low] && !pronouns[n.low] &&
			!speechVerbs[n.low] && !animateVerbs[n.low] && !clinicalWord(n.low) && !hasDigit(n.text) &&
			(streetStops[n.low] || isLastName(n) || inOpenNames(n) || properNouns[n.low] || unlistedName(n)) && !roadWords[n.low]
		nameLike := givenName(t) || commonWordNames[t.low] || wordNames[t.low] || properNouns[t.low] && !ordinaryWords[t.low]
		switch {
		// "miss" and "ms" are verbs and initials too ("I can't miss
		// doses", "the MS nurse"): after them only a name-like word.
		case honorific && (p.low != "miss" && p.low != "ms" || nameLike || isLastName(t) || inOpenNames(t)):
			// "mr pickles", "mrs peach won't be at her screening"
			e := i + 1
			if surname && givenName(t) {
				e = i + 2
			}
			st.add(TypePerson, t.s, toks[e-1].e, 0.75, prioPerson)
		case (kinNouns[p.low] || selfIntro(st, i)) && nameLike && surname:
			st.add(TypePerson, t.s, n.e, 0.75, prioPerson)
		}
	}
}

// selfIntro: "this is" or "it's" (and "its") right before toks[i], at the
// start of the turn or after a greeting.
func selfIntro(st *scanState, i int) bool {
	p, p2 := st.tok(i-1).low, st.tok(i-2).low
	return p == "is" && p2 == "this" || (p == "it's" || p == "its") && (i == 1 || greetings[p2])
}

var fillers = wordSet(`erm um er uh uhm`)

var pronouns = wordSet(`i im i'm he she it they we you me him them us he's she's it's hes shes its`)

// wordNames are given names that are everyday words too, beyond
// commonWordNames: after a relative they are names ("my dad frank osei").
var wordNames = wordSet(`frank jack bob nick rob pete bill guy ray sue pat dean jean`)

var greetings = wordSet(`hi hello hiya morning afternoon evening yeah yes um erm er oh`)

// clinicalWord: a medicine or a condition on its own ("asthma",
// "warfarin", "tablets").
func clinicalWord(w string) bool {
	return medicationLexicon.hasWord(w) || conditionLexicon.hasWord(w) || genericMedicine[w]
}
