package clinicmodel

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/frontdesk/frontdesk/voice"
)

func demoClinics(t testing.TB) []voice.ClinicProfile {
	t.Helper()
	b, err := os.ReadFile("../testdata/demo-clinics.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []voice.ClinicProfile
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// needTools fails (never skips) when the Debian packages the model needs
// are missing: make test installs them.
func needTools(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(DefaultCMUDict[0]); err != nil {
		t.Fatalf("%s missing: install the Debian package pocketsphinx-en-us (make test does)", DefaultCMUDict[0])
	}
	if _, err := exec.LookPath("flite"); err != nil {
		t.Fatal("flite missing: install the Debian package flite (make test does)")
	}
}

func TestBuildDemoClinic(t *testing.T) {
	needTools(t)
	clinics := demoClinics(t)
	dir := t.TempDir()
	m, err := Build(context.Background(), &clinics[0], Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if m.Sentences < 3000 {
		t.Errorf("only %d sentences", m.Sentences)
	}
	for _, w := range []string{"colonoscopy", "mri", "knee", "blood", "test", "okafor", "amara", "hughes", "doctor",
		"tuesday", "tomorrow", "half", "past", "quarter", "o'clock", "yes", "no", "receptionist", "fourteenth", "march"} {
		if !slices.Contains(m.Vocabulary, w) {
			t.Errorf("vocabulary lacks %q", w)
		}
	}
	if m.Guessed["okafor"] != SourceLTS || m.Guessed["colonoscopy"] != SourceLTS {
		t.Errorf("guessed = %v, want okafor and colonoscopy from letter-to-sound", m.Guessed)
	}
	if len(m.Dropped) > 0 {
		t.Errorf("dropped %v", m.Dropped)
	}
	if m.GeneralWords < 2500 || !slices.Contains(m.Vocabulary, "because") || !slices.Contains(m.Vocabulary, "weather") {
		t.Errorf("%d everyday words; because/weather in: %v/%v", m.GeneralWords, slices.Contains(m.Vocabulary, "because"), slices.Contains(m.Vocabulary, "weather"))
	}
	plain, err := Build(context.Background(), &clinics[0], Options{CacheDir: dir, GeneralWords: -1})
	if err != nil {
		t.Fatal(err)
	}
	if plain.GeneralWords != 0 || slices.Contains(plain.Vocabulary, "weather") || plain.Dir == m.Dir {
		t.Errorf("without everyday words: %d, dir %s", plain.GeneralWords, plain.Dir)
	}
	dict, err := os.ReadFile(m.Dict)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dict), "\nmri EH M AA R AY\n") {
		t.Errorf("dictionary lacks cmudict's mri")
	}
	// Every LM word has a pronunciation, and every dictionary word is in
	// the LM.
	arpa, err := os.ReadFile(m.LM)
	if err != nil {
		t.Fatal(err)
	}
	lmWords := unigrams(t, string(arpa))
	dictWords := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(dict)), "\n") {
		w := strings.Fields(line)[0]
		if i := strings.IndexByte(w, '('); i > 0 {
			w = w[:i]
		}
		dictWords[w] = true
	}
	for w := range lmWords {
		if w != "<s>" && w != "</s>" && !dictWords[w] {
			t.Errorf("LM word %q has no pronunciation", w)
		}
	}
	for w := range dictWords {
		if !lmWords[w] {
			t.Errorf("dictionary word %q is not in the LM", w)
		}
	}

	// A second build is served from the cache, unchanged.
	st1, _ := os.Stat(m.LM)
	m2, err := Build(context.Background(), &clinics[0], Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(m2.LM)
	if m2.Dir != m.Dir || !st1.ModTime().Equal(st2.ModTime()) {
		t.Errorf("second build did not use the cache: %s vs %s", m.Dir, m2.Dir)
	}
	// Another clinic gets another model.
	m3, err := Build(context.Background(), &clinics[1], Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if m3.Dir == m.Dir || slices.Contains(m3.Vocabulary, "okafor") || !slices.Contains(m3.Vocabulary, "canal") {
		t.Errorf("Riverside model mixes clinics: %s", m3.Dir)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".build-") {
			t.Errorf("left a build directory behind: %s", e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(m.Dir, "sentences.txt")); err != nil {
		t.Error(err)
	}
}

func unigrams(t *testing.T, arpa string) map[string]bool {
	t.Helper()
	_, rest, ok := strings.Cut(arpa, "\\1-grams:\n")
	if !ok {
		t.Fatal("no unigram section")
	}
	section, _, ok := strings.Cut(rest, "\\2-grams:")
	if !ok {
		t.Fatal("no bigram section")
	}
	out := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(section), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			t.Fatalf("bad unigram line %q", line)
		}
		out[f[1]] = true
	}
	return out
}

