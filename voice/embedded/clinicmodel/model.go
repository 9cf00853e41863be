// Package clinicmodel builds a clinic's speech recognition model for the
// embedded recogniser: a few thousand sentences a caller might say to that
// clinic's receptionist (its procedures, practitioners and name, days,
// dates, times, yes and no, booking phrases), an ARPA bigram language
// model estimated from them, and a pronouncing dictionary for their words
// copied from the shipped CMU dictionary. Files are cached on disk, keyed
// by a hash of what the model depends on.
//
// Words the dictionary lacks are pronounced, in order of preference:
// letter by letter when the clinic wrote them in capitals ("ECG"), by
// flite's letter-to-sound rules (trained on CMUdict; names such as
// "okafor") when flite is installed, else as two dictionary words
// ("kneecap"). A word none of these can say is dropped with the sentences
// that hold it, and reported in Model.Dropped.
package clinicmodel

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/receptionist/spoken"
)

// version changes whenever the sentences or the estimation change, so
// that cached models are rebuilt.
const version = "clinicmodel-3"

// Model is a built clinic model on disk.
type Model struct {
	// Dir holds the files; LM and Dict are the paths pocketsphinx takes
	// as -lm and -dict.
	Dir  string `json:"dir"`
	LM   string `json:"lm"`
	Dict string `json:"dict"`
	// Vocabulary is the model's words, sorted.
	Vocabulary []string `json:"vocabulary"`
	Sentences  int      `json:"sentences"`
	// GeneralWords is how many everyday words the model holds besides
	// the clinic's (they are in Vocabulary too).
	GeneralWords int `json:"general_words"`
	// Guessed maps words the dictionary lacked to how they were
	// pronounced (SourceCompound, SourceLetters, SourceLTS).
	Guessed map[string]string `json:"guessed,omitempty"`
	// Dropped are words nothing could pronounce; the sentences holding
	// them were left out.
	Dropped []string `json:"dropped,omitempty"`
}

// Options says where the model's inputs and cache are.
type Options struct {
	// CacheDir holds one directory per built model. Default:
	// $FRONTDESK_CACHE/clinicmodel, else the user cache directory's
	// frontdesk/clinicmodel, else one under the temp directory.
	CacheDir string
	// CMUDict is the pronouncing dictionary; default the first of
	// DefaultCMUDict that exists.
	CMUDict string
	// Flite is the flite binary used for letter-to-sound; "" looks it up
	// on PATH, "-" turns letter-to-sound off.
	Flite string
	// GeneralWords is how many of the most frequent everyday English
	// words join the model as a back-off vocabulary, so that speech
	// outside the clinic's sentences is heard as everyday words rather
	// than forced into clinic words; default 3000, negative for none.
	GeneralWords int
	// GeneralWeight is their share γ of the unigram mixture; default 0.1.
	GeneralWeight float64
}

func (o Options) withDefaults() (Options, error) {
	if o.CacheDir == "" {
		if d := os.Getenv("FRONTDESK_CACHE"); d != "" {
			o.CacheDir = filepath.Join(d, "clinicmodel")
		} else if d, err := os.UserCacheDir(); err == nil {
			o.CacheDir = filepath.Join(d, "frontdesk", "clinicmodel")
		} else {
			o.CacheDir = filepath.Join(os.TempDir(), "frontdesk-clinicmodel")
		}
	}
	if o.CMUDict == "" {
		for _, p := range DefaultCMUDict {
			if _, err := os.Stat(p); err == nil {
				o.CMUDict = p
				break
			}
		}
		if o.CMUDict == "" {
			return o, fmt.Errorf("no pronouncing dictionary found at %s: install the Debian package pocketsphinx-en-us", strings.Join(DefaultCMUDict, " or "))
		}
	}
	switch {
	case o.GeneralWords == 0:
		o.GeneralWords = 3000
	case o.GeneralWords < 0:
		o.GeneralWords = 0
	}
	if o.GeneralWeight <= 0 || o.GeneralWeight >= 1 {
		o.GeneralWeight = 0.1
	}
	switch o.Flite {
	case "-":
		o.Flite = ""
	case "":
		if p, err := exec.LookPath("flite"); err == nil {
			o.Flite = p
		}
	}
	return o, nil
}

// key hashes everything the model depends on.
func key(p *voice.ClinicProfile, o Options) (string, error) {
	st, err := os.Stat(o.CMUDict)
	if err != nil {
		return "", fmt.Errorf("pronouncing dictionary: %w", err)
	}
	in := struct {
		Version       string
		Name          string
		Procedures    []string
		Practitioners []string
		Dict          string
		DictSize      int64
		DictTime      int64
		LTS           bool
		General       int
		GeneralWeight float64
	}{version, p.Name, nil, nil, o.CMUDict, st.Size(), st.ModTime().UnixNano(), o.Flite != "", o.GeneralWords, o.GeneralWeight}
	for _, x := range p.Procedures {
		in.Procedures = append(in.Procedures, x.Name)
	}
	for _, x := range p.Practitioners {
		in.Practitioners = append(in.Practitioners, x.Name)
	}
	b, err := json.Marshal(in)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}

