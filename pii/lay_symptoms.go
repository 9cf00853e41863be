package pii

import "strings"

// Symptoms said in everyday words that name no condition: a joint that
// gives way, a room that spins, skin hot to the touch, a run of falls.
// Each needs its own frame, so that "give way at the junction" and "the
// room was spinning with music" stay out.

// findLaySymptoms runs the frames below.
func findLaySymptoms(st *scanState) {
	findDischarge(st)
	findGivesWay(st)
	findRoomSpins(st)
	findToTheTouch(st)
	findFalls(st)
	findSwollen(st)
	findOxygen(st)
	findFallingAsleep(st)
	findNotRecognising(st)
	findHadACold(st)
	findBareForms(st)
	findEarRinging(st)
	findJointNoises(st)
	findPersonColour(st)
	findCannot(st)
	findNotThere(st)
	findBroughtBackUp(st)
	findLooTrips(st)
	findDayLongTests(st)
	findRefusing(st)
	findWeightGain(st)
	findLowMood(st)
	findNotWantingToBeHere(st)
	findLeaks(st)
	findHandWashing(st)
	findGrindingTeeth(st)
	findDrinkProblem(st)
	findEnsure(st)
	findSwallowedHazards(st)
	findBackOut(st)
	findNightNurse(st)
	findNotRight(st)
	findStayingIn(st)
	findGoingOften(st)
	findSpendingLikeWater(st)
	findLaySymptoms17(st)
}

// findGivesWay: "my knee gives way on the stairs", "it just gives way":
// a joint that buckles. A body part must be named before it in the line;
// "give way to the bus" and "the give way sign" are traffic.
func findGivesWay(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if w := toks[i].low; w != "gives" && w != "gave" && w != "giving" && w != "give" || toks[i+1].low != "way" {
			continue
		}
		if n := st.tok(i + 2).low; n == "to" || n == "sign" || n == "signs" || n == "at" && st.tok(i+4).low == "junction" {
			continue
		}
		s, body := i, false
		for k := i - 1; k >= 0 && k >= i-12; k-- {
			if bodyParts[baseName(toks[k])] {
				body = true
				if k >= i-3 {
					s = k // "my knee gives way", "her knee just gives way"
					if k > 0 && possessives[toks[k-1].low] {
						s = k - 1
					}
				}
				break
			}
		}
		if body {
			st.add(TypeMedicalCondition, toks[s].s, toks[i+1].e, 0.6, prioMedical)
		}
	}
}

// spinVerbs say a room turns: "the room spins", "the whole room starts
// spinning", "the room's going round".
var spinVerbs = wordSet(`spins spin spinning spun`)

// findRoomSpins: a room that spins is vertigo, unless the spinning is a
// dance or music ("the room was spinning with the music" has no person
// who feels it; those are left when "with" follows).
func findRoomSpins(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		if b := baseName(toks[i]); b != "room" {
			continue
		}
		k := i + 1
		for k < len(toks) && k <= i+3 && (toks[k].low == "starts" || toks[k].low == "started" || toks[k].low == "is" || toks[k].low == "was" || toks[k].low == "keeps" || toks[k].low == "kept" || toks[k].low == "just" || toks[k].low == "goes" || toks[k].low == "going" || toks[k].low == "went" || hedgeOf(toks, k)) {
			k++
		}
		end := -1
		switch {
		case k < len(toks) && spinVerbs[toks[k].low]:
			end = k
		case k < len(toks) && toks[k].low == "round" && k > i+1 && (toks[k-1].low == "goes" || toks[k-1].low == "going" || toks[k-1].low == "went"):
			end = k
		}
		if end < 0 || st.tok(end+1).low == "with" {
			continue
		}
		s := i
		if i > 0 && toks[i-1].low == "whole" {
			s = i - 1
		}
		if s > 0 && toks[s-1].low == "the" {
			s--
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[end].e, 0.6, prioMedical)
	}
}

// touchStates before "to touch": "it's hot to touch", "warm to the
// touch", "tender to touch".
var touchStates = wordSet(`hot warm tender sore painful`)

func findToTheTouch(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if !touchStates[toks[i].low] || toks[i+1].low != "to" {
			continue
		}
		e := i + 2
		if toks[e].low == "the" && e+1 < len(toks) {
			e++
		}
		if toks[e].low == "touch" {
			st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
		}
	}
}

// findFalls: "she's had three falls in a fortnight", "two falls this
// week": a count of falls someone had ("Niagara Falls" is capitalised,
// and "the price falls" has no count).
func findFalls(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if toks[i].text != "falls" {
			continue
		}
		s := i - 1
		switch p := toks[s].low; {
		case toks[s].kind == tokNum || spokenNumberWord(p) || p == "few" || p == "several" || p == "many" || p == "lots":
			if p == "few" && s > 0 && toks[s-1].low == "a" {
				s--
			}
		case p == "of" && s > 1 && toks[s-1].low == "couple" && toks[s-2].low == "a":
			s -= 2
		default:
			continue
		}
		for k := s - 1; k >= 0 && k >= s-3; k-- {
			if w := toks[k].low; w == "had" || w == "having" || w == "has" || w == "she's" || w == "he's" || w == "shes" || w == "hes" {
				st.add(TypeMedicalCondition, toks[s].s, toks[i].e, 0.6, prioMedical)
				break
			}
		}
	}
}

// swollenBefore are the words a predicative "swollen" follows: "it's
// still hot and swollen", "it's gone really swollen", "its all swollen".
var swollenBefore = wordSet(`it's its is are was were gone all really very so massively quite bit and looks
	look feels feel still more getting got been proper dead super`)

