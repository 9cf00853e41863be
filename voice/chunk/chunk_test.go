package chunk

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// feed pushes tokens one by one and flushes; it returns every clause.
func feed(c *Chunker, tokens []string) []string {
	var out []string
	for _, tok := range tokens {
		out = append(out, c.Push(tok)...)
	}
	if rest := c.Flush(); rest != "" {
		out = append(out, rest)
	}
	return out
}

// llmTokens splits text roughly as an LLM streams it: words with their
// leading space, punctuation on its own, numbers in pieces.
func llmTokens(text string) []string {
	var toks []string
	cur := ""
	flush := func() {
		if cur != "" {
			toks = append(toks, cur)
			cur = ""
		}
	}
	for _, r := range text {
		switch {
		case r == ' ':
			flush()
			cur = " "
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			flush()
			toks = append(toks, string(r))
		case unicode.IsDigit(r) && len(cur) >= 2:
			flush()
			cur = string(r)
		default:
			cur += string(r)
		}
	}
	flush()
	return toks
}

func TestChunker(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"short first clause, then sentences",
			"Of course, I can help with that. What day suits you best?",
			[]string{"Of course,", "I can help with that.", "What day suits you best?"}},
		{"one-word first sentence waits for more",
			"Sure. Let me check the diary for you.",
			[]string{"Sure. Let me check the diary for you."}},
		{"decimals and times do not break",
			"We have Tuesday at 10.30 or Wednesday at 2.15, which would you prefer?",
			[]string{"We have Tuesday at 10.30 or Wednesday at 2.15,", "which would you prefer?"}},
		{"money and thousands",
			"The fee is £1,250.50 in total. A deposit of £12.50 is due today.",
			[]string{"The fee is £1,250.50 in total.", "A deposit of £12.50 is due today."}},
		{"titles and a.m. mid-sentence",
			"Dr. Smith can see you at 9 a.m. tomorrow. Is that okay?",
			[]string{"Dr. Smith can see you at 9 a.m. tomorrow.", "Is that okay?"}},
		{"a.m. ending a sentence",
			"Your appointment is at 9 a.m. See you then.",
			[]string{"Your appointment is at 9 a.m.", "See you then."}},
		{"e.g. and St.",
			"You can bring documents, e.g. your insurance card. We're on St. John's Road.",
			[]string{"You can bring documents,", "e.g. your insurance card.", "We're on St. John's Road."}},
		{"e-mail address",
			"Send it to reception@clinic.example.com and we'll confirm by e-mail.",
			[]string{"Send it to reception@clinic.example.com and we'll confirm by e-mail."}},
		{"clock times",
			"Your appointment is at 10:30. Please arrive ten minutes early.",
			[]string{"Your appointment is at 10:30.", "Please arrive ten minutes early."}},
		{"initials",
			"You'll be seeing J. R. Patel, our hygienist.",
			[]string{"You'll be seeing J. R. Patel,", "our hygienist."}},
		{"long first clause breaks before a conjunction",
			"I can book you in with the hygienist first and then with the dentist on Friday.",
			[]string{"I can book you in with the hygienist first", "and then with the dentist on Friday."}},
		{"very long first clause breaks at a word",
			"I can see the morning of the twelfth is quite busy for the whole team this week",
			[]string{"I can see the morning of the twelfth is quite", "busy for the whole team this week"}},
		{"later commas wait for a longer clause",
			"Okay, I have you down for Tuesday, at ten, with Doctor Jones, for a check-up and a clean.",
			[]string{"Okay, I have you down for Tuesday,", "at ten, with Doctor Jones, for a check-up and a clean."}},
		{"ellipsis",
			"Let me see... Tuesday works well for us.",
			[]string{"Let me see...", "Tuesday works well for us."}},
		{"closing quote stays with its sentence",
			`It's called "Smile Clinic." We open at nine.`,
			[]string{`It's called "Smile Clinic."`, "We open at nine."}},
		{"question and exclamation marks",
			"Great! Is there anything else I can help with?",
			[]string{"Great! Is there anything else I can help with?"}},
		{"lines",
			"Here are the times:\n1. Monday at 9am\n2. Tuesday at 2pm",
			[]string{"Here are the times:", "1. Monday at 9am", "2. Tuesday at 2pm"}},
		{"dash between clauses",
			"That slot is gone - but Thursday is free all afternoon.",
			[]string{"That slot is gone -", "but Thursday is free all afternoon."}},
		{"no text", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			splits := map[string][]string{
				"llm tokens": llmTokens(tt.text),
				"whole":      {tt.text},
				"runes":      strings.Split(tt.text, ""),
			}
			for how, toks := range splits {
				got := feed(New(), toks)
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s: got %q\nwant %q", how, got, tt.want)
				}
			}
		})
	}
}

