package pii

import (
	"strings"
)

// Medical data by form rather than by list. A lexicon knows the words its
// authors thought of; callers name drugs, conditions and procedures the
// lexicon has never seen. What generalises is how the words are built and
// what stands around them:
//
//   - drug names carry WHO INN stems ("-pril", "-sartan", "-mab"), and a
//     word nobody knows beside a dose, a route or "I'm on" is a drug,
//     brand or generic;
//   - conditions are compounds around head nouns ("... disease",
//     "... infection"), suffixes ("-itis", "-osis", "-aemia"), injuries
//     ("a torn rotator cuff", "sprained my ankle"), levels said in lay
//     words ("my sugar's high") and adjectives ("I'm asthmatic");
//   - procedures are compounds around heads ("bone density scan", "removal
//     of a mole"), suffixes ("-ectomy", "-scopy") and a body part with what
//     was done to it ("a tooth out", "ears syringed").
//
// A negated mention ("I don't have asthma") is still health data: nothing
// here looks at negation.

// Morphology -----------------------------------------------------------

// drugStemsExtra widens drugStems with further INN stems and the endings of
// common non-INN generics.
var drugStemsExtra = []string{
	"prilat", "artan", "alol", "ilol", "vastatin", "mab", "glinide", "glitazone", "oxacin", "vir",
	"cef", "micin", "nidazole", "azole", "azepine", "pramine", "tiapine", "zapine", "faxine", "pram",
	"traline", "oxetine", "codone", "morphone", "tanyl", "gabalin", "pentin", "proate", "grel", "grelor",
	"gatran", "patide", "penem", "bactam", "onide", "metasone", "methasone", "asone", "isolone", "olone",
	"tropium", "terol", "butamol", "atadine", "tirizine", "fenadine", "osin", "steride", "semide",
	"amide", "formin", "thyroxine", "mibe", "ciclib", "parib", "rafenib", "lisib", "lutamide", "relin",
	"fibrate", "coxib", "haler", "fenac", "lamine", "dazole", "lukast", "tadine", "tinib", "umab", "imab",
	"cillin", "mycin", "cycline", "sartan", "statin", "prazole", "gliflozin", "gliptin", "pril", "olol",
	"prost", "oprost", "dronate", "dronic", "parin", "xaban", "triptan", "setron", "barb", "zepam", "zolam",
	"clone", "pidem", "profen", "oxicam", "tidine", "cort", "olimus", "sporin", "platin", "taxel", "rubicin",
	"mustine", "trexate", "afil", "lukast", "gliclazide", "glipizide", "sulfan", "vudine", "navir", "previr",
	"cept",
}

// notDrugs end in a stem without being medicines.
var notDrugs = wordSet(`cholesterol rapine saturday chlorine fluorine iodine bromine amine amide amides
crossover cefn pram prams diagram anagram program programme telegram kilogram instagram monogram
hologram epigram histogram milligram microgram salmon moron boron bacon icon silicon grammar
cyclone trombone hormone pheromone testosterone progesterone cortisol adrenaline noradrenaline
dopamine serotonin histamine insulin glucose lactose fructose sucrose saline gelatine nicotine caffeine
vaccine medicine medicines marine routine machine magazine cuisine engine doctrine discipline`)

func drugByForm(low string) bool {
	if len(low) < 6 || notDrugs[low] || hasDigit(low) {
		return false
	}
	if medicationLexicon.hasWord(low) {
		return true
	}
	s, ok := drugSuffixes.find(low)
	return ok && len(low) >= len(s)+3 && !englishWord(low) && !properNouns[low]
}

// suffixSet finds which of many suffixes a word ends with, looking only at
// the suffixes that share its last two letters: the morphology runs on
// every word of every utterance.
type suffixSet map[string][]string

func newSuffixSet(lists ...[]string) suffixSet {
	m := suffixSet{}
	for _, l := range lists {
		for _, s := range l {
			k := s[len(s)-2:]
			m[k] = append(m[k], s)
		}
	}
	return m
}

// find returns the longest suffix of w in the set.
func (m suffixSet) find(w string) (string, bool) {
	if len(w) < 2 {
		return "", false
	}
	best := ""
	for _, s := range m[w[len(w)-2:]] {
		if len(s) > len(best) && strings.HasSuffix(w, s) {
			best = s
		}
	}
	return best, best != ""
}

var drugSuffixes = newSuffixSet(drugStems, drugStemsExtra)

// Condition and procedure suffixes. The stoplists hold the English words
// that share a suffix without being clinical.
var (
	conditionSuffixes = []string{"itis", "osis", "iasis", "aemia", "emia", "algia", "pathy", "oma", "omas",
		"plegia", "paresis", "rrhoea", "rrhea", "uria", "penia", "phobia", "philia", "ectasis", "trophy",
		"sclerosis", "megaly", "ism", "itis's", "oedema", "edema", "igo"}
	conditionSuffixStop = wordSet(`wapitis apotheosis diagnosis misdiagnosis hypnosis metamorphosis mitosis
osmosis prognosis symbiosis synthesis photosynthesis academia bohemia nostalgia antipathy apathy empathy
sympathy telepathy homeopathy homoeopathy osteopathy naturopathy aroma diploma soma coma stoma trophy
trophies atrophy_ tourism criticism mechanism organism optimism pessimism racism sexism terrorism
journalism realism capitalism socialism communism baptism heroism mechanism rheumatism_ catechism
activism patriotism nationalism feminism favouritism vandalism magnetism cynicism skepticism scepticism
idealism tourism embolism_ metabolism aphorism prism schism truism jism chrism`)
	// ism counts only after these prefixes: "hypothyroidism", "alcoholism".
	ismPrefixes = []string{"thyroid", "hypo", "hyper", "alcohol", "autism", "dwarf", "gigant", "hirsut",
		"rheumat", "embol", "astigmat", "strabism", "priap", "botul", "albin", "brux", "vagin", "mercur",
		"hypopituitar", "hyperparathyroid", "aldosteron", "cretin", "saturn", "ergot", "tabagism"}
	procedureSuffixes     = []string{"ectomy", "ectomies", "otomy", "ostomy", "plasty", "plasties", "scopy", "scopies", "centesis", "pexy", "tripsy", "desis", "dilatation", "graphy", "gram", "grams"}
	procedureSuffixStop   = wordSet(`dichotomy microscopy spectroscopy laryngoscopy_ telescopy program programs kilogram kilograms milligram milligrams microgram micrograms diagram diagrams anagram telegram telegrams instagram hologram histogram epigram monogram pictogram ideogram cryptogram gram grams`)
	graphyMedicalPrefixes = []string{"mammo", "angio", "radio", "sono", "tomo", "cardio", "echo", "arterio", "veno", "urethro", "hystero", "cholangio", "myelo", "arthro", "lympho", "fluoro", "electromyo", "encephalo", "uro", "pyelo", "sialo", "dacryo", "lymphangio", "cysto", "colpo", "ventriculo", "phlebo", "thermo"}
)

func conditionByForm(low string) bool {
	if len(low) < 6 || conditionSuffixStop[low] || hasDigit(low) {
		return false
	}
	if s, ok := conditionSuffixSet.find(low); ok {
		switch s {
		case "ism":
			for _, p := range ismPrefixes {
				if strings.HasPrefix(low, p) || strings.Contains(low, p) {
					return true
				}
			}
			return false
		case "oma", "omas":
			// carcinoma, melanoma, glaucoma, lymphoma: not aroma or diploma.
			return len(low) >= 7
		case "igo":
			return low == "impetigo" || low == "vitiligo" || low == "lentigo"
		case "trophy":
			return len(low) > 7
		case "uria", "penia", "philia", "phobia":
			return len(low) >= 8
		}
		return true
	}
	return false
}

var (
	conditionSuffixSet = newSuffixSet(conditionSuffixes)
	procedureSuffixSet = newSuffixSet(procedureSuffixes)
)

func procedureByForm(low string) bool {
	if len(low) < 7 || procedureSuffixStop[low] || hasDigit(low) {
		return false
	}
	if s, ok := procedureSuffixSet.find(low); ok {
		if s == "graphy" || s == "gram" || s == "grams" {
			for _, p := range graphyMedicalPrefixes {
				if strings.HasPrefix(low, p) || strings.Contains(low, p) {
					return true
				}
			}
			return false
		}
		return true
	}
	return false
}

// Vocabulary ---------------------------------------------------------------

// anatomy extends bodyParts with the structures injuries and procedures
// name.
var anatomy = wordSet(`erection erections erectile disc discs cuff nose chest tooth teeth hamstring hamstrings ligament ligaments tendon
tendons cartilage meniscus achilles nerve nerves toenail toenails nail nails calf calves thigh thighs shin
shins spine hip pelvis collarbone rib ribs skull bone bones wrist heart lung lungs liver kidney kidneys
bowel bowels colon bladder prostate womb uterus ovary ovaries cervix thyroid gallbladder appendix tonsils
tonsil adenoids sinus sinuses gum gums jaw molar molars incisor wisdom retina cornea eyelid eyelids
artery arteries vein veins valve spleen pancreas oesophagus esophagus stomach abdomen abdominal lumbar
pelvic cervical thoracic spinal cardiac coronary renal hepatic pulmonary cerebral rectal vaginal breast
breasts testicle testicles groin bum skin scalp sole heel arch tailbone coccyx sternum shoulder blade
blood urine stool brain ear ears eye eyes mouth throat tongue lip lips face neck back knee knees ankle
ankles elbow elbows foot feet toe toes finger fingers thumb hand hands arm arms leg legs head muscles
muscle joint joints glands gland abdominal bone marrow lymph node nodes vertebra vertebrae hips rotator
socket sockets denture dentures crown crowns implant implants filling fillings veneer veneers bridge
brace braces retainer retainers enamel root roots canal pulp nerve plaque tartar`)

// medicalModifiers qualify a procedure head without naming anatomy:
// "thyroid function test", "bone density scan", "sports injury assessment".
var medicalModifiers = wordSet(`function density blood fasting pressure sugar sugars glucose cholesterol
count level levels routine annual follow-up followup specialist sports injury hearing sight vision eye
dental smear contrast doppler dexa nuchal anomaly dating growth pregnancy antenatal postnatal baby
newborn booster covid flu pneumonia pneumococcal shingles whooping cough measles mmr hpv tetanus polio
hepatitis rabies typhoid travel allergy skin patch prick sti std hiv sexual health cancer bowel breast
cervical prostate lung screening heart stress sleep nerve conduction kidney liver thyroid iron vitamin
b12 hormone fertility sperm semen urine stool swab ultrasound ultrasound-guided guided steroid
cortisone hydrocortisone botox filler laser keyhole open invasive minor emergency hernia cataract
gallbladder tonsil tonsils wisdom tooth teeth root canal gum periodontal orthodontic cosmetic composite
carpal tunnel follow-up followup up urgent private annual yearly monthly regular six-monthly post pre op
post-op pre-op postop preop breathing developmental pacemaker stent catheter cannula pump hearing aid aids
deep hygiene wax ear nasal chest abdominal pelvic transvaginal abdominal mri ct pet x-ray xray echo
ecg ekg cardiac vascular venous arterial carotid spinal epidural lumbar joint knee hip shoulder ankle
wrist elbow back neck foot hand physio physiotherapy rehab rehabilitation sports massage manual
acupuncture dry injury assessment mole cyst lump wart verruca ingrown toenail biopsy bone marrow
mammogram mammography memory diabetic foot diabetes asthma copd medication repeat coil implant iud
contraceptive smear cervical occupational speech language weight bariatric gastric colorectal lipid
conduction liver renal full wound inr bp`)

// medWord: a word that makes the phrase around it clinical.
func medWord(low string) bool {
	low = strings.TrimSuffix(strings.TrimSuffix(low, "'s"), "’s")
	if bodyParts[low] || anatomy[low] || medicalModifiers[low] || symptomWords[low] {
		return true
	}
	if conditionLexicon.hasWord(low) {
		return true
	}
	return conditionByForm(low) || drugByForm(low) || procedureByForm(low)
}

// Heads --------------------------------------------------------------------

// conditionHeadsStrong are condition nouns on their own; a modifier before
// them is part of the name ("restless legs syndrome", "Kawasaki disease").
var conditionHeadsStrong = wordSet(`disease diseases syndrome disorder disorders infection infections
deficiency palsy allergy allergies intolerance fracture fractures impingement impingements tear tears
rupture dislocation ulcer ulcers cyst cysts polyp polyps
hernia abscess tumour tumours tumor tumors cancer cancers sclerosis fibrosis dystrophy apnoea apnea
reflux murmur prolapse inflammation thrombosis embolism aneurysm arrhythmia fibrillation insufficiency
neuralgia neuropathy dermatitis arthritis degeneration`)

// conditionHeadsWeak need a clinical modifier: "thyroid problems" yes,
// "money problems" no.
var conditionHeadsWeak = wordSet(`problem problems trouble issues issue condition conditions pain pains
ache aches attack attacks failure injury injuries strain tear tears stone stones growth spots sores
blisters rash rashes lump lumps swelling bleed bleeding spasms spasm cramps cramp clot clots damage
tightness numbness weakness stiffness tenderness itching itch discharge irritation blockage block
defect levels bug virus sensation sensations reaction reactions delay delays`)

var procedureHeadsStrong = wordSet(`ct biopsy biopsies x-ray x-rays xray xrays ultrasound mri scan scans
vaccination vaccinations vaccine vaccines jab jabs injection injections infusion infusions transplant
graft surgery operation screening smear swab puncture needling irrigation syringing extraction
extractions`)

var procedureHeadsWeak = wordSet(`replacement removal repair implant implants test tests check checks
checkup check-up assessment reconstruction fusion treatment therapy booster sample clean cleaning
whitening fitting review drainage examination exam reduction release injection decompression bypass
ablation reline session sessions appointment profile study panel dip results result screen
adjustment mot`)

// skipHeads are heads too generic to stand without the strong evidence
// above: a "session" or an "appointment" is clinical only through its
// modifier, and the modifier is then what we mark.
var headNeedsTwo = wordSet(`session sessions appointment review`)

// modifierChain walks left from the head at h over up to three modifier
// words and returns the first index of the chain and whether any word in
// it (or the head itself when strong) is clinical.
func modifierChain(toks []token, h int, allowed func(token) bool) (int, int) {
	return modifierChainTrim(toks, h, allowed, true)
}

// modifierChainTrim is modifierChain; with trim false it keeps ordinary
// words too, for heads that are a condition on their own: "water
// infection", "restless legs syndrome".
func modifierChainTrim(toks []token, h int, allowed func(token) bool, trim bool) (int, int) {
	s := h
	med := 0
	for k := h - 1; k >= 0 && h-k <= 3; k-- {
		t := toks[k]
		if t.kind == tokPunct {
			if t.text == "-" && !t.sp && k > 0 {
				continue
			}
			break
		}
		if toks[k+1].nl || !allowed(t) {
			break
		}
		// "Mr Hollis's colonoscopy": a titled name's possessive is whose
		// procedure it is, not an eponym like "Down's".
		if strings.HasSuffix(t.low, "'s") && k > 0 && titles[baseName(toks[k-1])] {
			break
		}
		if medWord(t.low) {
			med++
		}
		s = k
	}
	// Trim leading words that are not clinical ("book dry needling"); an
	// eponym stays ("Addison's disease", "Kawasaki disease").
	for trim && s < h && !medWord(toks[s].low) && !unknownWord(baseName(toks[s])) && !isNumberToken(toks[s]) && !toks[s].upper && !strings.HasSuffix(toks[s].low, "'s") && toks[s].low != "week" {
		s++
	}
	return s, med
}

