package pii

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Entity types, as `frontdesk pii scan` names them.
const (
	TypePerson           = "PERSON"
	TypePhoneNumber      = "PHONE_NUMBER"
	TypeEmailAddress     = "EMAIL_ADDRESS"
	TypeStreetAddress    = "STREET_ADDRESS"
	TypeDateOfBirth      = "DATE_OF_BIRTH"
	TypeNationalID       = "NATIONAL_ID"
	TypeInsuranceID      = "INSURANCE_ID"
	TypeCreditCard       = "CREDIT_CARD"
	TypeIBAN             = "IBAN_CODE"
	TypeMedicalCondition = "MEDICAL_CONDITION"
	TypeMedication       = "MEDICATION"
	TypeProcedure        = "PROCEDURE"
)

// Categories group types by how they are stored and who may see them.
const (
	CategoryContact   = "contact"
	CategoryIdentity  = "identity"
	CategoryFinancial = "financial"
	CategoryMedical   = "medical"
)

// Types lists every entity type the detector emits, in a stable order.
var Types = []string{
	TypePerson, TypePhoneNumber, TypeEmailAddress, TypeStreetAddress,
	TypeDateOfBirth, TypeNationalID, TypeInsuranceID,
	TypeCreditCard, TypeIBAN,
	TypeMedicalCondition, TypeMedication, TypeProcedure,
}

// CategoryOf returns the category of an entity type. An unknown type is
// medical: the strictest category that still keeps the data.
func CategoryOf(typ string) string {
	switch typ {
	case TypePerson, TypePhoneNumber, TypeEmailAddress, TypeStreetAddress:
		return CategoryContact
	case TypeDateOfBirth, TypeNationalID, TypeInsuranceID:
		return CategoryIdentity
	case TypeCreditCard, TypeIBAN:
		return CategoryFinancial
	}
	return CategoryMedical
}

// Entity is one detected span. Start and End count Unicode code points in
// the text given to Detect, End exclusive.
type Entity struct {
	Type     string  `json:"type"`
	Category string  `json:"category"`
	Start    int     `json:"start"`
	End      int     `json:"end"`
	Score    float64 `json:"score"`
}

// Options configure a Detector.
type Options struct {
	// Procedures is the clinic's own catalogue ("Invisalign consultation",
	// "hydrafacial"); each entry is matched case-insensitively as a
	// PROCEDURE in addition to the built-in lexicon.
	Procedures []string
	// Regions are the ISO 3166 regions a national phone number is tried
	// against, most likely first. Empty means DefaultRegions.
	Regions []string
	// RulesOnly leaves out the statistical tagger that runs beside the
	// rules (for comparing the two, and where every decision must be
	// explainable by a rule).
	RulesOnly bool
	// Tagger replaces the embedded tagger model (nil: the embedded one).
	Tagger *Tagger
	// Verifier replaces the embedded span verifier (nil: the embedded one
	// when the tagger is the embedded one too, none otherwise, since the
	// verifier was trained on the embedded tagger's kind of candidates).
	Verifier *Verifier
	// NoVerifier leaves the span verifier out: the tagger's spans then
	// pass the hand guards and the confidence margin alone.
	NoVerifier bool
}

// DefaultRegions: the UK and the US first (where the clinics are), then the
// countries callers most often ring from with a foreign SIM.
var DefaultRegions = []string{"GB", "US", "IE", "CA", "AU", "NZ", "FR", "DE", "ES", "IT", "NL", "BE", "CH", "AT", "PT", "SE", "NO", "DK", "FI", "PL", "IN"}

// Detector finds personal data in text. It is built once (all lexicons and
// regexes compiled up front) and safe for concurrent use: Detect keeps its
// working state on the stack of each call.
type Detector struct {
	regions    []string
	procedures *phraseLexicon // built-in procedures plus the clinic catalogue
	tagger     *Tagger        // nil: rules only
	verifier   *Verifier      // nil: tagger spans pass the hand guards alone
}

