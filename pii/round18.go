package pii

import (
	"strconv"
	"strings"
)

// Guards and frames of the eighteenth round, each from a class of error a
// fresh development wave showed (see forms_round18_test.go).

// spokenRoleStart: a run that starts with a practitioner's word ("the
// doctor on call", "the locum one") is said as that word; speech-to-text
// writes a role as itself, not as syllables of a drug.
func spokenRoleStart(t token) bool {
	return careRoles[t.low] || practitionerWords[t.low] || t.low == "physio" || t.low == "physios"
}

// objectPronounInside: "told him", "gave them", "ask us": a verb and its
// object pronoun; no medicine's syllables are heard as "him", "them" or
// "us" after its first.
func objectPronounInside(run []token) bool {
	for _, t := range run[1:] {
		if t.low == "him" || t.low == "them" || t.low == "us" {
			return true
		}
	}
	return false
}

// nationalityWords name a people or a language: "Irish Life Health" is an
// insurer, "Polish tablets" a country's medicine, neither a drug's name.
var nationalityWords = wordSet(`irish scottish welsh english british american canadian australian polish french
spanish italian german dutch swedish danish norwegian finnish portuguese greek turkish romanian bulgarian
hungarian czech slovak croatian serbian lithuanian latvian estonian ukrainian russian chinese indian
pakistani nigerian filipino brazilian european`)

// shiftWords: "I'm on earlies", "she's on lates": a rota, not a medicine.
var shiftWords = wordSet(`earlies lates`)

// adminWords name a card, a scheme or a step of care, not a medicine:
// "the tessera sanitaria", "his carte Vitale", "I've been triaged".
var adminWords = wordSet(`tessera sanitaria vitale mutuelle triaged triage hse`)

// medicationCovers: a medication candidate covers toks[k] ("the water
// tablet", "her new tablets").
func medicationCovers(st *scanState, k int) bool {
	t := st.toks[k]
	for _, c := range st.cands {
		if c.typ == TypeMedication && c.s <= t.s && t.e <= c.e {
			return true
		}
	}
	return false
}

// goneHour: "it's gone two", "gone half ten": past an hour, not a
// complaint gone.
func goneHour(st *scanState, i, j int) bool {
	if j-i > 3 || st.toks[i].low != "gone" {
		return false
	}
	for _, t := range st.toks[i+1 : j] {
		if !(t.kind == tokNum || spokenNumberWord(t.low) || t.low == "half" || t.low == "quarter" || t.low == "past" || t.low == "midnight" || t.low == "noon") {
			return false
		}
	}
	return j > i+1
}

// misreadMedicine: a nationality, a shift or an admin word alone is no
// medicine; one lower-case word right after a relative ("my boy oisin
// swallowed") is the relative's name: a medicine follows a possessive
// ("my son's inhaler") or a verb, not the relative's noun.
func misreadMedicine(st *scanState, c candidate, i, j int) bool {
	if c.typ != TypeMedication || j != i+1 {
		return false
	}
	if w := st.toks[i].low; nationalityWords[w] || shiftWords[w] || adminWords[w] {
		return true // "Irish", "earlies", "triaged" alone: whichever part proposed it
	}
	if st.toks[i].upper {
		return false
	}
	p := st.tok(i - 1)
	if !(kinNouns[p.low] || p.low == "boy" || p.low == "girl" || p.low == "lad" || p.low == "youngest" || p.low == "eldest") {
		return false
	}
	return possessives[st.tok(i-2).low] || st.tok(i-2).low == "our"
}

// spokenEffectAfter: "the done pezzle doesnt seem to be doing anything",
// "the sit a low pram isn't helping": what a run fails to do says it is a
// medicine.
func spokenEffectAfter(toks []token, j int) bool {
	if j >= len(toks) || toks[j].nl || !failedAux[toks[j].low] {
		return false
	}
	for k := j + 1; k < len(toks) && k <= j+5; k++ {
		if w := toks[k].low; w == "working" || w == "work" || w == "helping" || w == "help" || w == "doing" {
			return true
		}
	}
	return false
}

var failedAux = wordSet(`isn't isnt doesn't doesnt wasn't wasnt didn't didnt hasn't hasnt aren't arent don't dont`)