// namedPractice: "surgery" after a capitalised name that follows "at",
// "from", "to" or "in" ("it's Carla at Brookfield surgery", "calling from
// Elm Tree surgery") is the practice.
func namedPractice(st *scanState, i int) bool {
	k := i - 1
	// "the practice nurse at millbrook surgery": speech-to-text writes the
	// name in lower case; a word no list knows still names the place.
	lowerName := !st.toks[k].upper && lowerSentence(st) && unknownWord(st.toks[k].low)
	if !st.toks[k].upper && !lowerName || st.toks[k].kind != tokWord || medWord(st.toks[k].low) {
		return false
	}
	if st.tok(k-1).upper && st.tok(k-1).kind == tokWord {
		k-- // "Elm Tree surgery"
	}
	switch st.tok(k - 1).low {
	case "at", "from", "to", "in":
		return !sentenceStart(st, k)
	}
	return false
}

// ageCheckStart returns where "eight week", "twelve-month" or "2 year"
// starts before a check or a review at toks[h] (a child's, a mother's
// or a patient's check at that age or interval), or -1.
func ageCheckStart(toks []token, h int) int {
	if b := toks[h].low; b != "check" && b != "checks" && b != "review" && b != "reviews" {
		return -1
	}
	k := h - 1
	if k < 1 {
		return -1
	}
	switch toks[k].low {
	case "week", "weeks", "month", "months", "year", "years":
	default:
		return -1
	}
	k--
	if toks[k].text == "-" && !toks[k].sp && k > 0 {
		k--
	}
	if !isNumberToken(toks[k]) {
		return -1
	}
	return k
}

func isNumberToken(t token) bool {
	if t.kind == tokNum {
		return true
	}
	_, d := digitWords[t.low]
	_, te := teenWords[t.low]
	_, tn := tensWords[t.low]
	return d || te || tn
}

// modifierWord: a word that can qualify a head in a name.
func modifierWord(t token) bool {
	if t.kind == tokNum {
		return true
	}
	if t.kind != tokWord {
		return false
	}
	b := baseName(t)
	if b == "week" || b == "weeks" || b == "ct" || b == "ray" || b == "follow" || b == "up" || b == "post" || b == "pre" || b == "op" {
		return true // "twenty week scan", "CT scan", "x ray", "follow-up scan"
	}
	// An eponym keeps its possessive even when it is also a word: "Down's".
	if t.upper && strings.HasSuffix(t.low, "'s") && !determiners[b] {
		return true
	}
	if stopWords[b] && !medWord(b) || titles[b] || determiners[b] || verbsBeforeNouns[b] {
		return false
	}
	return true
}

// ctRegions follow "CT" in a scan's name: "CT head", "CT abdo pelvis".
var ctRegions = wordSet(`head chest abdo abdomen abdominal pelvis thorax kub urogram colonography angiogram
sinuses neck spine brain`)

var determiners = wordSet(`a an the my his her their your our its this that these those some any no
another every each both either`)

// verbsBeforeNouns are verbs that commonly precede a condition or
// procedure name and must not be taken as its modifier.
var verbsBeforeNouns = wordSet(`had has have having got get getting need needs needed want wants wanted
book booked booking do does did done diagnosed suffer suffers suffering developed develop caught catch
think thought said says told say cancel cancelled move moved change changed arrange arranged schedule
scheduled due having for with from about after before since during like need about regarding re
discuss discussed referred refer sent send sort sorted treated treat found finds find results result
recovering recover recovered waiting wait awaiting mentioned mention suspected suspect confirmed
ruled rule possible probable chronic acute`)

// serviceLeadIns come before a unit named after what it treats ("go to
// minor injuries", "seen at minor injuries", "the walk-in centre or minor
// injuries").
// injuryHavers come before minor injuries someone has: "he only had
// minor injuries", "she walked away with minor injuries"; anywhere else
// "minor injuries" is the unit ("is minor injuries open", "the same as
// minor injuries").
var injuryHavers = wordSet(`had has have having only some just with sustained suffered suffering got few`)

var serviceLeadIns = wordSet(`to at into in from the call ring phone rang phoned can does do and or`)

func findMedicalForms(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord {
			continue
		}
		low := baseName(t)
		if t.upper && !sentenceStart(st, i) && (isFirstName(t) || isLastName(t) || st.tok(i+1).upper && st.tok(i+1).kind == tokWord && !st.tok(i+1).nl) {
			continue // "Euphemia" is a name, not an -emia
		}
		if t.upper && !sentenceStart(st, i) && orgHead(st, i) && (procedureHeadsStrong[low] || procedureHeadsWeak[low] || procedureByForm(low)) {
			st.veto(st.tok(i-1).s, t.e)
			continue // "Oakfield Physiotherapy", "Dr Cole's surgery": a practice
		}
		switch {
		case genericMedicine[low] && i > 0 && (toks[i-1].low == "any" || toks[i-1].low == "no"):
			// "not on any medication": no medicine named
		case genericMedicine[low] && medicineHolders[st.tok(i+1).low]:
			// "Dad's medication list": a paper about medicines
		case drugByForm(low):
			s := i
			if k := doseBefore(toks, i); k < i {
				s = k
			}
			e := doseAfter(toks, i+1)
			st.add(TypeMedication, toks[s].s, toks[e-1].e, 0.7, prioMedical+2)
		case conditionByForm(low):
			s, _ := modifierChain(toks, i, modifierWord)
			st.add(TypeMedicalCondition, toks[s].s, nameEnd(t), 0.7, prioMedical)
		case procedureByForm(low):
			s, _ := modifierChain(toks, i, modifierWord)
			if s == i && procedureTrap(st, i, i+1) {
				st.veto(t.s, t.e) // "the phlebotomy is on level two": the department
				break
			}
			st.add(TypeProcedure, toks[s].s, t.e, 0.7, prioMedical+1)
		case low == "injuries" && i > 0 && toks[i-1].low == "minor" && (i < 2 || serviceLeadIns[toks[i-2].low] || placeInClinic[st.tok(i+1).low] || !injuryHavers[toks[i-2].low]):
			st.veto(toks[i-1].s, t.e) // "go to minor injuries", "seen at minor injuries": the unit
		case (low == "surgery" || low == "surgeries") && i > 0 && (practiceWords[toks[i-1].low] || namedPractice(st, i)):
			st.veto(toks[i-1].s, t.e) // "the GP surgery", "a dental surgery", "at Brookfield surgery": a practice
		case conditionHeadsStrong[low] || conditionHeadsWeak[low]:
			s, med := modifierChainTrim(toks, i, modifierWord, !conditionHeadsStrong[low])
			if conditionHeadsWeak[low] && (med == 0 || s == i) {
				break
			}
			if conditionHeadsStrong[low] && s == i && (low == "disorder" || low == "disorders" || low == "condition") {
				break // "an eating disorder" has its modifier; a bare "disorder" is vague
			}
			st.add(TypeMedicalCondition, toks[s].s, t.e, 0.7, prioMedical)
		case procedureHeadsStrong[low] || procedureHeadsWeak[low]:
			if i > 0 && notClinical[toks[i-1].low] {
				st.veto(toks[i-1].s, t.e) // "a driving test", "a spelling test"
				break
			}
			s, med := modifierChain(toks, i, modifierWord)
			e := ofPhraseEnd(toks, i)
			if low == "ct" && e == i+1 {
				// "a CT head", "an urgent CT abdo pelvis", "a repeat CT": a
				// scan; a bare "CT" with no article may be a state.
				for e < len(toks) && ctRegions[toks[e].low] {
					e++
				}
				if e == i+1 && !(i > 0 && (possessives[toks[i-1].low] || determiners[toks[i-1].low] || toks[i-1].low == "repeat" || toks[i-1].low == "urgent")) {
					break
				}
				if s == i && i > 0 && (determiners[toks[i-1].low] || possessives[toks[i-1].low]) {
					s = i - 1
				}
			}
			if s < i && toks[s].upper && strings.HasSuffix(toks[s].low, "'s") {
				s = i // "Dr Cole's surgery" is his practice
			}
			if k := ageCheckStart(toks, i); k >= 0 {
				st.add(TypeProcedure, toks[k].s, t.e, 0.7, prioMedical+1)
				break // "his eight week check", "the two-year review"
			}
			if procedureHeadsWeak[low] && med == 0 && e == i+1 {
				break
			}
			if (low == "appointment" || low == "appointments") && onlyVisitTypes(toks, s, i) {
				break // "an urgent appointment", "a double appointment"
			}
			if headNeedsTwo[low] && s == i && !(low == "review" && i > 0 && (possessives[toks[i-1].low] || strings.HasSuffix(toks[i-1].low, "'s") || toks[i-1].low == "sons" || toks[i-1].low == "daughters" || toks[i-1].low == "mums" || toks[i-1].low == "dads")) {
				break // "my review", "my son's review" are a patient's review
			}
			if s == i && e == i+1 {
				break // bare heads are the lexicon's, with its guards
			}
			st.add(TypeProcedure, toks[s].s, toks[e-1].e, 0.7, prioMedical+1)
		}
	}
	findInjuries(st)
	findReferrals(st)
	findMentalHealth(st)
	findHadUnknown(st)
	findLayLevels(st)
	findConditionAdjectives(st)
	findTroubleWith(st)
	findMeasured(st)
	findFeelingBad(st)
	findReactions(st)
	findItSymptoms(st)
	findNotDoing(st)
	findDoseComments(st)
	findKeepsDoing(st)
	findDoingAtOddTimes(st)
	findThrewUp(st)
	findUpAtNight(st)
	findMarksOnBody(st)
	findCoordinated(st)
	findMishaps(st)
	findSideEffects(st)
	findResultWords(st)
	findDoneToBody(st)
	findPurposeForms(st)
	findMedicationCues(st)
	findContrast(st)
	findEverydayTreatments(st)
	findTreatedFor(st)
	findBirthProcedures(st)
	findLostControl(st)
	findSpeltMedicines(st)
	findSpeltTests(st)
	findModifiedScans(st)
	findMedicineEffects(st)
	findLaySymptoms(st)
	findRound18Frames(st)
	findPrEP(st)
	findKnocks(st)
	findNoTemperature(st)
}

// procedureForms are the medicationForms given rather than taken: "the h
// p v jab" is a vaccination.
var procedureForms = wordSet(`jab jabs injection injections infusion infusions`)

// findSpeltMedicines: letters read out before a medicine's form ("my g t
// n spray", "the h r t gel", "p p i tablets") name a medicine, as
// speech-to-text writes an initialism.
func findSpeltMedicines(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		k := i
		for k < len(toks) && toks[k].kind == tokWord && len(toks[k].low) == 1 && toks[k].low != "a" && toks[k].low != "i" {
			k++
		}
		if k-i >= 2 && k < len(toks) && medicationForms[toks[k].low] && !procedureForms[toks[k].low] {
			st.add(TypeMedication, toks[i].s, toks[k].e, 0.6, prioMedical+2)
		}
		if k > i {
			i = k
		}
	}
}

// spelledTests are the tests and treatments the lexicon knows by an
// initialism, as speech-to-text spells one out letter by letter.
var spelledTests = initialisms(builtinProcedures())

// initialisms are the lexicon entries short enough to be spelt out
// letter by letter: one word of two to five characters that is no
// English word ("ecg", "adhd").
func initialisms(lines []string, extra ...string) map[string]bool {
	m := map[string]bool{}
	for _, p := range append(lines, extra...) {
		if len(p) >= 2 && len(p) <= 5 && !strings.ContainsAny(p, " -&'") && !englishWord(p) {
			m[p] = true
		}
	}
	return m
}

// testedFor are conditions a test is named after, spelt out before
// "test" ("the t b test", "an h i v test").
var testedFor = wordSet(`tb hiv sti std hpv pcr covid`)

// spelledConditions are the conditions the lexicon knows by an
// initialism ("a d h d", "c o p d", "i b s").
var spelledConditions = initialisms(phraseLines(conditionsSrc), "af", "hpv", "tb")

// spelledMedicines are the medicines the lexicon knows by an initialism
// ("g t n", "h r t", "p p i"); before a medicine's form findSpeltMedicines
// has them too.
var spelledMedicines = initialisms(phraseLines(medicationsSrc))

// findSpeltTests: "is the e c g back", "his i n r is due", "the m r i
// scan", "hes got a d h d", "my a d h d assessment": letters read out
// that join into a test's or a condition's initialism. Each letter
// stands alone, so "a" and "i" count too ("i n r").
func findSpeltTests(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		k := i
		var join strings.Builder
		distinct := false // a letter no word is spelt like: "gee", "dee", "tee"
		for k < len(toks) && toks[k].kind == tokWord && (k == i || !toks[k].nl) {
			if len(toks[k].low) == 1 {
				join.WriteString(toks[k].low)
			} else if l, ok := letterNames[toks[k].low]; ok {
				join.WriteString(l)
				distinct = distinct || !commonLetterNames[toks[k].low]
			} else {
				break
			}
			k++
		}
		if k-i >= 2 && !distinct && spelledWords(toks[i:k]) {
			join.Reset() // "you see", "oh are": words, not letters
		}
		n := nextLow(toks, k)
		testAfter := n == "scan" || n == "test" || n == "check" || n == "assessment" || n == "screen" || n == "jab" || n == "vaccine" || n == "vaccination"
		switch j := join.String(); {
		case k-i < 2:
		case spelledTests[j] || testAfter && (testedFor[j] || spelledConditions[j]):
			e := k
			if testAfter {
				e++
			}
			st.add(TypeProcedure, toks[i].s, toks[e-1].e, 0.6, prioMedical+1)
		case spelledConditions[j]:
			st.add(TypeMedicalCondition, toks[i].s, toks[k-1].e, 0.6, prioMedical)
		case spelledMedicines[j]:
			st.add(TypeMedication, toks[i].s, toks[k-1].e, 0.6, prioMedical+2) // "talk to someone about h r t"
		}
		if k > i {
			i = k - 1
		}
	}
}

// letterNames are letters as speech-to-text writes them when they are
// read out: "oh gee dee", "tee ee ee".
var letterNames = map[string]string{"ay": "a", "bee": "b", "cee": "c", "see": "c", "dee": "d", "ee": "e", "eff": "f",
	"gee": "g", "aitch": "h", "eye": "i", "jay": "j", "kay": "k", "el": "l", "em": "m", "en": "n", "oh": "o",
	"pee": "p", "cue": "q", "ar": "r", "ess": "s", "tee": "t", "you": "u", "vee": "v", "ex": "x", "why": "y", "zed": "z"}

// commonLetterNames are letter names that are also everyday words; a run
// of them alone ("oh you see") spells nothing.
var commonLetterNames = wordSet(`see eye oh pee you why ex bee cue ay`)

// spelledWords: every token of the run is a word, none a single letter.
func spelledWords(run []token) bool {
	for _, t := range run {
		if len(t.low) == 1 {
			return false
		}
	}
	return true
}

