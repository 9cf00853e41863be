package clinicmodel

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/receptionist/spoken"
)

// stopWords carry no meaning of their own in a procedure's name: they are
// kept in the full name but never make an alias alone.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "and": true, "with": true,
	"to": true, "in": true, "on": true, "my": true, "your": true, "appointment": true,
	"treatment": true, "procedure": true, "session": true, "check": true,
}

// ProcedureAliases are the ways a caller may name a procedure: its full
// name, its meaningful words alone and in adjacent pairs ("mri scan",
// "root canal"), and for "X of the Y" names "Y X" ("knee scan").
func ProcedureAliases(name string) []string {
	words := spoken.NameWords(name)
	seen := map[string]bool{}
	var out []string
	add := func(ws ...string) {
		s := strings.Join(ws, " ")
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(words...)
	content := func(ws []string) []string {
		var out []string
		for _, w := range ws {
			if !stopWords[w] {
				out = append(out, w)
			}
		}
		return out
	}
	all := content(words)
	for i, w := range all {
		add(w)
		if i+1 < len(all) {
			add(all[i], all[i+1])
		}
	}
	for i, w := range words {
		if w != "of" && w != "for" {
			continue
		}
		before, after := content(words[:i]), content(words[i+1:])
		if len(before) > 0 && len(after) > 0 {
			add(append(after, before[len(before)-1])...)
		}
	}
	return out
}

// PractitionerNames are the ways a caller may name a practitioner:
// "doctor okafor", "doctor amara okafor", "amara okafor", "amara".
func PractitionerNames(name string) []string {
	words := spoken.NameWords(name)
	title := ""
	if len(words) > 1 && (words[0] == "doctor" || words[0] == "mister" || words[0] == "missus" || words[0] == "miss" || words[0] == "professor") {
		title, words = words[0], words[1:]
	}
	if len(words) == 0 {
		return nil
	}
	full := strings.Join(words, " ")
	out := []string{full}
	if title != "" {
		out = append(out, title+" "+full)
		if len(words) > 1 {
			out = append(out, title+" "+words[len(words)-1])
		}
	}
	if len(words) > 1 {
		out = append(out, words[0])
	}
	return out
}

// weighted is a template and how many sentences to sample from it.
type weighted struct {
	n    int
	tmpl string
}

// corpus is what callers say to a clinic's receptionist. It follows what
// the embedded receptionist understands (voice/receptionist): booking a
// procedure, days, times, practitioners, choosing among offers, yes and
// no, asking for a person, goodbyes, opening hours.
var corpus = []weighted{
	// Asking to book.
	{500, "[{hello}] [{opener}] (i'd like|i would like|i want|i need|i'm looking|i'm ringing|i'm calling) (to book|to make|to get|to have|to arrange|to see about) {a} {proc} [appointment] [{when}] [please]"},
	{250, "[{hello}] (can|could|may) i (book|have|get|make) {a} {proc} [appointment] [{when}] [please]"},
	{200, "[{hello}] (i need|i'd like|i want) {a} {proc} [{when}] [please]"},
	{120, "[{hello}] (it's|i'm calling|i'm ringing|this is) (about|for) {a} {proc} [appointment]"},
	{100, "{proc} [please]"},
	{80, "[{a}] {proc} [appointment] [{when}]"},
	{80, "[{hello}] (i'd like|i need|i want) to (book|make) (an appointment|a booking|an appointment for {a} {proc})"},
	// Asking for a time.
	{250, "(do you have|have you got|is there|are there|have you) (anything|something|a slot|an appointment|any appointments|any slots|a time) [available|free] {when}"},
	{700, "[{on}] {day} [{part}] [please]"},
	{300, "[{on}] {day} at {time} [please]"},
	{120, "(how about|what about|is) {day} [at {time}|{part}] [possible|available|free]"},
	{120, "[{on}] {day} [{part}] (if possible|if you can|would be good|would be great|would be best|is best|is good|suits me)"},
	{400, "[at] {time} [{part}] [please]"},
	{120, "(how about|what about|is there anything at|have you got anything at|do you have anything at|can i have|can i do|could i do) {time} [on {day}]"},
	{80, "{time} [on] {day} [please]"},
	{100, "(something|anything|a time) (earlier|later|in the morning|in the afternoon) [please|if possible|than that]"},
	{80, "(earlier|later) [please|if possible|if you can]"},
	{80, "(the earliest|as soon as possible|the first available|the soonest|whatever is first|any day|anytime|the earliest you have) [please]"},
	{60, "(not|no not) {day} [please]"},
	// Practitioners.
	{150, "(with|can i see|could i see|i'd like to see|i want to see|i'd prefer|preferably|is) {doctor} [please|available|free|if possible] [{when}]"},
	{60, "[{yes}] [with] {doctor} [please]"},
	{40, "(anyone|any doctor|whoever is free|i don't mind|it doesn't matter) [is fine|thanks]"},
	// Choosing among offers.
	{300, "[{yes}] [i'll take] the (first|second|last|other|earlier|later|morning|afternoon) (one|option|time|slot|appointment) [please|thanks]"},
	{60, "(the first|the second|the first one|the second one) [please]"},
	{60, "the one (at {time}|with {doctor}|on {day}) [please]"},
	{60, "{time} with {doctor} [please]"},
	{40, "(neither|none of them|neither of them) [sorry]"},
	// Yes and no.
	{500, "{yes} [thank you|thanks|please]"},
	{80, "{yes} (book it|go ahead|that's fine|that's great|that's perfect|that's right|that works|please book it|that's correct)"},
	{400, "{no} [thank you|thanks|sorry]"},
	{80, "{no} (i said|i meant|i want|i'd like|i asked for) ({day}|{time}|{a} {proc}|{doctor})"},
	{80, "[{no}] (a different|another|some other) (time|day|slot|appointment) [please]"},
	// A person.
	{200, "[{hello}] (can|could|may) i (speak|talk) to (a person|someone|somebody|a receptionist|a human|a real person|the receptionist|reception|a member of staff|the staff|the doctor|the practice)"},
	{100, "(i want|i'd like|i need) to (speak|talk) to (a person|someone|a human|a real person|the receptionist|reception|somebody)"},
	{60, "(receptionist|operator|a human|a real person|a person|transfer me|put me through) [please]"},
	// Endings.
	{120, "(thank you|thanks|thanks very much|thank you very much|cheers) [goodbye|bye|bye bye]"},
	{80, "(goodbye|bye|bye bye|that's all|that's everything|nothing else) [thank you|thanks]"},
	{40, "[{no}] that's (all|everything|it) [thank you|thanks]"},
	// Questions the receptionist answers.
	{60, "(what are your|what're your) (opening hours|hours)"},
	{60, "(when are you|what time are you|what days are you) open [on {day}]"},
	{40, "are you open [on] {day}"},
	// Saying it again differently.
	{60, "(sorry|pardon) [i said|i meant] ({day}|{time}|{a} {proc}|{yes}|{no})"},
}

// fixedSlots are the parts of sentences that do not depend on the clinic.
var fixedSlots = map[string][]string{
	"hello":  {"hello", "hi", "good morning", "good afternoon", "hello there", "hi there", "yes hello"},
	"opener": {"yes", "um", "so", "right", "oh", "hi yes"},
	"a":      {"a", "an", "my", "the", "a new"},
	"on":     {"on", "for", "on", "maybe", "how about", "what about", "sometime"},
	"when": {"{on} {day}", "{on} {day} {part}", "{on} {day} at {time}", "{part}", "at {time}", "{part} {on} {day}",
		"with {doctor}", "with {doctor} {on} {day}", "{on} {day} with {doctor}", "this week", "next week",
		"as soon as possible", "at {time} {on} {day}"},
	"part": {"morning", "afternoon", "in the morning", "in the afternoon", "in the evening", "first thing",
		"late morning", "early afternoon", "late afternoon", "at lunchtime"},
	"yes": {"yes", "yeah", "yep", "yes please", "that's right", "that's fine", "correct", "perfect",
		"lovely", "okay", "ok", "sure", "great", "yes that's right", "that's great", "fine", "right", "yes it is",
		"absolutely", "definitely", "sounds good", "that's good", "brilliant"},
	"no": {"no", "nope", "no thanks", "no thank you", "that's wrong", "not really", "that doesn't work",
		"that's not right", "no that's wrong", "no it isn't", "no sorry", "wrong", "not that one", "that's no good",
		"i can't do that", "i can't make that"},
}

// clinicSlots fills the slots that come from the clinic and the calendar.
func clinicSlots(p *voice.ClinicProfile) map[string][]string {
	s := map[string][]string{}
	for k, v := range fixedSlots {
		s[k] = v
	}
	for _, pr := range p.Procedures {
		s["proc"] = append(s["proc"], ProcedureAliases(pr.Name)...)
	}
	for _, pr := range p.Practitioners {
		s["doctor"] = append(s["doctor"], PractitionerNames(pr.Name)...)
	}
	if len(s["doctor"]) == 0 {
		s["doctor"] = []string{"a doctor"}
	}
	if len(s["proc"]) == 0 {
		s["proc"] = []string{"appointment", "check up", "consultation"}
	}
	if name := strings.Join(spoken.NameWords(p.Name), " "); name != "" {
		s["hello"] = append(s["hello"], "hello is that "+name, "hi is this "+name)
	}
	var days []string
	for _, d := range spoken.Weekdays {
		days = append(days, d, d, "this "+d, "next "+d)
	}
	days = append(days, "today", "today", "tomorrow", "tomorrow", "tomorrow", "the day after tomorrow",
		"this week", "next week", "{weekday} the {ordinal}", "the {ordinal}", "the {ordinal} of {month}",
		"{month} the {ordinal}", "{month} {ordinal}", "the {ordinal} please")
	s["day"] = days
	s["weekday"] = spoken.Weekdays
	s["month"] = spoken.Months
	for n := 1; n <= 31; n++ {
		s["ordinal"] = append(s["ordinal"], spoken.Ordinal(n))
	}
	// Clock times the way the receptionist says them, and the other
	// common forms, across a clinic's day.
	for h := 7; h <= 19; h++ {
		for _, m := range []int{0, 15, 30, 45} {
			s["time"] = append(s["time"], spoken.SayClock(h, m))
		}
		h12 := spoken.Number((h+11)%12 + 1)
		s["time"] = append(s["time"], h12, h12+" thirty", h12+" fifteen", h12+" forty five", h12+" o'clock",
			h12+" a m", h12+" p m", h12+" in the morning", h12+" in the afternoon", "about "+h12, "after "+h12, "before "+h12)
	}
	s["time"] = append(s["time"], "noon", "midday", "lunchtime", "twelve noon")
	return s
}

// Sentences samples the clinic's training sentences: every template of
// the corpus as often as its weight, with alternatives drawn from a
// generator seeded by seed (the same profile gives the same sentences).
func Sentences(p *voice.ClinicProfile, seed uint64) ([][]string, error) {
	slots := map[string][]*seq{}
	for name, fills := range clinicSlots(p) {
		for _, f := range fills {
			t, err := parseTemplate(f)
			if err != nil {
				return nil, fmt.Errorf("slot %s: %w", name, err)
			}
			slots[name] = append(slots[name], t)
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x636c696e6963))
	var out [][]string
	for _, w := range corpus {
		t, err := parseTemplate(w.tmpl)
		if err != nil {
			return nil, err
		}
		for range w.n {
			s, err := t.expand(r, slots, 0, nil)
			if err != nil {
				return nil, err
			}
			// Slot fillers hold phrases: split them into words.
			var words []string
			for _, x := range s {
				words = append(words, strings.Fields(x)...)
			}
			if len(words) > 0 {
				out = append(out, words)
			}
		}
	}
	// Every procedure and practitioner alias, and every time and day,
	// once on its own, so that none is left out by chance.
	for _, k := range []string{"proc", "doctor", "time", "yes", "no", "part", "month", "weekday", "ordinal"} {
		for _, f := range slots[k] {
			s, err := f.expand(r, slots, 0, nil)
			if err != nil {
				return nil, err
			}
			var words []string
			for _, x := range s {
				words = append(words, strings.Fields(x)...)
			}
			out = append(out, words)
		}
	}
	return out, nil
}