// findRound18Frames: "her words are coming out wrong", "his speech is
// jumbled": speech that goes wrong is a complaint.
func findRound18Frames(st *scanState) {
	toks := st.toks
	for i := 1; i+2 < len(toks); i++ {
		if w := toks[i].low; (w != "words" && w != "speech") || !possessives[toks[i-1].low] {
			continue
		}
		k := i + 1
		if n := toks[k].low; n == "are" || n == "is" || n == "were" || n == "was" || n == "keep" || n == "keeps" || n == "have" || n == "has" {
			k++
		}
		switch {
		case (st.tok(k).low == "coming" || st.tok(k).low == "come") && st.tok(k+1).low == "out":
			k += 2
		case st.tok(k).low == "gone":
			k++
		}
		if garbledWords[st.tok(k).low] {
			st.add(TypeMedicalCondition, toks[i-1].s, toks[k].e, 0.6, prioMedical)
		}
	}
}

var garbledWords = wordSet(`wrong jumbled muddled garbled slurred slurry funny weird mixed`)

// goneMissing: "my repeat's gone missing", "the letter went missing": a
// thing lost, whatever the tagger read into it.
func goneMissing(st *scanState, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if st.toks[k].low == "missing" {
			p := st.toks[k-1].low
			return p == "gone" || p == "go" || p == "went" || p == "going" || p == "goes"
		}
	}
	return false
}

// adminHeadache: "work is giving me a headache", "the system at your
// place is giving me a headache": a headache given by work or a system is
// a figure of speech; one from a tablet or a knock is not.
func adminHeadache(st *scanState, i, j int) bool {
	if st.toks[j-1].low != "headache" {
		return false
	}
	p := i - 1 // the word before "a headache"
	if st.toks[i].low != "a" && st.tok(p).low == "a" {
		p--
	}
	if st.tok(p).low != "me" {
		return false
	}
	if !giveVerbs[st.tok(p-1).low] {
		return false
	}
	for m := p - 2; m >= 0 && m >= p-9; m-- {
		if adminSubjects[baseName(st.toks[m])] {
			return true
		}
	}
	return false
}

var adminSubjects = wordSet(`work job system paperwork admin council website app form forms process booking
bureaucracy traffic queue phones parking boss office insurance insurer`)

// acceptedPayment: "take" whose subject is the clinic or "you" ("do you
// take Bupa", "does the practice take Amex"): what the clinic accepts, an
// insurer or a card, not what a patient takes.
func acceptedPayment(st *scanState, first int) bool {
	k := first - 1
	if st.tok(k).low != "take" {
		return false
	}
	subj := st.tok(k - 1).low
	if subj == "you" {
		a := st.tok(k - 2).low
		return a == "do" || a == "will" || a == "would" || a == "can" || a == "don't" || a == "dont"
	}
	return clinicSubjects[baseName(st.tok(k-1))]
}

var clinicSubjects = wordSet(`clinic practice surgery hospital pharmacy dentist dentists dentistry centre center
optician opticians physio chemist chemists`)

// paperActs are what a practitioner does with a form or a caller ("needs
// the physio to sign it", "for the physio to ring me").
var paperActs = wordSet(`sign ring call phone write fill send countersign email say`)

// thoroughfares end a street's name; a medicine's name never ends in one
// ("harley street" in lower case). Unlike roadWords, "court", "view" and
// "way" are left out: speech-to-text writes them inside split drug names
// ("dacta court", "the plen view").
var thoroughfares = wordSet(`street road lane avenue`)

// hedgeOf: toks[k] is either word of "kind of" or "sort of" ("the room
// kind of spins"), which a frame may step over.
func hedgeOf(toks []token, k int) bool {
	return (toks[k].low == "kind" || toks[k].low == "sort") && k+1 < len(toks) && toks[k+1].low == "of" ||
		toks[k].low == "of" && k > 0 && (toks[k-1].low == "kind" || toks[k-1].low == "sort")
}