// findLostControl: "he's wet the bed", "she wet herself", "he's slurring
// his words", "she gets car sick": a body that has lost control of its
// bladder, its speech or its stomach.
func findLostControl(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		w := toks[i].low
		switch {
		case w == "wet" || w == "wets" || w == "wetting" || w == "wetted":
			n := toks[i+1].low
			e := -1
			if b := st.tok(i + 2).low; n == "the" && (b == "bed" || b == "beds") {
				e = i + 2
			} else if reflexives[n] {
				e = i + 1
			}
			if e >= 0 {
				st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
			}
		case (w == "car" || w == "travel" || w == "sea" || w == "motion" || w == "air") && (toks[i+1].low == "sick" || toks[i+1].low == "sickness"):
			st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical) // "she gets car sick"
		case w == "slurring" || w == "slurred" || w == "slurs":
			if w2 := st.tok(i + 2); possessives[toks[i+1].low] && (w2.low == "words" || w2.low == "speech") {
				st.add(TypeMedicalCondition, toks[i].s, w2.e, 0.6, prioMedical)
			}
		}
	}
}

var reflexives = wordSet(`myself himself herself themselves yourself ourselves`)

// findBirthProcedures: "a sweep", "booked for induction" are procedures
// in a call about a birth ("booked for induction" is one anyway); without
// a midwife, a due date or a pregnancy in the utterance they are a
// chimney sweep and a first day at work.
func findBirthProcedures(st *scanState) {
	toks := st.toks
	for i, t := range toks {
		if !birthProcedures[t.low] {
			continue
		}
		p := st.tok(i - 1).low
		if !determiners[p] && !possessives[p] && p != "another" && p != "for" && p != "my" {
			continue
		}
		booked := p == "for" && t.low == "induction" && (st.tok(i-2).low == "booked" || st.tok(i-2).low == "scheduled" || st.tok(i-2).low == "in")
		if !booked && !hasWordIn(st, maternityCues) {
			continue
		}
		s := i
		if determiners[p] || possessives[p] || p == "another" {
			s = i - 1
		}
		st.add(TypeProcedure, toks[s].s, t.e, 0.7, prioMedical+1)
	}
}

var birthProcedures = wordSet(`sweep sweeps induction`)

var maternityCues = wordSet(`midwife midwives pregnant pregnancy labour contractions waters antenatal maternity
weeks due baby induced gestation`)

// findEverydayTreatments: treatments named by an everyday noun ("after the
// laser", "bruise more after the fillers", "soreness after the
// tightening", "booked for the reversal") are procedures when a verb or
// preposition of care comes before the article and no noun follows ("the
// laser pointer", "the reversal of the charge", "after the bridge" on a
// road are not). A bridge needs a dental word in the utterance.
func findEverydayTreatments(st *scanState) {
	toks := st.toks
	for i := 2; i < len(toks); i++ {
		w := toks[i].low
		if !everydayTreatments[w] || !(determiners[toks[i-1].low] || possessives[toks[i-1].low]) || !careLeadIns[toks[i-2].low] {
			continue
		}
		if n := st.tok(i + 1); n.kind == tokWord && !treatmentFollowers[n.low] {
			continue
		}
		if (w == "bridge" || w == "bridges") && !hasWordIn(st, dentalCues) {
			continue
		}
		st.add(TypeProcedure, toks[i-1].s, toks[i].e, 0.65, prioMedical+1)
	}
	// "for the pre-op", "about the pre op": the assessment as a noun; "the
	// pre-op nurse", "at pre-op" stay unmarked.
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].low != "pre" || !(determiners[toks[i-1].low] || possessives[toks[i-1].low]) || i < 2 || !careLeadIns[toks[i-2].low] {
			continue
		}
		k := i + 1
		if toks[k].text == "-" {
			k++
		}
		if k >= len(toks) || toks[k].low != "op" {
			continue
		}
		if n := st.tok(k + 1); n.kind == tokWord && !treatmentFollowers[n.low] {
			continue
		}
		st.add(TypeProcedure, toks[i-1].s, toks[k].e, 0.65, prioMedical+1)
	}
}

func hasWordIn(st *scanState, set map[string]bool) bool {
	for _, t := range st.toks {
		if set[baseName(t)] {
			return true
		}
	}
	return false
}

var everydayTreatments = wordSet(`laser lasers fillers filler peel peels bonding tightening patching reversal
adjustment adjustments bridge bridges`)

var careLeadIns = wordSet(`after since before for from book booked booking have had having get getting
need needs needed due about do did does done started start finished finish missed cancel cancelled
rebook move during`)

var treatmentFollowers = wordSet(`is was isn't wasn't has hasn't have had on at in and but so i it yesterday
last next tomorrow today this went made didn't did does doesn't for with because cos or then now done they we he she you
please`)

var dentalCues = wordSet(`tooth teeth dentist dental crown crowns implant implants denture dentures gum gums
filling fillings`)

// findContrast: the dye given for a scan is a medicine ("a reaction to the
// contrast dye", "they can't give the contrast", "iodine contrast"). "In
// contrast", "the contrast of the colours", "an MRI with contrast" (the
// scan's name) and "hair dye" are not.
func findContrast(st *scanState) {
	toks := st.toks
	scanCue := hasContrastCue(st)
	for i, t := range toks {
		if t.low != "contrast" && t.low != "dye" {
			continue
		}
		prev, next := st.tok(i-1).low, st.tok(i+1).low
		e := i + 1
		if t.low == "contrast" && (next == "dye" || next == "agent" || next == "medium") {
			e++
		} else if t.low == "contrast" && (next == "of" || next == "between" || next == "to" || next == "with" || next == "in") {
			continue
		}
		s := i
		switch {
		case prev == "iodine" || prev == "iodinated" || prev == "gadolinium" || prev == "iv":
			s = i - 1
			if determiners[st.tok(i-2).low] {
				s = i - 2
			}
		case determiners[prev] && prev != "no" && prev != "any":
			s = i - 1
		case e == i+2:
		default:
			continue
		}
		if t.low == "dye" && !scanCue {
			continue
		}
		st.add(TypeMedication, toks[s].s, toks[e-1].e, 0.7, prioMedical+2)
	}
}

func hasContrastCue(st *scanState) bool {
	for _, t := range st.toks {
		if contrastCues[baseName(t)] {
			return true
		}
	}
	return false
}

var contrastCues = wordSet(`scan scans ct mri angiogram angiography x-ray xray urogram allergic allergy reaction
injected injection kidneys kidney iodine contrast radiographer radiology`)

// findTreatedFor reads what a drug is for: "allopurinol for my gout",
// "Zirtek for the itching", "an inhaler for my asthma". The one or two
// words after "for (my|the|his|her)" are a condition unless they are a body
// part, a time or an everyday purpose ("for my back" stays unmarked: the
// back is not the condition).
func findTreatedFor(st *scanState) {
	toks := st.toks
	for _, c := range st.cands {
		if c.typ != TypeMedication {
			continue
		}
		k := st.tokenAt(c.e)
		for n := 0; n < 4 && k < len(toks) && (toks[k].kind == tokWord || toks[k].kind == tokNum) && toks[k].low != "for"; n++ {
			k++ // "Fostair, two puffs, for ...": skip a dose or a frequency
		}
		if k >= len(toks) || toks[k].low != "for" || toks[k].nl {
			continue
		}
		k++
		if k < len(toks) && (possessives[toks[k].low] || toks[k].low == "the") {
			k++
		}
		s := k
		e := k
		for n := 0; n < 2 && e < len(toks) && toks[e].kind == tokWord && !toks[e].nl; n++ {
			w := baseName(toks[e])
			if notTreatedFor[w] || stopWords[w] && !medWord(w) || (injuryParts[w] || anatomy[w] || faculties[w]) && n == 0 && !medWord(st.tok(e+1).low) {
				break
			}
			e++
		}
		if e > s && treatedForCondition(st, s, e) {
			st.add(TypeMedicalCondition, toks[s].s, nameEnd(toks[e-1]), 0.6, prioMedical)
		}
	}
}

// treatedForCondition: what follows "for" names a condition only with some
// clinical evidence, and never when it opens with a title ("for Mrs
// Okonkwo"), a place ("malaria tablets for Kenya") or an animal's body
// part ("bute for his hock"), or is an everyday thing ("paying for the
// box"). WordNet's first sense tells places and body parts apart.
func treatedForCondition(st *scanState, s, e int) bool {
	first := baseName(st.toks[s])
	if titles[first] || namedPatient(st, s, e) {
		return false
	}
	if !medWord(first) {
		if n, _ := wordnetSense(first); n == wnNounLocation || n == wnNounBody && e == s+1 {
			return false
		}
	}
	for k := s; k < e; k++ {
		if clinicalEvidence(baseName(st.toks[k])) {
			return true
		}
	}
	return false
}

// notTreatedFor are purposes a drug is taken for that are no condition.
var notTreatedFor = wordSet(`weight sleep work travel holiday holidays a an now years months weeks days ages
life long time while bit day night morning evening mornings nights year month week today tomorrow it that
this them him her me you us children kids baby son daughter wife husband mum dad mother father toddler
toddlers boy girl grandson granddaughter kid twins partner family nan grandad grandma`)

// orgHead: a capitalised head word after a capitalised word or a
// possessive name is part of a practice's name, not a treatment.
func orgHead(st *scanState, i int) bool {
	p := st.tok(i - 1)
	// "My INR was 4.8", "Her MRI": a capitalised possessive or article
	// opens a sentence, not a name; "Mr Hussain's INR" is his test, an
	// initialism in capitals after a person's possessive.
	if t := st.toks[i]; strings.HasSuffix(p.low, "'s") && len(t.text) >= 2 && t.text == strings.ToUpper(t.text) {
		return false
	}
	return p.upper && p.kind == tokWord && !possessives[p.low] && !determiners[p.low]
}

// ofPhraseEnd extends "removal of a mole", "MRI of the lumbar spine", "a CT
// of my chest" over "of (the|my|a)? word word?" when the words are
// anatomy or clinical; it returns the end token index (exclusive).
func ofPhraseEnd(toks []token, h int) int {
	k := h + 1
	if k >= len(toks) || toks[k].low != "of" || toks[k].nl {
		return h + 1
	}
	k++
	if k < len(toks) && determiners[toks[k].low] {
		k++
	}
	end := h + 1
	for n := 0; n < 3 && k < len(toks) && toks[k].kind == tokWord && !toks[k].nl; n++ {
		if medWord(toks[k].low) || anatomy[toks[k].low] {
			end = k + 1
		} else if !(toks[k].low == "left" || toks[k].low == "right" || toks[k].low == "lower" || toks[k].low == "upper") {
			break
		}
		k++
	}
	return end
}

// injuryAdjectives before a body part make an injury or a symptom.
var injuryAdjectives = wordSet(`twisted sprained broken fractured torn pulled dislocated bruised swollen
infected bulging slipped trapped frozen blocked cracked chipped impacted ingrown inflamed dodgy sore
stiff strained damaged perforated burst herniated collapsed enlarged runny stuffy itchy bad weak
injured hurt aching painful numb tender prolapsed ruptured displaced pinched irritated deviated
overactive underactive perforated detached`)

var injuryVerbs = wordSet(`sprained twisted broke broken hurt injured pulled tore torn fractured
dislocated cut burnt burned bumped banged chipped cracked rolled jarred strained trapped damaged bruised
knocked ricked cricked snapped done split bust busted grazed scraped stubbed scalded sliced crushed
jammed nicked gashed`)

var injuryParts = func() map[string]bool {
	m := map[string]bool{}
	for w := range bodyParts {
		m[w] = true
	}
	for _, w := range strings.Fields(`disc discs cuff nose chest tooth teeth hamstring hamstrings ligament
ligaments tendon tendons cartilage meniscus achilles nerve nerves toenail toenails nail nails calf calves
thigh thighs shin shins spine hip pelvis collarbone rib ribs skull bone bones wrist muscle muscles
molar eardrum kneecap septum bladder thyroid retina bowel lymph node nodes gland glands`) {
		m[w] = true
	}
	return m
}()

// findInjuries: "a torn rotator cuff", "a bad chest", "sprained my ankle",
// "broken my wrist", "pulled a muscle".
func findInjuries(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord {
			continue
		}
		var j int
		switch {
		case injuryVerbs[t.low]:
			j = i + 1
			if t.low == "done" && !possessives[st.tok(j).low] {
				continue // "I've done my knee in", not "done the forms"
			}
			if j < len(toks) && (determiners[toks[j].low]) {
				j++
			}
		case injuryAdjectives[t.low] && i > 0 && determiners[toks[i-1].low]:
			j = i + 1
		default:
			continue
		}
		// up to two qualifiers: "left", "wisdom", "rotator"
		for n := 0; n < 2 && j < len(toks) && !injuryParts[toks[j].low] && (sideWords[toks[j].low] || anatomy[toks[j].low] || injuryAdjectives[toks[j].low]); n++ {
			j++
		}
		// "pulled something in my back", "done something to my knee"
		if injuryVerbs[t.low] && j == i+1 && j+2 < len(toks) && toks[j].low == "something" && (toks[j+1].low == "in" || toks[j+1].low == "to") && possessives[toks[j+2].low] {
			j += 3
			for n := 0; n < 2 && j < len(toks) && !injuryParts[toks[j].low] && sideWords[toks[j].low]; n++ {
				j++
			}
		}
		if j < len(toks) && injuryParts[toks[j].low] && !toks[j].nl {
			e := j + 1
			if e < len(toks) && injuryParts[toks[e].low] { // "rotator cuff", "wisdom tooth"
				e++
			}
			if e < len(toks) && (toks[e].low == "out" || toks[e].low == "in") && injuryVerbs[t.low] {
				e++ // "knocked a tooth out", "done my knee in"
			}
			st.add(TypeMedicalCondition, t.s, toks[e-1].e, 0.7, prioMedical)
			i = e - 1
		}
	}
}

// notClinical before a head makes it everyday: "driving test", "theory
// test", "fire drill".
var notClinical = wordSet(`driving theory spelling maths math reading school exam mot fire covid-secure
road speed crash stress-free job credit eye-catching sound screen`)

var possessives = wordSet(`my his her their your our`)

var sideWords = wordSet(`left right lower upper front back top bottom big little middle index ring inner outer wisdom rotator`)

// Levels in lay words: "my sugar's high", "blood pressure's through the
// roof", "sugars are running high", "cholesterol is high".
var levelSubjects = wordSet(`sugar sugars pressure pressures bp cholesterol iron thyroid glucose potassium
platelets ferritin psa hba1c temperature temp pulse levels level inr bloods`)

var levelLinks = wordSet(`is are was were been be being has have keeps keep going gone running got
getting really very quite a bit too still always so dangerously bit slightly`)

var levelWords = wordSet(`high low up down raised elevated abnormal dropping rising borderline off
higher lower through`)