// findSwollen: "swollen" said of a body ("it's massively swollen", "her
// feet have gone really swollen"), not before a thing it qualifies ("a
// swollen river", "a swollen budget"; a body part after it is the
// lexicon's compound).
func findSwollen(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if toks[i].low != "swollen" || !swollenBefore[toks[i-1].low] {
			continue
		}
		if n := st.tok(i + 1); n.kind == tokWord && !stopWords[n.low] && !bodyParts[baseName(n)] && n.low != "up" && n.low != "again" && n.low != "now" && n.low != "today" && n.low != "since" {
			continue
		}
		s := i
		if intensifiers[toks[i-1].low] || toks[i-1].low == "massively" || toks[i-1].low == "all" {
			s = i - 1
		}
		if c := st.tok(s - 1).low; c == "is" || c == "are" || c == "was" || c == "were" {
			subj := baseName(st.tok(s - 2))
			if n, _ := wordnetSense(subj); thingSenses[n] && !bodyParts[subj] {
				continue // "the river is so swollen after the storm"
			}
		}
		e := i
		if st.tok(i+1).low == "up" {
			e = i + 1
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[e].e, 0.6, prioMedical)
	}
}

// oxygenUsers before "oxygen" make it a treatment someone has: "he's on
// oxygen", "uses oxygen at home", "Mum's oxygen", "we've started oxygen".
var oxygenUsers = wordSet(`on uses use using used started starting needs need his her my their your our home
	the some of about`)

// oxygenThings after "oxygen" make it the supplier's or a measurement:
// "the oxygen company", "oxygen levels", "oxygen sats".
var oxygenThings = wordSet(`company companies man men supplier suppliers firm people levels level sats
	saturation saturations concentrator concentrators`)

// findOxygen: oxygen given as a treatment is a medicine.
func findOxygen(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if toks[i].low != "oxygen" || oxygenThings[st.tok(i+1).low] {
			continue
		}
		p := toks[i-1]
		if !oxygenUsers[p.low] && !(len(p.low) > 2 && p.low[len(p.low)-2:] == "'s" && relationCues[baseName(p)]) {
			continue
		}
		s := i
		if p.low == "home" {
			s = i - 1
		}
		st.add(TypeMedication, toks[s].s, toks[i].e, 0.6, prioMedical+2)
	}
}

// asleepPlaces after "falling asleep at": where falling asleep is a
// symptom, not a bedtime ("falling asleep at the table", "at work").
var asleepPlaces = wordSet(`work school college the table his her my desk wheel meals mealtimes dinner lunch
	tea breakfast`)

// findFallingAsleep: "she's falling asleep at the table", "I keep falling
// asleep at work"; "falling asleep in front of the cricket" is an old
// man's afternoon.
func findFallingAsleep(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if toks[i].low != "falling" && toks[i].low != "fell" || toks[i+1].low != "asleep" || toks[i+2].low != "at" || !asleepPlaces[toks[i+3].low] {
			continue
		}
		e := i + 3
		if (toks[e].low == "the" || possessives[toks[e].low]) && e+1 < len(toks) && asleepPlaces[toks[e+1].low] {
			e++
		} else if toks[e].low == "the" || possessives[toks[e].low] {
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
	}
}

// findNotRecognising: "he's stopped recognising me", "she doesn't
// recognise her own house": a person who no longer knows the familiar.
func findNotRecognising(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		w, p := toks[i].low, toks[i-1].low
		ok := w == "recognising" && (p == "stopped" || p == "not" || p == "isn't" || p == "isnt") ||
			w == "recognise" && (p == "doesn't" || p == "doesnt" || p == "didn't" || p == "didnt" || p == "can't" || p == "cant")
		if !ok || !personSubject(st, i-2) {
			continue // "the till doesn't recognise my staff card"
		}
		e := i + 1
		switch n := toks[e].low; {
		case n == "me" || n == "him" || n == "her" || n == "them" || n == "us" || n == "people" || n == "anyone" || n == "faces":
			if n == "her" && e+1 < len(toks) && (toks[e+1].low == "own" || relationCues[toks[e+1].low]) {
				e++
				if toks[e].low == "own" && e+1 < len(toks) {
					e++
				}
			}
		case possessives[n] && e+1 < len(toks):
			e++
			if toks[e].low == "own" && e+1 < len(toks) {
				e++
			}
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[i-1].s, toks[e].e, 0.6, prioMedical)
	}
}

// personSubject: the words ending at k, past an adverb or two, are a
// person and its verb ("he's", "she has", "Mum", "she's now").
func personSubject(st *scanState, k int) bool {
	for n := 0; n < 2 && k >= 0 && (st.toks[k].low == "now" || st.toks[k].low == "just" || st.toks[k].low == "already" || st.toks[k].low == "completely"); n++ {
		k--
	}
	if k < 0 {
		return false
	}
	if personCopulas[st.toks[k].low] {
		return true
	}
	if w := st.toks[k].low; w == "has" || w == "is" || w == "was" {
		return personBefore(st, k)
	}
	return personBefore(st, k+1)
}

// coldAfter: what may follow "a cold" that is an illness ("had a cold all
// week", "got a cold and a sore throat"); a noun after it makes it a cold
// snap, a cold call or a cold sore (the lexicon's).
var coldAfter = wordSet(`and all for since so but at last this that on which now again too or as going coming its it's recently
	really should would could will can might must is was has had he she they we i you my his her our their in with
	do does did`)

var coldKinds = wordSet(`bad heavy stinking nasty horrible streaming chesty head`)

// findHadACold: "hes had a cold all week", "since i had a cold".
func findHadACold(st *scanState) {
	toks := st.toks
	for i := 2; i < len(toks); i++ {
		if toks[i].low != "cold" {
			continue
		}
		s := i - 1
		if coldKinds[toks[s].low] && s > 0 {
			s--
		}
		v := s - 1 // the verb: "has a cold", "got a bit of a cold"
		if v >= 3 && toks[v].low == "of" && toks[v-1].low == "bit" && toks[v-2].low == "a" {
			v -= 3
		}
		if toks[s].low != "a" || v < 0 || !haveVerbs[toks[v].low] && toks[v].low != "caught" && toks[v].low != "getting" {
			continue
		}
		if n := st.tok(i + 1); n.kind == tokWord && !coldAfter[n.low] {
			continue
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[i].e, 0.6, prioMedical)
	}
}

