package pii

import (
	_ "embed"
	"strings"
)

// Medical data is matched against embedded lexicons of conditions,
// medications and procedures (plus the clinic's own catalogue), a
// "sore/swollen + body part" rule, and dose extension for medications.
// Idioms are the trap: "sick of waiting", "heart of the city", "I'm dying
// to know", "a pain in the neck" are not conditions. The lexicons keep
// ambiguous words inside unambiguous phrases, and guards below veto the
// idioms that survive.

var (
	//go:embed medical_conditions.txt
	conditionsSrc string
	//go:embed medications.txt
	medicationsSrc string
	//go:embed procedures.txt
	proceduresSrc string

	conditionLexicon  = newPhraseLexicon(phraseLines(conditionsSrc), nil)
	medicationLexicon = newPhraseLexicon(withJoinedForms(phraseLines(medicationsSrc)), nil)
)

func phraseLines(src string) []string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// withJoinedForms adds each hyphenated medicine written as one word, as
// callers and speech-to-text write it: "cocodamol" for co-codamol.
func withJoinedForms(lines []string) []string {
	out := lines
	for _, l := range lines {
		if strings.Count(l, "-") == 1 && !strings.Contains(l, " ") {
			out = append(out, strings.ReplaceAll(l, "-", ""))
		}
	}
	return out
}

func builtinProcedures() []string { return phraseLines(proceduresSrc) }

// phraseLexicon matches multi-word phrases on tokens, longest first.
type phraseLexicon struct {
	byFirst map[string][][]string
}

func newPhraseLexicon(lists ...[]string) *phraseLexicon {
	lx := &phraseLexicon{byFirst: map[string][][]string{}}
	for _, list := range lists {
		for _, p := range list {
			toks := tokenize(strings.ToLower(strings.TrimSpace(p)), nil)
			if len(toks) == 0 {
				continue
			}
			words := make([]string, len(toks))
			for i, t := range toks {
				words[i] = t.low
			}
			lx.byFirst[words[0]] = append(lx.byFirst[words[0]], words)
		}
	}
	for k, ps := range lx.byFirst {
		// longest phrase first
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j]) > len(ps[j-1]); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
		lx.byFirst[k] = ps
	}
	return lx
}

// hasWord: the lexicon holds w as a phrase of one word ("asthma",
// "warfarin"), not only as the start of a longer one.
func (lx *phraseLexicon) hasWord(w string) bool {
	for _, p := range lx.byFirst[w] {
		if len(p) == 1 {
			return true
		}
	}
	return false
}

// match returns the token index after the longest phrase starting at i,
// or i. The last word may carry a plural "s", "es" or "ies" ("biopsies").
func (lx *phraseLexicon) match(toks []token, i int) int {
	ps := lx.byFirst[toks[i].low]
	if ps == nil && strings.HasSuffix(toks[i].low, "s") {
		ps = lx.byFirst[strings.TrimSuffix(toks[i].low, "s")]
		if ps == nil && strings.HasSuffix(toks[i].low, "ies") && len(toks[i].low) > 5 {
			ps = lx.byFirst[strings.TrimSuffix(toks[i].low, "ies")+"y"]
		}
		for _, p := range ps {
			if len(p) == 1 {
				return i + 1
			}
		}
		return i
	}
	for _, p := range ps {
		if i+len(p) > len(toks) {
			continue
		}
		ok := true
		for k, w := range p {
			t := toks[i+k]
			if k > 0 && t.nl {
				ok = false
				break
			}
			if t.low == w || k == len(p)-1 && (t.low == w+"s" || t.low == w+"es" || len(w) > 3 && strings.HasSuffix(w, "y") && t.low == w[:len(w)-1]+"ies") {
				continue
			}
			ok = false
			break
		}
		if ok {
			return i + len(p)
		}
	}
	return i
}

var bodyParts = wordSet(`head neck back shoulder shoulders arm arms elbow elbows wrist wrists hand hands finger
fingers thumb chest stomach tummy belly abdomen side hip hips leg legs knee knees ankle ankles foot feet toe toes
heel eye eyes ear ears nose throat mouth jaw tooth teeth gum gums tongue lip lips skin face scalp spine ribs
groin bladder kidney kidneys joints joint muscles muscle breast breasts bum bottom periods period glands
cheek cheeks forehead eyelid eyelids chin armpit armpits testicle testicles nipple nipples thigh thighs
calf calves shin shins palm palms knuckle knuckles
gland stomach bowels`)

var symptomAdverbs = wordSet(`been really very so quite getting feeling going still always constantly all badly
bit a little like`)

var symptomWords = wordSet(`hurts hurt hurting aches ache aching sore swollen painful itchy itching stiff bleeding
bleed bleeds receding locking clicking tight shaking trembling shaky bad worse blocked sensitive stopped irregular late loose swelling throbs stings tingles twitches peeling flaking weeping oozing
giving burns numbness dislocating cracking grinding broke snapped chipped clicks locks cracks creaks
pops grinds aches stings itches bleed swells burns twinges swelled
burning throbbing numb tender bruised sprained broken cracked infected inflamed heavy weak tingling
twitching spasming cramping red tingly blurry blurred puffy droopy drooping gritty rattly lumpy crackly wheezy`)

