package spoken

import (
	"strconv"
	"strings"
	"time"
)

// Day is the day, or span of days, a caller asked for: dates at midnight
// in the clinic's time zone, From == To for one day.
type Day struct {
	From, To time.Time
}

// Single reports whether the caller named one day.
func (d Day) Single() bool { return d.From.Equal(d.To) }

// Days lists the dates of the span in order.
func (d Day) Days() []time.Time {
	var out []time.Time
	for t := d.From; !t.After(d.To); t = t.AddDate(0, 0, 1) {
		out = append(out, t)
	}
	return out
}

// Soon is the span a caller means by "as soon as possible" or "any day".
const Soon = 14

// FindDay finds the first day in ws, relative to today: "today",
// "tomorrow", "the day after tomorrow", weekday names ("friday", "next
// tuesday"), dates ("the fourteenth", "march the fourteenth", "14th"),
// spans ("this week", "next week", "as soon as possible"). A named day
// wins over a span said before it ("as soon as possible, say Tuesday").
func FindDay(ws []string, today time.Time) (Day, bool) {
	d, ok := findDay(ws, today)
	if ok && !d.Single() {
		// Look past the span for a named day.
		for i := range ws {
			if d2, ok2 := findDay(ws[i+1:], today); ok2 && d2.Single() {
				return d2, true
			}
		}
	}
	return d, ok
}

func findDay(ws []string, today time.Time) (Day, bool) {
	t := dateOf(today)
	one := func(d time.Time) (Day, bool) { return Day{From: d, To: d}, true }
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		prev := ""
		if i > 0 {
			prev = ws[i-1]
		}
		switch w {
		case "today":
			return one(t)
		case "tomorrow":
			if prev == "after" && i >= 2 && ws[i-2] == "day" {
				return one(t.AddDate(0, 0, 2))
			}
			return one(t.AddDate(0, 0, 1))
		case "week":
			switch prev {
			case "next":
				mon := startOfWeek(t).AddDate(0, 0, 7)
				return Day{From: mon, To: mon.AddDate(0, 0, 6)}, true
			case "this":
				return Day{From: t, To: startOfWeek(t).AddDate(0, 0, 6)}, true
			}
		case "weekend":
			sat := startOfWeek(t).AddDate(0, 0, 5)
			if prev == "next" || t.After(sat.AddDate(0, 0, 1)) {
				sat = sat.AddDate(0, 0, 7)
			}
			return Day{From: sat, To: sat.AddDate(0, 0, 1)}, true
		case "soon", "soonest", "earliest", "asap", "anytime", "whenever":
			return Day{From: t, To: t.AddDate(0, 0, Soon-1)}, true
		}
		if wd, ok := weekday(w); ok {
			d := nextWeekday(t, wd)
			if prev == "next" && !startOfWeek(d).After(t) {
				d = d.AddDate(0, 0, 7)
			}
			// "monday the fourteenth" names a date; trust the date.
			if date, n := dateAt(ws[i+1:], t); n > 0 && !date.IsZero() {
				return one(date)
			}
			return one(d)
		}
		if date, n := dateAt(ws[i:], t); n > 0 {
			if !date.IsZero() {
				return one(date)
			}
			i += n - 1 // no such date ("the thirtieth of february"): skip it
		}
	}
	return Day{}, false
}

// startOfWeek is the Monday of t's week.
func startOfWeek(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	return t.AddDate(0, 0, -back)
}

// nextWeekday is the first wd strictly after t.
func nextWeekday(t time.Time, wd time.Weekday) time.Time {
	ahead := (int(wd) - int(t.Weekday()) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	return t.AddDate(0, 0, ahead)
}

func weekday(w string) (time.Weekday, bool) {
	w = strings.TrimSuffix(w, "s")
	for i, name := range Weekdays {
		if w == name || w == strings.TrimSuffix(name, "s") {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

func month(w string) (time.Month, bool) {
	for i, name := range Months {
		if w == name || (len(w) >= 3 && len(name) > 3 && w == name[:3]) {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

// ordinalAt reads a day of the month at the start of ws: "fourteenth",
// "twenty first", "14th", answering it and the words read.
func ordinalAt(ws []string) (int, int) {
	if len(ws) == 0 {
		return 0, 0
	}
	for n := 1; n <= 31; n++ {
		o := strings.Fields(Ordinal(n))
		if len(o) <= len(ws) && equal(ws[:len(o)], o) {
			return n, len(o)
		}
	}
	w := ws[0]
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(w, suf) {
			if n, err := strconv.Atoi(strings.TrimSuffix(w, suf)); err == nil && n >= 1 && n <= 31 {
				return n, 1
			}
		}
	}
	return 0, 0
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// dateAt reads a date at the start of ws: "the fourteenth [of march]",
// "march [the] fourteenth", "14 march", "march 14", answering the date
// (the next one on or after today; zero if there is no such date) and the
// words read.
func dateAt(ws []string, today time.Time) (time.Time, int) {
	i := 0
	if i < len(ws) && ws[i] == "the" {
		i++
	}
	if i < len(ws) {
		if m, ok := month(ws[i]); ok {
			j := i + 1
			if j < len(ws) && ws[j] == "the" {
				j++
			}
			if n, k := ordinalAt(ws[j:]); k > 0 {
				return resolveDate(today, m, n), j + k
			}
			if j < len(ws) {
				if n, err := strconv.Atoi(ws[j]); err == nil && n >= 1 && n <= 31 {
					return resolveDate(today, m, n), j + 1
				}
			}
			return time.Time{}, 0
		}
	}
	n, k := ordinalAt(ws[i:])
	if k == 0 && i < len(ws) {
		// "14 march": a bare number counts only before a month.
		if v, err := strconv.Atoi(ws[i]); err == nil && v >= 1 && v <= 31 && i+1 < len(ws) {
			if _, ok := month(ws[i+1]); ok {
				n, k = v, 1
			}
		}
	}
	if k == 0 {
		return time.Time{}, 0
	}
	// An ordinal alone ("the second") names a date only after "the" or
	// before "of <month>"; otherwise it is "the second one".
	j := i + k
	if j+1 < len(ws) && ws[j] == "of" {
		if m, ok := month(ws[j+1]); ok {
			return resolveDate(today, m, n), j + 2
		}
	}
	if j < len(ws) {
		if m, ok := month(ws[j]); ok {
			return resolveDate(today, m, n), j + 1
		}
	}
	if i == 0 || n < 3 || (j < len(ws) && (ws[j] == "one" || ws[j] == "option" || ws[j] == "time" || ws[j] == "slot")) {
		return time.Time{}, 0
	}
	// Day of month alone: this month, or next month if it has passed.
	m := today.Month()
	if n < today.Day() {
		m++
	}
	return resolveDate(today, m, n), j
}

// resolveDate is day n of month m on or after today (this year or next),
// or the zero time when no such date exists.
func resolveDate(today time.Time, m time.Month, n int) time.Time {
	y := today.Year()
	if m > 12 {
		m, y = m-12, y+1
	}
	d := time.Date(y, m, n, 0, 0, 0, 0, today.Location())
	if d.Before(today) {
		d = time.Date(y+1, m, n, 0, 0, 0, 0, today.Location())
	}
	if d.Day() != n {
		return time.Time{}
	}
	return d
}
