package receptionist

import (
	"slices"
	"strings"
	"time"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/receptionist/spoken"
)

// heard is what the receptionist understood of one caller turn. Every
// field comes from words at or above the confidence threshold.
type heard struct {
	words    []string // accepted words
	dropped  int      // words below the threshold
	yes, no  bool
	person   bool // asks for a person
	bye      bool
	hours    bool // asks the opening hours
	choice   int  // 1 first, 2 second
	another  bool // wants other times
	later    bool
	earlier  bool
	anyone   bool // any practitioner
	proc     *voice.Procedure
	prac     *voice.Practitioner
	day      *spoken.Day
	part     *spoken.PartOfDay
	clock    *spoken.Clock
	anything bool // anything at all understood
}

// Word lists. They are the receptionist's whole vocabulary of intent; the
// clinic language model (voice/embedded/clinicmodel) holds sentences with
// each of them.
var (
	yesWords = set("yes", "yeah", "yep", "yup", "sure", "correct", "ok", "okay", "fine", "perfect",
		"great", "lovely", "brilliant", "absolutely", "definitely", "good")
	noWords     = set("no", "nope", "not", "don't", "doesn't", "can't", "wrong", "neither", "isn't", "none")
	staffWords  = set("receptionist", "reception", "operator", "human", "staff", "transfer")
	byeWords    = set("goodbye", "bye")
	hoursWords  = set("open", "opening", "hours")
	anyoneWords = set("anyone", "anybody", "whoever", "mind", "matter")
	anotherWord = set("another", "different", "else", "other")
)

// synonyms map words callers use to the words of procedure names.
var synonyms = map[string]string{
	"hygienist": "hygiene", "cleaning": "hygiene", "clean": "hygiene", "scale": "hygiene",
	"bloods": "blood", "scope": "colonoscopy", "mri's": "mri",
}

// understand reads a turn: words below minConf are dropped first.
func (r *Receptionist) understand(t voice.Transcript, now time.Time) heard {
	var h heard
	words := t.Words
	if len(words) == 0 && strings.TrimSpace(t.Text) != "" {
		// A provider without per-word results: trust its text.
		for _, w := range spoken.Words(t.Text) {
			words = append(words, voice.Word{Text: w, Confidence: t.Confidence})
		}
	}
	for _, w := range words {
		if w.Confidence < r.opt.MinConfidence {
			h.dropped++
			continue
		}
		h.words = append(h.words, spoken.Words(w.Text)...)
	}
	ws := h.words
	has := func(s map[string]bool) bool { return slices.ContainsFunc(ws, func(w string) bool { return s[w] }) }
	phrase := func(p string) bool { return containsPhrase(ws, strings.Fields(p)) }

	// Yes and no: the first one said wins ("no, that's fine" is a no).
yesNo:
	for i, w := range ws {
		switch {
		case noWords[w]:
			h.no = true
			break yesNo
		case yesWords[w], w == "right" && i > 0 && ws[i-1] == "that's", w == "please" && len(ws) == 1:
			h.yes = true
			break yesNo
		}
	}
	if !h.no && (phrase("go ahead") || phrase("book it") || phrase("sounds good") || phrase("that works")) {
		h.yes = true
	}
	h.person = phrase("speak to") || phrase("talk to") || phrase("put me through") || has(staffWords) ||
		phrase("a person") || phrase("real person")
	h.bye = has(byeWords) || phrase("that's all") || phrase("that's everything") || phrase("nothing else")
	h.hours = has(hoursWords) && !has(set("slot", "appointment", "free"))
	h.anyone = has(anyoneWords) || phrase("any doctor")

	for i, w := range ws {
		next := ""
		if i+1 < len(ws) {
			next = ws[i+1]
		}
		optionNoun := next == "one" || next == "option" || next == "time" || next == "slot" || next == "appointment" || next == "please" || next == ""
		switch w {
		case "first", "1st":
			if optionNoun || (i > 0 && ws[i-1] == "the") {
				h.choice = 1
			}
		case "second", "2nd":
			if optionNoun || (i > 0 && ws[i-1] == "the") {
				h.choice = 2
			}
		case "earlier", "earliest":
			if optionNoun && next != "" && next != "please" {
				h.choice = 1
			} else {
				h.earlier = true
			}
		case "later", "last", "latest":
			if optionNoun && next != "" && next != "please" {
				h.choice = 2
			} else {
				h.later = true
			}
		}
	}
	if phrase("number one") || phrase("option one") {
		h.choice = 1
	}
	if phrase("number two") || phrase("option two") {
		h.choice = 2
	}
	h.another = has(anotherWord) && h.choice == 0

	h.proc = r.matchProcedure(ws)
	h.prac = r.matchPractitioner(ws)
	if d, ok := spoken.FindDay(ws, now); ok {
		h.day = &d
	}
	if p, ok := spoken.FindPartOfDay(ws); ok {
		h.part = &p
	}
	if c, ok := spoken.FindClock(ws); ok {
		h.clock = &c
	}
	h.anything = h.yes || h.no || h.person || h.bye || h.hours || h.choice != 0 || h.another || h.later ||
		h.earlier || h.anyone || h.proc != nil || h.prac != nil || h.day != nil || h.part != nil || h.clock != nil
	return h
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func containsPhrase(ws, p []string) bool {
	for i := 0; i+len(p) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(p)], p) {
			return true
		}
	}
	return false
}

// procedureWords are the words that name each procedure, with a weight:
// a word shared by k procedures counts 1/k.
type procedureWords struct {
	words  []map[string]float64
	common map[string]bool
}

// genericWords name no procedure in particular.
var genericWords = set("a", "an", "the", "of", "for", "and", "with", "to", "in", "on", "my", "your",
	"appointment", "appointments", "treatment", "procedure", "session", "check", "booking", "consultation")

func newProcedureWords(ps []voice.Procedure) procedureWords {
	pw := procedureWords{}
	count := map[string]int{}
	for _, p := range ps {
		m := map[string]float64{}
		for _, w := range spoken.NameWords(p.Name) {
			if !genericWords[w] {
				m[w] = 1
			}
		}
		for w := range m {
			count[w]++
		}
		pw.words = append(pw.words, m)
	}
	for _, m := range pw.words {
		for w := range m {
			m[w] = 1 / float64(count[w])
		}
	}
	return pw
}

// matchProcedure picks the procedure whose name's words the caller said
// most of; a tie is no match.
func (r *Receptionist) matchProcedure(ws []string) *voice.Procedure {
	best, bestScore, tie := -1, 0.0, false
	for i, m := range r.procWords.words {
		seen := map[string]bool{}
		var score float64
		for _, w := range ws {
			if s, ok := synonyms[w]; ok {
				w = s
			}
			if !seen[w] {
				score += m[w]
				seen[w] = true
			}
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = i, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	if best < 0 || tie || bestScore < 0.5 {
		return nil
	}
	return &r.clinic.Procedures[best]
}

// matchPractitioner finds a practitioner by first name or surname.
func (r *Receptionist) matchPractitioner(ws []string) *voice.Practitioner {
	var found *voice.Practitioner
	for i := range r.clinic.Practitioners {
		p := &r.clinic.Practitioners[i]
		for _, n := range spoken.NameWords(p.Name) {
			if len(n) < 3 || n == "doctor" || n == "mister" || n == "missus" || n == "miss" || n == "professor" {
				continue
			}
			if slices.Contains(ws, n) {
				if found != nil && found != p {
					return nil // two practitioners named: ambiguous
				}
				found = p
			}
		}
	}
	return found
}