// woundWords behave like body parts before a state: "the wound is weeping
// a bit", "my stoma's leaking", "the scar's gone red".
var woundWords = wordSet(`wound scar stoma incision graft stitches bite burn`)

// goneEnders may follow "my back's gone" when the back has given way
// ("gone again", "gone and I can't stand"), unlike "gone to the shops".
var goneEnders = wordSet(`again and but completely totally so now i cos because this yesterday today`)

// stateVerbs link a body part to a state it passes into: "my arm goes all
// tingly", "his leg went numb", "her face has gone puffy".
var stateVerbs = wordSet(`goes go went gone going`)

var doseUnits = wordSet(`mg mgs milligram milligrams mcg microgram micrograms µg g gram grams ml mls millilitre
millilitres milliliter milliliters units unit iu puff puffs tablet tablets pill pills capsule capsules drops spray sprays
patch patches sachet sachets percent`)

// orgTail: the capitalised words from toks[j] on end in the head of a
// service's name ("the Pain Management Clinic", "the Diabetes Centre",
// "Memory Assessment Service"), so a capitalised medical word just before
// them names the service, not a complaint.
func orgTail(st *scanState, j int) bool {
	for k := j; k < len(st.toks) && k < j+4; k++ {
		t := st.toks[k]
		if t.kind != tokWord || !t.upper || t.nl {
			return false
		}
		if clinicNameHeads[t.low] || serviceHeads[t.low] {
			return true
		}
	}
	return false
}

// surnameAfterName: a capitalised word in mid-sentence right after a
// capitalised given name is a surname ("Doris Whitlow", "Amy Gout").
func surnameAfterName(st *scanState, i int) bool {
	t := st.toks[i]
	if !t.upper || i == 0 || sentenceStart(st, i) {
		return false
	}
	p := st.toks[i-1]
	return p.upper && p.kind == tokWord && isFirstName(p)
}

var serviceHeads = wordSet(`unit service services team ward department suite programme group foundation trust
society association charity line helpline institute lab labs laboratory`)

func findMedical(st *scanState, procedures *phraseLexicon) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokPunct {
			continue
		}
		if j := medicationLexicon.match(toks, i); j > i && j == i+1 && genericMedicine[t.low] && i > 0 && (toks[i-1].low == "any" || toks[i-1].low == "no") {
			// "I'm not on any medication", "no tablets": no medicine named.
			st.veto(t.s, t.e)
			continue
		}
		if genericMedicine[t.low] && medicineHolders[nextLow(toks, i+1)] {
			// "my pill organiser", "the tablet cutter": a thing for pills.
			st.veto(t.s, t.e)
			continue
		}
		if j := matchEither(medicationLexicon, wordnetMedications, toks, i); j > i {
			s := i
			// A dose written first: "20mg of citalopram", "two puffs of ventolin".
			if k := doseBefore(toks, i); k < i {
				s = k
			}
			e := doseAfter(toks, j)
			st.add(TypeMedication, toks[s].s, toks[e-1].e, 0.85, prioMedical+2)
			i = e - 1
			continue
		}
		if drugShaped(t) {
			e := doseAfter(toks, i+1)
			st.add(TypeMedication, t.s, toks[e-1].e, 0.6, prioMedical+2)
			i = e - 1
			continue
		}
		if j := matchEither(procedures, wordnetProcedures, toks, i); j > i && analyteInName(toks, j) {
			// "potassium citrate", "sodium val pro ate": a salt before the
			// rest of a medicine's name is the medicine's, not a blood
			// test; the medicine rules and the tagger have it.
		} else if j > i && (procedureTrap(st, i, j) || t.upper && !sentenceStart(st, i) && orgHead(st, i) || t.upper && orgTail(st, j)) {
			st.veto(toks[i].s, toks[j-1].e)
		} else if j > i {
			st.add(TypeProcedure, toks[i].s, toks[j-1].e, 0.8, prioMedical+1)
			i = j - 1
			continue
		}
		if j := matchEither(conditionLexicon, wordnetConditions, toks, i); j > i && (conditionTrap(st, i, j) || t.upper && orgTail(st, j) || surnameAfterName(st, i)) {
			st.veto(toks[i].s, toks[j-1].e)
		} else if j > i {
			st.add(TypeMedicalCondition, toks[i].s, toks[j-1].e, 0.8, prioMedical)
			i = j - 1
			continue
		}
		if j := bodySymptom(toks, i); j > i {
			st.add(TypeMedicalCondition, toks[i].s, toks[j-1].e, 0.7, prioMedical)
			i = j - 1
		}
	}
}