func findLayLevels(st *scanState) {
	toks := st.toks
	// Level first: "low vitamin D", "raised PSA", "low iron".
	for i := 0; i+1 < len(toks); i++ {
		if w := toks[i].low; w != "low" && w != "high" && w != "raised" && w != "elevated" && w != "abnormal" {
			continue
		}
		j := i + 1
		if toks[j].low == "vitamin" && j+1 < len(toks) && len(toks[j+1].text) <= 3 {
			j++
		} else if !levelSubjects[baseName(toks[j])] || toks[j].low == "temperature" || toks[j].low == "level" || toks[j].low == "levels" {
			continue
		}
		e := j + 1
		if e < len(toks) && (toks[e].low == "levels" || toks[e].low == "level" || toks[e].low == "count") {
			e++
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e-1].e, 0.75, prioMedical+3)
		i = e - 1
	}
	for i := 0; i < len(toks); i++ {
		b := baseName(toks[i])
		if !levelSubjects[b] && !levelSubjects[strings.TrimSuffix(b, "s")] {
			continue
		}
		s := i
		if i > 0 && (toks[i-1].low == "blood" || toks[i-1].low == "heart") {
			s = i - 1
		}
		j := i + 1
		for n := 0; n < 4 && j < len(toks) && levelLinks[toks[j].low] && !toks[j].nl; n++ {
			j++
		}
		if j < len(toks) && levelWords[toks[j].low] && !toks[j].nl {
			e := j + 1
			if toks[j].low == "through" && e+1 < len(toks) && toks[e].low == "the" && toks[e+1].low == "roof" {
				e += 2
			}
			st.add(TypeMedicalCondition, toks[s].s, toks[e-1].e, 0.75, prioMedical)
			i = e - 1
		}
	}
}

// Condition adjectives after a copula: "I'm asthmatic", "he's dyslexic",
// "she's lactose intolerant", "my mum is type 1".
var conditionAdjectives = wordSet(`asthmatic diabetic epileptic dyslexic dyspraxic autistic anaemic anemic
arthritic bipolar coeliac celiac hypertensive hypothyroid anorexic bulimic schizophrenic psychotic deaf
blind disabled pregnant infertile incontinent immunocompromised immunosuppressed depressed suicidal
paralysed paralyzed allergic nauseous dizzy breathless wheezy feverish constipated dehydrated jaundiced
menopausal perimenopausal postmenopausal prediabetic pre-diabetic insulin-dependent housebound
floppy drowsy listless clammy limping sleepy shivery tearful weepy irritable agitated paranoid manic hypomanic hyperactive sterile impotent agoraphobic claustrophobic obese overweight underweight anxious poorly
hypermobile immobile bedbound bedridden frail confused breathless faint lightheaded light-headed woozy
unwell sick ill tired exhausted lethargic drained fatigued bloated shaky achy expecting thirsty
hallucinating teary delirious disorientated disoriented unsteady nauseated panicky pale groggy forgetful muddled
clingy chesty slurred nonverbal queasy jittery snappy aggressive jumpy twitchy clumsy restless withdrawn
grizzly knackered hyper grumpy shattered`)

// degreeAdverbs grade a condition after a copula: "she's doubly
// incontinent", "he's profoundly deaf", "I'm registered blind".
var degreeAdverbs = wordSet(`doubly completely totally absolutely profoundly severely mildly partially fully slightly
	permanently registered clinically chronically moderately`)

var copulas = wordSet(`i'm im am is are was were he's hes she's shes they're theyre been being be
become became feel feeling felt feels not also very really quite so always constantly still getting gone`)

// copulaAt: a copula, or a relative's "is" ("my wife's a bit teary").
func copulaAt(st *scanState, k int) bool {
	if k < 0 {
		return false
	}
	low := st.toks[k].low
	if copulas[low] {
		return true
	}
	return strings.HasSuffix(low, "'s") && relationCues[strings.TrimSuffix(low, "'s")] && k > 0 && possessives[st.toks[k-1].low]
}

func findConditionAdjectives(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		// "I'm a bit wheezy", "he's a little confused"
		bit := i >= 3 && (toks[i-1].low == "bit" || toks[i-1].low == "little") && toks[i-2].low == "a" && copulaAt(st, i-3) ||
			// "she's more forgetful than normal", "he's getting more confused"
			i >= 2 && (toks[i-1].low == "more" || toks[i-1].low == "increasingly" || degreeAdverbs[toks[i-1].low]) && copulaAt(st, i-2) ||
			// "no she's not floppy she's just grizzly"
			i >= 2 && toks[i-1].low == "just" && copulaAt(st, i-2)
		if t.kind != tokWord || !copulaAt(st, i-1) && !bit {
			continue
		}
		s := t.s
		if i >= 2 && (toks[i-1].low == "more" || degreeAdverbs[toks[i-1].low]) && copulaAt(st, i-2) {
			s = toks[i-1].s // "more forgetful than normal", "doubly incontinent" are the mention
		}
		switch {
		case t.low == "in" && st.tok(i+1).low == "agony":
			// "I'm still in agony"
			st.add(TypeMedicalCondition, t.s, toks[i+1].e, 0.7, prioMedical)
		case t.low == "type" && i+1 < len(toks) && (toks[i+1].low == "1" || toks[i+1].low == "2" || toks[i+1].low == "one" || toks[i+1].low == "two"):
			e := i + 2
			if e < len(toks) && (toks[e].low == "diabetic" || toks[e].low == "diabetes") {
				e++
			}
			st.add(TypeMedicalCondition, t.s, toks[e-1].e, 0.75, prioMedical)
		case i+1 < len(toks) && toks[i+1].low == "intolerant" && t.kind == tokWord:
			st.add(TypeMedicalCondition, t.s, toks[i+1].e, 0.75, prioMedical)
		case conditionAdjectives[t.low] && weakAdjective(st, i):
			st.veto(t.s, t.e)
		case conditionAdjectives[t.low]:
			st.add(TypeMedicalCondition, s, t.e, 0.65, prioMedical)
		case strings.HasSuffix(t.low, "ic") && len(t.low) >= 7 && conditionStem(t.low):
			st.add(TypeMedicalCondition, t.s, t.e, 0.65, prioMedical)
		}
	}
}

// weakAdjective vetoes everyday uses: "I'm sick of waiting", "sick and
// tired", "anxious to get this sorted", "blind date".
func weakAdjective(st *scanState, i int) bool {
	t := st.toks[i]
	next := st.tok(i + 1).low
	switch t.low {
	case "poorly", "unwell":
		return next == "of" || next == "to" || next == "about"
	case "sick", "ill":
		// "I was sick three times", "he's ill"; "sick of waiting", "sick
		// note", "sick and tired" are not.
		return next == "of" || next == "to" || next == "and" || next == "about" || next == "enough" || next == "note" || next == "notes" || next == "leave" || next == "pay" || next == "day" || next == "days" || next == "line" || next == "bag" || next == "joke" || next == "burn"
	case "anxious":
		// "anxious to get this sorted", "anxious about the bill" are
		// everyday; "really anxious and not sleeping", "getting really
		// anxious about it" (the results) are not.
		p := st.toks[i-1].low
		graded := p == "really" || p == "so" || p == "very"
		return next == "of" || next == "to" || next == "about" && !graded || !(p == "feeling" || p == "feel" || p == "felt" || p == "been" || graded || p == "constantly" || p == "always")
	case "shattered":
		// "I feel shattered"; "I'm absolutely shattered after the flight"
		// is a long day.
		p := st.toks[i-1].low
		return !(p == "feel" || p == "feeling" || p == "felt")
	case "tired", "exhausted", "drained", "shaky", "achy", "bloated", "lethargic", "fatigued", "thirsty":
		// "I've been really tired", "feeling exhausted"; "I'm tired of
		// waiting", "tired out from the drive" are everyday.
		p := st.toks[i-1].low
		if next == "all" && st.tok(i+2).low == "the" && st.tok(i+3).low == "time" || next == "constantly" {
			return false // "bloated all the time"
		}
		if t.low == "exhausted" && personCopulas[p] && (next == "" || next == "and" || next == "again" || next == "now" || st.tok(i+1).kind == tokPunct) {
			return false // "and I'm exhausted", "he's exhausted —"
		}
		return next == "of" || next == "out" || next == "from" || next == "after" || !(p == "feeling" || p == "feel" || p == "felt" || p == "been" || p == "really" || p == "so" || p == "very" || p == "constantly" || p == "always" || p == "absolutely" || p == "completely" || p == "totally" || p == "still")
	case "withdrawn":
		// "she's gone very withdrawn"; "the application was withdrawn" is
		// a thing taken back.
		p := st.toks[i-1].low
		return !(intensifiers[p] || p == "more" || p == "gone" || p == "become" || p == "became" || p == "getting" || p == "bit" || p == "little" || personCopulas[p])
	case "expecting":
		// "she's expecting" (a baby); "I'm expecting a call" is not.
		return !(next == "" || st.tok(i+1).kind == tokPunct || next == "and" || next == "again" || next == "twins" || next == "a" && st.tok(i+2).low == "baby")
	case "blind":
		return next == "date" || next == "spot"
	case "allergic":
		return next == "to" && (st.tok(i+2).low == "mondays" || st.tok(i+2).low == "work" || st.tok(i+2).low == "exercise")
	}
	return false
}

// conditionStem: "asthmatic" shares its stem with "asthma" in the lexicon.
func conditionStem(low string) bool {
	stem := low[:len(low)-3]
	for k, ps := range conditionLexicon.byFirst {
		if len(k) >= 5 && strings.HasPrefix(k, stem[:min(len(stem), 5)]) && strings.HasPrefix(low, k[:min(len(k), len(stem))]) {
			for _, p := range ps {
				if len(p) == 1 {
					return true
				}
			}
		}
	}
	return false
}

// What was done to a body part: "a tooth out", "my teeth whitened", "ears
// syringed", "blood pressure checked", "her appendix out".
var doneObjects = wordSet(`tooth teeth appendix tonsils adenoids gallbladder stitches staples clips coil mole moles ears
ear wax cataract cataracts bloods implant brace braces cast plaster dressing dressings catheter toenail
nail cyst lump polyp wisdom bp pressure cholesterol eyes eye hearing heart filling fillings crown
crowns smear womb ovaries prostate hip hips knee knees shoulder veins bunion bunions sugar sugars levels iron`)

var doneParticiples = wordSet(`out removed pulled extracted whitened cleaned syringed checked fitted mapped biopsied
changed drained lanced frozen scaled filled straightened capped crowned tested lasered dressed stitched
x-rayed xrayed scanned injected replaced repaired taken taking re-dressed sewn looked examined measured
done doing adjusted tightened pierced`)

func findDoneToBody(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		if !doneObjects[t.low] {
			continue
		}
		prev := toks[i-1].low
		s := i
		if prev == "wisdom" || prev == "blood" || prev == "ear" {
			s = i - 1
			prev = st.tok(i - 2).low
		}
		if !(determiners[prev] || isNumberToken(toks[s-1]) || prev == "two" || prev == "few") {
			continue
		}
		j := i + 1
		if j < len(toks) && toks[j].low == "looked" && st.tok(j+1).low == "at" {
			j++ // "looked at"
		}
		if j < len(toks) && doneParticiples[toks[j].low] && !toks[j].nl {
			// "done" only after an object that is itself a procedure
			// word, "my bloods done"; "my teeth done" is slang for it too.
			if toks[j].low == "done" && !(t.low == "bloods" || t.low == "teeth" || t.low == "smear" || t.low == "filling" || t.low == "fillings" || t.low == "hip" || t.low == "hips" || t.low == "knee" || t.low == "knees" || t.low == "cataract" || t.low == "cataracts" || t.low == "veins" || t.low == "bunion" || t.low == "bunions") {
				continue
			}
			e := j + 1
			if e < len(toks) && toks[e].low == "out" && (toks[j].low == "taken" || toks[j].low == "taking") {
				e++ // "taken out"
			}
			st.add(TypeProcedure, toks[s].s, toks[e-1].e, 0.7, prioMedical+1)
			i = e - 1
		} else if n := toks[j:min(j+2, len(toks))]; len(n) == 2 && (n[0].low == "needs" || n[0].low == "need" || n[0].low == "needed") && doneGerunds[n[1].low] {
			// "his catheter needs changing", "my ears need syringing"
			e := j + 2
			if n[1].low == "taking" && st.tok(e).low == "out" {
				e++ // "the stitches need taking out"
			}
			st.add(TypeProcedure, toks[s].s, toks[e-1].e, 0.7, prioMedical+1)
			i = e - 1
		}
	}
}

var doneGerunds = wordSet(`changing redoing removing syringing replacing dressing draining checking taking`)

// Medication cues --------------------------------------------------------

// medicationForms follow a drug's name: "Fostair inhaler", "Dermol cream".
var medicationForms = wordSet(`inhaler inhalers cream creams tablets tablet pills pill injections injection
pen pens patches patch spray sprays drops gel ointment capsules capsule syrup lotion shampoo pessaries
pessary suppositories mouthwash liquid solution sachets sachet lozenges puffs jab infusion infusions`)

// medicationVerbs come before a drug's name.
var medicationVerbPhrases = []string{
	"i'm on", "im on", "i am on", "he's on", "hes on", "she's on", "shes on", "they're on", "is on",
	"was on", "been on", "still on", "currently on", "also on", "started on", "started me on", "put me on",
	"put him on", "put her on", "now on", "take", "takes", "taking", "took", "prescribed", "given",
	"gave me", "using", "use", "uses", "used", "switched me to", "switched to", "changed me to",
	"ran out of", "run out of", "out of", "repeat of", "prescription for", "stopped", "stopped taking",
	"need my", "more", "more of", "more of my", "repeat of my", "renew my", "on my", "need more", "need some",
	"and", "dose of", "course of", "allergic to", "reaction to",
}

func findMedicationCues(st *scanState) {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord || len(t.text) < 4 {
			continue
		}
		low := baseName(t)
		if !drugCandidate(low) && !brandShaped(st, i) || nationalityWords[low] || shiftWords[low] {
			continue // "does the clinic take Irish Life", "I'm on earlies"
		}
		if n := baseName(st.tok(i + 1)); planWords[n] || streetSuffixes[n] || placeHeads[n] || serviceHeads[n] || orgFollowers[n] {
			continue // "my Bupa membership", "the Clarendon Road site", "the Westgate office", "the Teva brand"
		}
		// "Co-amilofruse", "co-careldopa": the combination prefix belongs
		// to the name, and the cue stands before it.
		first := i
		if i >= 2 && toks[i-1].text == "-" && !toks[i-1].sp && !t.sp && toks[i-2].low == "co" {
			first = i - 2
		}
		e := i + 1
		cue := false
		// After: a dose, a form, a frequency.
		if k := doseAfter(toks, i+1); k > i+1 {
			cue, e = true, k
		} else if n := st.tok(i + 1); medicationForms[n.low] && !n.nl {
			cue, e = true, i+2
		} else if frequencyAfter(st, i+1) {
			cue = true
		}
		if !cue {
			w := st.windowBefore(toks[first].s, 4)
			cueWord := ""
			for _, p := range medicationVerbPhrases {
				if endsWithWords(w, p) || endsWithWords(strings.TrimSuffix(w, "the "), p) || endsWithWords(strings.TrimSuffix(w, "my "), p) {
					cue, cueWord = true, p
					break
				}
			}
			// A bare "and" links only to a drug already named: "ramipril
			// and X". "and the X", "and my X" stand on their own.
			if cue && strings.HasSuffix(w, " and ") && !medicationBefore(st, i) {
				cue = false
			}
			// "works out of the Westgate office", "getting out of
			// Beaumont": a place left, not a medicine run out of.
			if cueWord == "out of" && movedOut(st, first) {
				cue = false
			}
			if cueWord == "take" && acceptedPayment(st, first) {
				cue = false // "do you take Bupa", "does the clinic take Irish Life"
			}
		}
		if !cue {
			// "the Diprobase isn't helping"
			if st.tok(i-1).low == "the" && (st.tok(i+1).low == "isn't" || st.tok(i+1).low == "doesn't" || st.tok(i+1).low == "hasn't" || st.tok(i+1).low == "isnt" || st.tok(i+1).low == "wasn't") {
				if n := st.tok(i + 2).low; n == "helping" || n == "working" || n == "help" || n == "work" || n == "touching" || n == "shifting" || n == "clearing" {
					cue = true
				}
			}
		}
		if cue {
			st.add(TypeMedication, toks[first].s, toks[e-1].e, 0.6, prioMedical+2)
			i = e - 1
		}
	}
}