// lostThings: "she says she's lost them", "I've lost it": a thing lost;
// a lost voice or lost weight names what went.
func lostThings(st *scanState, c candidate, i, j int) bool {
	if c.typ != TypeMedicalCondition || j != i+2 || st.toks[i].low != "lost" {
		return false
	}
	o := st.toks[i+1].low
	return o == "them" || o == "it"
}

// findPrEP: "PrEP", as its users write it, is the HIV prevention
// medicine; lower-case "prep" is as often a bowel prep or meal prep, and
// is left to the other rules.
func findPrEP(st *scanState) {
	for _, t := range st.toks {
		if t.text == "PrEP" || t.text == "PREP" {
			st.add(TypeMedication, t.s, t.e, 0.7, prioMedical+1)
		}
	}
}

// labelReading: "it says ten milligram": what a label says, then a
// number, is the strength read out, not the start of a drug's name
// ("it says butec five" still joins from "butec").
func labelReading(toks []token, i int) bool {
	w := toks[i].low
	return (w == "says" || w == "said") && i+1 < len(toks) && spokenNumberWord(toks[i+1].low)
}

// findKnocks: "took a knock", "taken a knock to the head", "had a
// tumble": a blow or a fall in everyday words.
func findKnocks(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		v, a, n := toks[i].low, toks[i+1].low, toks[i+2].low
		if a != "a" || !(n == "knock" || n == "tumble") {
			continue
		}
		if tookAKnock[v] {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+2].e, 0.6, prioMedical)
		}
	}
}

var tookAKnock = wordSet(`took taken take taking had has`)

// cardinalDay rewrites a day said as a cardinal before a month and a
// year ("twelve march nineteen ninety", "twenty one June eighty two")
// into digits, as ordinalDate does for "the twelfth of March". Without
// the year after the month a cardinal is left alone ("two March
// appointments").
func cardinalDay(toks []token, i int) (int, edit, bool) {
	t := toks[i]
	v, n := 0, 1
	if d, ok := digitWords[t.low]; ok && d > 0 && t.low != "o" && t.low != "oh" {
		v = d
	} else if d, ok := teenWords[t.low]; ok {
		v = d
	} else if d, ok := tensWords[t.low]; ok && d <= 30 {
		v = d
		if i+1 < len(toks) {
			if u, ok := digitWords[toks[i+1].low]; ok && u > 0 && toks[i+1].low != "o" && toks[i+1].low != "oh" {
				v, n = d+u, 2
			}
		}
	} else {
		return 0, edit{}, false
	}
	end := i + n
	if v > 31 || end+1 >= len(toks) || !isMonth(toks[end]) {
		return 0, edit{}, false
	}
	if y := toks[end+1]; !(y.kind == tokNum || teenWords[y.low] > 0 || tensWords[y.low] > 0 || y.low == "two") {
		return 0, edit{}, false
	}
	return end, edit{s: t.s, e: toks[end-1].e, repl: strconv.Itoa(v)}, true
}

// ehicNumber: the personal identification number on a European Health
// Insurance Card is 20 digits that open with 80 and the issuing country's
// ISO 3166 numeric code ("80276 00123 45678 90123" for Germany). No phone
// number or card number is 20 digits long, so the shape is enough.
func ehicNumber(r *digitRun) bool {
	d := r.digits
	return len(d) == 20 && !r.plus && !r.paren && !r.ext && d[:2] == "80" && ehicCountries[d[2:5]]
}

// ehicCountries: the EU, EEA, Swiss and UK codes that issue the card.
var ehicCountries = wordSet(`040 056 100 191 196 203 208 233 246 250 276 300 348 352 372 380 428 438 440 442 470
528 578 616 620 642 703 705 724 752 756 826`)