// bodySymptom: "my knee hurts", "my ankle is swollen", "sore shoulder",
// "swollen glands" is in the lexicon already.
func bodySymptom(toks []token, i int) int {
	t := toks[i]
	// "my mum's memory is going", "my wife's ankles are swollen": a
	// relative's possessive stands for "her"/"his".
	kinPossessive := strings.HasSuffix(t.low, "'s") && relationCues[strings.TrimSuffix(t.low, "'s")] && i > 0 && possessives[toks[i-1].low]
	if (t.low == "my" || t.low == "his" || t.low == "her" || t.low == "their" || t.low == "your" || t.low == "the" || kinPossessive) && i+1 < len(toks) {
		j := i + 1
		if (toks[j].low == "left" || toks[j].low == "right" || toks[j].low == "lower" || toks[j].low == "upper" || sideWords[toks[j].low] && j+1 < len(toks) && bodyParts[baseName(toks[j+1])]) && j+1 < len(toks) {
			j++
		}
		// Speech-to-text drops the apostrophe: "my throats killing me".
		if j < len(toks) && !toks[j].upper && strings.HasSuffix(toks[j].low, "s") && injuryParts[strings.TrimSuffix(toks[j].low, "s")] && !injuryParts[toks[j].low] && j+1 < len(toks) && (toks[j+1].low == "killing" || toks[j+1].low == "been" || toks[j+1].low == "gone" || symptomWords[toks[j+1].low] || (toks[j+1].low == "all" || toks[j+1].low == "like" || toks[j+1].low == "really") && j+2 < len(toks) && symptomWords[toks[j+2].low]) {
			k := j + 1
			if toks[k].low == "been" {
				k++
			}
			for n := 0; n < 2 && k+1 < len(toks) && symptomAdverbs[toks[k].low] && toks[k].low != "been"; n++ {
				k++ // "my wrists all swollen", "his knees like really stiff"
			}
			if k+1 < len(toks) && toks[k].low == "killing" && toks[k+1].low == "me" {
				return k + 2
			}
			if k < len(toks) && (symptomWords[toks[k].low] || toks[k].low == "gone") {
				return k + 1
			}
		}
		if j < len(toks) && faculties[baseName(toks[j])] && (j+1 >= len(toks) || toks[j+1].low != "test" && toks[j+1].low != "tests" && toks[j+1].low != "aid" && toks[j+1].low != "aids" && toks[j+1].low != "check") {
			// "my hearing's gone", "my memory is getting worse", "my
			// waterworks aren't right", "her eyesight is failing"
			k := j + 1
			for n := 0; n < 3 && k < len(toks) && toks[k].low != "going" && toks[k].low != "gone" && (levelLinks[toks[k].low] || symptomAdverbs[toks[k].low] || toks[k].low == "getting" || toks[k].low == "feels" || toks[k].low == "feel"); n++ {
				k++
			}
			if k < len(toks) {
				w := toks[k].low
				switch {
				case w == "going" || w == "gone":
					if n := nextLow(toks, k+1); n != "to" && n != "down" && n != "up" && n != "back" {
						return k + 1
					}
				case facultyTrouble[w]:
					return k + 1
				case (w == "not" || w == "isn't" || w == "aren't" || w == "isnt" || w == "arent") && k+1 < len(toks) && (toks[k+1].low == "right" || toks[k+1].low == "good" || toks[k+1].low == "great" || toks[k+1].low == "working" || toks[k+1].low == "what"):
					return k + 2
				}
			}
		}
		// "my kidneys aren't working properly", "his heart isn't right"
		if j+2 < len(toks) && (bodyParts[baseName(toks[j])] || injuryParts[baseName(toks[j])] || anatomy[baseName(toks[j])]) {
			if w := toks[j+1].low; (w == "isn't" || w == "aren't" || w == "isnt" || w == "arent" || w == "not") && (toks[j+2].low == "working" || toks[j+2].low == "right" || toks[j+2].low == "functioning") {
				e := j + 3
				if e < len(toks) && (toks[e].low == "properly" || toks[e].low == "well") {
					e++
				}
				return e
			}
		}
		if baseName(toks[j]) != "hearing" && j < len(toks) && (bodyParts[baseName(toks[j])] || injuryParts[baseName(toks[j])] && !toks[j].upper || dentalWork[baseName(toks[j])] || woundWords[baseName(toks[j])]) {
			k := j + 1
			if strings.HasSuffix(toks[j].low, "'s") && k < len(toks) && (toks[k].low == "been" || toks[k].low == "gone") {
				k++ // "my back's been bad", "my vision's gone blurry"
			}
			linked := strings.HasSuffix(toks[j].low, "'s") // "her hip's really swollen"
			if k < len(toks) && (toks[k].low == "is" || toks[k].low == "are" || toks[k].low == "has" || toks[k].low == "have" || toks[k].low == "keeps" || toks[k].low == "keep" || toks[k].low == "been" || toks[k].low == "feels" || toks[k].low == "feel" || stateVerbs[toks[k].low]) {
				k++
				linked = true
			}
			if linked {
				for n := 0; n < 3 && k < len(toks) && symptomAdverbs[toks[k].low]; n++ {
					k++
				}
			}
			if k < len(toks) && (symptomWords[toks[k].low] || toks[k].low == "leaking") {
				return k + 1 // "leaking" only of a body part or a wound: a roof leaks too
			}
			// "my back's gone again", "his knee's gone": a joint that gives
			if toks[k-1].low == "gone" && injuryParts[baseName(toks[j])] && (k == len(toks) || goneEnders[toks[k].low] || toks[k].kind == tokPunct) {
				return k
			}
			// "my fingers go white", "his lips turned blue", "her lips look
			// a bit blue"
			if k+1 < len(toks) && turnVerbs[toks[k].low] {
				m := pastColourFillers(toks, k+1) // "his lips go a bit blue", "it's gone all red"
				if colourSymptoms[toks[m].low] {
					return m + 1
				}
			}
			if k+1 < len(toks) && (toks[k].low == "look" || toks[k].low == "looks" || toks[k].low == "looking" || toks[k].low == "feel" || toks[k].low == "feels") {
				m := k + 1
				for n := 0; n < 3 && m < len(toks) && (symptomAdverbs[toks[m].low] || toks[m].low == "bit"); n++ {
					m++
				}
				if m < len(toks) && (colourSymptoms[toks[m].low] || symptomWords[toks[m].low]) && toks[m].low != "bad" {
					return m + 1
				}
			}
			// "my back is in agony", "my knee's in bits"
			if k+1 < len(toks) && toks[k].low == "in" && (toks[k+1].low == "agony" || toks[k+1].low == "pain" || toks[k+1].low == "bits") {
				return k + 2
			}
			// "my crown has come loose", "my filling came out"
			if k+1 < len(toks) && (toks[k].low == "come" || toks[k].low == "came" || toks[k].low == "coming" || toks[k].low == "fallen" || toks[k].low == "fell") && (toks[k+1].low == "loose" || toks[k+1].low == "out" || toks[k+1].low == "off") {
				return k + 2
			}
			// "my back is killing me", "my knee's playing up", "my back has
			// gone", "my hip's giving me grief"
			if k+1 < len(toks) && (toks[k].low == "killing" && toks[k+1].low == "me" ||
				(toks[k].low == "playing" || toks[k].low == "acting" || toks[k].low == "flared" || toks[k].low == "seized" || toks[k].low == "locked") && toks[k+1].low == "up") {
				return k + 2
			}
			if k+2 < len(toks) && toks[k].low == "giving" && (toks[k+1].low == "me" || toks[k+1].low == "him" || toks[k+1].low == "her") && bodyTrouble[toks[k+2].low] {
				return k + 3
			}
			if k < len(toks) && k > j+1 && (toks[k].low == "gone" || toks[k].low == "went") && (k+1 >= len(toks) || !goneOn[toks[k+1].low]) {
				return k + 1
			}
		}
		return i
	}
	if (symptomWords[t.low] || layBodyAdjectives[t.low]) && t.low != "broken" && i+1 < len(toks) {
		j := i + 1
		if toks[j].low == "left" || toks[j].low == "right" || toks[j].low == "lower" {
			j++
		}
		if j < len(toks) && bodyParts[toks[j].low] && !toks[j].nl {
			return j + 1
		}
	}
	return i
}