// NewDetector builds a Detector.
func NewDetector(opts Options) *Detector {
	d := &Detector{regions: DefaultRegions}
	if len(opts.Regions) > 0 {
		d.regions = make([]string, 0, len(opts.Regions))
		for _, r := range opts.Regions {
			d.regions = append(d.regions, strings.ToUpper(strings.TrimSpace(r)))
		}
	}
	d.procedures = newPhraseLexicon(builtinProcedures(), opts.Procedures)
	switch {
	case opts.RulesOnly:
	case opts.Tagger != nil:
		d.tagger = opts.Tagger
	default:
		d.tagger = builtinTagger
	}
	switch {
	case opts.NoVerifier || d.tagger == nil:
	case opts.Verifier != nil:
		d.verifier = opts.Verifier
	case d.tagger == builtinTagger:
		d.verifier = builtinVerifier
	}
	return d
}

// candidate is an entity in normalised byte offsets before overlap
// resolution. prio decides conflicts before score does: a Luhn-valid card
// beats a phone reading of the same digits whatever their scores.
type candidate struct {
	typ   string
	s, e  int
	score float64
	prio  int
	// margin and guards describe a tagger span for the verifier: its
	// weakest token's confidence margin and the hand guards it fails
	// (guardBits); rules leave both zero.
	margin float32
	guards uint16
}

const (
	prioTagger     = 5 // below every rule: the tagger only fills silence
	prioPerson     = 10
	prioMedical    = 20
	prioDOB        = 48
	prioInsurance  = 50
	prioPhone      = 40
	prioAddress    = 45
	prioNationalID = 60
	prioCard       = 70
	prioIBAN       = 80
	prioEmail      = 90
)

// scanState is the per-call working state shared by the recognizers.
type scanState struct {
	n     *normalized
	text  string // normalised text
	toks  []token
	cands []candidate

	lowerKnown, lower bool // lowerSentence's cached answer

	// vetoed are byte spans a rule matched and then refused as an idiom
	// ("a cold drink", "filling in a form"): the tagger may not bring
	// them back.
	vetoed [][2]int
	// dateSpans caches dateRe's matches (datesKnown: computed).
	dateSpans  [][]int
	datesKnown bool

	// senses caches each token's WordNet supersenses (noun, verb) for the
	// tagger, which asks for a token's and its neighbours'.
	senses [][2]int8
}

// sense returns token k's WordNet supersenses, computed once per scan.
func (st *scanState) sense(k int) (noun, verb int8) {
	if st.senses == nil {
		st.senses = make([][2]int8, len(st.toks))
		for i, t := range st.toks {
			n, v := wordnetSense(baseName(t))
			st.senses[i] = [2]int8{n, v}
		}
	}
	return st.senses[k][0], st.senses[k][1]
}

func (st *scanState) veto(s, e int) { st.vetoed = append(st.vetoed, [2]int{s, e}) }

func (st *scanState) add(typ string, s, e int, score float64, prio int) {
	if e <= s {
		return
	}
	if score > 1 {
		score = 1
	}
	st.cands = append(st.cands, candidate{typ: typ, s: s, e: e, score: score, prio: prio})
}

// Detect returns the personal data found in text, sorted by start, with no
// two entities overlapping: where recognizers disagree, the stronger
// evidence (checksums over formats over context, then score, then length)
// wins.
func (d *Detector) Detect(text string) []Entity {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var tokBuf [64]token
	st := d.scan(text, tokBuf[:0])
	if d.verifier != nil {
		d.verifier.filter(st)
	}
	return st.entities(text)
}