// bareForms are the medicine forms a caller names alone for their own
// medicine: "till she's on drops", "do they need drops first", "can I
// swap to the gel", "the gel is helping".
var bareForms = wordSet(`drops gel cream spray patches patch inhaler ointment`)

// formEnds may follow a bare form named as the medicine: the clause ends.
var formEnds = wordSet(`first and or for now again instead then too as`)

func findBareForms(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if !bareForms[toks[i].low] {
			continue
		}
		n := st.tok(i + 1)
		end := i+1 >= len(toks) || n.kind == tokPunct || formEnds[n.low]
		p, p2 := toks[i-1].low, st.tok(i-2).low
		switch {
		case p == "on" && end && (personCopulas[p2] || p2 == "be" || p2 == "been" || p2 == "is" || p2 == "was" || p2 == "she's" || p2 == "till"):
		case (p == "need" || p == "needs") && end:
		case p == "the" && (p2 == "to" && (st.tok(i-3).low == "swap" || st.tok(i-3).low == "switch" || st.tok(i-3).low == "change" || st.tok(i-3).low == "go")):
		case p == "the" && (n.low == "is" || n.low == "isn't" || n.low == "isnt") && (st.tok(i+2).low == "helping" || st.tok(i+2).low == "working" || st.tok(i+2).low == "stinging" || st.tok(i+2).low == "burning"):
		default:
			continue
		}
		st.add(TypeMedication, toks[i].s, toks[i].e, 0.6, prioMedical+1)
	}
}

// findEarRinging: "a ringing in my left ear", "ringing in his ears", and
// "the ringing" when the line speaks of ears or tinnitus; a phone's
// ringing has no ear.
func findEarRinging(st *scanState) {
	toks := st.toks
	earLine := false
	for _, t := range toks {
		if b := baseName(t); b == "ear" || b == "ears" || b == "tinnitus" || b == "hearing" {
			earLine = true
		}
	}
	if !earLine {
		return
	}
	for i := 0; i < len(toks); i++ {
		if toks[i].low != "ringing" {
			continue
		}
		e := i
		if st.tok(i+1).low == "in" {
			k := i + 2
			if possessives[st.tok(k).low] || st.tok(k).low == "the" || st.tok(k).low == "both" {
				k++
			}
			if st.tok(k).low == "left" || st.tok(k).low == "right" {
				k++
			}
			if b := baseName(st.tok(k)); b == "ear" || b == "ears" {
				e = k
			}
		}
		p := st.tok(i - 1).low
		if e == i && p != "the" && p != "this" && p != "a" {
			continue
		}
		s := i
		if p == "a" || p == "the" || p == "this" {
			s = i - 1
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[e].e, 0.6, prioMedical)
	}
}

// jointNoises: what a joint does when it is wearing or torn.
var jointNoises = wordSet(`grinding clicking locking crunching creaking catching clunking`)

var joints = wordSet(`hip hips knee knees shoulder shoulders jaw elbow elbows ankle ankles wrist wrists neck
	back joint joints`)

// findJointNoises: "my hip its grinding when i walk", "his knee keeps
// locking", "my jaw is clicking": a joint named, then its noise within
// three words.
func findJointNoises(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if !jointNoises[toks[i].low] {
			continue
		}
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			if joints[baseName(toks[k])] {
				st.add(TypeMedicalCondition, toks[i].s, toks[i].e, 0.6, prioMedical)
				break
			}
			if w := toks[k].low; !(w == "its" || w == "it's" || w == "is" || w == "keeps" || w == "kept" || w == "been" || w == "has" || w == "started" || w == "always" || w == "really" || w == "and" || strings.HasSuffix(w, "'s")) {
				break
			}
		}
	}
}

// personColours are what a person, not a body part, turns when unwell.
var personColours = wordSet(`yellow blue grey gray pale white purple`)

// findPersonColour: "she's gone a bit yellow" (a newborn), "he's turned
// grey", "she looks really pale": a person's colour after "gone",
// "turned" or "looks" ("the sky's gone grey" has no person).
func findPersonColour(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		v := toks[i].low
		if v != "gone" && v != "turned" && v != "going" && v != "turning" && v != "looks" && v != "looking" {
			continue
		}
		p := toks[i-1].low
		if !personCopulas[p] && !(strings.HasSuffix(p, "'s") && relationCues[baseName(toks[i-1])]) && !(p == "been" && i > 1 && personCopulas[toks[i-2].low]) {
			continue
		}
		m := pastColourFillers(toks, i+1)
		if personColours[toks[m].low] {
			st.add(TypeMedicalCondition, toks[i].s, toks[m].e, 0.6, prioMedical)
		}
	}
}

// findDischarge: "a bit of discharge", "some discharge from her ear", "a
// funny discharge", "I've got a discharge": the body's, not the hospital's
// ("the discharge letter", "we've had a discharge for Mr Ahmed").
func findDischarge(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		if toks[i].low != "discharge" {
			continue
		}
		fromBody := st.tok(i+1).low == "from" && (possessives[st.tok(i+2).low] || st.tok(i+2).low == "the") && bodyParts[baseName(st.tok(i+3))]
		if dischargeAdmin[st.tok(i+1).low] && !fromBody {
			continue
		}
		s := -1
		p, p2, p3 := toks[i-1].low, st.tok(i-2).low, st.tok(i-3).low
		switch {
		case p == "of" && (p2 == "bit" && p3 == "a" || p2 == "lot" || p2 == "loads"):
			s = i - 3
			if p2 == "loads" {
				s = i - 2
			}
		case p == "some" || p == "any":
			s = i - 1
		case dischargeKinds[p] || bodyParts[baseName(toks[i-1])] || organs[baseName(toks[i-1])]:
			s = i - 1
			if p2 == "a" || p2 == "some" || p2 == "the" {
				s = i - 2
			}
		case (p == "a" || p == "an") && (p2 == "got" || p2 == "noticed" || p2 == "having" || p2 == "getting" || p2 == "there's" || p2 == "theres" || p2 == "with"):
			s = i - 1
		}
		e := i
		if fromBody {
			if s < 0 {
				s = i
			}
			e = i + 3
		}
		if s >= 0 {
			st.add(TypeMedicalCondition, toks[s].s, toks[e].e, 0.65, prioMedical)
		}
	}
}