// faculties are what a body does rather than a part of it: "my hearing's
// gone", "my memory is getting worse".
var faculties = wordSet(`hearing eyesight sight vision memory balance appetite voice waterworks breathing bite
bowels speech concentration periods`)

var facultyTrouble = wordSet(`worse bad terrible awful poor failing off funny blurry blurred weird strange
muffled dodgy playing rubbish`)

var turnVerbs = wordSet(`go goes went going turn turns turned turning gone`)

var colourSymptoms = wordSet(`white blue purple yellow numb dead black grey red cold pale`)

// colourFillers may stand between a turn verb and a colour: "go a bit
// blue", "gone all red", "turned really pale".
var colourFillers = wordSet(`a bit all really very quite slightly little kind of`)

// pastColourFillers returns the index after up to three colour fillers
// from m, stopping on the last token so that a colour can follow.
func pastColourFillers(toks []token, m int) int {
	for n := 0; n < 3 && m+1 < len(toks) && colourFillers[toks[m].low]; n++ {
		m++
	}
	return m
}

// genericMedicine are words for medicine in general.
var genericMedicine = wordSet(`medication medications medicine medicines tablets tablet pills pill meds drugs
prescriptions painkillers`)

// layBodyAdjectives come before a body part in lay complaints: "an upset
// stomach", "a dodgy knee", "a gammy leg".
var layBodyAdjectives = wordSet(`upset dodgy gammy achy runny bunged weak`)

// bodyTrouble: "my knee's giving me grief".
var bodyTrouble = wordSet(`grief trouble gip gyp jip jeeps hell problems bother pain`)

// goneOn: "my back has gone" is a symptom, "my ears have gone to the
// doctor" no sentence a caller says, but "gone down", "gone back" are.
var goneOn = wordSet(`to back down away home through over in into out for off on better`)

func isDoseNumber(t token) bool {
	if t.kind == tokNum {
		return true
	}
	if _, ok := digitWords[t.low]; ok {
		return true
	}
	_, ok := teenWords[t.low]
	return ok || t.low == "half" || t.low == "a"
}

// doseAfter extends a medication over "500 mg", "500mg", "2.5 mg", "two
// tablets twice a day" is cut after the unit: frequency is not needed to
// mark the span.
func doseAfter(toks []token, j int) int {
	k := j
	if k < len(toks) && (toks[k].low == "at" || toks[k].low == "of") {
		k++
	}
	if k < len(toks) && !toks[k].nl {
		t := toks[k]
		// "500mg" is one token.
		if t.kind == tokWord && hasDigit(t.text) {
			unit := strings.TrimLeft(t.low, "0123456789.")
			if doseUnits[unit] {
				return k + 1
			}
		}
		if isDoseNumber(t) && t.low != "a" {
			m := k + 1
			if m+1 < len(toks) && toks[m].text == "." && toks[m+1].kind == tokNum && !toks[m].sp {
				m += 2
			}
			if m < len(toks) && doseUnits[toks[m].low] && !toks[m].nl {
				return m + 1
			}
		}
	}
	return j
}