// orgFollowers name what a capitalised word before them is: a company, a
// brand, a building.
var orgFollowers = wordSet(`office offices brand brands company group building site ltd limited plc essentials`)

// movedOut: "out of" before toks[i] follows a verb of work or movement
// ("works out of", "getting out of", "came out of").
func movedOut(st *scanState, i int) bool {
	k := i - 1
	if d := st.tok(k).low; d == "the" || d == "my" {
		k--
	}
	if st.tok(k).low != "of" || st.tok(k-1).low != "out" {
		return false
	}
	return outVerbs[st.tok(k-2).low]
}

var outVerbs = wordSet(`works work working worked getting get got gets came come coming comes moved move moving
discharged walked walk walking checked operates operating based runs`)

// brandShaped: a capitalised word in mid-sentence that no list knows as a
// name or a place, with a brand's inner capitals or unusual letters
// ("EpiPen", "Qvar").
func brandShaped(st *scanState, i int) bool {
	t := st.toks[i]
	if !t.upper || t.kind != tokWord || len(t.text) < 4 {
		return false
	}
	inner := false
	for k := 1; k < len(t.text); k++ {
		if c := t.text[k]; c >= 'A' && c <= 'Z' {
			inner = true
		}
	}
	return inner && !englishWord(t.low)
}

var frequencyCues = []string{"twice a day", "once a day", "three times a day", "four times a day", "every day",
	"daily", "at night", "every morning", "every night", "twice daily", "once daily", "as needed", "when needed",
	"every four hours", "every six hours", "weekly", "once a week", "twice a week", "every fortnight"}

func frequencyAfter(st *scanState, i int) bool {
	if i >= len(st.toks) {
		return false
	}
	w := st.windowAfter(st.toks[i].s, 4)
	for _, c := range frequencyCues {
		if len(w) > len(c)+1 && w[0] == ' ' && w[len(c)+1] == ' ' && w[1:len(c)+1] == c {
			return true
		}
	}
	return false
}

// medicationBefore: a medication candidate ends within the three tokens
// before toks[i].
func medicationBefore(st *scanState, i int) bool {
	lo := st.toks[max(0, i-3)].s
	for _, c := range st.cands {
		if c.typ == TypeMedication && c.e > lo && c.e <= st.toks[i].s {
			return true
		}
	}
	return false
}

// mergeMedical joins overlapping or touching candidates of one medical
// type into one span: the lexicon's "arthritis" and the compound rule's
// "psoriatic arthritis" are one mention.
func mergeMedical(cands []candidate) []candidate {
	for i := 0; i < len(cands); i++ {
		a := &cands[i]
		if CategoryOf(a.typ) != CategoryMedical || a.e <= a.s {
			continue
		}
		for j := i + 1; j < len(cands); j++ {
			b := &cands[j]
			if b.typ != a.typ || b.e <= b.s || !(b.s < a.e && a.s < b.e) {
				continue
			}
			a.s, a.e = min(a.s, b.s), max(a.e, b.e)
			a.score, a.prio = max(a.score, b.score), max(a.prio, b.prio)
			b.e = b.s // drop
			j = i     // the union may now reach earlier candidates
		}
	}
	// A longer medical span swallows a shorter one of another medical type
	// inside it: "steroid injection" is a procedure, not a drug.
	for i := range cands {
		a := &cands[i]
		if CategoryOf(a.typ) != CategoryMedical || a.e <= a.s {
			continue
		}
		for j := range cands {
			b := cands[j]
			if j == i || b.e <= b.s || CategoryOf(b.typ) != CategoryMedical || b.typ == a.typ {
				continue
			}
			if b.s <= a.s && a.e <= b.e && b.e-b.s > a.e-a.s {
				a.e = a.s // drop a
				break
			}
		}
	}
	out := cands[:0]
	for _, c := range cands {
		if c.e > c.s {
			out = append(out, c)
		}
	}
	return out
}

// joinPredicates joins a condition and what is said of it into one
// mention: "a rash that's spreading up my arm", "my gout has flared up
// again", "my anxiety has been much worse". The labelling convention
// marks the condition; what it does is the same mention, not a second
// one. Only linking words may stand between the two (kept is sorted by
// start and has no overlaps).
func joinPredicates(st *scanState, kept []candidate) []candidate {
	out := kept[:0]
	for _, c := range kept {
		if n := len(out); n > 0 && c.typ == TypeMedicalCondition && out[n-1].typ == TypeMedicalCondition && predicateLink(st.text[out[n-1].e:c.s]) {
			out[n-1].e = c.e
			out[n-1].score = max(out[n-1].score, c.score)
			continue
		}
		out = append(out, c)
	}
	return out
}

// predicateLinks may stand between a condition and its predicate.
var predicateLinks = wordSet(`that's thats that which is has have had been was are were keeps kept 's got gone
	getting now just still really started`)

// predicateLink: between is one to three linking words and spaces, no
// punctuation ("that's", "has been", "'s").
func predicateLink(between string) bool {
	words := strings.Fields(between)
	if len(words) == 0 || len(words) > 3 {
		return false
	}
	for i, w := range words {
		w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
		if !predicateLinks[w] || i > 0 && (w == "that" || w == "that's" || w == "thats" || w == "which") {
			return false // "waking up soaked, is that menopause": a question
		}
	}
	return true
}

// drugCandidate: a word that could be a drug's name: not English, not a
// given name, surname or place. Unlike unknownWord it admits the word
// list's proper nouns, which include brands ("Zoloft", "Prozac").
func drugCandidate(low string) bool {
	// "o'clock": an apostrophe inside a word marks no medicine's name.
	if len(low) < 4 || strings.ContainsAny(low, "'’") || englishWord(low) || procedureWord(low) || stopWords[low] || places[low] ||
		firstNames[low] || lastNames[low] || givenOpen[low] || familyOpen[low] || hasDigit(low) || roleCompound(low) {
		return false
	}
	if conditionLexicon.hasWord(low) {
		return false // "covid jab" is a vaccination, "covid" no drug
	}
	return !dayOrMonth[low] && !dayOrMonth[strings.TrimSuffix(low, "s")]
}

// roleCompound: an English word and an agent ending written as one word
// ("flatmate", "keyworker", "childminder", "gatekeeper"): a person, not a
// brand of medicine, though the word list may not know the compound.
func roleCompound(low string) bool {
	for _, suf := range roleEndings {
		if stem, ok := strings.CutSuffix(low, suf); ok && len(stem) >= 3 && englishWord(stem) {
			return true
		}
	}
	return false
}

var roleEndings = []string{"mate", "mates", "worker", "workers", "minder", "minders", "keeper", "keepers",
	"holder", "holders", "maker", "makers", "lady", "ladies", "man", "men", "woman", "women"}

var dayOrMonth = wordSet(`monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december christmas easter`)

// havingCues introduce a condition: "I have lymphoedema", "she's got
// impetigo", "diagnosed with Raynaud's". What follows is a condition when
// no list knows the word: English words ("I have a question") and names do
// not qualify.
var havingCues = []string{"i have", "i've got", "ive got", "i've", "he has", "she has", "has got", "have got",
	"he's got", "she's got", "hes got", "shes got", "has", "diagnosed with", "suffer from", "suffers from",
	"suffering from", "suffer with", "suffers with", "history of", "treated for", "tested positive for"}

func findHadUnknown(st *scanState) {
	toks := st.toks
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord || len(t.text) < 5 || !unknownWord(baseName(t)) || drugByForm(baseName(t)) {
			continue
		}
		w := st.windowBefore(t.s, 4)
		// "can I have Paxlovid", "could I get fluclox": a request names a
		// medicine, not a condition.
		if endsWithWords(w, "can i have") || endsWithWords(w, "could i have") || endsWithWords(w, "can i get") || endsWithWords(w, "could i get") || endsWithWords(w, "can i have some") || endsWithWords(w, "can he have") || endsWithWords(w, "can she have") {
			if drugCandidate(baseName(t)) && !t.nl {
				st.add(TypeMedication, t.s, nameEnd(t), 0.55, prioMedical+2)
			}
			continue
		}
		for _, c := range havingCues {
			if endsWithWords(w, c) {
				st.add(TypeMedicalCondition, t.s, nameEnd(t), 0.6, prioMedical)
				break
			}
		}
	}
}

// findMentalHealth: "struggling with my mental health", "help with her
// nerves", "worried about his mood": the object of a struggle is a
// condition.
func findMentalHealth(st *scanState) {
	toks := st.toks
	for i := 2; i+1 < len(toks); i++ {
		if !possessives[toks[i].low] || !strugglePrep[toks[i-1].low] || !struggleWords[toks[i-2].low] && !(toks[i-1].low == "with" && toks[i+1].low == "nerves") && !(toks[i-1].low == "about" && (toks[i+1].low == "drinking" || toks[i+1].low == "mental" || toks[i+1].low == "nerves" || toks[i+1].low == "eating")) {
			continue
		}
		e := i + 2
		switch {
		case toks[i+1].low == "mental" && st.tok(i+2).low == "health":
			e = i + 3
			if n := st.tok(i + 3).low; placeInClinic[n] || n == "nurse" || n == "worker" || n == "service" || n == "services" {
				continue
			}
		case toks[i+1].low == "nerves" || toks[i+1].low == "mood" || toks[i+1].low == "moods" || toks[i+1].low == "drinking" || toks[i+1].low == "eating":
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e-1].e, 0.65, prioMedical)
	}
}

var strugglePrep = wordSet(`with about for`)

var struggleWords = wordSet(`struggling struggle struggled struggles help helping problems issues suffering
suffer suffered worried worrying worry concerned trouble difficulties coping cope time`)

// clinicNameHeads end a practice's name: "Eastgate Dental", "Parkside
// Medical", "Riverside Physio".
var clinicNameHeads = wordSet(`dental dentist dentists medical surgery surgeries practice clinic clinics physio
physiotherapy pharmacy chemist chemists health healthcare centre center hospital opticians optician
orthodontics imaging radiology osteopathy chiropractic therapies wellbeing`)

// beforeClinicName: the capitalised token after toks[j-1] is a practice
// name's head, so toks[..j] is part of a name.
func beforeClinicName(st *scanState, j int) bool {
	n := st.tok(j)
	return n.upper && n.kind == tokWord && clinicNameHeads[n.low]
}

// findPurposeForms: a medicine named by what it treats or does and its
// form: "eczema cream", "my blood pressure tablets", "a water tablet", "a
// GTN spray", "hay fever tablets". The condition inside is the medicine's
// name here, so the span is a MEDICATION (mergeMedical lets the longer
// span swallow the condition).
func findPurposeForms(st *scanState) {
	toks := st.toks
	for k := 1; k < len(toks); k++ {
		f := baseName(toks[k])
		if !medicationForms[f] && !drugClassNouns[f] || f == "jab" || f == "pen" || f == "pens" || f == "liquid" || f == "solution" || toks[k].nl {
			continue
		}
		p := toks[k-1]
		s := -1
		for _, c := range st.cands {
			if c.typ == TypeMedicalCondition && c.e == p.e {
				s = st.tokenAt(c.s)
				if s >= 0 && clauseOpeners[toks[s].low] {
					s = -2 // "can't swallow | tablets": a complaint about the form, not a medicine's name
				}
				break
			}
		}
		switch {
		case s == -2:
			continue
		case s >= 0:
		case purposeWords[baseName(p)]:
			s = k - 1
			if k >= 2 && (purposeWords[baseName(toks[k-2])] || medicalModifiers[baseName(toks[k-2])]) {
				s = k - 2 // "blood pressure tablets", "sleeping pills"
			}
		case p.kind == tokWord && len(p.text) >= 2 && len(p.text) <= 5 && strings.ToUpper(p.text) == p.text && !hasDigit(p.low) && p.low != "i" && p.low != "nhs" && p.low != "gp":
			s = k - 1 // "a GTN spray", "HRT patches"
		default:
			continue
		}
		if s > 0 && possessives[toks[s-1].low] {
			s--
		}
		st.add(TypeMedication, toks[s].s, toks[k].e, 0.7, prioMedical+2)
	}
}

// clauseOpeners start a complaint that is a clause, not a name: "can't
// swallow", "keeps choking".
var clauseOpeners = wordSet(`can't cant cannot not isn't isnt won't wont keeps kept keep`)

// drugClassNouns head a medicine named by its purpose: "the Covid
// antivirals", "my pain relief", "blood pressure medication".
var drugClassNouns = wordSet(`antivirals antiviral antibiotics antibiotic steroids painkillers killers relief
relievers medication medications medicine medicines meds pills gum lozenges`)

// purposeWords name what a medicine is for or does, before its form.
var purposeWords = wordSet(`water sleeping sleep iron pain steroid steroids hormone allergy hayfever antibiotic
antibiotics heart thyroid pressure cholesterol vitamin vitamins nicotine acid indigestion antihistamine
antihistamines morning-after contraceptive migraine travel-sickness anti-inflammatory antiinflammatory
anti-sickness antisickness sickness nausea cough diabetes diabetic epilepsy asthma psoriasis eczema acne
thrush piles haemorrhoid haemorrhoids period painkilling blood-pressure hrt`)

// findReferrals: "a referral to dermatology", "referred to the memory
// clinic", "a referral for physio": where a caller is sent says what they
// have.
func findReferrals(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		w := toks[i].low
		if w != "referral" && w != "referrals" && w != "referred" && w != "refer" {
			continue
		}
		k := i + 1
		if toks[k].low == "me" || toks[k].low == "him" || toks[k].low == "her" || toks[k].low == "them" {
			k++
		}
		if k >= len(toks) || toks[k].low != "to" && toks[k].low != "for" {
			continue
		}
		k++
		if k < len(toks) && (toks[k].low == "the" || toks[k].low == "a" || toks[k].low == "an") {
			k++
		}
		if k >= len(toks) || toks[k].kind != tokWord || !specialty(st, k) {
			continue
		}
		e := k + 1
		if e < len(toks) && placeInClinic[toks[e].low] || nextLow(toks, e) == "service" || nextLow(toks, e) == "programme" {
			// "referred to the memory clinic", "the falls service": the
			// place a patient is sent to is a name, like any clinic's;
			// "a referral to dermatology" is the referral itself.
			continue
		}
		s := k
		if w == "referral" || w == "referrals" {
			s = i
		}
		st.add(TypeProcedure, toks[s].s, toks[e-1].e, 0.65, prioMedical+1)
	}
}

// specialty: a clinical specialty or service a patient is referred to.
func specialty(st *scanState, k int) bool {
	w := baseName(st.toks[k])
	if specialties[w] {
		return true
	}
	if (w == "memory" || w == "fracture" || w == "pain" || w == "sleep" || w == "fertility" || w == "eye" || w == "diabetes" || w == "heart" || w == "breast" || w == "chest" || w == "falls" || w == "continence") && st.tok(k+1).low == "clinic" {
		return true
	}
	for _, suf := range []string{"ology", "ologist", "ologists", "iatry", "iatrist", "iatrics", "paedics", "pedics", "dontics", "therapy", "therapist"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 && w != "technology" && w != "apology" && w != "ideology" {
			return true
		}
	}
	return false
}