// Build returns the clinic's model, building it unless the cache holds
// it. It takes about a second the first time for a typical clinic.
func Build(ctx context.Context, p *voice.ClinicProfile, opt Options) (*Model, error) {
	if p == nil {
		return nil, errors.New("clinicmodel: no clinic profile")
	}
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	k, err := key(p, o)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.CacheDir, k)
	if m, err := load(dir); err == nil {
		return m, nil
	}
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		return nil, fmt.Errorf("clinicmodel cache: %w", err)
	}
	tmp, err := os.MkdirTemp(o.CacheDir, ".build-")
	if err != nil {
		return nil, fmt.Errorf("clinicmodel cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	seed, err := strconv.ParseUint(k[:16], 16, 64)
	if err != nil {
		return nil, err
	}
	if _, err := build(ctx, p, o, tmp, seed); err != nil {
		return nil, err
	}
	// Rename publishes the finished directory at once; if another
	// process got there first, its model is the same.
	if err := os.Rename(tmp, dir); err != nil {
		if m2, err2 := load(dir); err2 == nil {
			return m2, nil
		}
		return nil, fmt.Errorf("clinicmodel cache: %w", err)
	}
	return load(dir)
}

// load reads a finished model directory.
func load(dir string) (*Model, error) {
	b, err := os.ReadFile(filepath.Join(dir, "model.json"))
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("clinicmodel %s: %w", dir, err)
	}
	m.Dir = dir
	m.LM = filepath.Join(dir, "clinic.arpa")
	m.Dict = filepath.Join(dir, "clinic.dict")
	for _, f := range []string{m.LM, m.Dict} {
		if _, err := os.Stat(f); err != nil {
			return nil, err
		}
	}
	return &m, nil
}

func build(ctx context.Context, p *voice.ClinicProfile, o Options, dir string, seed uint64) (*Model, error) {
	sents, err := Sentences(p, seed)
	if err != nil {
		return nil, err
	}
	vocab := map[string]bool{}
	for _, s := range sents {
		for _, w := range s {
			vocab[w] = true
		}
	}
	general := generalWords(o.GeneralWords)
	for w := range general {
		vocab[w] = true
	}
	dict, err := lookupDict(o.CMUDict, vocab)
	if err != nil {
		return nil, err
	}
	acronyms := map[string]bool{}
	for _, name := range names(p) {
		for _, a := range spoken.Acronyms(name) {
			acronyms[a] = true
		}
	}
	// Words the dictionary lacks: the parts of compounds must be looked
	// up too, so read the dictionary once more for those.
	var missing []string
	for w := range vocab {
		if len(dict[w]) == 0 && general[w] == 0 {
			missing = append(missing, w)
		}
	}
	slices.Sort(missing)
	parts := map[string]bool{}
	for _, w := range missing {
		for i := 2; i <= len(w)-2; i++ {
			parts[w[:i]], parts[w[i:]] = true, true
		}
	}
	partDict := map[string][]string{}
	if len(parts) > 0 {
		if partDict, err = lookupDict(o.CMUDict, parts); err != nil {
			partDict = map[string][]string{}
		}
	}
	m := &Model{Guessed: map[string]string{}}
	for _, w := range missing {
		if acronyms[w] {
			if pr, ok := spellLetters(w); ok {
				dict[w], m.Guessed[w] = []string{pr}, SourceLetters
				continue
			}
		}
		if o.Flite != "" {
			if pr, err := fliteLTS(ctx, o.Flite, w); err == nil {
				dict[w], m.Guessed[w] = []string{pr}, SourceLTS
				continue
			} else if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		if pr, ok := splitCompound(w, partDict); ok {
			dict[w], m.Guessed[w] = []string{pr}, SourceCompound
			continue
		}
		m.Dropped = append(m.Dropped, w)
	}
	for w, prs := range dict {
		var ok []string
		for _, pr := range prs {
			if validPronunciation(pr) {
				ok = append(ok, pr)
			}
		}
		dict[w] = ok
	}
	var kept [][]string
next:
	for _, s := range sents {
		for _, w := range s {
			if len(dict[w]) == 0 {
				continue next
			}
		}
		kept = append(kept, s)
	}
	// General words stay only where the dictionary knows them, and the
	// distribution is renormalised over those.
	var gsum float64
	for w, pr := range general {
		if len(dict[w]) == 0 {
			delete(general, w)
			continue
		}
		gsum += pr
	}
	for w := range general {
		general[w] /= gsum
	}
	m.GeneralWords = len(general)
	lm, err := estimate(kept, general, o.GeneralWeight)
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, "clinic.arpa"), lm.writeARPA); err != nil {
		return nil, err
	}
	err = writeFile(filepath.Join(dir, "clinic.dict"), func(f io.Writer) error {
		for _, w := range lm.vocab {
			if w == sentenceStart || w == sentenceEnd {
				continue
			}
			for i, pr := range dict[w] {
				name := w
				if i > 0 {
					name = fmt.Sprintf("%s(%d)", w, i+1)
				}
				if _, err := fmt.Fprintf(f, "%s %s\n", name, pr); err != nil {
					return err
				}
				m.Vocabulary = append(m.Vocabulary, w)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.Vocabulary = slices.Compact(m.Vocabulary)
	m.Sentences = len(kept)
	err = writeFile(filepath.Join(dir, "sentences.txt"), func(f io.Writer) error {
		for _, s := range kept {
			if _, err := fmt.Fprintln(f, strings.Join(s, " ")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return m, os.WriteFile(filepath.Join(dir, "model.json"), b, 0o644)
}

//go:embed generalwords.txt
var generalWordsFile string

// generalWords reads the n most frequent everyday words, with their
// probabilities (not yet normalised).
func generalWords(n int) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(generalWordsFile, "\n") {
		if len(out) >= n {
			break
		}
		f := strings.Fields(line)
		if len(f) != 2 || strings.HasPrefix(line, "#") {
			continue
		}
		lp, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		out[f[1]] = math.Pow(10, lp)
	}
	return out
}

func names(p *voice.ClinicProfile) []string {
	out := []string{p.Name}
	for _, x := range p.Procedures {
		out = append(out, x.Name)
	}
	for _, x := range p.Practitioners {
		out = append(out, x.Name)
	}
	return out
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return f.Close()
}