// scan runs every recognizer over text and leaves the candidates in the
// returned state, before verification and overlap resolution.
func (d *Detector) scan(text string, tokBuf []token) *scanState {
	n := normalize(text)
	st := &scanState{n: n, text: n.text, toks: tokenize(n.text, tokBuf)}
	findEmails(st)
	findIBANs(st)
	findDigitEntities(st, d.regions)
	findNINO(st)
	findAlphanumericIDs(st)
	findInsuranceIDs(st)
	findDatesOfBirth(st)
	findAddresses(st)
	findMedical(st, d.procedures)
	findSpokenDrugs(st)
	findForeignMedicines(st)
	findMedicalForms(st)
	findPersons(st)
	findSpeltNames(st)
	findLowerNamePairs(st)
	findDatesAfterNames(st)
	dropFigurative(st)
	if d.verifier != nil {
		findTaggedWide(st, d.tagger, d.verifier.wideMargin)
	} else {
		findTagged(st, d.tagger)
	}
	findBodyColour(st)
	dropMisfits(st)
	trimQuestionTags(st)
	trimPossessiveNames(st)
	return st
}

// titleBefore: a title ("Mr", "Mrs.", "doctor") ends right before byte s.
func titleBefore(st *scanState, s int) bool {
	k := st.tokenAt(s) - 1
	if st.tok(k).text == "." {
		k-- // "Mrs."
	}
	p := st.tok(k).low
	return titles[p] || lowerTitles[p]
}

// trimPossessiveNames: a medical span that opens with a person's name in
// the possessive ("Mr Callum Reid's extraction", "Godfrey Nkemelu's leg
// ulcer") starts after it, so the name stays a name.
func trimPossessiveNames(st *scanState) {
	for k := range st.cands {
		c := &st.cands[k]
		if CategoryOf(c.typ) != CategoryMedical {
			continue
		}
		for _, p := range st.cands {
			if p.typ != TypePerson || p.s < c.s || p.e >= c.e {
				continue
			}
			// One word alone is an eponym ("Barrett's oesophagus",
			// "Addison's disease"); a full name or a title is a person.
			if !strings.Contains(strings.TrimSpace(st.text[p.s:p.e]), " ") && !titleBefore(st, p.s) {
				continue
			}
			s := p.e
			switch {
			case strings.HasPrefix(st.text[p.e:], "'s"):
				s += len("'s")
			case strings.HasPrefix(st.text[p.e:], "’s"):
				s += len("’s")
			case strings.HasSuffix(st.text[:p.e], "'s") || strings.HasSuffix(st.text[:p.e], "’s"):
			default:
				continue
			}
			for s < c.e && st.text[s] == ' ' {
				s++
			}
			if s < c.e {
				c.s = s
			}
		}
	}
}

// entities resolves the candidates into entities with offsets into text.
func (st *scanState) entities(text string) []Entity {
	n := st.n
	kept := joinPredicates(st, resolve(mergeMedical(st.cands)))
	if len(kept) == 0 {
		return nil
	}
	out := make([]Entity, 0, len(kept))
	runeAt := runeOffsets(text)
	for _, c := range kept {
		s, e := n.origSpan(c.s, c.e)
		out = append(out, Entity{
			Type:     c.typ,
			Category: CategoryOf(c.typ),
			Start:    runeAt(s),
			End:      runeAt(e),
			Score:    roundScore(c.score),
		})
	}
	return out
}

func roundScore(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// resolve keeps the strongest candidates that do not overlap.
func resolve(cands []candidate) []candidate {
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.prio != b.prio {
			return a.prio > b.prio
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.e-a.s > b.e-b.s
	})
	kept := make([]candidate, 0, len(cands))
	for _, c := range cands {
		overlaps := false
		for _, k := range kept {
			if c.s < k.e && k.s < c.e {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, c)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].s < kept[j].s })
	return kept
}

// runeOffsets converts byte offsets of text to code-point offsets.
func runeOffsets(text string) func(int) int {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return func(b int) int { return b }
	}
	idx := make([]int32, len(text)+1)
	// idx[i] is the number of runes that start before byte i.
	count := int32(0)
	for i := 0; i < len(text); i++ {
		if utf8.RuneStart(text[i]) {
			idx[i] = count
			count++
		} else {
			idx[i] = count
		}
	}
	idx[len(text)] = count
	return func(b int) int { return int(idx[b]) }
}