func doseBefore(toks []token, i int) int {
	k := i - 1
	if k >= 0 && toks[k].low == "of" {
		k--
	}
	if k < 0 {
		return i
	}
	if t := toks[k]; t.kind == tokWord && hasDigit(t.text) && doseUnits[strings.TrimLeft(t.low, "0123456789.")] {
		return k
	}
	if doseUnits[toks[k].low] && k >= 1 && isDoseNumber(toks[k-1]) && toks[k-1].low != "a" {
		return k - 1
	}
	return i
}

func nextLow(toks []token, i int) string {
	if i < len(toks) {
		return toks[i].low
	}
	return ""
}

func nextUpper(toks []token, i int) bool { return i < len(toks) && toks[i].upper }

// idiomNoun: "it's been a pain getting through", "my boss is a real
// headache", "a bit of a nightmare": a symptom noun used of a thing or a
// person. A place on the body after it ("a pain in my side") keeps it a
// symptom.
func idiomNoun(toks []token, i, j int) bool {
	last := toks[j-1].low
	if last != "pain" && last != "headache" && last != "nightmare" {
		return false
	}
	// Walk back from the head over intensifiers to "a"; any other word
	// ("a bad headache", "a sharp pain") makes it a symptom.
	a := j - 2
	for a >= 0 && idiomIntensifiers[toks[a].low] {
		a--
	}
	if a < 0 || toks[a].low != "a" {
		return false
	}
	pp := ""
	if a > 0 {
		pp = toks[a-1].low
	}
	switch pp {
	case "real", "right", "total", "proper", "such", "absolute", "of", "what", "massive", "huge":
		return true
	case "it's", "its", "that's", "thats", "is", "was", "been", "be", "being", "it", "this":
		next := nextLow(toks, j)
		return next != "in" && next != "on" && next != "when" && next != "whenever" && next != "at" && next != "across" && next != "down" && next != "behind" && next != "under" && next != "around" && next != "near" && next != "all"
	}
	return false
}

var speechVerbs = wordSet(`said says told tells thinks thought wants wanted rang called asked suggested
recommended reckons advised mentioned gave showed sent did wrote checked looked referred`)

var idiomIntensifiers = wordSet(`real right total proper absolute massive huge complete bit`)

// conditionTrap vetoes idioms around a condition match toks[i:j].
func conditionTrap(st *scanState, i, j int) bool {
	toks := st.toks
	first := toks[i].low
	last := toks[j-1].low
	next, next2 := nextLow(toks, j), nextLow(toks, j+1)
	prev := ""
	if i > 0 {
		prev = toks[i-1].low
	}
	if idiomNoun(toks, i, j) {
		return true
	}
	switch {
	case last == "pain" || last == "pains":
		// "a pain in the neck", "pain au chocolat"
		if next == "in" && next2 == "the" {
			if n := nextLow(toks, j+2); n == "neck" || n == "arse" || n == "backside" || n == "bum" || n == "butt" || n == "ass" {
				return true
			}
		}
		if next == "au" {
			return true
		}
		// "he's a real pain", "such a pain": a person, not a symptom.
		if prev == "real" || prev == "right" || prev == "total" || prev == "proper" || prev == "such" || prev == "absolute" {
			return true
		}
		// "he's a pain, my brother", "that's a pain to get to": a bare
		// "a pain" said of someone or something, with no place, time or
		// quality of pain after it.
		if j == i+1 && prev == "a" && i >= 2 && figurativeSubject(toks[i-2].low) && !painGoesOn[next] {
			return true
		}
	case first == "stroke" && j == i+1:
		return next == "of" || prev == "breast" || prev == "back" || prev == "swimming" || prev == "brush" || prev == "pen"
	case last == "cold" && j-i <= 2 && (first == "a" || first == "cold"):
		// "a cold drink", "a cold day": a noun after "cold" means weather.
		if j < len(toks) && toks[j].kind == tokWord && !coldAfter[next] {
			return true
		}
	case last == "fever" && j == i+1:
		return next == "pitch" || prev == "saturday" || prev == "night" || prev == "cabin" || prev == "spring"
	case first == "mole" && j == i+1, first == "lump" && j == i+1:
		return prev == "a" && next == "of" // "a lump of sugar"
	case first == "swollen" && j == i+1:
		return true // only with a body part (bodySymptom)
	case first == "allergic" && j == i+1:
		return next == "to" && (next2 == "work" || next2 == "mornings" || next2 == "mondays" || next2 == "exercise")
	case first == "a" && last == "temperature":
		// "at a temperature of", but "a bit of a temperature" is a fever
		return prev == "at" || prev == "set" || prev == "of" && !(i >= 2 && toks[i-2].low == "bit")
	case first == "depression" || first == "infection" || first == "bleeding":
		return false
	case first == "cancer" && toks[i].upper && i > 0 && toks[i-1].kind == tokWord && !toks[i-1].upper:
		return false
	case first == "ms" && toks[i].text != "MS":
		return true
	case first == "ocd" || first == "adhd":
		// "I'm a bit OCD about tidiness" is still a mention worth
		// protecting; keep.
		return false
	case first == "dizzy" && next == "heights":
		return true
	}
	return false
}