func TestBuildRejectsBadInput(t *testing.T) {
	if _, err := Build(context.Background(), nil, Options{CacheDir: t.TempDir()}); err == nil {
		t.Error("nil profile: no error")
	}
	p := &voice.ClinicProfile{Name: "X"}
	if _, err := Build(context.Background(), p, Options{CacheDir: t.TempDir(), CMUDict: filepath.Join(t.TempDir(), "none.dict")}); err == nil {
		t.Error("missing dictionary: no error")
	}
	bad := filepath.Join(t.TempDir(), "bad.dict")
	os.WriteFile(bad, []byte("garbage\x00\x01 not a dictionary\n"), 0o644)
	if _, err := Build(context.Background(), p, Options{CacheDir: t.TempDir(), CMUDict: bad}); err == nil {
		t.Error("garbage dictionary: no error")
	}
}

func TestBigramIsADistribution(t *testing.T) {
	sents := [][]string{
		strings.Fields("i need a blood test"), strings.Fields("i need a colonoscopy"),
		strings.Fields("yes"), strings.Fields("yes please"), strings.Fields("no"), strings.Fields("yes"),
		strings.Fields("a blood test please"),
	}
	m, err := estimate(sents, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkDistribution(t, m)
	// Mixed with everyday words at the unigram level, it still is one,
	// and an everyday word is reachable after any history.
	mixed, err := estimate(sents, map[string]float64{"weather": 0.5, "yes": 0.3, "because": 0.2}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	checkDistribution(t, mixed)
	if p := mixed.prob("blood", "weather"); p <= 0 || p >= mixed.prob("blood", "test") {
		t.Errorf("P(weather|blood) = %v", p)
	}
	if p := mixed.prob("weather", "because"); p <= 0 {
		t.Errorf("P(because|weather) = %v", p)
	}
	// Seen bigrams beat unseen ones; unseen ones are still possible.
	if !(m.prob("blood", "test") > m.prob("blood", "yes")) || m.prob("blood", "yes") <= 0 {
		t.Errorf("P(test|blood)=%v P(yes|blood)=%v", m.prob("blood", "test"), m.prob("blood", "yes"))
	}
	if _, err := estimate(nil, nil, 0); err == nil {
		t.Error("no sentences: no error")
	}
	if _, err := estimate([][]string{{"a", "<s>"}}, nil, 0); err == nil {
		t.Error("reserved word: no error")
	}
}

func checkDistribution(t *testing.T, m *bigram) {
	t.Helper()
	for _, v := range m.vocab {
		if v == sentenceEnd {
			continue
		}
		var sum float64
		for _, w := range m.vocab {
			if w != sentenceStart {
				sum += m.prob(v, w)
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("P(·|%s) sums to %v", v, sum)
		}
	}
}

func TestProcedureAliasesAndNames(t *testing.T) {
	got := ProcedureAliases("MRI scan of the knee")
	for _, want := range []string{"mri scan of the knee", "mri", "knee", "mri scan", "knee scan"} {
		if !slices.Contains(got, want) {
			t.Errorf("aliases %v lack %q", got, want)
		}
	}
	if got := ProcedureAliases("Blood test"); !slices.Equal(got, []string{"blood test", "blood", "test"}) {
		t.Errorf("aliases of Blood test = %v", got)
	}
	if slices.Contains(got, "of") || slices.Contains(got, "the") {
		t.Errorf("aliases %v hold a stop word alone", got)
	}
	if got := PractitionerNames("Dr Amara Okafor"); !slices.Equal(got, []string{"amara okafor", "doctor amara okafor", "doctor okafor", "amara"}) {
		t.Errorf("PractitionerNames = %v", got)
	}
	if got := PractitionerNames("Sam"); !slices.Equal(got, []string{"sam"}) {
		t.Errorf("PractitionerNames(Sam) = %v", got)
	}
}

func TestTemplateErrors(t *testing.T) {
	for _, src := range []string{"(a|b", "[a", "{x", "{}", "a)"} {
		if _, err := parseTemplate(src); err == nil {
			t.Errorf("parseTemplate(%q): no error", src)
		}
	}
}