// organisationOrPlace: a name that a company, an insurer, a card or a
// place around it shows to be no person:
//   - "Hartmann GmbH", "Zilveren Kruis" after "insured with", "my
//     mutuelle is MGEN", "his carte Vitale";
//   - "a midwife at the Rotunda", "turn left at the Costa": a place
//     after a preposition and "the";
//   - "the care home willow court", "ask for rowan unit", "albert road":
//     a lower-case word before a place's or a road's head;
//   - "a Stanley knife": a brand before the thing.
func organisationOrPlace(st *scanState, i, j int) bool {
	next := st.tok(j)
	if companySuffixes[next.low] || (companySuffixes[st.toks[j-1].low] || st.toks[j-1].low == "health" || st.toks[j-1].low == "healthcare") && j > i+1 {
		return true // "Hartmann GmbH", "Podiatry Services", "Public Health"
	}
	if p := st.tok(i - 1).low; p == "with" || p == "is" || p == "by" {
		for k := i - 2; k >= i-3 && k >= 0; k-- {
			if insurerCues[st.toks[k].low] {
				return true
			}
		}
	}
	if st.tok(i-1).low == "carte" {
		return true
	}
	if st.tok(i-1).low == "the" && placePrepositions[st.tok(i-2).low] {
		return true
	}
	if j == i+1 && !st.toks[i].upper && (placeHeads[next.low] || next.low == "unit") {
		return true
	}
	// "forty seven albert road": a road after a house number; "oscar lane
	// has conjunctivitis" is a child.
	if p := st.tok(i - 1); j == i+1 && !st.toks[i].upper && roadWords[next.low] && (p.kind == tokNum || spokenNumberWord(p.low) || p.low == "on" || p.low == "off" || p.low == "at") {
		return true
	}
	if roadWords[st.toks[j-1].low] && directionWords[st.tok(i-1).low] {
		return true // "the nursery on Willow Lane": a street, even when not an address
	}
	return j == i+1 && (next.low == "knife" || next.low == "knives")
}

var companySuffixes = wordSet(`gmbh ltd limited plc ag bv inc llp sarl krankenkasse versicherung services solutions
hub partners`)

var insurerCues = wordSet(`insured insurance insurer insurers cover covered policy mutuelle krankenkasse
krankenversicherung`)

var placePrepositions = wordSet(`at from near past behind opposite outside`)

// stationAfter: "the eyewash station", "the nurses' station": a place.
func stationAfter(st *scanState, j int) bool {
	n := st.tok(j).low
	return n == "station" || n == "stations"
}

// streetInDirections: a bare street name, with no house number, that
// locates a place ("the pay and display on Church Street", "the bus
// broke down on Castle Street", "the care home on Beech Road") is where
// the place is, not someone's address, unless the caller says they live
// there or a town or postcode follows (n is the token after the street).
func streetInDirections(st *scanState, i, n int) bool {
	if !directionWords[st.tok(i-1).low] {
		return false
	}
	placed := false
	for k := i - 2; k >= 0 && k >= i-5; k-- {
		if residenceVerbs[st.toks[k].low] {
			return false
		}
		placed = placed || placedThings[baseName(st.toks[k])] || placeHeads[st.toks[k].low]
	}
	if !placed {
		return false
	}
	if t := st.tok(n); t.text == "," && (st.tok(n+1).upper || st.tok(n+1).kind == tokNum) || t.kind == tokNum {
		return false // "on Cedar Lane, Ormskirk, L39 4TR"
	}
	return true
}

var directionWords = wordSet(`on off along down up past near onto opposite behind`)

// placedThings are what a street locates in a call: a home, a shop, a car
// park, a bus.
var placedThings = wordSet(`home pharmacy chemist surgery practice clinic centre center hospital nursery school
shop storey display parking park car bus roadworks optician opticians vet dentist hotel flat one office
boots branch site hub library church station garage pub cafe café supermarket tesco lidl aldi family
unit lodge anywhere somewhere`)

var residenceVerbs = wordSet(`live lives lived living moved move staying stay stays address resident based`)

// namedCorner: "the corner of Elm Street and Main": some word of the
// corner is a street's; "the corner of the table, she cried and" is
// furniture.
func namedCorner(st *scanState, a, b int) bool {
	for k := a; k < b; k++ {
		if t := st.toks[k]; t.upper && t.low != "i" || streetSuffixes[t.low] {
			return true
		}
	}
	return false
}

// switchVerbs come before "from" and a medicine given up ("change from
// micro gyno to the mini pill").
var switchVerbs = wordSet(`change changed changing switch switched switching`)

