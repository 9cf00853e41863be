package receptionist

import (
	"fmt"
	"strings"
	"time"

	"github.com/frontdesk/frontdesk/voice"
)

// Interpretation is what the receptionist takes from one transcript,
// for measuring recognition by its effect (did the words that matter
// survive?) and for debugging. Empty fields were not heard.
type Interpretation struct {
	Yes, No, Person, Bye bool
	// Choice is 1 or 2 for "the first/second one".
	Choice       int
	Procedure    string // procedure id
	Practitioner string // practitioner id
	Day          string // first date asked for, YYYY-MM-DD
	Clock        int    // minutes after midnight, most plausible reading; -1 none
	PartOfDay    string
}

// Interpret reads a transcript as a caller turn said at now.
func (r *Receptionist) Interpret(t voice.Transcript, now time.Time) Interpretation {
	h := r.understand(t, now.In(r.loc))
	in := Interpretation{Yes: h.yes, No: h.no, Person: h.person, Bye: h.bye, Choice: h.choice, Clock: -1}
	if h.proc != nil {
		in.Procedure = h.proc.ID
	}
	if h.prac != nil {
		in.Practitioner = h.prac.ID
	}
	if h.day != nil {
		in.Day = h.day.From.Format(time.DateOnly)
	}
	if h.clock != nil {
		in.Clock = h.clock.Minutes()[0]
	}
	if h.part != nil {
		in.PartOfDay = h.part.Name
	}
	return in
}

// Fields lists the interpretation's parts that were heard, as
// "name=value", for comparing two interpretations part by part.
func (in Interpretation) Fields() []string {
	var out []string
	add := func(on bool, s string) {
		if on {
			out = append(out, s)
		}
	}
	add(in.Yes, "yes")
	add(in.No, "no")
	add(in.Person, "person")
	add(in.Bye, "bye")
	add(in.Choice != 0, fmt.Sprintf("choice=%d", in.Choice))
	add(in.Procedure != "", "procedure="+in.Procedure)
	add(in.Practitioner != "", "practitioner="+in.Practitioner)
	add(in.Day != "", "day="+in.Day)
	add(in.Clock >= 0, fmt.Sprintf("clock=%02d:%02d", max(in.Clock, 0)/60, max(in.Clock, 0)%60))
	add(in.PartOfDay != "", "part="+in.PartOfDay)
	return out
}

func (in Interpretation) String() string { return strings.Join(in.Fields(), " ") }