// dischargeAdmin after "discharge" make it the hospital's.
var dischargeAdmin = wordSet(`letter letters summary summaries lounge team teams hub prescription prescriptions
	sheet date planning planner nurse nurses coordinator meds medication papers paperwork form forms process notes
	for from`)

// dischargeKinds are what a discharge is like.
var dischargeKinds = wordSet(`funny green yellow smelly white brown thick watery bloody strange weird clear
	creamy frothy grey gray pink smelly sticky heavy unusual`)

// What a body can no longer do is a symptom, said in everyday words: "I
// can't get me breath", "he cant find his words", "she can't get up the
// stairs", "I can't hear the telly". Each verb takes only the objects
// that make it a body's failing, so "I can't hear you" on a bad line,
// "can't see the point" and "can't find the letter" stay out. The
// subject must be a person: "you can't park there" is a rule.

// cannotWords open the frame.
var cannotWords = wordSet(`can't cant cannot couldn't couldnt`)

// cannotSubjects may stand before the negation: a person, or "and", "just"
// or "still" carrying one over ("she's dizzy and can't stand up").
var cannotSubjects = wordSet(`i he she i've ive and just still now even literally also really who sometimes
	suddenly`)

// cannotPhrases: for each verb, the continuations that make it a symptom,
// one per string. A word is matched as written; "POSS" is any possessive
// (or "me", as callers say "me breath"), "END" the clause's end
// (punctuation, the line's end, or a word that only qualifies: "at all",
// "anymore", "properly"). What a body cannot get up, into or onto (the
// stairs, out of bed, its shoes on) is left out: the development writers
// mark it one time in two, as a limit as often as a symptom.
var cannotPhrases = map[string][]string{
	"hear":        {"the telly", "the tv", "a thing", "anything", "out of POSS ear", "out of POSS ears", "out of POSS left ear", "out of POSS right ear", "properly", "people", "what people"},
	"see":         {"properly", "clearly", "the board", "the whiteboard", "out of POSS eye", "out of POSS left eye", "out of POSS right eye", "a thing", "to read", "straight"},
	"find":        {"POSS words", "the right word", "the right words", "the words"},
	"get":         {"POSS breath", "to sleep", "back to sleep", "back off", "off to sleep", "POSS words out", "comfortable"},
	"catch":       {"POSS breath"},
	"breathe":     {"END", "properly", "through POSS nose", "lying down"},
	"switch":      {"off END", "off at night"},
	"stop":        {"crying", "shaking", "scratching", "coughing", "itching", "checking", "sneezing", "shivering", "being sick", "weeing", "sweating"},
	"grip":        {"END", "anything", "things", "the kettle", "a cup", "a pen"},
	"climb":       {"the stairs", "stairs"},
	"pass":        {"water", "urine", "wind", "a stool"},
	"wee":         {"END"},
	"pee":         {"END"},
	"eat":         {"END", "anything", "solids", "much"},
	"face":        {"food", "eating", "anything", "people", "going out", "getting out"},
	"sit":         {"still", "for long"},
	"concentrate": {"END", "on anything"},
	"focus":       {"END", "on anything", "POSS eyes"},
	"remember":    {"anything", "things", "names", "faces", "what day", "the last"},
	"settle":      {"END"},
}

// cannotEnds end a clause after a verb, or only qualify it.
var cannotEnds = wordSet(`and at all anymore any more properly now since for without when because or but so
	very much today again`)

// cannotPhraseList is cannotPhrases split into words once.
var cannotPhraseList = func() map[string][][]string {
	m := map[string][][]string{}
	for v, ps := range cannotPhrases {
		for _, p := range ps {
			m[v] = append(m[v], strings.Fields(p))
		}
	}
	return m
}()

// cannotMatch returns the token index after phrase p matched at k, or -1.
func cannotMatch(st *scanState, p []string, k int) int {
	for _, w := range p {
		t := st.tok(k)
		switch w {
		case "END":
			if k >= len(st.toks) || t.kind == tokPunct || t.nl || cannotEnds[t.low] {
				return k
			}
			return -1
		case "POSS":
			if !possessives[t.low] && t.low != "me" {
				return -1
			}
		default:
			if t.low != w || k > 0 && k < len(st.toks) && t.nl {
				return -1
			}
		}
		k++
	}
	return k
}

// findCannot adds what a person cannot do, from the negation to the end
// of the phrase.
func findCannot(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if !cannotWords[toks[i].low] {
			continue
		}
		if p := toks[i-1]; !cannotSubjects[p.low] && !personBefore(st, i) || p.low == "you" || p.low == "we" || p.low == "they" {
			continue
		}
		k := i + 1
		if toks[k].low == "even" || toks[k].low == "really" || toks[k].low == "seem" && st.tok(k+1).low == "to" {
			k++ // "i cant even get me shoes on", "she can't seem to settle"
			if toks[k-1].low == "seem" {
				k++
			}
		}
		best := -1
		for _, p := range cannotPhraseList[st.tok(k).low] {
			if e := cannotMatch(st, p, k+1); e > best {
				best = e
			}
		}
		if best < 0 {
			continue
		}
		if best == k+1 && !(k+1 < len(toks) && toks[k+1].kind == tokWord && !cannotEnds[toks[k+1].low]) {
			best = k + 1 // an END phrase: the verb is the mention
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[best-1].e, 0.6, prioMedical)
		i = best - 1
	}
}

