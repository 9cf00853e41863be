package spoken

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNumberAndOrdinal(t *testing.T) {
	for _, tc := range []struct {
		n          int
		num, ordin string
	}{
		{1, "one", "first"}, {12, "twelve", "twelfth"}, {20, "twenty", "twentieth"},
		{21, "twenty one", "twenty first"}, {45, "forty five", "forty fifth"}, {31, "thirty one", "thirty first"},
	} {
		if got := Number(tc.n); got != tc.num {
			t.Errorf("Number(%d) = %q, want %q", tc.n, got, tc.num)
		}
		if got := Ordinal(tc.n); got != tc.ordin {
			t.Errorf("Ordinal(%d) = %q, want %q", tc.n, got, tc.ordin)
		}
	}
	if got := Number(150); got != "150" {
		t.Errorf("Number(150) = %q", got)
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"Tuesday at 10:30, please.": "tuesday at 10:30 please",
		"That's fine – at 9 a.m.":   "that's fine at 9 am",
		"The 14th of March?":        "the 14th of march",
		"I'd like an MRI scan.":     "i'd like an mri scan",
		"eleven o'clock":            "eleven o'clock",
		"  'quoted' words ":         "quoted words",
		"10.15 on Friday":           "10:15 on friday",
	} {
		if got := strings.Join(Words(in), " "); got != want {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSayClockParsesBack(t *testing.T) {
	for h := 8; h <= 18; h++ {
		for _, m := range []int{0, 5, 15, 20, 30, 45, 50} {
			said := SayClock(h, m)
			c, ok := FindClock(Words(said))
			if !ok {
				t.Fatalf("FindClock(%q) found nothing", said)
			}
			if !slices.Contains(c.Minutes(), h*60+m) {
				t.Errorf("SayClock(%d,%d) = %q parses to %v (minutes %v)", h, m, said, c, c.Minutes())
			}
			if c.Minutes()[0] != h*60+m {
				t.Errorf("%q: most plausible reading %d, want %d", said, c.Minutes()[0], h*60+m)
			}
		}
	}
}

func TestFindClock(t *testing.T) {
	for _, tc := range []struct {
		in      string
		ok      bool
		minutes int // first reading
		rel     Relation
	}{
		{"half past ten", true, 10*60 + 30, At},
		{"a quarter to four", true, 15*60 + 45, At},
		{"quarter past nine please", true, 9*60 + 15, At},
		{"at eleven on friday", true, 11 * 60, At},
		{"ten fifteen on thursday", true, 10*60 + 15, At},
		{"monday at two thirty", true, 14*60 + 30, At},
		{"two thirty", true, 14*60 + 30, At},
		{"nine a m", true, 9 * 60, At},
		{"four pm", true, 16 * 60, At},
		{"seven in the evening", true, 19 * 60, At},
		{"eight in the morning", true, 8 * 60, At},
		{"three o'clock", true, 15 * 60, At},
		{"after two", true, 14 * 60, After},
		{"before eleven", true, 11 * 60, Before},
		{"14:30", true, 14*60 + 30, At},
		{"at 9:00", true, 9 * 60, At},
		{"noon", true, 12 * 60, At},
		{"the second one please", false, 0, At},
		{"that one", false, 0, At},
		{"i need two appointments", false, 0, At},
		{"quarter", false, 0, At},
		{"half to ten", false, 0, At},
		{"", false, 0, At},
	} {
		c, ok := FindClock(Words(tc.in))
		if ok != tc.ok {
			t.Errorf("FindClock(%q) ok = %v, want %v (%+v)", tc.in, ok, tc.ok, c)
			continue
		}
		if !ok {
			continue
		}
		if got := c.Minutes()[0]; got != tc.minutes || c.Relation != tc.rel {
			t.Errorf("FindClock(%q) = %d (rel %v), want %d (rel %v)", tc.in, got, c.Relation, tc.minutes, tc.rel)
		}
	}
}

func TestFindDay(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday 11 March 2026.
	today := time.Date(2026, 3, 11, 15, 4, 0, 0, loc)
	date := func(m time.Month, d int) string { return time.Date(2026, m, d, 0, 0, 0, 0, loc).Format("2006-01-02") }
	for _, tc := range []struct {
		in       string
		from, to string // "" when nothing is found
	}{
		{"today please", date(3, 11), date(3, 11)},
		{"tomorrow morning", date(3, 12), date(3, 12)},
		{"the day after tomorrow", date(3, 13), date(3, 13)},
		{"on friday", date(3, 13), date(3, 13)},
		{"wednesday", date(3, 18), date(3, 18)},
		{"monday", date(3, 16), date(3, 16)},
		{"next monday", date(3, 16), date(3, 16)},
		{"next friday", date(3, 20), date(3, 20)},
		{"this friday", date(3, 13), date(3, 13)},
		{"the fourteenth", date(3, 14), date(3, 14)},
		{"the fifth", date(4, 5), date(4, 5)},
		{"march the twenty first", date(3, 21), date(3, 21)},
		{"the first of april", date(4, 1), date(4, 1)},
		{"the 14th of march", date(3, 14), date(3, 14)},
		{"14 april", date(4, 14), date(4, 14)},
		{"april 2", date(4, 2), date(4, 2)},
		{"monday the twenty third", date(3, 23), date(3, 23)},
		{"next week", date(3, 16), date(3, 22)},
		{"this week", date(3, 11), date(3, 15)},
		{"as soon as possible", date(3, 11), date(3, 24)},
		{"as soon as possible say friday", date(3, 13), date(3, 13)},
		{"is doctor patel available next week", date(3, 16), date(3, 22)},
		{"the second one please", "", ""},
		{"the first time", "", ""},
		{"may i book", "", ""},
		{"february the thirtieth", "", ""},
		{"yes please", "", ""},
	} {
		d, ok := FindDay(Words(tc.in), today)
		if !ok {
			if tc.from != "" {
				t.Errorf("FindDay(%q) found nothing, want %s", tc.in, tc.from)
			}
			continue
		}
		if tc.from == "" {
			t.Errorf("FindDay(%q) = %v, want nothing", tc.in, d)
			continue
		}
		if got, got2 := d.From.Format("2006-01-02"), d.To.Format("2006-01-02"); got != tc.from || got2 != tc.to {
			t.Errorf("FindDay(%q) = %s..%s, want %s..%s", tc.in, got, got2, tc.from, tc.to)
		}
	}
}

func TestSayDayParsesBack(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	today := time.Date(2026, 3, 11, 9, 0, 0, 0, loc)
	for ahead := 0; ahead < 40; ahead++ {
		day := time.Date(2026, 3, 11+ahead, 0, 0, 0, 0, loc)
		said := SayDay(day, today)
		d, ok := FindDay(Words(said), today)
		if !ok || !d.Single() || !d.From.Equal(day) {
			t.Errorf("SayDay(+%d) = %q parses to %v, %v", ahead, said, d.From, ok)
		}
	}
}

func TestFindPartOfDay(t *testing.T) {
	for in, want := range map[string]string{
		"tuesday afternoon": "afternoon", "first thing on monday": "morning",
		"in the evening": "evening", "yes": "",
	} {
		p, _ := FindPartOfDay(Words(in))
		if p.Name != want {
			t.Errorf("FindPartOfDay(%q) = %q, want %q", in, p.Name, want)
		}
	}
}

func TestNameWords(t *testing.T) {
	for in, want := range map[string]string{
		"Dr Amara Okafor":      "doctor amara okafor",
		"Dr. Ben Hughes":       "doctor ben hughes",
		"MRI scan of the knee": "mri scan of the knee",
		"Covid-19 jab":         "covid nineteen jab",
		"2nd opinion":          "second opinion",
		"Ear & nose check":     "ear and nose check",
		"Room 101":             "room one zero one",
	} {
		if got := strings.Join(NameWords(in), " "); got != want {
			t.Errorf("NameWords(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Acronyms("MRI scan, ECG and X-ray"); !slices.Equal(got, []string{"mri", "ecg"}) {
		t.Errorf("Acronyms = %v", got)
	}
}