// The first clause comes out as soon as the character after it arrives:
// TTS can start while the LLM streams the rest.
func TestFirstClauseIsEarly(t *testing.T) {
	text := "Of course, I can help with that. What day suits you best?"
	c := New()
	for i, r := range text {
		if got := c.Push(string(r)); len(got) > 0 {
			if got[0] != "Of course," || i != strings.Index(text, ", ")+1 {
				t.Fatalf("first clause %q after %d characters", got, i+1)
			}
			return
		}
	}
	t.Fatal("no clause before the end")
}

// A reply after Flush starts with a short clause again; Reset drops a
// reply.
func TestFlushAndReset(t *testing.T) {
	c := New()
	feed(c, []string{"First reply, with words. And more words here, yes."})
	if got := c.Push("Right, okay, "); !slices.Equal(got, []string{"Right, okay,"}) {
		t.Fatalf("second reply's first clause: %q", got)
	}
	c.Push("half a sentence that the caller cut")
	c.Reset()
	if got := c.Flush(); got != "" {
		t.Fatalf("after Reset, Flush = %q", got)
	}
}

func TestCustomLimits(t *testing.T) {
	c := &Chunker{FirstMinWords: 4, MinWords: 2}
	got := feed(c, llmTokens("Yes, of course, I can, then we go, fine."))
	want := []string{"Yes, of course, I can,", "then we go,", "fine."}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// Whatever the text and however it is split: no clause is empty, none
// loses or adds a character, and the clauses are the same as for the
// text pushed whole.
func TestSplitInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"Dr.", "Smith", "10.30", "£12.50", "1,500", "e.g.", "a.m.", "and", "but", "the", "clinic",
		"Tuesday", ",", ".", "?", "!", "...", ":", ";", " - ", "\n", "\"", "'", "J.", "x@y.com", "—", "ok", "9am", "St."}
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for k := rng.IntN(40); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		checkText(t, b.String(), rng)
	}
}

func FuzzChunker(f *testing.F) {
	f.Add("Of course, I can help with that. What day suits you best?", uint64(1))
	f.Add("Dr. Smith at 10.30 a.m. e.g. £1,250.50 x@y.example.com", uint64(2))
	f.Fuzz(func(t *testing.T, text string, seed uint64) {
		checkText(t, text, rand.New(rand.NewPCG(seed, 3)))
	})
}

func checkText(t *testing.T, text string, rng *rand.Rand) {
	t.Helper()
	whole := feed(New(), []string{text})
	var toks []string
	for rest := text; rest != ""; {
		n := min(len(rest), 1+rng.IntN(6))
		toks = append(toks, rest[:n]) // may split a rune: tokens are bytes
		rest = rest[n:]
	}
	split := feed(New(), toks)
	if !slices.Equal(whole, split) {
		t.Fatalf("%q: whole %q, split %q", text, whole, split)
	}
	for _, c := range whole {
		if strings.TrimSpace(c) == "" || c != strings.TrimSpace(c) {
			t.Fatalf("%q: clause %q", text, c)
		}
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if got, want := squash(strings.Join(whole, " ")), squash(text); got != want {
		t.Fatalf("%q: clauses %q lose or add text", text, whole)
	}
}

func BenchmarkChunkerReply(b *testing.B) {
	toks := llmTokens("Of course, I can help with that. We have Tuesday at 10.30 or Wednesday at 2.15, which would you prefer? Dr. Smith is in on both days.")
	c := New()
	b.ReportAllocs()
	for b.Loop() {
		feed(c, toks)
	}
}