// findNotThere: "she keeps seeing people that aren't there", "he's
// talking to people who arent there": what someone sees, hears or talks
// to that is not there is a hallucination.
func findNotThere(st *scanState) {
	toks := st.toks
	for i := 0; i+4 < len(toks); i++ {
		k := i + 1
		switch toks[i].low {
		case "seeing", "sees", "saw", "hearing", "hears", "heard":
		case "talking", "talks", "talked", "speaking":
			if toks[k].low != "to" && toks[k].low != "about" {
				continue
			}
			k++
		default:
			continue
		}
		if !notThereThings[toks[k].low] {
			continue
		}
		k++
		if w := st.tok(k).low; w == "in" && (st.tok(k+1).low == "the" || possessives[st.tok(k+1).low]) {
			k += 3 // "seeing people in the room that aren't there"
		}
		if w := st.tok(k).low; w != "that" && w != "who" && w != "which" {
			continue
		}
		k++
		neg := st.tok(k).low
		e := k + 1
		if neg == "are" || neg == "is" || neg == "were" || neg == "was" {
			if st.tok(k+1).low != "not" {
				continue
			}
			e++
		} else if neg != "aren't" && neg != "arent" && neg != "isn't" && neg != "isnt" && neg != "weren't" && neg != "werent" && neg != "wasn't" && neg != "wasnt" {
			continue
		}
		if end := st.tok(e).low; end == "there" || end == "real" {
			st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.65, prioMedical)
			i = e
		}
	}
}

var notThereThings = wordSet(`people person things children kids animals cats dogs insects spiders bugs men
	man woman women faces voices someone somebody`)

// findBroughtBackUp: "he brings it all back up", "she's bringing her milk
// back up", "threw it all up": food that comes back is vomiting.
func findBroughtBackUp(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		w := toks[i].low
		k := i + 1
		switch w {
		case "bring", "brings", "bringing", "brought":
		case "threw", "throw", "throws", "throwing", "sicked", "sicking":
		default:
			continue
		}
		if possessives[toks[k].low] {
			k++
		}
		if !backUpObjects[toks[k].low] {
			continue
		}
		k++
		if st.tok(k).low == "all" {
			k++
		}
		if w[0] == 'b' {
			if st.tok(k).low != "back" {
				continue
			}
			k++
		}
		if st.tok(k).low == "up" && !broughtUpTo[st.tok(k+1).low] {
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.65, prioMedical)
			i = k
		}
	}
}

// broughtUpTo: a thing brought back up to a place is carried there ("can
// I bring it back up to the desk later").
var broughtUpTo = wordSet(`to here there at for later tomorrow with`)

var backUpObjects = wordSet(`it everything food milk feeds feed bottle bottles dinner lunch breakfast tea meals
	water drinks anything tablets`)

// findLooTrips: "up and down to the loo all night", "running to the
// toilet", "I havent been to the loo for five days": how often a body
// needs the toilet.
func findLooTrips(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		s, k := i, -1
		switch w := toks[i].low; {
		case w == "up" && toks[i+1].low == "and" && toks[i+2].low == "down" && st.tok(i+3).low == "to":
			k = i + 4
		case (w == "running" || w == "rushing" || w == "dashing" || w == "racing") && toks[i+1].low == "to":
			k = i + 2
		case (w == "haven't" || w == "havent" || w == "hasn't" || w == "hasnt") && toks[i+1].low == "been" && toks[i+2].low == "to":
			k = i + 3
		case w == "in" && toks[i+1].low == "and" && toks[i+2].low == "out" && st.tok(i+3).low == "of":
			k = i + 4
		case w == "back" && toks[i+1].low == "and" && toks[i+2].low == "forth" && st.tok(i+3).low == "to":
			k = i + 4 // "back and forth to the loo all night"
		}
		if k < 0 || st.tok(k).low != "the" || !looWords[st.tok(k+1).low] {
			continue
		}
		e := k + 1
		if toks[i].low == "haven't" || toks[i].low == "havent" || toks[i].low == "hasn't" || toks[i].low == "hasnt" {
			// "for five days": without a time it is a visit not made
			if st.tok(e+1).low != "for" && st.tok(e+1).low != "since" {
				continue
			}
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[e].e, 0.6, prioMedical)
		i = e
	}
}

var looWords = wordSet(`loo toilet toilets bathroom lav`)

// findDayLongTests: "a twenty four hour tape", "the 24 hour blood
// pressure monitor", "a twenty-four hour urine collection": a test that
// records a body for a day.
func findDayLongTests(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		k := i
		switch {
		case toks[i].low == "24" || toks[i].low == "twenty-four" || toks[i].low == "48" || toks[i].low == "forty-eight":
			k = i + 1
		case (toks[i].low == "twenty" && toks[i+1].low == "four" || toks[i].low == "forty" && toks[i+1].low == "eight"):
			k = i + 2
		case toks[i].low == "24hr" || toks[i].low == "24h":
			k = i + 1
		default:
			continue
		}
		if w := st.tok(k).low; w == "hour" || w == "hr" || w == "-hour" {
			k++
		} else if toks[k-1].low != "24hr" && toks[k-1].low != "24h" {
			continue
		}
		e := k
		for e < len(toks) && e < k+3 && dayTestWords[toks[e].low] && !toks[e].nl {
			e++
		}
		if e > k && dayTestHeads[toks[e-1].low] {
			st.add(TypeProcedure, toks[i].s, toks[e-1].e, 0.65, prioMedical+1)
			i = e - 1
		}
	}
}

var dayTestWords = wordSet(`tape tapes monitor monitoring ecg ekg holter blood pressure bp urine collection
	heart trace recorder ambulatory ph study`)

var dayTestHeads = wordSet(`tape tapes monitor monitoring ecg ekg holter collection trace recorder study`)