var specialties = wordSet(`physio ent audiology podiatry orthopaedics orthopedics gynae gynaecology obstetrics
paediatrics pediatrics cardiology dermatology neurology urology rheumatology gastro gastroenterology
oncology haematology endocrinology respiratory camhs iapt psychiatry psychology counselling
maternity midwife midwives orthotics dietitian dietician continence`)

// findDoseComments: "the dose looks high", "she's on bisoprolol 1.25mg, it
// seems ever so low": high or low said of a dose is about the script,
// not a reading of the body, so no span may claim it. "It" and "that"
// count only with a dose word or a medicine shortly before.
func findDoseComments(st *scanState) {
	toks := st.toks
	for i := 2; i < len(toks); i++ {
		if w := toks[i].low; w != "high" && w != "low" && w != "strong" && w != "weak" {
			continue
		}
		k := i - 1
		for k > 0 && doseCommentFillers[toks[k].low] {
			k--
		}
		// "his morphine is running low": a supply, said of a medicine.
		if toks[i].low == "low" && (toks[k].low == "running" || toks[k].low == "getting") && k > 1 && lookingVerbs[toks[k-1].low] {
			if medicineEndsAt(st, st.tok(k-2).e) {
				st.veto(toks[k-2].s, toks[i].e)
			}
			continue
		}
		if !lookingVerbs[toks[k].low] || k == 0 {
			continue
		}
		subj := toks[k-1].low
		switch {
		case doseWords[subj]:
		case subj == "it" || subj == "that" || subj == "this":
			near := false
			from := toks[max(0, k-12)].s
			for m := max(0, k-12); m < k-1; m++ {
				if doseWords[toks[m].low] || doseUnits[toks[m].low] {
					near = true
				}
			}
			for _, c := range st.cands {
				if c.typ == TypeMedication && c.s >= from && c.e <= toks[k-1].s {
					near = true // "she's on bisoprolol 1.25mg, it seems ever so low"
				}
			}
			if !near {
				continue
			}
		default:
			continue
		}
		st.veto(toks[k-1].s, toks[i].e)
	}
}

// medicineEndsAt: a medication candidate ends at byte e.
func medicineEndsAt(st *scanState, e int) bool {
	for _, c := range st.cands {
		if c.typ == TypeMedication && c.e == e {
			return true
		}
	}
	return false
}

var doseCommentFillers = wordSet(`ever so very a bit too quite really rather pretty awfully`)

var lookingVerbs = wordSet(`looks seems sounds is was seemed looked sounded`)

var doseWords = wordSet(`dose dosage doses strength amount`)

// findNotDoing: "she's not eating", "he hasn't been sleeping", "I can't
// keep anything down": what a body has stopped doing is a symptom.
func findNotDoing(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		w := toks[i].low
		if w == "no" && toks[i+1].low == "appetite" && haveVerbs[toks[i-1].low] && st.tok(i+2).low != "for" {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical) // "I've got no appetite"
			continue
		}
		if w != "not" && w != "isn't" && w != "isnt" && w != "hasn't" && w != "hasnt" && w != "can't" && w != "cant" && w != "won't" && w != "wont" && w != "haven't" && w != "havent" && w != "hardly" && w != "barely" {
			continue
		}
		if (w == "hardly" || w == "barely") && !copulas[toks[i-1].low] && !strings.HasSuffix(toks[i-1].low, "'s") && toks[i-1].low != "and" {
			continue // "she's hardly eating"; "I can barely eat" is the can't frame's
		}
		k := i + 1
		if toks[k].low == "been" && k+1 < len(toks) {
			k++
		}
		if (toks[k].low == "very" || toks[k].low == "too" || toks[k].low == "feeling" || toks[k].low == "so") && k+1 < len(toks) && toks[k+1].low == "well" {
			k++ // "I'm not very well", "he's not feeling well"
		}
		v := toks[k].low
		// "I can't lift my arm", "he can't bend his knee": a body part that
		// will not move.
		if (w == "can't" || w == "cant") && bodyMoves[v] && k+2 < len(toks) && possessives[toks[k+1].low] && (bodyParts[baseName(toks[k+2])] || injuryParts[baseName(toks[k+2])]) {
			st.add(TypeMedicalCondition, toks[i-1].s, toks[k+2].e, 0.6, prioMedical)
			continue
		}
		// "she can't swallow tablets now", "I can't keep anything down".
		// "he cant swallow his tablets", "she can't keep any water down"
		m := k + 1
		if q := st.tok(m).low; possessives[q] || q == "any" || q == "the" {
			m++
		}
		if (w == "can't" || w == "cant") && v == "swallow" && swallowedThings[st.tok(m).low] {
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
			continue
		}
		if st.tok(m).low == "even" {
			m++ // "she can't keep even water down"
		}
		if (w == "can't" || w == "cant") && v == "keep" && m+1 < len(toks) && swallowedThings[toks[m].low] && toks[m+1].low == "down" {
			st.add(TypeMedicalCondition, toks[i].s, toks[m+1].e, 0.6, prioMedical)
			continue
		}
		// "she won't put weight on it", "I can't bear any weight on my
		// foot": a leg that will not take weight.
		if (v == "put" || v == "bear" || v == "take") && w != "not" && w != "isn't" && w != "isnt" && w != "hasn't" && w != "hasnt" {
			e := k + 1
			if q := st.tok(e).low; q == "any" || q == "much" || q == "no" || q == "full" {
				e++
			}
			if st.tok(e).low == "weight" && (st.tok(e+1).low == "on" || st.tok(e+1).low == "through") {
				end := toks[e].e
				if n := st.tok(e + 2); n.low == "it" || n.low == "them" {
					end = n.e
				} else if possessives[n.low] && (bodyParts[baseName(st.tok(e+3))] || injuryParts[baseName(st.tok(e+3))]) {
					end = st.tok(e + 3).e
				}
				st.add(TypeMedicalCondition, toks[i].s, end, 0.6, prioMedical)
				continue
			}
		}
		// "I can't sit for long", "she can't stand for more than a few
		// minutes": a posture a body cannot hold.
		if (w == "can't" || w == "cant") && postures[v] && st.tok(k+1).low == "for" && (st.tok(k+2).low == "long" || st.tok(k+2).low == "more" || st.tok(k+2).low == "longer") {
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
			continue
		}
		// "he's not got out of bed for a week", "she won't get out of bed"
		// (the writers leave "can't get out of bed" to its context).
		if (v == "got" || v == "get" || v == "getting") && w != "can't" && w != "cant" && st.tok(k+1).low == "out" && st.tok(k+2).low == "of" && st.tok(k+3).low == "bed" && (personBefore(st, i) || personCopulas[toks[i-1].low]) {
			st.add(TypeMedicalCondition, toks[i].s, toks[k+3].e, 0.6, prioMedical)
			continue
		}
		if !bodyDoings[v] {
			continue
		}
		// "not eating here", "not sleeping over": a place or a plan after it.
		// A meal is what a body refuses: "he's not eating his lunch".
		end := k
		// "she's not slept in three days": how long, not where.
		if n := st.tok(k + 1); n.kind == tokWord && !notDoingAfter[n.low] && !(n.low == "in" && howLongAfterIn(st, k+2)) {
			m := k + 1
			if possessives[n.low] {
				m++
			}
			switch v {
			case "eating", "eat", "eaten":
				if !meals[st.tok(m).low] {
					continue
				}
			case "drinking", "drink":
				if !drinks[st.tok(m).low] {
					continue
				}
			case "passing":
				// "she's not passing water much"
				if w := st.tok(m).low; w != "water" && w != "urine" {
					continue
				}
			default:
				continue
			}
			end = m
		}
		// The subject is a person: "she's", "he", "I'm", "the baby",
		// "a patient who's".
		p := toks[i-1].low
		if w == "not" && !copulas[p] && p != "and" && p != "still" && p != "who's" && p != "whos" && p != "i've" && p != "ive" && p != "he" && p != "she" && !strings.HasSuffix(p, "'s") {
			continue
		}
		if v == "well" && !(personCopulas[p] || p == "feeling" || p == "been") {
			continue // "that's not well known"; "he's not well" is a symptom
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[end].e, 0.6, prioMedical)
	}
}

// meals a body that is unwell leaves: "not eating his lunch".
var meals = wordSet(`lunch breakfast dinner tea supper meals meal food anything`)

var postures = wordSet(`sit stand kneel lie bend`)

var bodyDoings = wordSet(`well eating sleeping feeding weeing peeing pooing drinking breathing swallowing walking
settling eat sleep feed wee pee poo swallow breathe settle slept drink eaten passing`)

// howLongAfterIn: "in three days", "in 2 weeks", "in ages", "in a week"
// after a thing not done say how long it has not been done.
func howLongAfterIn(st *scanState, k int) bool {
	n := st.tok(k)
	if n.low == "ages" || n.low == "days" || n.low == "weeks" {
		return true
	}
	if n.kind != tokNum && !spokenNumberWord(n.low) && n.low != "a" && n.low != "two" {
		return false
	}
	u := st.tok(k + 1).low
	return u == "days" || u == "day" || u == "nights" || u == "night" || u == "weeks" || u == "week" || u == "months" || u == "month"
}

// drinks a body that is unwell refuses: "he won't drink anything", "she's
// not drinking her milk".
var drinks = wordSet(`anything water milk fluids bottle bottles feeds much enough`)

// swallowedThings after "can't swallow" or "can't keep ... down".
var swallowedThings = wordSet(`tablets pills capsules food anything water fluids liquids drinks solids it properly
nothing milk`)

// memoryObjects are what a person forgets when memory fails ("keeps
// forgetting her words"), not when a habit slips ("his inhaler").
var memoryObjects = wordSet(`words word name names way own`)

// findKeepsDoing: "my gran keeps falling", "he keeps wandering at night",
// "she kept fainting": a person who keeps doing what a body does when it
// is unwell. The subject must be a person (a pronoun, a relative, a
// name), and a word that makes a thing's fault of it ("keeps falling
// off", "keeps falling out") rules it out.
func findKeepsDoing(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		w := toks[i].low
		if w != "keeps" && w != "kept" && w != "keep" {
			continue
		}
		k := i + 1
		if toks[k].low == "on" && k+1 < len(toks) {
			k++ // "keeps on falling"
		}
		v := toks[k].low
		if !keepSymptoms[v] {
			continue
		}
		if v == "forgetting" && (st.tok(k+1).low == "to" || possessives[st.tok(k+1).low] && !memoryObjects[st.tok(k+2).low]) {
			// "I keep forgetting to take it", "he keeps forgetting his
			// preventer": a habit, not memory loss.
			if possessives[st.tok(k+1).low] && k+2 < len(toks) {
				st.veto(toks[i].s, toks[k+1].e)
			}
			continue
		}
		if n := st.tok(k + 1).low; (n == "off" || n == "out") && v != "wandering" || n == "apart" || n == "through" || n == "behind" || n == "for" || n == "in" && v == "falling" {
			continue
		}
		if !personBefore(st, i) {
			continue
		}
		e := k
		if v == "getting" || v == "waking" {
			// "keeps getting up to wee", "keeps waking up in the night"
			if st.tok(k+1).low != "up" {
				continue
			}
			e = k + 1
			if n := st.tok(e + 1).low; n == "to" && (st.tok(e+2).low == "wee" || st.tok(e+2).low == "pee") {
				e += 2
			}
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
	}
}

// findDoingAtOddTimes: "he's been wandering at night", "she's crying all
// the time", "he's sleeping all day", "shes weeing a lot": something a
// body does, said with how often or when, after a person and a form of
// "be". Sleeping counts only by day or all the time, crying and shouting
// not at a film or a match (no time phrase follows those).
func findDoingAtOddTimes(st *scanState) {
	toks := st.toks
	for k := 1; k < len(toks); k++ {
		v := toks[k].low
		if !oddTimeDoings[v] {
			continue
		}
		t := k + 1
		if v == "wandering" && (st.tok(t).low == "off" || st.tok(t).low == "out" || st.tok(t).low == "about") {
			t++ // "wandering off at night"
		}
		e, ok := oddTimeTail(st, t, v == "sleeping")
		if !ok {
			continue
		}
		a := k - 1 // "been", "is", "keeps" before the verb, then the person
		if (toks[a].low == "started" || toks[a].low == "starting") && a > 0 {
			a-- // "he's started wandering at night"
		}
		if toks[a].low == "been" && a > 0 {
			a--
		}
		if toks[a].low == "really" || toks[a].low == "just" || toks[a].low == "still" || toks[a].low == "always" {
			a--
		}
		if a < 0 {
			continue
		}
		p := toks[a].low
		if (v == "sleeping" || v == "up") && (p == "i'm" || p == "im" || p == "i've" || p == "ive") {
			continue // "I work nights so I'm sleeping all day": said of another, a worry
		}
		switch {
		case v == "up":
			if !thirdPersonCopulas[p] {
				continue // "I was up all night with the baby": the caller's night
			}
		case personCopulas[p] || p == "i've" || p == "ive":
		case strings.HasSuffix(p, "'s") && kinPossessive(p):
			// "my husband's been wandering at night"
		case p == "i" && v == "cry":
			// "i cry all the time"
		case (p == "is" || p == "was" || p == "has" || p == "keeps" || p == "kept") && personBefore(st, a):
		case (p == "and" || p == ",") && coordinatedPerson(st, a):
			// "hes refusing food and sleeping all day": the person is
			// the earlier clause's.
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[k].s, toks[e-1].e, 0.6, prioMedical)
	}
}

var oddTimeDoings = wordSet(`wandering crying screaming sleeping weeing peeing wetting pacing shouting
fidgeting rocking hallucinating sweating shaking awake up cry`)

// thirdPersonCopulas: "she's up all night" is a patient's night; "I'm up
// all night" may be the carer's.
var thirdPersonCopulas = wordSet(`he's hes she's shes they're theyre`)

// coordinatedPerson: the clause before "and" or a comma at a has a
// person's copula in its last eight words ("she's not eating and
// sleeping all day", "shes pulling at her ear and crying all night").
func coordinatedPerson(st *scanState, a int) bool {
	for k := a - 1; k >= 0 && k >= a-8; k-- {
		if t := st.toks[k]; personCopulas[t.low] || t.kind == tokPunct && t.text != "," {
			return personCopulas[t.low]
		}
	}
	return false
}

// oddTimeTail returns the end of a time phrase at toks[k] ("at night", "all
// night", "all day", "all the time", "a lot", "non-stop", "every night",
// "in the night").
func oddTimeTail(st *scanState, k int, byDay bool) (int, bool) {
	w1, w2, w3 := st.tok(k).low, st.tok(k+1).low, st.tok(k+2).low
	switch {
	case w1 == "all" && w2 == "day", w1 == "all" && w2 == "the" && w3 == "time":
		if w2 == "the" {
			return k + 3, true
		}
		return k + 2, true
	case w1 == "most" && w2 == "of" && w3 == "the" && st.tok(k+3).low == "day":
		return k + 4, true // "sleeping most of the day"
	case (st.tok(k).kind == tokNum || spokenNumberWord(w1)) && w2 == "hours" && w3 == "a" && st.tok(k+3).low == "day":
		return k + 4, true // "sleeping fourteen hours a day"
	case byDay:
		return 0, false
	case w1 == "at" && w2 == "night", w1 == "all" && w2 == "night", w1 == "every" && w2 == "night", w1 == "a" && w2 == "lot":
		return k + 2, true
	case w1 == "in" && w2 == "the" && w3 == "night":
		return k + 3, true
	case w1 == "constantly" || w1 == "nonstop":
		return k + 1, true
	}
	return 0, false
}

