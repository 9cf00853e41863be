package spoken

import (
	"strconv"
	"strings"
)

// Meridiem is which half of the day a spoken hour is in, when the caller
// said it.
type Meridiem int

const (
	MeridiemUnknown Meridiem = iota
	AM
	PM
)

// Relation is how a spoken time constrains a slot.
type Relation int

const (
	At Relation = iota
	After
	Before
)

// Clock is a time of day as the caller said it: Hour on the 12-hour clock
// (1-12) unless the caller used 24-hour digits (then Meridiem is set).
type Clock struct {
	Hour, Minute int
	Meridiem     Meridiem
	Relation     Relation
}

// Minutes lists the minutes after midnight the clock may mean, most
// plausible for a clinic first: with no half of the day given, 1 to 6
// o'clock are afternoon hours and 7 to 11 morning ones.
func (c Clock) Minutes() []int {
	h := c.Hour % 12
	am, pm := h*60+c.Minute, (h+12)*60+c.Minute
	switch c.Meridiem {
	case AM:
		return []int{am}
	case PM:
		return []int{pm}
	}
	if c.Hour == 12 {
		return []int{pm, am}
	}
	if c.Hour >= 7 {
		return []int{am, pm}
	}
	return []int{pm, am}
}

// hourWord reads "one".."twelve" or "1".."12".
func hourWord(w string) (int, bool) {
	for i := 1; i <= 12; i++ {
		if w == ones[i] {
			return i, true
		}
	}
	if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= 12 {
		return n, true
	}
	return 0, false
}

// minuteWords reads a minute expression at the start of ws: "fifteen",
// "thirty", "forty five", "oh five". It answers the minute and the number
// of words read.
func minuteWords(ws []string) (int, int) {
	if len(ws) == 0 {
		return 0, 0
	}
	if ws[0] == "oh" && len(ws) > 1 {
		for i := 1; i <= 9; i++ {
			if ws[1] == ones[i] {
				return i, 2
			}
		}
		return 0, 0
	}
	for t := 2; t <= 5; t++ {
		if ws[0] != tens[t] {
			continue
		}
		if len(ws) > 1 {
			for i := 1; i <= 9; i++ {
				if ws[1] == ones[i] {
					return t*10 + i, 2
				}
			}
		}
		return t * 10, 1
	}
	for i := 10; i <= 19; i++ {
		if ws[0] == ones[i] {
			return i, 1
		}
	}
	return 0, 0
}

// hourContext are words before a bare hour that make it a time ("at
// eleven"), with the relation they set.
var hourContext = map[string]Relation{
	"at": At, "around": At, "about": At, "say": At,
	"after": After, "from": After, "later": After,
	"before": Before, "by": Before, "until": Before, "till": Before,
}

// FindClock finds the first time of day in ws: "half past ten", "quarter
// to four", "ten thirty", "eleven o'clock", "at eleven", "two pm",
// "10:30", "noon".
func FindClock(ws []string) (Clock, bool) {
	for i := 0; i < len(ws); i++ {
		rel := At
		if i > 0 {
			if r, ok := hourContext[ws[i-1]]; ok {
				rel = r
			}
		}
		c, n, ok := clockAt(ws, i)
		if !ok {
			continue
		}
		c.Relation = rel
		c.Meridiem = meridiemAfter(ws[i+n:], c.Meridiem)
		return c, true
	}
	return Clock{}, false
}

// clockAt reads a time starting at ws[i], answering the words it read.
func clockAt(ws []string, i int) (Clock, int, bool) {
	w := ws[i]
	rest := ws[i+1:]
	switch w {
	case "noon", "midday", "lunchtime":
		return Clock{Hour: 12, Meridiem: PM}, 1, true
	case "half", "quarter":
		if len(rest) >= 2 && (rest[0] == "past" || rest[0] == "to" || rest[0] == "after") {
			h, ok := hourWord(rest[1])
			if !ok {
				return Clock{}, 0, false
			}
			m := 30
			if w == "quarter" {
				m = 15
			}
			if rest[0] == "to" {
				if w == "half" {
					return Clock{}, 0, false
				}
				h, m = h-1, 45
				if h == 0 {
					h = 12
				}
			}
			return Clock{Hour: h, Minute: m}, 3, true
		}
		return Clock{}, 0, false
	}
	if strings.Contains(w, ":") {
		parts := strings.SplitN(w, ":", 2)
		h, err1 := strconv.Atoi(parts[0])
		m, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
			return Clock{}, 0, false
		}
		c := Clock{Hour: h, Minute: m}
		if h > 12 || h == 0 {
			c.Hour, c.Meridiem = (h+11)%12+1, PM
			if h == 0 {
				c.Meridiem = AM
			}
		}
		return c, 1, true
	}
	h, ok := hourWord(w)
	if !ok {
		return Clock{}, 0, false
	}
	if len(rest) > 0 && (rest[0] == "o'clock" || rest[0] == "oclock") {
		return Clock{Hour: h}, 2, true
	}
	if m, n := minuteWords(rest); n > 0 {
		return Clock{Hour: h, Minute: m}, 1 + n, true
	}
	if len(rest) > 0 && (meridiemWord(rest[0]) != MeridiemUnknown || rest[0] == "a" || rest[0] == "p" || rest[0] == "ish") {
		return Clock{Hour: h}, 1, true
	}
	if len(rest) > 1 && rest[0] == "in" && rest[1] == "the" {
		return Clock{Hour: h}, 1, true
	}
	if i > 0 {
		if _, ok := hourContext[ws[i-1]]; ok {
			return Clock{Hour: h}, 1, true
		}
	}
	return Clock{}, 0, false
}

func meridiemWord(w string) Meridiem {
	switch w {
	case "am", "morning":
		return AM
	case "pm", "afternoon", "evening":
		return PM
	}
	return MeridiemUnknown
}

// meridiemAfter reads "am", "a m", "pm", "in the morning" after a time.
func meridiemAfter(ws []string, def Meridiem) Meridiem {
	if len(ws) == 0 {
		return def
	}
	if m := meridiemWord(ws[0]); m != MeridiemUnknown && ws[0] != "morning" && ws[0] != "afternoon" && ws[0] != "evening" {
		return m
	}
	if len(ws) > 1 && ws[1] == "m" {
		switch ws[0] {
		case "a":
			return AM
		case "p":
			return PM
		}
	}
	if len(ws) > 2 && ws[0] == "in" && ws[1] == "the" {
		if m := meridiemWord(ws[2]); m != MeridiemUnknown {
			return m
		}
	}
	return def
}