// findRefusing: "he's refusing his food", "refusing to drink", "she's
// pocketing her food", "grinding his teeth all night": what a body does
// with food or teeth when it is unwell. (A frame, not lexicon phrases: a
// phrase's first word is a tagger feature, and "refusing an ambulance" is
// no symptom.)
func findRefusing(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		w := toks[i].low
		if w != "refusing" && w != "refuses" && w != "refused" && w != "pocketing" && w != "grinding" && w != "grinds" {
			continue
		}
		k := i + 1
		if possessives[toks[k].low] {
			k++
		}
		n := st.tok(k).low
		switch {
		case w == "grinding" || w == "grinds":
			if n != "teeth" || k == i+1 {
				continue
			}
		case w == "pocketing":
			if n != "food" {
				continue
			}
		case n == "to" && k == i+1:
			if v := st.tok(k + 1).low; v != "eat" && v != "drink" && v != "swallow" {
				continue
			}
			k++
		case !refusedFood[n]:
			continue
		}
		if st.tok(k+1).low == "and" && (st.tok(k+2).low == "drink" || st.tok(k+2).low == "fluids") {
			k += 2 // "refusing food and drink"
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
		i = k
	}
}

var refusedFood = wordSet(`food meals fluids drinks bottle bottles feeds feed breakfast lunch dinner`)

// findWeightGain: "I've put on half a stone", "she's put on three kilos
// in two days", "he's put on a lot of weight", "I've lost half a stone
// again": weight a body gained or lost.
// "put on a coat" and "put on the list" weigh nothing.
func findWeightGain(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		w := toks[i].low
		if w != "put" && w != "gained" && w != "lost" && w != "losing" || w == "put" && toks[i+1].low != "on" {
			continue
		}
		k := i + 1
		if w == "put" {
			k++
		}
		// the amount: "a", "half a", "like a", "a lot of", "loads of", a number
		for n := 0; n < 3 && k < len(toks); n++ {
			w := toks[k].low
			if w == "a" || w == "half" || w == "like" || w == "lot" || w == "loads" || w == "of" || w == "so" || w == "much" || w == "about" || w == "nearly" || w == "over" || toks[k].kind == tokNum || spokenNumberWord(w) {
				k++
				continue
			}
			break
		}
		if k == i+2 && w == "put" || k >= len(toks) || !weightUnits[toks[k].low] {
			continue
		}
		if (w == "lost" || w == "losing") && (k == i+1 || toks[k].low == "weight") {
			continue // "lost weight" is the lexicon's; an amount is this frame's
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
		i = k
	}
}

var weightUnits = wordSet(`weight stone stones pounds pound lbs kilos kilo kg kgs`)

// findLowMood: "I'm really low", "she's been so down lately", "feeling
// flat all the time": a person's mood. "The battery's low", "I'm down
// at the shops" and "low on credit" are not a person's, or go on to a
// place or a thing.
func findLowMood(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		w := toks[i].low
		if w != "low" && w != "down" && w != "flat" {
			continue
		}
		k := i - 1
		if lowMoodGrades[toks[k].low] && k > 0 {
			k--
		}
		if toks[k].low == "bit" && k > 1 && toks[k-1].low == "a" {
			k -= 2
		}
		p := toks[k].low
		if !personCopulas[p] && p != "feeling" && p != "feel" && p != "felt" && p != "feels" && !(p == "been" && k > 0 && (personCopulas[toks[k-1].low] || toks[k-1].low == "i've" || toks[k-1].low == "ive")) {
			continue
		}
		if k == i-1 && (w == "down" || w == "flat") && p != "feeling" && p != "feel" && p != "felt" && p != "feels" {
			continue // "he's down", "it's flat": ungraded, a place or a tyre
		}
		n := st.tok(i + 1)
		if i+1 < len(toks) && n.kind == tokWord && !n.nl && !lowMoodAfter[n.low] {
			continue
		}
		st.add(TypeMedicalCondition, toks[k+1].s, toks[i].e, 0.6, prioMedical)
	}
}

var lowMoodGrades = wordSet(`really so very quite pretty bit proper dead that too`)

// lowMoodAfter may follow a low mood: the clause's end or when it is.
var lowMoodAfter = wordSet(`lately recently and since all at the for again now today this these most
	but so or constantly`)

// findNotWantingToBeHere: "she's talking about not wanting to be here",
// "I dont want to be here anymore", "wanting to end it all", "he says
// we'd be better off without him": thoughts of suicide, said the way
// callers say them. "I don't want to be here at eight" is a time.
func findNotWantingToBeHere(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		w := toks[i].low
		switch {
		case (w == "want" || w == "wanting" || w == "wants") && toks[i+1].low == "to" && toks[i+2].low == "be" && st.tok(i+3).low == "here":
			neg := st.tok(i - 1).low
			if neg != "not" && neg != "don't" && neg != "dont" && neg != "doesn't" && neg != "doesnt" && neg != "didn't" && neg != "didnt" {
				continue
			}
			e := i + 4
			if n := st.tok(e).low; n == "anymore" || n == "any" && st.tok(e+1).low == "more" {
				if n == "any" {
					e++
				}
				e++
			} else if n != "" && st.tok(e).kind == tokWord && n != "and" && n != "but" {
				continue // "don't want to be here at eight"
			}
			st.add(TypeMedicalCondition, toks[i-1].s, toks[e-1].e, 0.65, prioMedical)
			i = e - 1
		case (w == "end" || w == "ending") && toks[i+1].low == "it" && (st.tok(i-1).low == "to" || w == "ending") && (st.tok(i+2).low == "all" || st.tok(i-2).low == "want" || st.tok(i-2).low == "wanting" || st.tok(i-2).low == "wants" || st.tok(i-2).low == "going"):
			s := i
			if st.tok(i-1).low == "to" {
				s = i - 2
			}
			e := i + 2
			if st.tok(i+2).low == "all" {
				e++
			}
			st.add(TypeMedicalCondition, toks[s].s, toks[e-1].e, 0.65, prioMedical)
			i = e - 1
		case w == "better" && toks[i+1].low == "off" && toks[i+2].low == "without" && (st.tok(i+3).low == "me" || st.tok(i+3).low == "him" || st.tok(i+3).low == "her" || st.tok(i+3).low == "them"):
			st.add(TypeMedicalCondition, toks[i].s, toks[i+3].e, 0.6, prioMedical)
			i += 3
		}
	}
}

