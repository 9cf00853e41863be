package pii

import (
	"sort"
	"strings"
)

// tokenAt returns the index of the first token starting at or after byte
// offset pos.
func (st *scanState) tokenAt(pos int) int {
	return sort.Search(len(st.toks), func(i int) bool { return st.toks[i].s >= pos })
}

// windowBefore returns up to n word or number tokens before byte offset pos,
// lower case, joined by single spaces and padded with a space at both ends,
// so a cue phrase matches with strings.Contains(w, " date of birth ").
// The window stops at a sentence end: context does not leak across
// sentences.
func (st *scanState) windowBefore(pos, n int) string {
	return st.window(pos, n, false)
}

// windowBeforeAnswer is windowBefore that reads on past a question: the
// cue of a number given as its answer is in the question ("do you need my
// BSN? It's 246513603").
func (st *scanState) windowBeforeAnswer(pos, n int) string {
	return st.window(pos, n, true)
}

func (st *scanState) window(pos, n int, pastQuestion bool) string {
	i := st.tokenAt(pos) - 1
	words := make([]string, 0, n)
	for ; i >= 0 && len(words) < n; i-- {
		t := st.toks[i]
		if t.kind == tokPunct {
			if t.text == "." || t.text == "?" && !pastQuestion || t.text == "!" {
				// "Dr." and "No." are not sentence ends worth stopping at;
				// any other full stop followed by a space is.
				if i+1 < len(st.toks) && st.toks[i+1].sp && !(i > 0 && isAbbrev(st.toks[i-1].low)) {
					break
				}
			}
			continue
		}
		words = append(words, t.low)
	}
	var b strings.Builder
	b.WriteByte(' ')
	for k := len(words) - 1; k >= 0; k-- {
		b.WriteString(words[k])
		b.WriteByte(' ')
	}
	return b.String()
}

// windowAfter is windowBefore's mirror, for cues that follow a value
// ("0161 496 0000 office", "(DOB)").
func (st *scanState) windowAfter(pos, n int) string {
	i := st.tokenAt(pos)
	var b strings.Builder
	b.WriteByte(' ')
	for k := 0; i < len(st.toks) && k < n; i++ {
		t := st.toks[i]
		if t.kind == tokPunct {
			if t.text == "." || t.text == "?" || t.text == "!" || t.nl {
				break
			}
			continue
		}
		if t.nl && k > 0 {
			break
		}
		b.WriteString(t.low)
		b.WriteByte(' ')
		k++
	}
	return b.String()
}

func isAbbrev(w string) bool {
	switch w {
	case "dr", "mr", "mrs", "ms", "no", "st", "apt", "jr", "sr", "prof", "rev", "u", "ul", "co":
		return true
	}
	return false
}

// containsAny reports whether the padded window holds any cue as whole words.
func containsAny(window string, cues []string) bool {
	for _, c := range cues {
		if hasWords(window, c) {
			return true
		}
	}
	return false
}

// cliticS: the window goes on with "'s" and a word end ("my hospital
// number's 8830214", "my phone's 07700 ..."), so the cue before it is whole.
func cliticS(rest string) bool {
	return strings.HasPrefix(rest, "'s ") || strings.HasPrefix(rest, "’s ")
}

// hasWords reports whether the padded window holds c as whole words, like
// strings.Contains(window, " "+c+" ") without building the needle: this
// runs for every cue at every candidate.
func hasWords(window, c string) bool {
	for off := 0; off < len(window); {
		i := strings.Index(window[off:], c)
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && window[i-1] == ' ' && i+len(c) < len(window) && (window[i+len(c)] == ' ' || cliticS(window[i+len(c):])) {
			return true
		}
		off = i + 1
	}
	return false
}

// endsWithWords reports whether the padded window ends with c as whole
// words: strings.HasSuffix(window, " "+c+" ") without the allocation.
func endsWithWords(window, c string) bool {
	n, m := len(window), len(c)
	return n >= m+2 && window[n-1] == ' ' && window[n-2-m] == ' ' && window[n-1-m:n-1] == c
}
