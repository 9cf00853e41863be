package pii

// Guards and frames of the eighteenth round, each from a class of error a
// fresh development wave showed (see forms_round18_test.go).

// spokenRoleStart: a run that starts with a practitioner's word ("the
// doctor on call", "the locum one") is said as that word; speech-to-text
// writes a role as itself, not as syllables of a drug.
func spokenRoleStart(t token) bool {
	return careRoles[t.low] || practitionerWords[t.low]
}

// objectPronounInside: "told him", "gave them", "ask us": a verb and its
// object pronoun; no medicine's syllables are heard as "him", "them" or
// "us" after its first.
func objectPronounInside(run []token) bool {
	for _, t := range run[1:] {
		if t.low == "him" || t.low == "them" || t.low == "us" {
			return true
		}
	}
	return false
}

// nationalityWords name a people or a language: "Irish Life Health" is an
// insurer, "Polish tablets" a country's medicine, neither a drug's name.
var nationalityWords = wordSet(`irish scottish welsh english british american canadian australian polish french
spanish italian german dutch swedish danish norwegian finnish portuguese greek turkish romanian bulgarian
hungarian czech slovak croatian serbian lithuanian latvian estonian ukrainian russian chinese indian
pakistani nigerian filipino brazilian european`)

// shiftWords: "I'm on earlies", "she's on lates": a rota, not a medicine.
var shiftWords = wordSet(`earlies lates`)

// medicationCovers: a medication candidate covers toks[k] ("the water
// tablet", "her new tablets").
func medicationCovers(st *scanState, k int) bool {
	t := st.toks[k]
	for _, c := range st.cands {
		if c.typ == TypeMedication && c.s <= t.s && t.e <= c.e {
			return true
		}
	}
	return false
}

// goneHour: "it's gone two", "gone half ten": past an hour, not a
// complaint gone.
func goneHour(st *scanState, i, j int) bool {
	if j-i > 3 || st.toks[i].low != "gone" {
		return false
	}
	for _, t := range st.toks[i+1 : j] {
		if !(t.kind == tokNum || spokenNumberWord(t.low) || t.low == "half" || t.low == "quarter" || t.low == "past" || t.low == "midnight" || t.low == "noon") {
			return false
		}
	}
	return j > i+1
}

// misreadMedicine: a nationality or a shift alone is no medicine; one
// lower-case word right after a relative ("my boy
// oisin swallowed") is the relative's name; a medicine follows a
// possessive ("my son's inhaler") or a verb, not the relative's noun.
func misreadMedicine(st *scanState, c candidate, i, j int) bool {
	if c.typ != TypeMedication || j != i+1 {
		return false
	}
	if w := st.toks[i].low; nationalityWords[w] || shiftWords[w] {
		return true // "Irish", "earlies" alone: whichever part proposed it
	}
	if st.toks[i].upper {
		return false
	}
	p := st.tok(i - 1)
	if !(kinNouns[p.low] || p.low == "boy" || p.low == "girl" || p.low == "lad" || p.low == "youngest" || p.low == "eldest") {
		return false
	}
	return possessives[st.tok(i-2).low] || st.tok(i-2).low == "our"
}
