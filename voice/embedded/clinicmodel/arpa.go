package clinicmodel

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
)

// Sentence boundaries as ARPA models and pocketsphinx write them.
const (
	sentenceStart = "<s>"
	sentenceEnd   = "</s>"
)

// bigram is an interpolated Kneser-Ney bigram model, kept in the back-off
// form an ARPA file holds: a seen bigram has its own probability, an
// unseen one is the history's back-off weight times the unigram
// probability. For interpolated Kneser-Ney the back-off weight is exactly
// the interpolation weight λ(v) = D·N1+(v•)/c(v), so the file is not an
// approximation of the model.
type bigram struct {
	vocab   []string           // sorted; includes <s> and </s>
	uni     map[string]float64 // P(w), for every w but <s>
	bi      map[string]map[string]float64
	backoff map[string]float64 // λ(v), for every v seen as a history
}

// estimate counts the sentences' bigrams (with <s> and </s> around each)
// and smooths them. With general words (a unigram distribution over
// everyday English, summing to 1), the unigram level becomes the mixture
// (1-γ)·P_clinic + γ·P_general: a caller's words the clinic sentences
// lack are then recognised as everyday words, reached through back-off,
// rather than forced into clinic words.
func estimate(sentences [][]string, general map[string]float64, gamma float64) (*bigram, error) {
	if len(sentences) == 0 {
		return nil, fmt.Errorf("no sentences to estimate a language model from")
	}
	count := map[string]map[string]int{} // c(v,w)
	for _, s := range sentences {
		prev := sentenceStart
		for _, w := range append(slices.Clone(s), sentenceEnd) {
			if w == sentenceStart || w == "" {
				return nil, fmt.Errorf("sentence %q holds a reserved or empty word", s)
			}
			if count[prev] == nil {
				count[prev] = map[string]int{}
			}
			count[prev][w]++
			prev = w
		}
	}
	// Continuation counts N1+(•w) and counts of counts for the discounts.
	cont := map[string]int{}
	var contTotal int
	var n1, n2 int // bigrams seen once, twice
	vocabSet := map[string]bool{sentenceStart: true}
	for _, next := range count {
		for w, c := range next {
			vocabSet[w] = true
			cont[w]++
			contTotal++
			switch c {
			case 1:
				n1++
			case 2:
				n2++
			}
		}
	}
	d2 := discount(n1, n2)
	var c1, c2 int // words whose continuation count is 1, 2
	for _, c := range cont {
		switch c {
		case 1:
			c1++
		case 2:
			c2++
		}
	}
	d1 := discount(c1, c2)

	m := &bigram{uni: map[string]float64{}, bi: map[string]map[string]float64{}, backoff: map[string]float64{}}
	for w := range vocabSet {
		m.vocab = append(m.vocab, w)
	}
	// Unigrams: discounted continuation counts, interpolated with the
	// uniform distribution over the clinic's predictable words (all but
	// <s>), then mixed with the general words.
	predictable := float64(len(vocabSet) - 1)
	lambda1 := d1 * float64(len(cont)) / float64(contTotal)
	if len(general) == 0 {
		gamma = 0
	}
	for w := range vocabSet {
		if w == sentenceStart {
			continue
		}
		m.uni[w] = (1 - gamma) * (math.Max(float64(cont[w])-d1, 0)/float64(contTotal) + lambda1/predictable)
	}
	for w, p := range general {
		if w == sentenceStart || w == sentenceEnd || w == "" {
			continue
		}
		if !vocabSet[w] {
			m.vocab = append(m.vocab, w)
		}
		m.uni[w] += gamma * p
	}
	slices.Sort(m.vocab)
	for v, next := range count {
		var total int
		for _, c := range next {
			total += c
		}
		lambda := d2 * float64(len(next)) / float64(total)
		m.backoff[v] = lambda
		m.bi[v] = map[string]float64{}
		for w, c := range next {
			m.bi[v][w] = math.Max(float64(c)-d2, 0)/float64(total) + lambda*m.uni[w]
		}
	}
	return m, nil
}

// discount is Ney's estimate D = n1/(n1+2·n2), kept inside (0.1, 0.9) so a
// small or odd corpus neither wastes nor starves the back-off mass.
func discount(n1, n2 int) float64 {
	if n1+2*n2 == 0 {
		return 0.5
	}
	return math.Min(math.Max(float64(n1)/float64(n1+2*n2), 0.1), 0.9)
}

// prob is P(w|v) under the back-off model.
func (m *bigram) prob(v, w string) float64 {
	if p, ok := m.bi[v][w]; ok {
		return p
	}
	if bo, ok := m.backoff[v]; ok {
		return bo * m.uni[w]
	}
	return m.uni[w] // a history never seen backs off with weight 1
}

// bigramCount is how many bigrams the file lists.
func (m *bigram) bigramCount() int {
	n := 0
	for _, next := range m.bi {
		n += len(next)
	}
	return n
}

// writeARPA writes the model in the ARPA text format pocketsphinx reads
// with -lm: log10 probabilities, back-off weights on unigrams.
func (m *bigram) writeARPA(out io.Writer) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "\\data\\\nngram 1=%d\nngram 2=%d\n\n\\1-grams:\n", len(m.vocab), m.bigramCount())
	for _, word := range m.vocab {
		p := -99.0 // <s> is never predicted
		if word != sentenceStart {
			p = math.Log10(m.uni[word])
		}
		if bo, ok := m.backoff[word]; ok {
			fmt.Fprintf(w, "%.6f %s %.6f\n", p, word, math.Log10(bo))
		} else {
			fmt.Fprintf(w, "%.6f %s\n", p, word)
		}
	}
	fmt.Fprintf(w, "\n\\2-grams:\n")
	for _, v := range m.vocab {
		next := m.bi[v]
		ws := make([]string, 0, len(next))
		for x := range next {
			ws = append(ws, x)
		}
		slices.Sort(ws)
		for _, x := range ws {
			fmt.Fprintf(w, "%.6f %s %s\n", math.Log10(next[x]), v, x)
		}
	}
	fmt.Fprintf(w, "\n\\end\\\n")
	return w.Flush()
}