// findLeaks: "I leak when I sneeze", "leaking a bit when I laugh": a
// bladder that leaks under strain.
func findLeaks(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if w := toks[i].low; w != "leak" && w != "leaks" && w != "leaking" && w != "leaked" {
			continue
		}
		k := i + 1
		if st.tok(k).low == "a" && (st.tok(k+1).low == "bit" || st.tok(k+1).low == "little") {
			k += 2
		}
		if st.tok(k).low != "when" && st.tok(k).low != "if" && st.tok(k).low != "every" {
			continue
		}
		m := k + 1
		if st.tok(m).low == "time" {
			m++
		}
		if p := st.tok(m).low; p == "i" || p == "she" || p == "he" || p == "they" {
			m++
		}
		if strainVerbs[st.tok(m).low] {
			st.add(TypeMedicalCondition, toks[i].s, toks[m].e, 0.6, prioMedical)
			i = m
		}
	}
}

var strainVerbs = wordSet(`sneeze sneezes sneezing cough coughs coughing laugh laughs laughing run runs running
	jump jumps jumping lift lifts lifting stand exercise`)

// findHandWashing: "she's washing her hands raw", "washing his hands till
// they bleed": hands washed past reason.
func findHandWashing(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if w := toks[i].low; w != "washing" && w != "washes" && w != "wash" || !possessives[toks[i+1].low] || toks[i+2].low != "hands" {
			continue
		}
		n := toks[i+3].low
		e := i + 3
		switch {
		case n == "raw":
		case (n == "till" || n == "until") && st.tok(i+4).low == "they":
			e = i + 5
			if st.tok(e).low == "bleed" || st.tok(e).low == "crack" || st.tok(e).low == "are" {
				if st.tok(e).low == "are" {
					e++
				}
			} else {
				continue
			}
		case n == "over" && st.tok(i+4).low == "and" && st.tok(i+5).low == "over":
			e = i + 5
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
		i = e
	}
}

// findEnsure: "the Ensure", "his Ensure drinks", "Ensure Plus": the
// nutrition drink; and a depot injection. The verb never follows "the" or a possessive, and is
// not capitalised mid-sentence.
func findEnsure(st *scanState) {
	toks := st.toks
	for i, t := range toks {
		if t.low == "depot" {
			// "his depot", "on the depot": a long-acting injection; "the
			// depot manager" and "at the Amazon depot" are a yard.
			p := st.tok(i - 1).low
			n := st.tok(i + 1).low
			if n == "injection" || n == "injections" || n == "jab" {
				continue // "his depot injection" is the lexicon's procedure
			}
			if (possessives[p] || p == "the" && st.tok(i-2).low == "on") && !depotYards[n] {
				st.add(TypeMedication, t.s, t.e, 0.6, prioMedical+2)
			}
			continue
		}
		if t.low != "ensure" && t.low != "complan" {
			continue
		}
		p := st.tok(i - 1).low
		if !(determiners[p] || possessives[p] || kinPossessive(p) || p == "of" || p == "on" || t.upper && !sentenceStart(st, i)) {
			continue
		}
		e := i
		if n := st.tok(i + 1).low; n == "plus" || n == "compact" || n == "shakes" || n == "drinks" || n == "shake" {
			e++
		}
		st.add(TypeMedication, t.s, toks[e].e, 0.6, prioMedical+2)
	}
}

// findSwallowedHazards: "he swallowed a button battery", "she's swallowed
// some bleach": a child or a person who swallowed what harms. "swallowed
// my pride" and "swallowed the cost" are not in the list.
func findSwallowedHazards(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if w := toks[i].low; w != "swallowed" && w != "swallowing" {
			continue
		}
		k := i + 1
		for n := 0; n < 3 && k < len(toks) && (determiners[toks[k].low] || toks[k].low == "of" || toks[k].low == "one" || toks[k].low == "button" || toks[k].low == "little" || toks[k].low == "small" || toks[k].low == "washing" || toks[k].low == "dishwasher"); n++ {
			k++
		}
		if k > i+1 && k < len(toks) && swallowedHazards[baseName(toks[k])] {
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
			i = k
		}
	}
}

// swallowedHazards leave out tablets: "can't swallow his tablets" is the
// swallowing frame's, with the tablets a medicine of their own.
// depotYards after "depot" make it a yard: "the depot manager".
var depotYards = wordSet(`manager managers staff office yard workers driver drivers shift`)

var swallowedHazards = wordSet(`battery batteries magnet magnets coin coins bleach pod pods liquid detergent
	lego screw marble marbles`)

// findBackOut: "I've put my back out", "he's done his back in", "did me
// back in lifting": a back that went.
func findBackOut(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		w := toks[i].low
		var tail string
		switch w {
		case "put", "puts", "putting":
			tail = "out"
		case "did", "done", "doing", "does":
			tail = "in"
		default:
			continue
		}
		if p := toks[i+1].low; !possessives[p] && p != "me" {
			continue
		}
		if b := toks[i+2].low; b != "back" && b != "neck" && b != "knee" && b != "shoulder" || toks[i+3].low != tail {
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[i+3].e, 0.65, prioMedical)
		i += 3
	}
}

// findNightNurse: "can she have Night Nurse", "is night nurse alright":
// the cold remedy, said with no article; "the night nurse said" is a
// nurse.
func findNightNurse(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].low != "night" || toks[i+1].low != "nurse" {
			continue
		}
		if p := st.tok(i - 1).low; determiners[p] || possessives[p] || kinPossessive(p) || p == "district" || p == "community" || p == "agency" {
			continue
		}
		if n := st.tok(i + 2).low; n == "said" || n == "says" || n == "rang" || n == "came" || n == "told" || n == "is" && toks[i].upper == false && st.tok(i+3).low == "on" {
			continue
		}
		st.add(TypeMedication, toks[i].s, toks[i+1].e, 0.6, prioMedical+2)
		i++
	}
}

