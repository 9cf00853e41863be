package pii

// The nineteenth round's guards, read off a fresh development wave
// (batches 222-225) whose lines lean to what is hard to label: a medical
// word in a campaign's or course's name, in a charity's name, or as a
// star sign. Three more were tried on the development file and dropped
// because they cost right spans: similes ("eyes like a hawk"; but
// "bruising like a peach" is a complaint), a statistical span ending in
// "the" or a conjunction (it dropped whole mentions that should have been
// trimmed), and a capitalised hyphenated brand ("Fever-Tree"; but
// "Easi-Breathe" is an inhaler).

// round19Misfit reports whether the medical candidate c over toks[i:j]
// is one of these.
func round19Misfit(st *scanState, c candidate, i, j int) bool {
	return awarenessCourse(st, j) || capitalisedOrg(st, i, j) || starSign(st, i, j)
}

// awarenessCourse: "the concussion awareness course", "cancer awareness
// week": a campaign or a course about the condition.
func awarenessCourse(st *scanState, j int) bool {
	return st.tok(j).low == "awareness"
}

// capitalisedOrg: "the Cancer Research shop", "Stroke Association": one
// capitalised medical word that opens a charity's capitalised name.
func capitalisedOrg(st *scanState, i, j int) bool {
	if j != i+1 || !st.toks[i].upper {
		return false
	}
	next := st.tok(j)
	return next.upper && next.kind == tokWord && orgNameWords[next.low]
}

var orgNameWords = map[string]bool{"research": true, "trust": true, "foundation": true, "society": true, "uk": true, "support": true, "association": true, "charity": true}

// starSign: "It's Cancer, her star sign": the zodiac's crab.
func starSign(st *scanState, i, j int) bool {
	if j != i+1 || st.toks[i].low != "cancer" || !st.toks[i].upper {
		return false
	}
	for _, t := range st.toks {
		if t.low == "zodiac" || t.low == "horoscope" || t.low == "sign" || t.low == "signs" {
			return true
		}
	}
	return false
}