// procedureTrap vetoes "filling in a form", "the surgery" (the GP
// practice), "Crown Street", "scan the code".
// departmentByForm: a scope or imaging word that also names its unit.
func departmentByForm(w string) bool {
	return strings.HasSuffix(w, "scopy") || strings.HasSuffix(w, "graphy") || w == "radiology" || w == "imaging"
}

// treatmentMachines are treatments given by a machine at home.
var treatmentMachines = wordSet(`cpap bipap apap nippy nebuliser nebulizer dialysis tens`)

// analytes are blood tests named by what they measure; analyteAfter the
// words a test's name is followed by ("my potassium was low", "a sodium
// level", "the ketones are high").
var analytes = wordSet(`potassium sodium magnesium cortisol troponin bilirubin ketones t4 haemoglobin hemoglobin`)

var analyteAfter = wordSet(`result results level levels was is were are came comes come has had have test tests
	check checked checks of back and or on high low before after at blood being been too again from went gone
	dropped keeps reading readings for to in with but so please today tomorrow`)

// analyteInName: the test name ending at j is a salt followed by more of a
// medicine's name.
func analyteInName(toks []token, j int) bool {
	return analytes[toks[j-1].low] && j < len(toks) && toks[j].kind == tokWord && !toks[j].nl && !analyteAfter[toks[j].low]
}

// echoKinds are the kinds of heart scan said before "echo".
var echoKinds = wordSet(`bubble stress outpatient normal fetal foetal transthoracic transoesophageal
	transesophageal dobutamine contrast`)

// kinPossessive: a relative's possessive, with or without its apostrophe
// as speech-to-text writes it ("mum's dressing", "my dads echo").
func kinPossessive(w string) bool {
	if stem, ok := strings.CutSuffix(w, "'s"); ok {
		return kinNouns[stem]
	}
	return len(w) > 3 && w[len(w)-1] == 's' && kinNouns[w[:len(w)-1]]
}

// personNouns after a treatment's name make it the person who gives it.
var personNouns = wordSet(`woman women man men lady ladies guy guys girl girls bloke fella chap`)

