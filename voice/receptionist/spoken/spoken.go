// Package spoken is the English the embedded receptionist speaks and
// understands about appointments: numbers, clock times, days and dates, in
// words. The receptionist uses it to say slots and to parse what callers
// said; the clinic language model (voice/embedded/clinicmodel) uses the same
// phrase lists, so that every phrase the receptionist parses can also be
// recognised.
package spoken

import (
	"strings"
	"time"
	"unicode"
)

var ones = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}

var tens = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

var ordinalOnes = []string{"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
	"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}

var ordinalTens = []string{"", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"}

// Number says 0 to 99 in words ("forty five"); other numbers as digits.
func Number(n int) string {
	switch {
	case n < 0 || n > 99:
		return itoa(n)
	case n < 20:
		return ones[n]
	case n%10 == 0:
		return tens[n/10]
	default:
		return tens[n/10] + " " + ones[n%10]
	}
}

// Ordinal says 1st to 99th in words ("twenty first").
func Ordinal(n int) string {
	switch {
	case n < 0 || n > 99:
		return itoa(n) + "th"
	case n < 20:
		return ordinalOnes[n]
	case n%10 == 0:
		return ordinalTens[n/10]
	default:
		return tens[n/10] + " " + ordinalOnes[n%10]
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// Weekdays in time.Weekday order, lower case.
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// Months in time.Month order (index 0 is January), lower case.
var Months = []string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// SayClock says a time of day the way a receptionist would: "nine
// o'clock", "half past ten", "quarter to four", "two twenty". The hour is
// on the 12-hour clock; clinic hours make the half of the day plain, and
// "in the morning" is added only before eight and "in the evening" after
// seven, where it would not be.
func SayClock(hour, minute int) string {
	h := hour % 12
	if h == 0 {
		h = 12
	}
	next := h%12 + 1
	var s string
	switch {
	case minute == 0 && hour == 12:
		s = "twelve noon"
	case minute == 0:
		s = Number(h) + " o'clock"
	case minute == 15:
		s = "quarter past " + Number(h)
	case minute == 30:
		s = "half past " + Number(h)
	case minute == 45:
		s = "quarter to " + Number(next)
	case minute < 10:
		s = Number(h) + " oh " + Number(minute)
	default:
		s = Number(h) + " " + Number(minute)
	}
	switch {
	case hour < 8:
		s += " in the morning"
	case hour >= 19:
		s += " in the evening"
	}
	return s
}

// SayDay says a date relative to today (both in the clinic's time zone):
// "today", "tomorrow", "Tuesday" within the coming week, else "Tuesday the
// fourteenth of March".
func SayDay(day, today time.Time) string {
	d := dateOf(day)
	t := dateOf(today)
	diff := int(d.Sub(t).Hours()/24 + 0.5)
	name := title(Weekdays[d.Weekday()])
	switch {
	case diff == 0:
		return "today"
	case diff == 1:
		return "tomorrow"
	case diff > 1 && diff < 7:
		return name
	default:
		return name + " the " + Ordinal(d.Day()) + " of " + title(Months[d.Month()-1])
	}
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dateOf is midnight of t's day in t's location.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Words splits a transcript into lower-case tokens: letters with inner
// apostrophes ("that's", "o'clock"), digit groups ("10:30", "14th"), with
// "a.m."/"p.m." folded to "am"/"pm". Recognisers differ in how they write
// times; this is the one form the parsers read.
func Words(text string) []string {
	text = strings.ToLower(text)
	text = strings.NewReplacer("a.m.", " am ", "p.m.", " pm ", "’", "'").Replace(text)
	var out []string
	var cur []rune
	flush := func() {
		w := strings.Trim(string(cur), "'.:")
		cur = cur[:0]
		if w != "" {
			out = append(out, w)
		}
	}
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// A digit next to letters starts a new token unless it is an
			// ordinal suffix ("14th") or the letters follow digits.
			if len(cur) > 0 && unicode.IsDigit(r) && unicode.IsLetter(cur[len(cur)-1]) {
				flush()
			}
			cur = append(cur, r)
		case r == '\'' && len(cur) > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			cur = append(cur, r)
		case (r == ':' || r == '.') && len(cur) > 0 && unicode.IsDigit(cur[len(cur)-1]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			cur = append(cur, ':')
		default:
			flush()
		}
	}
	flush()
	return out
}

// PartOfDay is the half of the day a caller asked for, as minutes after
// midnight [From, To).
type PartOfDay struct {
	Name     string
	From, To int
}

var partsOfDay = []PartOfDay{
	{"morning", 0, 12 * 60},
	{"afternoon", 12 * 60, 17 * 60},
	{"evening", 17 * 60, 24 * 60},
}

// FindPartOfDay finds "morning", "afternoon", "evening" (or "first thing")
// in ws.
func FindPartOfDay(ws []string) (PartOfDay, bool) {
	for i, w := range ws {
		if w == "thing" && i > 0 && ws[i-1] == "first" {
			return partsOfDay[0], true
		}
		for _, p := range partsOfDay {
			if w == p.Name || w == p.Name+"s" {
				return p, true
			}
		}
	}
	return PartOfDay{}, false
}
