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
	i := st.tokenAt(pos) - 1
	words := make([]string, 0, n)
	for ; i >= 0 && len(words) < n; i-- {
		t := st.toks[i]
		if t.kind == tokPunct {
			if t.text == "." || t.text == "?" || t.text == "!" {
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
		if strings.Contains(window, " "+c+" ") {
			return true
		}
	}
	return false
}