func procedureTrap(st *scanState, i, j int) bool {
	toks := st.toks
	first := toks[i].low
	next := nextLow(toks, j)
	prev := ""
	if i > 0 {
		prev = toks[i-1].low
	}
	single := j == i+1
	// "the physio room", "the X-ray department": a place in the clinic;
	// a CPAP machine is the treatment itself.
	if placeInClinic[next] && !(treatmentMachines[toks[j-1].low] && (next == "machine" || next == "machines")) {
		return true
	}
	// "the physio woman said", "the podiatry lady": the practitioner.
	if single && personNouns[next] {
		return true
	}
	// "in day surgery", "the day surgery unit": the unit, as the writers
	// always read it.
	if single && first == "surgery" && prev == "day" {
		return true
	}
	// "a camera test in endoscopy", "sent to colposcopy": a bare scope or
	// imaging word after a preposition of place is the department.
	if single && (prev == "in" || prev == "at" || prev == "to" || prev == "from") && departmentByForm(first) {
		return true
	}
	// "the one starting with OP": letters read out from a reference.
	if single && prev == "with" && i >= 2 && startWords[toks[i-2].low] && toks[i].text == strings.ToUpper(toks[i].text) {
		return true
	}
	// "my reference number is MRI 4 4 7 1 9": capitals that open a
	// reference read out digit by digit.
	if single && len(toks[i].text) > 1 && toks[i].text == strings.ToUpper(toks[i].text) && j < len(toks) && toks[j].kind == tokNum &&
		containsAny(st.windowBefore(toks[i].s, 4), referenceCues) {
		return true
	}
	// "check up on my mum" is looking after someone.
	if (first == "check" || first == "checking") && j == i+2 && next == "on" {
		return true
	}
	// "a hearing loop" at reception is for the deaf, not a test.
	if first == "hearing" && (next == "loop" || next == "loops") {
		return true
	}
	// "my physio said", "the physio rang": the physiotherapist.
	if single && (first == "physio" || first == "physios") && speechVerbs[next] {
		return true
	}
	// "the physio on the phone said", "the physio hasn't been out yet",
	// "the physio came round", "done by the physio": the physiotherapist,
	// who calls, visits and does things.
	if single && first == "physio" && (prev == "the" || possessives[prev]) && (physioVisits(toks, j) || i >= 2 && toks[i-2].low == "by") {
		return true
	}
	// "booked with the physio", "is the physio in today?": the
	// physiotherapist again, met or present rather than received.
	if single && first == "physio" && (prev == "the" || possessives[prev]) && i >= 2 {
		if p2 := toks[i-2].low; meetVerbs[p2] || next == "in" && (p2 == "is" || p2 == "was" || p2 == "isn't") {
			return true
		}
	}
	switch {
	case first == "filling" && single:
		if determiners[prev] || prev == "new" || prev == "temporary" || prev == "white" {
			return false // "after the filling my tooth ...": the noun
		}
		return next == "in" || next == "out" || next == "up" || next == "the" || next == "a" || next == "this" || next == "that" || next == "my" || next == "it"
	case first == "crown" && single:
		if prev == "the" && (st.tok(i-2).low == "to" || st.tok(i-2).low == "at" || st.tok(i-2).low == "down") && (next == "for" || next == "pub" || next == "inn" || next == "tonight" || next == "later") {
			return true // "off to the Crown for a joint of lamb": the pub
		}
		return toks[i].upper && i > 0 || !(prev == "a" || prev == "the" || prev == "my" || prev == "new" || prev == "temporary" || prev == "dental" || prev == "her" || prev == "his")
	case first == "surgery" && single:
		// In the UK "the surgery" is the GP practice itself.
		return prev == "the" || prev == "your" || prev == "our" || prev == "at" || prev == "this" || toks[i].upper && i > 0 ||
			practiceWords[prev] || // "the GP surgery", "a dental surgery"
			i > 0 && toks[i-1].upper && strings.HasSuffix(prev, "'s") || // "Dr Cole's surgery"
			practiceAdjectives[prev] || // "my old surgery", "the nearest surgery"
			i > 0 && toks[i-1].upper && streetSuffixes[prev] || // "the Elm Road surgery"
			i > 0 && namedPractice(st, i) || // "at Brookfield surgery", "from Elm Tree surgery"
			(possessives[prev] || prev == "the") && practiceActs[next] || // "my surgery sent", "the surgery closes"
			practicePicks[prev] || // "which surgery", "the wrong surgery", "the branch surgery", "the Thursday surgery"
			prev == "a" && (next == "in" || next == "near" || next == "called" || next == "on" && nextUpper(toks, j+1)) || // "ringing from a surgery in Leeds"
			streetSuffixes[prev] && i >= 2 // "the grace road surgery", as speech-to-text writes it
	case first == "vaccination" && single:
		// "my vaccination certificate", "proof of vaccination": a document
		return vaccinationPapers[next] || prev == "of" && i >= 2 && toks[i-2].low == "proof"
	case first == "phlebotomy" && single:
		// "at phlebotomy", "the phlebotomy is on level two", "can
		// phlebotomy ring me": the department that takes blood
		return prev == "at" || prev == "to" || prev == "the" || prev == "can" || prev == "could" || next == "is" || next == "queue" || speechVerbs[next] || practiceActs[next] || next == "ring"
	case first == "operation" && single:
		// "we run a little cleaning operation": a business.
		return prev == "in" || next == "of" || prev == "military" || prev == "covert" || next == "hours" || next == "times" || runsABusiness(toks, i)
	case first == "scan" && single:
		// "the scan of my passport": of a document, not of a body.
		if next == "of" {
			k := j + 1
			if n := nextLow(toks, k); n == "my" || n == "the" || n == "his" || n == "her" || n == "your" || n == "a" {
				k++
			}
			if k < len(toks) && !anatomy[baseName(toks[k])] && !bodyParts[baseName(toks[k])] && !injuryParts[baseName(toks[k])] && !medWord(baseName(toks[k])) {
				return true
			}
		}
		return !(prev == "a" || prev == "the" || prev == "my" || prev == "his" || prev == "her" || prev == "another" || prev == "your")
	case first == "therapy" && single:
		return prev == "retail"
	case first == "echo" && single:
		if n2, n3 := nextLow(toks, j+1), nextLow(toks, j+2); next == "on" && (n2 == "the" || n2 == "this") && (n3 == "line" || n3 == "phone" || n3 == "call") {
			return true // "an echo on the line"
		}
		return !(prev == "an" || prev == "the" || prev == "my" || prev == "cardiac" || prev == "repeat" || prev == "another" || prev == "urgent" || prev == "his" || prev == "her" || prev == "your" || prev == "their" || prev == "heart" ||
			echoKinds[prev] || kinPossessive(prev))
	case (first == "a" || first == "my") && j == i+2 && (toks[i+1].low == "clean" || toks[i+1].low == "polish"):
		// "a clean room", "a clean bill of health", "a polish of the shoes"
		n := next
		return n != "" && toks[j].kind == tokWord && n != "and" && n != "with" && n != "at" && n != "on" && n != "please" && n != "too" && n != "as" && n != "next" && n != "today" && n != "tomorrow" && n != "booked" && n != "done" && n != "appointment" || prev == "have" && n == "of"
	case first == "dressing" && single:
		// "a dressing gown", "salad dressing", "dressing up"
		return next == "gown" || next == "gowns" || next == "room" || next == "table" || next == "up" || prev == "salad" || supplyOrders[next] || !(determiners[prev] || prev == "wound" || prev == "new" || kinPossessive(prev))
	case first == "smear" && single:
		// "a smear of jam"; "my smear on Friday" is the test.
		return (next == "on" || next == "of") && !possessives[prev]
	case first == "booster" && single:
		return next == "seat" || next == "seats"
	case first == "bloods" && single:
		return false
	case first == "extraction" && single:
		return next == "of" && nextLow(toks, j+1) != "my"
	case first == "implant" && single:
		return false
	case first == "whitening" && single:
		return false
	case first == "massage" && single:
		return false
	case first == "jab" && single:
		return prev == "a" && next == "at" // "a jab at the council"
	}
	return false
}

