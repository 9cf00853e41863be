package turn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Completeness is how finished a transcript sounds.
type Completeness int

const (
	// Unknown: no transcript yet (the recogniser has not answered), or
	// nothing that tells either way.
	Unknown Completeness = iota
	// Complete: a question, a sentence the recogniser closed with a full
	// stop, a short answer ("yes", "tuesday at ten").
	Complete
	// Incomplete: it trails off in a conjunction, a filler, an article or
	// preposition, a comma, or digits being dictated.
	Incomplete
)

func (c Completeness) String() string {
	switch c {
	case Complete:
		return "complete"
	case Incomplete:
		return "incomplete"
	}
	return "unknown"
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	// Words a turn does not end on. Some can end an English sentence
	// ("come in", "I'd like that"), rarely in a call to book: a wrong
	// "incomplete" costs a second of waiting, a wrong "complete" cuts the
	// caller off.
	trailing = set(
		// conjunctions
		"and", "or", "but", "so", "because", "cause", "cos", "if", "then", "than", "that", "which",
		"who", "when", "where", "while", "although", "though", "unless", "whether", "plus",
		// fillers
		"um", "umm", "uh", "uhh", "er", "erm", "ah", "eh", "hmm", "like",
		// articles, possessives
		"the", "a", "an", "my", "your", "our", "their", "his", "its", "some", "any", "another",
		// prepositions
		"at", "on", "in", "for", "to", "with", "from", "of", "about", "around", "between", "into", "by", "until", "till",
		// contractions that cannot end a sentence
		"i'm", "it's", "i'd", "i'll", "i've", "we're", "we'd", "we'll", "you're", "that's", "there's",
		"he's", "she's", "they're", "what's", "i", "also", "just", "maybe",
	)
	// Copulas end a sentence after a pronoun ("yes it is") but not after
	// a noun ("my number is").
	copulas  = set("is", "are", "was", "were", "be")
	pronouns = set("it", "that", "this", "there", "he", "she", "they", "we", "you", "i", "which", "who", "what")
	// Digits as they are dictated.
	digitWords = set("zero", "oh", "o", "nought", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"double", "triple")
	// After these, one number is a time ("at ten", "around 3").
	timePrepositions = set("at", "around", "about", "before", "after", "by", "until", "till", "from", "half", "quarter", "past")
	// Short answers and closings that are a whole turn.
	answers = set("yes", "yeah", "yep", "yup", "no", "nope", "nah", "ok", "okay", "sure", "right", "correct", "exactly",
		"thanks", "thank", "cheers", "please", "bye", "goodbye", "great", "perfect", "fine", "good", "lovely",
		"brilliant", "absolutely", "definitely", "alright", "else", "all", "it", "you")
	// Days and times: an appointment answer ends on them.
	timeWords = set("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"today", "tomorrow", "morning", "afternoon", "evening", "tonight", "noon", "midday", "midnight",
		"am", "pm", "a.m", "p.m", "o'clock", "week", "weekend", "month", "ten", "eleven", "twelve",
		"fifteen", "thirty", "forty-five", "half")
)

// words splits a transcript into lower-case words, keeping the
// apostrophes, hyphens and dots inside them, and reports the punctuation
// after the last word.
func words(transcript string) (ws []string, tail string) {
	s := strings.ToLower(strings.TrimSpace(transcript))
	end := len(s)
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		end -= n
	}
	tail = strings.TrimSpace(s[end:])
	for _, w := range strings.FieldsFunc(s[:end], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;!?\"()…", r)
	}) {
		w = strings.ReplaceAll(strings.Trim(w, ".-—–'’:"), "’", "'")
		if w != "" {
			ws = append(ws, w)
		}
	}
	return ws, tail
}

func isDigits(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isClock: "10:30", "10.30", "10am", "3pm", "10:30am".
func isClock(w string) bool {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "am"), "pm")
	if w == "" {
		return false
	}
	if isDigits(w) {
		return true // "10am" (a bare "10" had no suffix to trim: see callers)
	}
	h, m, ok := strings.Cut(w, ":")
	if !ok {
		h, m, ok = strings.Cut(w, ".")
	}
	return ok && isDigits(h) && len(h) <= 2 && isDigits(m) && len(m) == 2
}

