package embedded

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/receptionist"
	"github.com/frontdesk/frontdesk/voice/receptionist/spoken"
)

var (
	accuracyReport = flag.Bool("accuracy", false, "run the full accuracy measurement (held-out sentences, caller voices slt and awb, and kal) and print its figures")
	accuracyDev    = flag.Bool("accuracy.dev", false, "run the accuracy measurement on the development set (template sentences, dev-oov.txt) used to choose ConfidenceThreshold")
	accuracyVoices = flag.String("accuracy.voices", "slt,awb,kal", "caller voices of the full measurement")
	modelGeneral   = flag.Int("model.general", 0, "clinicmodel.Options.GeneralWords for the tests (0: default)")
	vadThreshold   = flag.Float64("vad.threshold", 0, "RecognizerOptions.VADThreshold for the tests")
	cmnInit        = flag.String("cmn.init", "", "RecognizerOptions.CMNInit for the tests")
	modelGamma     = flag.Float64("model.gamma", 0, "clinicmodel.Options.GeneralWeight for the tests (0: default)")
)

// utterance is a sentence of a test set and the clinic it is said to.
type utterance struct {
	clinic int
	text   string
}

// readSentences reads a test set: "A|text", "B|text" or plain text (then
// clinic A), skipping comments.
func readSentences(t testing.TB, name string) []utterance {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []utterance
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		u := utterance{text: line}
		if c, text, ok := strings.Cut(line, "|"); ok {
			u.text = text
			if c == "B" {
				u.clinic = 1
			}
		}
		out = append(out, u)
	}
	return out
}

// scored is one recognised utterance, aligned with what was said.
type scored struct {
	// refMeaning and hypMeaning are what the receptionist takes from what
	// was said and from what was recognised.
	refMeaning, hypMeaning []string
	ref                    []string
	hyp                    []voice.Word
	correct                []bool // per hyp word: it matches a reference word
	errors                 int    // substitutions + deletions + insertions
	latency                time.Duration
}