// findThrewUp: "I threw up on the bus", "she's thrown up twice": a person
// who threw up; "they threw up a new building" has an object after it.
func findThrewUp(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		w := toks[i].low
		if w != "threw" && w != "thrown" && w != "throw" || toks[i+1].low != "up" {
			continue
		}
		if n := st.tok(i + 2).low; determiners[n] || possessives[n] || n == "some" {
			continue
		}
		k := i - 1 // the subject, past an auxiliary: "my son just threw up"
		if p := toks[k].low; k > 0 && (p == "has" || p == "have" || p == "had" || p == "just") {
			k--
		}
		if p := toks[k].low; w == "thrown" || personBefore(st, k+1) || personCopulas[p] || p == "i've" || p == "ive" {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+1].e, 0.6, prioMedical)
		}
	}
}

// findUpAtNight: "he's still up four times a night", "I'm getting up
// three or four times in the night": how often a person is up in the
// night is a symptom (nocturia, pain, breathlessness).
func findUpAtNight(st *scanState) {
	toks := st.toks
	for i := 1; i+3 < len(toks); i++ {
		if toks[i].low != "up" || !upLeadIns[toks[i-1].low] {
			continue
		}
		k := i + 1
		times := false
		for n := 0; n < 4 && k < len(toks); n, k = n+1, k+1 {
			w := toks[k].low
			if w == "times" || w == "twice" {
				times = true
				continue
			}
			if toks[k].kind == tokNum || isNumberWord(w) || w == "or" || w == "a" && st.tok(k+1).low == "few" || w == "few" || w == "several" || w == "like" {
				continue
			}
			break
		}
		if !times || k >= len(toks) {
			continue
		}
		e := k
		switch {
		case toks[k].low == "a" && st.tok(k+1).low == "night":
			e = k + 1
		case (toks[k].low == "at" || toks[k].low == "every") && st.tok(k+1).low == "night":
			e = k + 1
		case toks[k].low == "in" && st.tok(k+1).low == "the" && st.tok(k+2).low == "night":
			e = k + 2
		default:
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
	}
}

var upLeadIns = wordSet(`i'm im he's hes she's shes still been was is keep keeps getting get gets got
i he she they`)

var keepSymptoms = wordSet(`falling wandering fainting collapsing choking vomiting coughing wheezing wetting
blacking shaking trembling twitching scratching itching bleeding dribbling sneezing forgetting
getting waking hallucinating stumbling tripping`)

// prepositionLike are the function words relationCues holds as name cues.
var prepositionLike = wordSet(`with by and to dear`)

// personBefore: the word before position i names a person: a personal
// pronoun, a relative ("my gran"), or a capitalised name.
func personBefore(st *scanState, i int) bool {
	p := st.tok(i - 1)
	switch p.low {
	case "he", "she", "i", "they", "we", "you", "mum", "dad", "baby", "nan", "gran", "grandad", "granddad", "grandma":
		return true
	}
	if relationCues[baseName(p)] && !prepositionLike[p.low] && p.low != "hi" && p.low != "hello" && p.low != "thanks" {
		return true
	}
	return p.kind == tokWord && p.upper && !sentenceStart(st, i-1) && (isFirstName(p) || isLastName(p))
}

var haveVerbs = wordSet(`got have has had having with`)

var bodyMoves = wordSet(`lift move bend straighten raise feel grip turn open close weight-bear`)

var personCopulas = wordSet(`i'm im he's hes she's shes they're theyre you're youre`)

var notDoingAfter = wordSet(`and properly much well at all or since for anything very either now today
again very great right normally`)

// findMarksOnBody: "a bump on his head", "a rash on her arm", "a lump in my
// breast", "a bite on my leg": a mark with its place on the body.
func findMarksOnBody(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if !bodyMarks[baseName(toks[i])] && !bodyMarks[strings.TrimSuffix(baseName(toks[i]), "s")] {
			continue
		}
		k := i + 1
		if toks[k].low != "on" && toks[k].low != "in" && toks[k].low != "under" && toks[k].low != "behind" && toks[k].low != "near" {
			continue
		}
		k++
		if !possessives[toks[k].low] && toks[k].low != "the" {
			continue
		}
		k++
		if k+1 < len(toks) && sideWords[toks[k].low] && injuryParts[baseName(toks[k+1])] {
			k++
		}
		if k >= len(toks) || !injuryParts[baseName(toks[k])] || toks[k].nl {
			continue
		}
		s := i
		if i > 0 && (toks[i-1].low == "a" || toks[i-1].low == "an" || toks[i-1].low == "some") {
			s = i - 1
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[k].e, 0.7, prioMedical)
		i = k
	}
	// "abnormal cells", "an irregular heartbeat"
	for i := 0; i+1 < len(toks); i++ {
		if w := toks[i].low; w != "abnormal" && w != "irregular" && w != "precancerous" && w != "pre-cancerous" {
			continue
		}
		if !abnormalThings[baseName(toks[i+1])] {
			continue
		}
		s := i
		if i > 0 && (toks[i-1].low == "a" || toks[i-1].low == "an") {
			s = i - 1
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[i+1].e, 0.7, prioMedical)
	}
	// "I can't stop crying", "he can't stop coughing"
	for i := 0; i+2 < len(toks); i++ {
		if w := toks[i].low; (w == "can't" || w == "cant" || w == "cannot") && toks[i+1].low == "stop" && stopSymptoms[toks[i+2].low] {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+2].e, 0.65, prioMedical)
		}
	}
}

var bodyMarks = wordSet(`bump lump swelling bruise bruising cut graze rash spot mark bite sting wound growth
patch blister boil cyst mole sore ulcer scab lesion splinter tick welt welts`)

var abnormalThings = wordSet(`cells cell rhythm heartbeat heart smear bleeding discharge growth mole moles
ecg results result scan pulse periods period`)

var stopSymptoms = wordSet(`crying coughing shaking sneezing scratching itching shivering sweating
vomiting being weeing trembling worrying panicking bleeding`)

// planWords after a capitalised word make it an insurer, a scheme or an
// app, not a medicine.
var planWords = wordSet(`plan plans policy membership account card app scheme cover insurance voucher
vouchers subscription website portal login number`)

// itSymptoms after "it's" describe a part already named: "I've got an ear
// infection, it's throbbing".
var itSymptoms = wordSet(`throbbing aching itching itchy swollen sore bleeding weeping oozing infected
inflamed numb tingling stinging agony spreading`)

// procedureEndsAt: a procedure candidate ends at byte e.
func (st *scanState) procedureEndsAt(e int) bool {
	for _, c := range st.cands {
		if c.typ == TypeProcedure && c.e == e {
			return true
		}
	}
	return false
}

var itVerbs = wordSet(`stings burns hurts itches aches throbs bleeds swells`)

// conditionEndsAtNear: a condition candidate ends within the four tokens
// before toks[i] ("a boil on my back that's ...").
func (st *scanState) conditionEndsAtNear(e int, toks []token, i int) bool {
	lo := toks[max(0, i-5)].s
	for _, c := range st.cands {
		if c.typ == TypeMedicalCondition && c.e > lo && c.e <= e {
			return true
		}
	}
	return false
}

// conditionEndsAt: a condition candidate ends at byte e.
func (st *scanState) conditionEndsAt(e int) bool {
	for _, c := range st.cands {
		if c.typ == TypeMedicalCondition && c.e == e {
			return true
		}
	}
	return false
}

// findItSymptoms: "it's throbbing", "it's really sore", "it's been
// bleeding".
func findItSymptoms(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		w := toks[i].low
		if (w == "is" || w == "are") && i > 0 && (bodyParts[baseName(toks[i-1])] || st.conditionEndsAt(toks[i-1].e)) {
			// "my eczema is infected", "the cut is weeping"
			if k := i + 1; k < len(toks) && itSymptoms[toks[k].low] && !st.conditionEndsAt(toks[k].e) {
				e := k + 1
				if e+1 < len(toks) && toks[e].low == "and" && itSymptoms[toks[e+1].low] {
					e += 2
				}
				st.add(TypeMedicalCondition, toks[k].s, toks[e-1].e, 0.6, prioMedical)
			}
			continue
		}
		// "a boil on my back that's really painful"
		if (w == "that's" || w == "thats") && i > 0 && st.conditionEndsAtNear(toks[i-1].e, toks, i) {
			k := i + 1
			for n := 0; n < 2 && k < len(toks) && symptomAdverbs[toks[k].low] && toks[k].low != "all" && toks[k].low != "a"; n++ {
				k++
			}
			if k < len(toks) && (itSymptoms[toks[k].low] || toks[k].low == "painful" || toks[k].low == "spreading") && !toks[k].nl {
				st.add(TypeMedicalCondition, toks[i+1].s, toks[k].e, 0.55, prioMedical)
			}
			continue
		}
		if w != "it's" && w != "its" && w != "it" {
			continue
		}
		// "it stings", "it burns when I go", "it hurts"
		if w == "it" && itVerbs[toks[i+1].low] && !toks[i+1].nl {
			st.add(TypeMedicalCondition, toks[i+1].s, toks[i+1].e, 0.55, prioMedical)
			continue
		}
		k := i + 1
		if toks[i].low == "it" {
			if toks[k].low != "is" && toks[k].low != "was" && toks[k].low != "keeps" {
				continue
			}
			k++
		}
		for n := 0; n < 2 && k < len(toks) && (symptomAdverbs[toks[k].low] || toks[k].low == "been") && toks[k].low != "all" && toks[k].low != "a"; n++ {
			k++
		}
		if k < len(toks) && itSymptoms[toks[k].low] && !toks[k].nl {
			st.add(TypeMedicalCondition, toks[k].s, toks[k].e, 0.6, prioMedical)
			continue
		}
		// "a corn on my toe and it's killing me", "the temporary crown ...
		// it's come loose": "it" stands for the complaint or the dental
		// work named before it.
		if k+1 < len(toks) && toks[k].low == "killing" && toks[k+1].low == "me" && medicalBefore(st, i) {
			st.add(TypeMedicalCondition, toks[i].s, toks[k+1].e, 0.55, prioMedical)
		} else if k+1 < len(toks) && looseVerbs[toks[k].low] && (toks[k+1].low == "loose" || toks[k+1].low == "out" || toks[k+1].low == "off") && dentalBefore(st, i) {
			st.add(TypeMedicalCondition, toks[i].s, toks[k+1].e, 0.55, prioMedical)
		}
	}
}

var looseVerbs = wordSet(`come came gone fallen fell`)

// medicalBefore: a medical candidate or a body part before token i.
func medicalBefore(st *scanState, i int) bool {
	for _, c := range st.cands {
		if CategoryOf(c.typ) == CategoryMedical && c.e <= st.toks[i].s {
			return true
		}
	}
	for _, t := range st.toks[:i] {
		if bodyParts[baseName(t)] || injuryParts[baseName(t)] {
			return true
		}
	}
	return false
}

// dentalBefore: dental work named before token i ("my crown ... it's come
// loose").
func dentalBefore(st *scanState, i int) bool {
	for _, t := range st.toks[:i] {
		if dentalWork[baseName(t)] {
			return true
		}
	}
	return false
}

// findFeelingBad: "I'm feeling worse", "he's been feeling rough": how a
// caller feels, said with a bad word, is a symptom.
func findFeelingBad(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		// "been very down", "she's been really low": with an intensifier.
		w := toks[i].low
		if w != "feeling" && w != "feel" && w != "felt" && w != "feels" && w != "been" {
			continue
		}
		k := i + 1
		for n := 0; n < 2 && k < len(toks) && (toks[k].low == "really" || toks[k].low == "very" || toks[k].low == "so" || toks[k].low == "quite" || toks[k].low == "a" || toks[k].low == "bit" || toks[k].low == "even" || toks[k].low == "much"); n++ {
			k++
		}
		if k < len(toks) && badFeelings[toks[k].low] && !toks[k].nl && (w != "been" || k > i+1) {
			// "I feel bad about cancelling" is guilt, not a symptom.
			if n := st.tok(k + 1).low; n == "about" || n == "for" || n == "that" {
				continue
			}
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
			i = k
		}
	}
}

var badFeelings = wordSet(`worse rough awful terrible rubbish dreadful grim horrible lousy crap ropey ropy
weird strange funny faint weak shaky low down wobbly woozy spaced drained flat`)

// findReactions: "I had a reaction to the penicillin", "a bad reaction
// after the jab": a reaction is a condition (the drug after it stays a
// medication, as after "allergic to").
func findReactions(st *scanState) {
	toks := st.toks
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].low != "reaction" && toks[i].low != "reactions" {
			continue
		}
		s := i
		if i > 0 && (toks[i-1].low == "allergic" || toks[i-1].low == "bad" || toks[i-1].low == "severe" || toks[i-1].low == "skin" || toks[i-1].low == "nasty") {
			s = i - 1
		}
		if s > 0 && (toks[s-1].low == "a" || toks[s-1].low == "an") {
			s--
		}
		n := st.tok(i + 1).low
		if s == i || n != "to" && n != "from" && n != "after" && n != "with" {
			if !(s < i && (n == "" || st.tok(i+1).kind == tokPunct || n == "and" || n == "to" || n == "after")) {
				continue
			}
		}
		st.add(TypeMedicalCondition, toks[s].s, toks[i].e, 0.6, prioMedical)
	}
}

// trimQuestionTags: "for the assessment right" at the end of a spoken
// question is a tag ("..., right?"), not the right side of anything.
func trimQuestionTags(st *scanState) {
	for ci := range st.cands {
		c := &st.cands[ci]
		if CategoryOf(c.typ) != CategoryMedical {
			continue
		}
		k := st.tokenAt(c.e) - 1
		if k <= 0 || k >= len(st.toks) || st.toks[k].s < c.s {
			continue
		}
		if w := st.toks[k].low; w != "right" && w != "yeah" && w != "ok" && w != "okay" {
			continue
		}
		if n := st.tok(k + 1); k+1 < len(st.toks) && n.kind != tokPunct && !n.nl {
			continue
		}
		if st.toks[k-1].s >= c.s {
			c.e = st.toks[k-1].e
		}
	}
}

// findTroubleWith: "problems with my waterworks", "trouble with his
// knees", "issues with my bowels": trouble with a body part or what it
// does is a condition.
func findTroubleWith(st *scanState) {
	toks := st.toks
	for i := 0; i+3 < len(toks); i++ {
		if w := toks[i].low; w != "problems" && w != "problem" && w != "trouble" && w != "issues" && w != "difficulty" && w != "difficulties" {
			continue
		}
		if toks[i+1].low != "with" || !possessives[toks[i+2].low] {
			continue
		}
		k := i + 3
		if sideWords[toks[k].low] && k+1 < len(toks) {
			k++
		}
		b := baseName(toks[k])
		if !(bodyParts[b] || faculties[b] || injuryParts[b]) || toks[k].nl {
			continue
		}
		st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
		i = k
	}
}

