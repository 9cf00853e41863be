package pii

import "strings"

// findForeignMedicines: a medicine named the way another European
// language spells it, from the English name in the lexicon: "metformine"
// (Dutch, French), "insulina" and "paracetamolo" (Italian, Spanish),
// "omeprazol" (Spanish, German), "amoxicilina". Callers from abroad and
// their relatives name their medicines so. The word must be one that no
// English list knows and long enough that a final vowel is an ending,
// not the word.
func findForeignMedicines(st *scanState) {
	toks := st.toks
	for i, t := range toks {
		w, s := t.low, t.s
		// "l'insulina", "dell'amoxicillina": an elided article is not
		// part of the name.
		if k := strings.IndexByte(w, '\''); k > 0 && k <= 4 && len(w) == len(t.text) {
			w, s = w[k+1:], s+k+1
		}
		if t.kind != tokWord || len(w) < 7 || !unknownWord(w) || medicationLexicon.match(toks, i) > i {
			continue
		}
		if spellsMedicine(w) {
			st.add(TypeMedication, s, t.e, 0.6, prioMedical)
		}
	}
}

// spellsMedicine: w is a one-word medicine of the lexicon with the final
// vowel another language adds, or without the final "e" it drops
// ("metformine", "insulina"; "omeprazol"), Spanish's single l in
// "-cilina" allowed.
func spellsMedicine(w string) bool {
	c := w + "e"
	switch w[len(w)-1] {
	case 'a', 'e', 'o':
		c = w[:len(w)-1]
	}
	return medicationLexicon.hasWord(c) || medicationLexicon.hasWord(strings.Replace(c, "cilin", "cillin", 1))
}