// align is the word-level Levenshtein alignment of hyp to ref.
func align(ref []string, hyp []voice.Word) (errs int, correct []bool) {
	n, m := len(ref), len(hyp)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			sub := d[i-1][j-1]
			if ref[i-1] != hyp[j-1].Text {
				sub++
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	correct = make([]bool, m)
	for i, j := n, m; i > 0 && j > 0; {
		switch {
		case ref[i-1] == hyp[j-1].Text && d[i][j] == d[i-1][j-1]:
			correct[j-1] = true
			i, j = i-1, j-1
		case d[i][j] == d[i-1][j-1]+1:
			i, j = i-1, j-1
		case d[i][j] == d[i-1][j]+1:
			i--
		default:
			j--
		}
	}
	return d[n][m], correct
}

// turnsPerCall is how many utterances the measurement puts in one call.
const turnsPerCall = 4

// recognise says each utterance in a voice down a phone line to its
// clinic's recogniser, as calls do: a stream per call of turnsPerCall
// utterances, opening with the line silence of the greeting (3 s) and
// with a second of silence (the agent speaking) before each later turn.
func recognise(t testing.TB, voiceName string, us []utterance) []scored {
	t.Helper()
	var out []scored
	var st voice.RecognizerStream
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	for i, u := range us {
		if i%turnsPerCall == 0 || us[i-1].clinic != u.clinic {
			if st != nil {
				st.Close()
			}
			var err error
			st, err = recognizerFor(t, u.clinic).Open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			writeFrames(t, st, make([]int16, 2*voice.CallerRate)) // with callerSays' lead: 3 s
		} else {
			writeFrames(t, st, make([]int16, voice.CallerRate))
		}
		writeFrames(t, st, callerSays(t, voiceName, u.text))
		start := time.Now()
		tr, err := st.Transcribe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		lat := time.Since(start)
		st.Commit()
		ref := spoken.Words(u.text)
		errs, correct := align(ref, tr.Words)
		agent := receptionistFor(t, u.clinic)
		refT := voice.Transcript{Text: u.text, Confidence: 1}
		out = append(out, scored{ref: ref, hyp: tr.Words, correct: correct, errors: errs, latency: lat,
			refMeaning: agent.Interpret(refT, measureTime).Fields(), hypMeaning: agent.Interpret(tr, measureTime).Fields()})
	}
	return out
}

// measureTime is when the measured calls happen: Wednesday 11 March
// 2026, 8:30 in London.
var measureTime = time.Date(2026, 3, 11, 8, 30, 0, 0, time.FixedZone("GMT", 0))

func receptionistFor(t testing.TB, clinic int) *receptionist.Receptionist {
	c := demoClinics(t)[clinic]
	r, err := receptionist.New(&c, receptionist.Options{MinConfidence: ConfidenceThreshold})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// meaning compares what the receptionist took from the recognised words
// with what it takes from the words said.
type meaning struct {
	// Same is the share of utterances understood exactly as said.
	Same float64 `json:"same"`
	// Recall is the share of the meaning's parts (procedure, day, time,
	// yes, ...) recovered; Wrong is parts understood that were not said,
	// per utterance (the echo and read-back must catch these).
	Recall float64 `json:"recall"`
	Wrong  float64 `json:"wrong_per_sentence"`
}

func summariseMeaning(ss []scored) meaning {
	var same, refParts, got, wrong int
	for _, s := range ss {
		if slices.Equal(s.refMeaning, s.hypMeaning) {
			same++
		}
		refParts += len(s.refMeaning)
		for _, f := range s.hypMeaning {
			if slices.Contains(s.refMeaning, f) {
				got++
			} else {
				wrong++
			}
		}
	}
	n := float64(max(len(ss), 1))
	return meaning{Same: float64(same) / n, Recall: float64(got) / float64(max(refParts, 1)), Wrong: float64(wrong) / n}
}

// figures summarises scored utterances at a confidence threshold.
type figures struct {
	Sentences int     `json:"sentences"`
	RefWords  int     `json:"ref_words"`
	WER       float64 `json:"wer"`
	// Exact is the share of sentences recognised word for word.
	Exact float64 `json:"exact"`
	// OOVWords is the share of reference words outside the model.
	OOVWords float64 `json:"oov_words,omitempty"`
	// AcceptedPrecision: of the words at or above the threshold, the
	// share that were right; AcceptedRecall: of the right words, the
	// share at or above it.
	AcceptedPrecision float64 `json:"accepted_precision"`
	AcceptedRecall    float64 `json:"accepted_recall"`
	// WrongAccepted is wrong words accepted per sentence.
	WrongAccepted float64 `json:"wrong_accepted_per_sentence"`
}

func summarise(ss []scored, threshold float64, vocab map[string]bool) figures {
	var f figures
	var errs, exact, oov, acc, accRight, right, wrongAcc int
	for _, s := range ss {
		f.Sentences++
		f.RefWords += len(s.ref)
		errs += s.errors
		if s.errors == 0 {
			exact++
		}
		for _, w := range s.ref {
			if vocab != nil && !vocab[w] {
				oov++
			}
		}
		for i, w := range s.hyp {
			if s.correct[i] {
				right++
			}
			if w.Confidence >= threshold {
				acc++
				if s.correct[i] {
					accRight++
				} else {
					wrongAcc++
				}
			}
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	f.WER = ratio(errs, f.RefWords)
	f.Exact = ratio(exact, f.Sentences)
	f.OOVWords = ratio(oov, f.RefWords)
	f.AcceptedPrecision = ratio(accRight, acc)
	f.AcceptedRecall = ratio(accRight, right)
	f.WrongAccepted = ratio(wrongAcc, f.Sentences)
	return f
}

// oovFigures: on speech with nothing a clinic needs, every word is wrong;
// what matters is how many pass the threshold.
type oovFigures struct {
	Sentences int `json:"sentences"`
	Words     int `json:"words_recognised"`
	// Accepted is wrong words at or above the threshold per sentence;
	// SentencesClean the share of sentences with none.
	Accepted       float64 `json:"wrong_accepted_per_sentence"`
	SentencesClean float64 `json:"sentences_without_wrong_accepted"`
	WER            float64 `json:"wer"`
}

func summariseOOV(ss []scored, threshold float64) oovFigures {
	var f oovFigures
	var acc, clean, errs, refs int
	for _, s := range ss {
		f.Sentences++
		f.Words += len(s.hyp)
		errs += s.errors
		refs += len(s.ref)
		n := 0
		for i, w := range s.hyp {
			if w.Confidence >= threshold && !s.correct[i] {
				n++
			}
		}
		acc += n
		if n == 0 {
			clean++
		}
	}
	f.Accepted = float64(acc) / float64(max(f.Sentences, 1))
	f.SentencesClean = float64(clean) / float64(max(f.Sentences, 1))
	f.WER = float64(errs) / float64(max(refs, 1))
	return f
}

func vocabularies(t testing.TB) map[int]map[string]bool {
	out := map[int]map[string]bool{}
	for i := range 2 {
		m := recognizerFor(t, i).Model()
		out[i] = map[string]bool{}
		for _, w := range m.Vocabulary {
			out[i][w] = true
		}
	}
	return out
}

// TestRecognitionAccuracy runs a small version of the accuracy
// measurement on held-out sentences (never used to build the model) in
// flite's slt voice through 8 kHz μ-law, with bounds well below the
// figures the full run reports (go test -run TestRecognitionAccuracy
// -args -accuracy).
func TestRecognitionAccuracy(t *testing.T) {
	needBinaries(t)
	held := readSentences(t, "heldout.txt")
	oov := readSentences(t, "oov.txt")
	if *accuracyDev {
		fullAccuracy(t, readSentences(t, "dev.txt"), readSentences(t, "dev-oov.txt"))
		return
	}
	if *accuracyReport {
		fullAccuracy(t, held, oov)
		return
	}
	// Every third held-out sentence, both clinics. The full run (36
	// sentences, slt) measured a word error rate of 0.34, 79 % of the
	// accepted words right, 77 % of the meaning recovered and 2.5 wrong
	// words accepted per out-of-vocabulary sentence; the bounds here sit
	// below those figures so a loaded machine or a changed engine build
	// does not fail the test, while a broken chain does.
	var small []utterance
	for i := 0; i < len(held); i += 3 {
		small = append(small, held[i])
	}
	ss := recognise(t, "slt", small)
	got := summarise(ss, ConfidenceThreshold, nil)
	m := summariseMeaning(ss)
	t.Logf("held-out subset, slt: %+v, meaning %+v", got, m)
	if got.WER > 0.5 {
		t.Errorf("word error rate %.2f on %d held-out sentences, want ≤ 0.5", got.WER, got.Sentences)
	}
	if got.AcceptedPrecision < 0.65 {
		t.Errorf("accepted words right %.2f, want ≥ 0.65", got.AcceptedPrecision)
	}
	if m.Recall < 0.5 {
		t.Errorf("meaning recovered %.2f, want ≥ 0.5", m.Recall)
	}
	o := summariseOOV(recognise(t, "slt", oov[:4]), ConfidenceThreshold)
	t.Logf("out of vocabulary, slt: %+v", o)
	if o.Accepted > 4 {
		t.Errorf("%.1f wrong out-of-vocabulary words accepted per sentence, want ≤ 4", o.Accepted)
	}
}

func fullAccuracy(t *testing.T, held, oov []utterance) {
	vocab := vocabularies(t)
	type row struct {
		Voice      string             `json:"voice"`
		Threshold  float64            `json:"threshold"`
		Held       figures            `json:"heldout"`
		OOV        oovFigures         `json:"oov"`
		Latency    map[string]float64 `json:"transcribe_ms"`
		Meaning    *meaning           `json:"meaning,omitempty"`
		OOVMeaning *meaning           `json:"oov_meaning,omitempty"`
	}
	var rows []row
	for _, v := range strings.Split(*accuracyVoices, ",") {
		hs := recognise(t, v, held)
		oovs := recognise(t, v, oov)
		// OOV share per clinic's vocabulary.
		var oovWords, refWords int
		for i, s := range hs {
			for _, w := range s.ref {
				refWords++
				if !vocab[held[i].clinic][w] {
					oovWords++
				}
			}
		}
		var lats []float64
		for _, s := range append(hs, oovs...) {
			lats = append(lats, float64(s.latency.Microseconds())/1000)
		}
		sort.Float64s(lats)
		for _, th := range []float64{0, 0.05, 0.1, ConfidenceThreshold, 0.3, 0.5} {
			f := summarise(hs, th, nil)
			f.OOVWords = float64(oovWords) / float64(refWords)
			rows = append(rows, row{Voice: v, Threshold: th, Held: f, OOV: summariseOOV(oovs, th),
				Latency: map[string]float64{"p50": lats[len(lats)/2], "p95": lats[len(lats)*95/100], "max": lats[len(lats)-1]}})
		}
		hm, om := summariseMeaning(hs), summariseMeaning(oovs)
		rows = append(rows, row{Voice: v, Threshold: ConfidenceThreshold, Meaning: &hm, OOVMeaning: &om})
		for i, s := range hs {
			var hyp []string
			for j, w := range s.hyp {
				mark := ""
				if !s.correct[j] {
					mark = "*"
				}
				hyp = append(hyp, fmt.Sprintf("%s%s(%.2f)", mark, w.Text, w.Confidence))
			}
			t.Logf("%s %q → %s  [%s | %s]", v, held[i].text, strings.Join(hyp, " "), strings.Join(s.refMeaning, " "), strings.Join(s.hypMeaning, " "))
		}
		for i, s := range oovs {
			var hyp []string
			for j, w := range s.hyp {
				mark := ""
				if !s.correct[j] {
					mark = "*"
				}
				hyp = append(hyp, fmt.Sprintf("%s%s(%.2f)", mark, w.Text, w.Confidence))
			}
			t.Logf("%s OOV %q → %s", v, oov[i].text, strings.Join(hyp, " "))
		}
	}
	fmt.Println("voice threshold | in-domain: sentences WER exact oov-words accepted-precision accepted-recall wrong-accepted/sent | OOV: WER wrong-accepted/sent sentences-without | transcribe ms p50 p95")
	for _, r := range rows {
		if r.Meaning != nil {
			fmt.Printf("%-4s %.2f | understood as said %.2f, parts recovered %.2f, wrong parts/sentence %.2f | OOV: wrong parts/sentence %.2f\n",
				r.Voice, r.Threshold, r.Meaning.Same, r.Meaning.Recall, r.Meaning.Wrong, r.OOVMeaning.Wrong)
			continue
		}
		fmt.Printf("%-4s %.2f | %d %.3f %.2f %.3f %.3f %.3f %.2f | %.2f %.2f %.2f | %.0f %.0f\n", r.Voice, r.Threshold,
			r.Held.Sentences, r.Held.WER, r.Held.Exact, r.Held.OOVWords, r.Held.AcceptedPrecision, r.Held.AcceptedRecall, r.Held.WrongAccepted,
			r.OOV.WER, r.OOV.Accepted, r.OOV.SentencesClean, r.Latency["p50"], r.Latency["p95"])
	}
	b, _ := json.Marshal(rows)
	fmt.Println(string(b))
}