// figurativeSubject: the word before "a pain" when someone or something
// is a nuisance ("he's a pain", "that's a pain").
func figurativeSubject(w string) bool {
	switch w {
	case "he's", "she's", "it's", "that's", "you're", "they're", "he", "she", "is", "was", "be", "being", "what", "bit", "quite":
		return true
	}
	return false
}

// painGoesOn are words after "a pain" that make it a symptom: where it is,
// when it comes, what it is like.
var painGoesOn = wordSet(`in on at when whenever down across behind under around round from that which where like
here there and going coming every all for since near inside right left low high up through under after before
if whilst while`)

// meetVerbs come before "the physio" when the physiotherapist is meant.
var meetVerbs = wordSet(`with see seeing saw seen ask asked tell told from phone ring call rang called`)

// practiceAdjectives come before "surgery" when the GP practice is meant.
var practiceAdjectives = wordSet(`old new previous former current nearest nearby village registered usual`)

// vaccinationPapers after a bare "vaccination" make it a document.
var vaccinationPapers = wordSet(`certificate certificates card cards record records book booklet passport history status proof`)

// practiceWords before "surgery" make it a practice, not an operation,
// for the lexicon's bare "surgery" and for a head with its modifier alike.
var practiceWords = wordSet(`gp gps gp's dental dentist's dentists doctor's doctors branch village local campus
main satellite`)

// practicePicks come before "surgery" when a practice, a branch or a
// session of one is meant: "which surgery is this", "the wrong
// surgery", "the branch surgery", "the Saturday surgery is cancelled",
// "the app says contact surgery".
var practicePicks = wordSet(`which wrong right branch campus main satellite contact monday tuesday wednesday
thursday friday saturday sunday morning afternoon evening weekend walk-in`)

// practiceActs follow "my/the surgery" when the practice is meant.
var practiceActs = wordSet(`sent sends closed closes opens opened moved rang phoned called texted emailed wrote
hours website number phone address manager staff reception receptionist receptionists car carpark`)

// drugStems are the international non-proprietary name stems (WHO INN)
// that mark a word as a medicine even when the lexicon lacks it:
// "levetiracetam", "candesartan", "lisinopril".
var drugStems = []string{
	"pril", "sartan", "olol", "statin", "prazole", "cillin", "mycin", "cycline", "floxacin", "tidine",
	"triptan", "dipine", "gliptin", "gliflozin", "semide", "thiazide", "azepam", "zolam", "oxetine",
	"afil", "lukast", "olone", "racetam", "trigine", "mazepine", "barbital", "profen", "dronate",
	"parin", "xaban", "vudine", "navir", "ciclovir", "conazole", "tinib", "ximab", "zumab", "mumab",
	"glutide", "caine", "setron", "ptyline", "zodone", "peridol", "apine", "idone", "terol", "sonide",
}

func drugShaped(t token) bool {
	if t.kind != tokWord || len(t.low) < 8 || hasDigit(t.low) || stopWords[t.low] || notDrugs[t.low] {
		return false
	}
	for _, s := range drugStems {
		if strings.HasSuffix(t.low, s) {
			return true
		}
	}
	return false
}

// medicineHolders are things that hold or handle pills, and the papers
// and services about them ("Dad's medication list", "the medication
// delivery service"): not pills.
var medicineHolders = wordSet(`organiser organisers organizer organizers cutter cutters crusher splitter reminder reminders app
list lists chart charts sheet sheets cupboard cupboards trolley delivery deliveries`)

// supplyOrders: "a dressing order", "the dressings delivery": stock.
var supplyOrders = wordSet(`order orders delivery deliveries supply supplies stock`)

// runsABusiness: "run", "running" or "runs" shortly before "operation".
func runsABusiness(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		switch toks[k].low {
		case "run", "runs", "running", "ran", "own", "owns", "set":
			return true
		}
	}
	return false
}

// physioVisits: what follows "the physio" when the physiotherapist is on
// the phone or at the door.
func physioVisits(toks []token, j int) bool {
	n1, n2, n3 := nextLow(toks, j), nextLow(toks, j+1), nextLow(toks, j+2)
	switch n1 {
	case "on":
		return n2 == "the" && (n3 == "phone" || n3 == "line")
	case "has", "hasn't", "hasnt", "had", "hadn't", "have", "haven't":
		return n2 == "been" && (n3 == "out" || n3 == "round" || n3 == "over")
	case "came", "come", "comes", "coming":
		return n2 == "out" || n2 == "round" || n2 == "over"
	}
	return false
}

// startWords open "starting with ...", before the letters a reference
// begins with.
var startWords = wordSet(`starting starts start beginning begins begin`)

// referenceCues name a reference that letters and digits are read from.
var referenceCues = []string{"reference", "ref", "booking number", "order number", "code", "reference number"}

// placeInClinic after a procedure word makes it a room, a team or a desk.
var placeInClinic = wordSet(`room rooms department departments team reception clinic unit ward desk
waiting suite centre center hours times machine machines place bit wing entrance building corridor
counter questionnaire questionnaires gym pool`)

// dentalWork can hurt or come loose like a body part: "my crown is loose",
// "my filling is hurting".
var dentalWork = wordSet(`crown crowns filling fillings implant implants denture dentures brace braces
bridge veneer veneers retainer`)