// findNotRight: "he's not been right in himself", "I've not been right
// since the op", "she hasnt been right": a person out of sorts. "That's
// not right" is a bill, and a person must be the subject.
func findNotRight(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		w := toks[i].low
		if w != "not" && w != "hasn't" && w != "hasnt" && w != "haven't" && w != "havent" && w != "isn't" && w != "isnt" {
			continue
		}
		p := toks[i-1].low
		if !notRightSubjects[p] && !personBefore(st, i) && !kinPossessive(p) || p == "it" || p == "that" || p == "that's" || p == "thats" || p == "you" {
			continue
		}
		k := i + 1
		been := false
		if toks[k].low == "been" {
			been = true
			k++
		}
		if st.tok(k).low == "quite" {
			k++
		}
		if st.tok(k).low != "right" {
			continue
		}
		e := k
		if st.tok(k+1).low == "in" && reflexives[st.tok(k+2).low] {
			e = k + 2
		} else if !been && !(p == "she's" || p == "shes" || p == "he's" || p == "hes") {
			continue // "I'm not right" alone says little; "not been right" or "right in himself" says it
		} else if n := st.tok(k + 1); k+1 >= len(toks) || n.kind != tokWord || n.low != "since" && n.low != "and" && n.low != "lately" && n.low != "recently" {
			continue // "he's not right for the job"; a bare "not right" at the end reads as a question tag
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
		i = e
	}
}

var notRightSubjects = wordSet(`i i've ive i'm im he she he's hes she's shes they they've who`)

// findStayingIn: "he hasn't left his room in a week", "she hasnt left the
// house for days": a person who has withdrawn. Without a time it is an
// errand not yet run ("I haven't left the house yet"); "won't come out of
// her room" is left out, as often revision or a dog as a mood.
func findStayingIn(st *scanState) {
	toks := st.toks
	for i := 1; i+3 < len(toks); i++ {
		w := toks[i].low
		k := i + 1
		switch {
		case (w == "hasn't" || w == "hasnt" || w == "haven't" || w == "havent") && toks[k].low == "left":
			k++
		default:
			continue
		}
		if !possessives[st.tok(k).low] && st.tok(k).low != "the" {
			continue
		}
		if r := st.tok(k + 1).low; r != "room" && r != "house" && r != "flat" && r != "bed" && r != "bedroom" {
			continue
		}
		e := k + 1
		// a time makes it a withdrawal: "in a week", "for days", "since"
		if n := st.tok(e + 1).low; n != "in" && n != "for" && n != "since" {
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
		i = e
	}
}

// findGoingOften: "I'm going every ten minutes", "need to go every five
// minutes": a bladder that needs emptying too often.
func findGoingOften(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if w := toks[i].low; w != "go" && w != "going" && w != "went" {
			continue
		}
		if toks[i+1].low != "every" {
			continue
		}
		k := i + 2
		if n := toks[k]; n.kind == tokNum || spokenNumberWord(n.low) || n.low == "few" || n.low == "half" {
			k++
		}
		if st.tok(k).low == "an" || st.tok(k).low == "a" {
			k++
		}
		if u := st.tok(k).low; u != "minutes" && u != "hour" && u != "hours" && u != "minute" {
			continue
		}
		s := i
		if i >= 2 && toks[i-1].low == "to" && (toks[i-2].low == "need" || toks[i-2].low == "have" || toks[i-2].low == "got") {
			s = i - 2
		} else if p := st.tok(i - 1).low; !personCopulas[p] && p != "been" && p != "still" && p != "and" && p != "keep" && p != "keeps" {
			continue // "a bus going every ten minutes"
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[k].e, 0.6, prioMedical)
		i = k
	}
}

// findSpendingLikeWater: "spending money like water", "spending like mad":
// the spending of a mood that runs high.
func findSpendingLikeWater(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if w := toks[i].low; w != "spending" && w != "spent" && w != "spends" {
			continue
		}
		k := i + 1
		if toks[k].low == "all" && possessives[st.tok(k+1).low] && st.tok(k+2).low == "money" {
			k += 2 // "spending all his money like water"
		}
		if st.tok(k).low == "money" {
			k++
		}
		if st.tok(k).low != "like" {
			continue
		}
		if n := st.tok(k + 1).low; n == "water" || n == "mad" || n == "crazy" || n == "theres" || n == "there's" {
			e := k + 1
			if n == "theres" || n == "there's" {
				if st.tok(k+2).low != "no" || st.tok(k+3).low != "tomorrow" {
					continue
				}
				e = k + 3
			}
			st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
			i = e
		}
	}
}

// findGrindingTeeth: "I grind my teeth", "he grinds his teeth at night":
// a habit a dentist treats. A frame, not lexicon phrases, so "grinding"
// does not become a word that opens a condition everywhere ("a grinding
// noise").
func findGrindingTeeth(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if w := toks[i].low; w != "grind" && w != "grinds" && w != "grinding" && w != "grinded" && w != "ground" {
			continue
		}
		if possessives[toks[i+1].low] && toks[i+2].low == "teeth" {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+2].e, 0.6, prioMedical)
		}
	}
}

// findDrinkProblem: "I've got a drink problem", "his drinking problem": a
// frame, since "drink" and "drinking" opening lexicon phrases would make
// the tagger take every "drinking" for a condition's start.
func findDrinkProblem(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if w := toks[i].low; w != "drink" && w != "drinking" && w != "alcohol" {
			continue
		}
		if n := toks[i+1].low; n != "problem" && n != "problems" {
			continue
		}
		if p := toks[i-1].low; p == "a" || possessives[p] || kinPossessive(p) {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical)
		}
	}
}