// findMeasured: "can the pharmacist do my blood pressure", "take my
// blood pressure", "check my sugar": a measurement is a procedure.
func findMeasured(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if w := toks[i].low; w != "do" && w != "check" && w != "take" && w != "measure" && w != "record" && w != "checking" && w != "taking" && w != "taken" && w != "checked" {
			continue
		}
		k := i + 1
		if possessives[toks[k].low] || toks[k].low == "the" {
			k++
		}
		if k >= len(toks) {
			continue
		}
		e := -1
		switch {
		case toks[k].low == "blood" && st.tok(k+1).low == "pressure":
			e = k + 2
		case toks[k].low == "bp" || toks[k].low == "sugar" || toks[k].low == "sugars" || toks[k].low == "pulse" || toks[k].low == "bloods" || toks[k].low == "temperature" && k > i+1 && possessives[toks[k-1].low] || toks[k].low == "weight" && k > i+1 && possessives[toks[k-1].low]:
			e = k + 1
		}
		if e < 0 || st.tok(e).low == "is" || st.tok(e).low == "was" || st.tok(e).low == "has" {
			continue // "check my blood pressure is ok" is still a check, but "my BP is high" is a level
		}
		st.add(TypeProcedure, toks[i+1].s, toks[e-1].e, 0.65, prioMedical+3)
		i = e - 1
	}
}

// findCoordinated: "very low and tearful", "swollen and hot": an
// adjective joined by "and" to a symptom just found is a symptom too.
func findCoordinated(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].low != "and" || !st.conditionEndsAt(toks[i-1].e) {
			continue
		}
		// "bunged up and a bit muddled", "sore and really hot": degree
		// words may stand before the second state.
		m := i + 1
		if st.tok(m).low == "a" && (st.tok(m+1).low == "bit" || st.tok(m+1).low == "little") {
			m += 2
		} else if coordinatedDegrees[st.tok(m).low] {
			m++
		}
		if m >= len(toks) {
			continue
		}
		n := toks[m]
		if n.nl || !(conditionAdjectives[n.low] || symptomWords[n.low] || itSymptoms[n.low] || coordinatedSymptoms[n.low]) || n.low == "bad" || n.low == "worse" || n.low == "late" {
			continue
		}
		if m > i+1 {
			// A graded second state is a mention of its own, as callers
			// list them: "off his food and more confused".
			if !(conditionAdjectives[n.low] && weakAdjective(st, m)) {
				st.add(TypeMedicalCondition, toks[i+1].s, n.e, 0.6, prioMedical)
			}
			continue
		}
		for ci := range st.cands {
			if c := &st.cands[ci]; c.typ == TypeMedicalCondition && c.e == toks[i-1].e {
				c.e = n.e // one mention: "heavy and painful"
			}
		}
	}
}

var coordinatedSymptoms = wordSet(`hot red warm tender puffy lumpy crusty scaly flaky bruised spots blisters
lumps bumps sores welts grinding clicking`)

var coordinatedDegrees = wordSet(`really very so quite all more proper dead totally completely`)

// findSideEffects: "it's making me bleed", "they make him drowsy": what a
// medicine does to a body.
func findSideEffects(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		if w := toks[i].low; w != "making" && w != "makes" && w != "made" && w != "make" {
			continue
		}
		if n := toks[i+1].low; n != "me" && n != "him" && n != "her" && n != "them" {
			continue
		}
		k := i + 2
		if toks[k].low == "feel" && k+1 < len(toks) {
			k++
		}
		if sideEffects[toks[k].low] && !toks[k].nl {
			st.add(TypeMedicalCondition, toks[i].s, toks[k].e, 0.6, prioMedical)
		}
	}
}

// What a medicine makes a body do is a side effect whatever words say it:
// "the Elvanse is making him really flat and teary", "the antihistamines
// make her hyper", "the lithium's making his hands shake", "since the
// sertraline it's made me so jittery". The subject must be a medicine
// (or "it" and "they" after one), so "the traffic's making me late" and
// "she made him a cake" stay out.

// findMedicineEffects runs after every medicine rule, so that a brand
// found by its cue can be the subject.
func findMedicineEffects(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		w := toks[i].low
		if !makeVerbs[w] && !giveVerbs[w] && !knockVerbs[w] || !medicineSubject(st, i) {
			continue
		}
		if giveVerbs[w] && (st.tok(i-1).low == "they" || st.tok(i-1).low == "theyve" || st.tok(i-1).low == "they've") {
			continue // "the inhaler they gave me": people give, the medicine does not
		}
		if knockVerbs[w] {
			// "the bisoprolol is wiping him out", "they knock me out"
			if p := toks[i+1].low; (p == "me" || p == "him" || p == "her" || p == "them" || p == "us") && st.tok(i+2).low == "out" {
				st.add(TypeMedicalCondition, toks[i].s, toks[i+2].e, 0.6, prioMedical)
			}
			continue
		}
		addMedicineEffect(st, i+1)
	}
}

// makeVerbs and giveVerbs take a person and what the medicine does to
// them ("making him drowsy", "it's giving me really weird dreams");
// knockVerbs a person and "out".
var (
	makeVerbs  = wordSet(`making makes made make`)
	giveVerbs  = wordSet(`giving gives gave given give`)
	knockVerbs = wordSet(`knocking knocks knocked knock wiping wipes wiped wipe`)
)

// makeAux are the words passed over between a subject and "making".
var makeAux = wordSet(`is are was were has have had been be keeps keep really also now just still always
	seems seem to definitely def probably`)

// medicineSubjects refer back to a medicine named earlier in the line.
var medicineSubjects = wordSet(`it it's its they they're theyre that that's thats which those these`)

// medicineSubject reports whether the subject of the "make" word at i is
// a medicine.
func medicineSubject(st *scanState, i int) bool {
	toks := st.toks
	k := i - 1
	for k >= 0 && makeAux[toks[k].low] && !toks[k].nl {
		k--
	}
	if k < 0 {
		return false
	}
	isMedicine := func(c candidate) bool { return c.typ == TypeMedication }
	if medicineSubjects[toks[k].low] {
		from := toks[max(0, k-15)].s
		for _, c := range st.cands {
			if isMedicine(c) && c.e <= toks[k].s && c.e > from {
				return true
			}
		}
		return false
	}
	end := toks[k].e
	if strings.HasSuffix(toks[k].low, "'s") {
		end -= 2 // "the lithium's making"
	}
	for _, c := range st.cands {
		if isMedicine(c) && c.e == end {
			return true
		}
	}
	return false
}

// effectStops end a side effect's words: "making him flat when it wears
// off", "make her hyper rather than sleepy".
var effectStops = wordSet(`and but so because cos when if rather than since which that till until at in on
	every after before or with for about all the this`)

// notEffects are what a medicine makes a person that is no symptom.
var notEffects = wordSet(`better well happy happier late laugh smile wonder think want wait sure aware
	feel a an money`)

// effectNotStarts are words no effect starts with: "the inhaler it gave
// me is a different colour" goes on with a new clause.
var effectNotStarts = wordSet(`is are was were has have had to for from the this that it its it's in on at
	and or but`)

// addMedicineEffect marks the effect after "making" (at j): a person and
// up to four words, or a body part and what it does.
func addMedicineEffect(st *scanState, j int) {
	toks := st.toks
	if j >= len(toks) || toks[j].nl {
		return
	}
	start := j + 1
	switch w := toks[j].low; {
	case w == "me" || w == "him" || w == "her" || w == "them" || w == "us":
	case possessives[w] && j+1 < len(toks) && bodyParts[baseName(toks[j+1])]:
		start = j
	default:
		return
	}
	if start >= len(toks) || notEffects[toks[start].low] && !(toks[start].low == "feel" && start+1 < len(toks) && !notEffects[toks[start+1].low] && !effectStops[toks[start+1].low]) {
		return
	}
	for start < len(toks) && (intensifiers[toks[start].low] || toks[start].low == "dead" || toks[start].low == "proper") {
		start++ // "making me so foggy": the guard on intensified ordinary words would drop the whole span
	}
	if start >= len(toks) || notEffects[toks[start].low] || effectNotStarts[toks[start].low] {
		return
	}
	end, content := start, 0
	for k := start; k < len(toks) && k < start+5; k++ {
		t := toks[k]
		if t.kind != tokWord || t.nl || k > start && effectStops[t.low] {
			break
		}
		end = k + 1
		if !stopWords[t.low] {
			content++
		}
	}
	if content == 0 {
		return
	}
	st.add(TypeMedicalCondition, toks[start].s, toks[end-1].e, 0.6, prioMedical)
}

var sideEffects = wordSet(`bleed sick dizzy drowsy itch itchy sleepy tired nauseous shaky vomit vomiting
faint woozy constipated bloated breathless wheezy rashy spotty anxious agitated low`)

// findResultWords: "it came back abnormal", "the smear was positive":
// what a test found. And "it's upsetting my stomach": what a medicine does
// to a body part.
func findResultWords(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		w := toks[i].low
		if w == "came" && toks[i+1].low == "back" && resultWords[toks[i+2].low] {
			if e := resultEnd(st, i+2); e > 0 {
				st.add(TypeMedicalCondition, toks[i+2].s, toks[e-1].e, 0.55, prioMedical)
			}
			continue
		}
		// "my biopsy was benign", "the smear was abnormal"
		if (w == "was" || w == "were" || w == "is" || w == "are") && resultWords[toks[i+1].low] && i > 0 && st.procedureEndsAt(toks[i-1].e) {
			if e := resultEnd(st, i+1); e > 0 {
				st.add(TypeMedicalCondition, toks[i+1].s, toks[e-1].e, 0.55, prioMedical)
			}
		}
		if (w == "upsetting" || w == "irritating" || w == "upset" || w == "irritates" || w == "upsets") && possessives[toks[i+1].low] && bodyParts[baseName(toks[i+2])] {
			st.add(TypeMedicalCondition, toks[i].s, toks[i+2].e, 0.6, prioMedical)
		}
	}
}

// resultEnd returns the end of the result word at k, or 0. A bare
// "positive" says only that a test found something ("it came back
// positive"), which the convention leaves unmarked; "positive for
// nitrates" names what it found.
func resultEnd(st *scanState, k int) int {
	if st.toks[k].low != "positive" {
		return k + 1
	}
	if st.tok(k+1).low == "for" && st.tok(k+2).kind == tokWord {
		return k + 3
	}
	return 0
}

var resultWords = wordSet(`abnormal positive borderline raised irregular unclear inconclusive benign malignant
cancerous precancerous`)

// procedureWord: a one-word procedure of the lexicon ("physio", "echo")
// is no medicine.
func procedureWord(low string) bool { return builtinProcedureIndex.hasWord(low) }

var builtinProcedureIndex = newPhraseLexicon(builtinProcedures())

// findMishaps: "bitten by a dog", "stung by a wasp", "I slipped on the
// ice", "off work with my back": what happened to a body.
func findMishaps(st *scanState) {
	toks := st.toks
	for i := 0; i+2 < len(toks); i++ {
		w := toks[i].low
		switch {
		case (w == "bitten" || w == "stung" || w == "scratched" || w == "kicked" || w == "attacked") && toks[i+1].low == "by":
			e := i + 2
			if determiners[toks[e].low] && e+1 < len(toks) {
				e++
			}
			if toks[e].kind == tokWord && !toks[e].nl {
				st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
			}
		case w == "slipped" || w == "tripped" || w == "fell" || w == "went" && toks[i+1].low == "over":
			// "she fell out of bed", "he fell in the garden", "mum went
			// over on the ice", "she nearly went over in the kitchen": a
			// person who fell, and where. "fell in love", "fell out with
			// my sister" and "went over the forms" have no place after.
			k := i + 1
			if w == "went" {
				k++
				if n := st.tok(k).low; n != "on" && n != "in" {
					continue
				}
			}
			switch n := st.tok(k).low; {
			case n == "off":
				// "fell off the swings", "nearly fell off the chair" at a
				// price: the writers mark a fall off a thing only after
				// the caller or a parent, as the rule always took it.
				if p := st.tok(i - 1).low; p != "i" && p != "he" && p != "she" && p != "mum" && p != "dad" && p != "and" {
					continue
				}
				k++
			case n == "on" || n == "over" || n == "down" || n == "against":
				k++
			case n == "out" && st.tok(k+1).low == "of":
				k += 2
			case n == "in" && determiners[st.tok(k+1).low]:
				k++
			default:
				continue
			}
			e := k
			if determiners[st.tok(e).low] && e+1 < len(toks) {
				e++
			}
			if e < len(toks) && toks[e].kind == tokWord && !toks[e].nl && fellSubject(st, i) {
				st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.55, prioMedical)
			}
		case w == "off" && (toks[i+1].low == "work" || toks[i+1].low == "school" || toks[i+1].low == "sick") && i+4 < len(toks) && toks[i+2].low == "with" && possessives[toks[i+3].low]:
			e := i + 4
			st.add(TypeMedicalCondition, toks[i].s, toks[e].e, 0.6, prioMedical)
		}
	}
}

// fellSubject: a person fell, not a price or a letter ("the price fell
// off", "it fell down the back of the sofa").
func fellSubject(st *scanState, i int) bool {
	p := st.tok(i - 1).low
	if p == "nearly" || p == "almost" || p == "just" || p == "then" || p == "has" || p == "had" {
		p = st.tok(i - 2).low
		i--
	}
	return p == "i" || p == "he" || p == "she" || p == "and" || p == "who" || personBefore(st, i) && p != "it" && p != "they" && p != "you" && p != "we"
}

// onlyVisitTypes: the words before an appointment say only what kind of
// visit it is ("urgent", "double", "same-day"), not what it is for.
func onlyVisitTypes(toks []token, s, h int) bool {
	for k := s; k < h; k++ {
		if !visitTypes[baseName(toks[k])] && !determiners[toks[k].low] {
			return false
		}
	}
	return true
}

var visitTypes = wordSet(`urgent emergency routine double single same-day same day early late morning
afternoon evening first next new quick short long telephone phone video face-to-face in-person private
nhs follow-up followup follow up`)

// findModifiedScans: "the anatomy scan", "a surveillance scan", "my
// wife's scan", "the 3D scan": a scan named by what it is for, after an
// article or whose it is. A scan of a code, a card or a document is no
// test ("the QR scan", "a passport scan", "scan of my letter").
func findModifiedScans(st *scanState) {
	toks := st.toks
	for i := 1; i+1 < len(toks); i++ {
		if toks[i+1].low != "scan" && toks[i+1].low != "scans" || toks[i+1].nl {
			continue
		}
		p := toks[i-1].low
		if !determiners[p] && !possessives[p] && !kinPossessive(p) {
			continue
		}
		m := toks[i]
		if stopWords[m.low] && m.low != "another" || scannedThings[m.low] || m.kind != tokWord && m.kind != tokNum {
			continue
		}
		if n := st.tok(i + 2).low; n == "of" && !anatomy[baseName(st.tok(i+3))] && !possessives[st.tok(i+3).low] || n == "code" || n == "button" {
			continue
		}
		st.add(TypeProcedure, m.s, toks[i+1].e, 0.6, prioMedical+1)
		i++
	}
}

// scannedThings are what is scanned that is not a body.
var scannedThings = wordSet(`qr barcode bar code passport document documents card id quick security virus
	luggage bag bags ticket tickets receipt receipt photo photos page pages letter letters form forms copy
	price self-checkout checkout`)