// Classify says how finished a transcript sounds. An empty transcript is
// Unknown.
func Classify(transcript string) Completeness {
	ws, tail := words(transcript)
	if len(ws) == 0 {
		return Unknown
	}
	last := ws[len(ws)-1]
	prev := ""
	if len(ws) > 1 {
		prev = ws[len(ws)-2]
	}
	switch {
	case strings.HasPrefix(tail, ",") || strings.HasPrefix(tail, "...") || strings.HasPrefix(tail, "…") ||
		strings.HasPrefix(tail, "-") || strings.HasPrefix(tail, "—") || strings.HasPrefix(tail, "–"):
		return Incomplete
	case trailing[last]:
		return Incomplete
	case copulas[last] && !pronouns[prev]:
		return Incomplete
	}
	if c, ok := digitRun(ws); ok {
		return c
	}
	switch {
	case strings.HasPrefix(tail, "?"):
		return Complete
	case answers[last] || timeWords[last] || isClock(last) && !isDigits(last) || copulas[last]:
		return Complete
	case strings.HasPrefix(tail, ".") || strings.HasPrefix(tail, "!"):
		return Complete
	}
	return Unknown
}

// digitRun reads a transcript that ends in numbers: one number after a
// time preposition is a time (complete); a run of dictated digits is a
// number still being given (incomplete).
func digitRun(ws []string) (Completeness, bool) {
	n, digits := 0, 0
	for i := len(ws) - 1; i >= 0; i-- {
		w := ws[i]
		if digitWords[w] {
			digits++
		} else if isDigits(w) {
			digits += len(w)
		} else {
			break
		}
		n++
	}
	if n == 0 {
		return Unknown, false
	}
	before := ""
	if len(ws) > n {
		before = ws[len(ws)-n-1]
	}
	if n == 1 && timePrepositions[before] {
		return Complete, true
	}
	if digits >= 2 {
		return Incomplete, true
	}
	return Unknown, false
}

// Interruption is what a caller said over the agent.
type Interruption int

const (
	// NoWords: the recogniser heard nothing (noise, a cough, the line).
	NoWords Interruption = iota
	// Backchannel: "mm-hm", "yeah", "okay", "right": listening, not
	// taking the turn.
	Backchannel
	// Words: anything else; the caller is taking the turn.
	Words
)

func (i Interruption) String() string {
	switch i {
	case Backchannel:
		return "backchannel"
	case Words:
		return "words"
	}
	return "no_words"
}

var (
	// Backchannel words, in canonical form (see canon).
	backchannelWords = set("m", "hm", "mhm", "mh", "uhuh", "ah", "aha", "oh", "uh", "um", "er", "erm",
		"ok", "okay", "yeah", "yea", "ya", "yes", "yep", "yup", "right", "sure", "alright",
		"cool", "great", "lovely", "fine", "good", "perfect", "wow", "gotcha")
	// Two-word backchannels.
	backchannelPairs = set("i see", "got it", "all right", "thank you", "that's fine", "sounds good", "oh right", "oh okay")
)

// canon folds spellings of one noise together: hyphens go and repeated
// letters collapse ("mm-hmm" → "mhm", "uh-huh" → "uhuh", "yeahhh" →
// "yeah", "okaaay" → "okay").
func canon(w string) string {
	var b strings.Builder
	var last rune
	for _, r := range w {
		if r == '-' {
			continue
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// ClassifyInterruption says whether what the caller said over the agent
// takes the turn. Up to four words, every one a backchannel, is a
// backchannel; "no", "wait", "sorry" and the like are words.
func ClassifyInterruption(transcript string) Interruption {
	ws, _ := words(transcript)
	if len(ws) == 0 {
		return NoWords
	}
	if len(ws) > 4 {
		return Words
	}
	for i := 0; i < len(ws); i++ {
		if i+1 < len(ws) && backchannelPairs[ws[i]+" "+ws[i+1]] {
			i++
			continue
		}
		if !backchannelWords[canon(ws[i])] {
			return Words
		}
	}
	return Backchannel
}