// findNoTemperature: "no temperature no", "she's got no temp": a
// temperature said to be absent is still the symptom asked about, as a
// negated mention is under the convention; alone, "temperature" may be a
// room's.
func findNoTemperature(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if w := toks[i].low; (w == "temperature" || w == "temp") && toks[i-1].low == "no" {
			st.add(TypeMedicalCondition, toks[i].s, toks[i].e, 0.6, prioMedical)
		}
	}
}

// titledName: "Miss Tia Rowland": a word after a title and before a
// capitalised surname is a given name, even one that spells a condition
// ("TIA" in capitals stays the attack).
func titledName(st *scanState, i, j int) bool {
	if j != i+1 || !st.toks[i].upper || strings.ToUpper(st.toks[i].text) == st.toks[i].text {
		return false
	}
	return titles[strings.TrimSuffix(st.tok(i-1).low, ".")] && st.tok(j).upper
}

// namedPatient: "methotrexate weekly for Fiona Laverty", "my inhalers for
// ian mcallister": after "for", a given name opens the patient's name,
// not a condition.
func namedPatient(st *scanState, s, e int) bool {
	t := st.toks[s]
	return isFirstName(t) && !medWord(baseName(t)) && (t.upper || e > s+1 && isLastName(st.toks[s+1]))
}

// surnameAfterGiven: "kathleen murphy over in fourteen": a surname after a
// given name is the caller's name, not the first syllable of a drug.
func surnameAfterGiven(toks []token, i int) bool {
	return i > 0 && isFirstName(toks[i-1]) && isLastName(toks[i]) && !medWord(toks[i].low)
}

// practiceByName: "doctor hennessys surgery", "Patel's surgery", "the
// surgerys closed": a surgery owned by a doctor or a capitalised surname,
// or written "surgerys" (speech-to-text's "surgery's"), is the GP
// practice; "i need moes surgery" is Mohs surgery as speech-to-text
// hears it.
func practiceByName(st *scanState, c candidate, i, j int) bool {
	if c.typ != TypeProcedure {
		return false
	}
	last := st.toks[j-1].low
	if last == "surgerys" {
		return true
	}
	if last != "surgery" || j-i > 2 {
		return false
	}
	o := st.tok(j - 2)
	stem := strings.TrimSuffix(strings.TrimSuffix(o.low, "'s"), "s")
	if stem == o.low {
		return false
	}
	return st.tok(j-3).low == "doctor" || st.tok(j-3).low == "dr" || o.upper && lastNames[stem]
}

// explicitPhoneCue: a word that names a phone, not just a number, stands
// before the run ("my mobile is", "ring me on").
func explicitPhoneCue(st *scanState, r *digitRun) bool {
	return containsAny(st.windowBefore(r.s, 6), explicitPhoneCues)
}

var explicitPhoneCues = []string{"phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "ring", "text", "landline", "whatsapp", "fax", "dial", "extension"}

// findSpokenCodiceFiscale: a codice fiscale read out letter by letter
// ("c e s p i l six three r two six b five three five j", which
// normalize turns into letters and digit runs) is joined and checked like
// a written one; the check character makes a chance match rare.
func findSpokenCodiceFiscale(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		if !spellingLetter(toks[i]) {
			continue
		}
		var b strings.Builder
		k := i
		for k < len(toks) && b.Len() < 16 && !toks[k].nl && (spellingLetter(toks[k]) || toks[k].kind == tokNum) {
			b.WriteString(toks[k].low)
			k++
		}
		if id := b.String(); len(id) == 16 && cfRe.MatchString(id) && validCodiceFiscale(id) {
			st.add(TypeNationalID, toks[i].s, toks[k-1].e, 0.95, prioNationalID)
			i = k - 1
		}
	}
}

// shortDayMonth: five digits read as a day and a month, one of them a
// single digit, and a two-digit year ("26199" is 26/1/99, "12467"
// 12/4/67); either reading makes it a date.
func shortDayMonth(d string) bool {
	ok := func(day, month int) bool { return day >= 1 && day <= 31 && month >= 1 && month <= 12 }
	return ok(atoiN(d[0:2]), atoiN(d[2:3])) || ok(atoiN(d[0:1]), atoiN(d[1:3])) || ok(atoiN(d[1:3]), atoiN(d[0:1]))
}
