package pii

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// presidioPath finds shared/ next to the repository root: the repo's parent
// holds shared/ on developer machines, and CI puts a copy of shared/ beside
// its clone.
func presidioPath(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above %s", dir)
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "data", "presidio-synth", "synth_dataset_v2.json")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("presidio dataset missing at %s (shared/ must sit beside the repository): %v", p, err)
	}
	return p
}

// dumpMismatches prints scoring errors when PII_EVAL_DEBUG names a type
// (or "all"); a tuning aid, silent otherwise.
func dumpMismatches(t *testing.T, d *Detector, path string) {
	want := os.Getenv("PII_EVAL_DEBUG")
	if want == "" {
		return
	}
	samples, err := loadSamples(path)
	require.NoError(t, err)
	var lines []string
	evaluate(d, samples, func(m mismatch) {
		if want == "all" || strings.EqualFold(want, m.Type) {
			lines = append(lines, fmt.Sprintf("%s %s %q  <- %q", m.Kind, m.Type, m.Value, m.Text))
		}
	})
	sort.Strings(lines)
	for _, l := range lines {
		t.Log(l)
	}
}

func TestEvalPresidio(t *testing.T) {
	path := presidioPath(t)
	d := NewDetector(Options{})
	r, err := Eval(d, path)
	require.NoError(t, err)
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	dumpMismatches(t, d, path)

	targets := map[string]float64{
		TypeEmailAddress: 0.90, TypePhoneNumber: 0.90, TypeCreditCard: 0.90,
		TypeIBAN: 0.90, TypeNationalID: 0.90, TypePerson: 0.80, TypeStreetAddress: 0.80,
	}
	for typ, min := range targets {
		s, ok := r.Score(typ)
		require.True(t, ok, "type %s not scored", typ)
		require.GreaterOrEqual(t, s.F2, min, "%s: F2 %.3f (P %.3f R %.3f) below target %.2f", typ, s.F2, s.Precision, s.Recall, min)
	}
	// The figures before the form-based detector were P 0.928, R 0.923
	// overall and P 0.897, R 0.875 for PERSON: they must not fall.
	require.GreaterOrEqual(t, r.Overall.Precision, 0.928, "overall precision fell")
	require.GreaterOrEqual(t, r.Overall.Recall, 0.923, "overall recall fell")
	p, _ := r.Score(TypePerson)
	require.GreaterOrEqual(t, p.Precision, 0.897, "PERSON precision fell")
	require.GreaterOrEqual(t, p.Recall, 0.875, "PERSON recall fell")
}

// heldoutFloor is the lowest recall and precision a held-out set's
// category may score.
type heldoutFloor struct {
	cat         string
	recall, prc float64
}

// scoreHeldout scores a held-out set against its floors. It prints the
// per-type table, never the misses: held-out sets are not tuned to.
func scoreHeldout(t *testing.T, file string, minSentences int, floors []heldoutFloor, overallP, overallR float64) {
	t.Helper()
	r, err := Eval(NewDetector(Options{}), filepath.Join("testdata", file))
	require.NoError(t, err)
	require.GreaterOrEqual(t, r.Sentences, minSentences)
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	for _, f := range floors {
		c, ok := r.Category(f.cat)
		require.True(t, ok, "category %s not scored", f.cat)
		require.GreaterOrEqual(t, c.Recall, f.recall, "%s recall %.3f (%d/%d)", f.cat, c.Recall, c.Found, c.Gold)
		require.GreaterOrEqual(t, c.Precision, f.prc, "%s precision %.3f (%d/%d)", f.cat, c.Precision, c.Matched, c.Predicted)
	}
	require.GreaterOrEqual(t, r.Overall.Precision, overallP, "overall precision %.3f", r.Overall.Precision)
	require.GreaterOrEqual(t, r.Overall.Recall, overallR, "overall recall %.3f", r.Overall.Recall)
}

// TestEvalClinicHeldout scores the held-out clinic-call set, which the
// detector was never tuned to. The thresholds sit a little below the
// figures reported in the README so that a regression fails.
func TestEvalClinicHeldout(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout.json", 300, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.97},
		// Medical recall rose from 0.892 to 0.93 with the pii3 rules
		// (floor raised); precision moved from 0.928 to 0.92 (its misses
		// are not inspected: this set is not tuned to), then to 0.927
		// with the pii4 precision work (floor 0.92). With the pii5 span
		// verifier, 0.925/0.940 (recall floor raised). With the seventh
		// round (more varied training data, WordNet, a recall-side
		// verifier threshold), 0.904/0.949: precision floor lowered. After
		// the eighth round (spoken drug names, a wider medicine list, 2,700
		// more development utterances), 0.915/0.956, then 0.909/0.953 with
		// 1,200 more.
		{CategoryMedical, 0.94, 0.90},
		{CategoryContact, 0.88, 0.93},
	}, 0.91, 0)
}

// TestEvalClinicHeldout2 scores the second held-out set, written and
// committed on its own before any detector change of branch pii3 and
// scored twice: before the work (medical P/R 0.938/0.885, ALL 0.947/0.887)
// and after it (medical 0.943/0.922, identity 1.000/0.978, contact
// 0.987/0.906, ALL 0.955/0.924); after branch pii4, medical 0.948/0.916,
// ALL 0.959/0.920; after branch pii5 (span verifier), medical
// 0.944/0.933, contact 1.000/0.906, ALL 0.958/0.932; after the seventh
// round, medical 0.941/0.941, ALL 0.956/0.938; after the eighth round,
// medical 0.953/0.964, ALL 0.965/0.955 (0.943/0.972 and 0.957/0.961
// at the round's end). The floors sit a little below,
// so that a regression fails.
func TestEvalClinicHeldout2(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout2.json", 450, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.98},
		{CategoryMedical, 0.95, 0.94},
		{CategoryContact, 0.88, 0.96},
	}, 0.955, 0.94)
}

// TestEvalClinicHeldout3 scores the third held-out set, written and
// committed on its own before any detector change of branch pii4 and
// scored twice: before the work (medical P/R 0.876/0.866, identity
// 1.000/1.000, contact 0.938/0.938, ALL 0.897/0.889) and after it
// (medical 0.906/0.850, identity 1.000/1.000, contact 0.938/0.938, ALL
// 0.921/0.877); after branch pii5 (span verifier), medical 0.910/0.881,
// ALL 0.923/0.901; after a blind audit of its labels for omitted
// mentions (4 spans added, none changed), medical 0.918/0.872, ALL
// 0.929/0.893; after the seventh round, medical 0.895/0.891, ALL
// 0.911/0.908. Its medical recall is below the 0.90 target
// throughout; the floors sit a little below the latest figures, so that
// a regression fails. Its misses are never printed.
func TestEvalClinicHeldout3(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout3.json", 350, []heldoutFloor{
		{CategoryIdentity, 0.96, 0.98},
		{CategoryMedical, 0.88, 0.88},
		{CategoryContact, 0.91, 0.91},
	}, 0.90, 0.90)
}

// TestEvalClinicHeldout4 scores the fourth held-out set, written and
// committed on its own before any detector change of branch pii5 and
// scored twice: before the work (medical P/R 0.900/0.789, identity
// 1.000/0.960, contact 0.962/0.925, ALL 0.919/0.824) and after it
// (medical 0.878/0.841, identity 1.000/0.960, contact 0.980/0.925, ALL
// 0.903/0.863); after branch pii6, medical 0.885/0.841, ALL
// 0.909/0.863; after a blind audit of its labels for omitted mentions
// (12 spans added, none changed), medical 0.922/0.837, ALL 0.937/0.859;
// after the seventh round, medical 0.897/0.882, ALL 0.917/0.894; after
// the eighth, medical 0.910/0.882, ALL 0.927/0.894.
// Its medical figures are below the targets throughout; the
// floors sit a little below the latest figures, so that a regression
// fails. Its misses are never printed.
func TestEvalClinicHeldout4(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout4.json", 330, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.97},
		{CategoryMedical, 0.87, 0.90},
		{CategoryContact, 0.90, 0.95},
	}, 0.91, 0.88)
}

// TestEvalClinicHeldout5 scores the fifth held-out set, written and
// committed on its own before any detector change of branch pii6 and
// scored twice: with main's detector (e9ce57d), medical P/R 0.892/0.900,
// identity 1.000/0.958, contact 0.930/0.976, ALL 0.907/0.915; after the
// branch, medical 0.896/0.895, identity and contact unchanged, ALL
// 0.909/0.912. A blind audit of its labels for omitted mentions (no
// detector output consulted; 19 spans added, none changed) then made the
// figures medical 0.932/0.857 and ALL 0.937/0.881; after the seventh
// round, medical 0.886/0.874, ALL 0.901/0.894; after the eighth, medical
// 0.918/0.891, ALL 0.926/0.908. Its medical figures are
// below the targets throughout; the floors sit a little below
// the latest figures, so that a regression fails. Its misses are never
// printed.
func TestEvalClinicHeldout5(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout5.json", 300, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.98},
		{CategoryMedical, 0.88, 0.90},
		{CategoryContact, 0.95, 0.90},
	}, 0.91, 0.89)
}

// TestEvalClinicHeldout6 scores the sixth held-out set (508 utterances,
// the most varied: a third in speech-to-text style with misheard drug
// names), written and committed on its own before any detector change of
// the seventh round and scored twice: before (main at 3c29272) medical
// P/R 0.891/0.725, identity 1.000/0.966, contact 0.894/0.831, ALL
// 0.897/0.748; after, medical 0.870/0.792, identity and contact
// unchanged, ALL 0.879/0.804. Scored a third time after the eighth
// round: medical 0.906/0.839, ALL 0.909/0.844. Its medical figures are
// below the targets; the floors sit a little below the latest figures, so
// that a regression fails. Its misses are never printed.
func TestEvalClinicHeldout6(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout6.json", 500, []heldoutFloor{
		{CategoryIdentity, 0.94, 0.98},
		{CategoryMedical, 0.82, 0.89},
		{CategoryContact, 0.81, 0.87},
	}, 0.89, 0.82)
}

// TestEvalClinicHeldout7 scores the seventh held-out set (497 utterances,
// 611 spans; about 30 kinds of clinic and caller, 35 % in speech-to-text
// style, 30 % without a span), written in one sitting blind to the
// detector, its lists and the other sets, and committed on its own
// before any detector change of the eighth round was committed. Scored
// twice: before (main at d2ad952) medical P/R 0.842/0.812, identity
// 1.000/1.000, contact 0.881/0.854, ALL 0.856/0.828; after the round,
// medical 0.900/0.871, identity 1.000/1.000, contact 0.929/0.854, ALL
// 0.909/0.872; a third time after the round's last step (held-out 8's
// round), medical 0.905/0.875, ALL 0.913/0.876. Medical is below the targets; the floors sit a
// little below, so that a regression fails. Its misses are never printed.
func TestEvalClinicHeldout7(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout7.json", 490, []heldoutFloor{
		{CategoryIdentity, 0.98, 0.95}, // 1.000 → 0.960 with the eighteenth round's identity cues (one span)
		{CategoryMedical, 0.86, 0.89},
		{CategoryContact, 0.84, 0.92},
	}, 0.90, 0.86)
}

// TestEvalClinicHeldout8 scores the eighth held-out set (500 utterances,
// 682 spans; over 30 kinds of clinic and caller, real phone speech with
// false starts and repairs, 34 % in speech-to-text style, 30 % without a
// span), written in one sitting blind to the detector, its lists and the
// other sets during the eighth round, and committed on its own before
// the round's last step (1,200 more development utterances). Scored
// before that step, with main at d2ad952 (medical P/R 0.793/0.768,
// identity 0.964/0.964, contact 0.857/0.897, ALL 0.810/0.795) and with
// the round's detector at 416a82e (medical 0.850/0.840, ALL
// 0.862/0.853), and once after it: medical 0.862/0.838, identity
// 0.966/0.964, contact 0.900/0.897, ALL 0.872/0.852; a second time
// after the round's second step (held-out 9's), medical 0.873/0.858, ALL
// 0.881/0.868. Medical is below the targets; the floors sit a little below, so that a regression
// fails. Its misses are never printed.
func TestEvalClinicHeldout8(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout8.json", 490, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.93},
		{CategoryMedical, 0.82, 0.84},
		{CategoryContact, 0.91, 0.91}, // thirteenth round: 0.931/0.938
	}, 0.85, 0.83)
}

// TestEvalClinicHeldout9 scores the ninth held-out set (499 utterances,
// 704 spans; over 30 kinds of clinic and caller, real phone speech, 34 %
// in speech-to-text style, 31 % without a span, 150 names and 19 dates of
// birth), written in one sitting blind to the detector, its lists and
// the other sets, and committed on its own before the eighth round's
// second step (1,800 more development utterances; a birth cue across
// filler words). Scored with main at d2ad952 (medical P/R 0.804/0.818,
// identity 1.000/0.829, ALL 0.837/0.821), with the round's detector at
// 40e634e (medical 0.882/0.876, identity 1.000/0.886, ALL 0.896/0.864),
// and once after the step: medical 0.867/0.860, identity 1.000/0.914,
// contact 0.922/0.824, ALL 0.886/0.854. Medical is below the issue's
// targets; the floors sit a little below, so that a regression fails.
// Its misses are never printed.
func TestEvalClinicHeldout9(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout9.json", 490, []heldoutFloor{
		{CategoryIdentity, 0.92, 0.98}, // thirteenth round: 1.000/0.943
		{CategoryMedical, 0.84, 0.85},
		{CategoryContact, 0.86, 0.93}, // thirteenth round: 0.950/0.888
	}, 0.87, 0.84)
}

// TestEvalClinicHeldout10 scores the tenth held-out set (398 utterances,
// 550 spans; over 25 kinds of clinic and caller, 34 % in speech-to-text
// style, 29 % without a span), written in one sitting blind to the
// detector, its lists and the other sets at the end of the eighth round,
// and committed on its own before the condition and procedure lists were
// tried. Scored with main at d2ad952 (medical P/R 0.841/0.840, identity
// 1.000/0.941, ALL 0.848/0.856), with the round's detector at d74da73
// (medical 0.924/0.913, routed 0.949/0.933; identity 1.000/1.000; ALL
// 0.920/0.916), and once after the lists: medical 0.916/0.913, routed
// 0.947/0.942, identity 1.000/1.000, contact 0.884/0.916, ALL
// 0.913/0.916. The floors sit a little below, so that a regression fails.
// Its misses are never printed.
func TestEvalClinicHeldout10(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout10.json", 390, []heldoutFloor{
		{CategoryIdentity, 0.98, 0.98},
		{CategoryMedical, 0.89, 0.89},
		{CategoryContact, 0.89, 0.86},
	}, 0.89, 0.89)
}

// TestEvalClinicValidation scores the validation batches (46 and 47),
// written blind to the detector after held-out 6 and used to choose
// between the seventh round's variants, never trained on: before the
// round medical P/R 0.912/0.750, after 0.900/0.825; after the eighth
// round's first step, 0.946/0.857; after its second (1,800 more
// development utterances), 0.941/0.834. Tuning may read its
// misses (PII_EVAL_FILE); the floors keep a regression from passing.
func TestEvalClinicValidation(t *testing.T) {
	scoreHeldout(t, "clinic_calls_validation.json", 300, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.98},
		{CategoryMedical, 0.82, 0.93},
		{CategoryContact, 0.95, 0.95},
	}, 0.94, 0.84)
}

// TestEvalClinicHeldout11 scores the eleventh held-out set (119
// utterances, 183 spans, a third in speech-to-text style, 30 % without a
// span), written in one sitting in the ninth round blind to the
// detector, its lists and the other sets. It was committed after the
// round's rule changes (none of which it informed) and scored twice:
// with main before the round (ec5daca) medical P/R 0.919/0.965, identity
// 1.000/1.000, ALL 0.935/0.945, and after it: medical 0.926/0.965
// (routed 0.939/0.972), contact 1.000/0.882, ALL 0.941/0.951. Medical
// precision is below the 0.95; the floors sit a little below
// the figures so that a regression fails. Its misses are never printed.
func TestEvalClinicHeldout11(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout11.json", 115, []heldoutFloor{
		{CategoryIdentity, 0.85, 0.85},
		{CategoryMedical, 0.94, 0.90},
		{CategoryContact, 0.82, 0.95},
	}, 0.92, 0.92)
}

// TestEvalClinicHeldout12 scores the twelfth held-out set (330
// utterances, 499 spans), written blind in the eleventh round in three
// parts by clinic family (dental, eyes, ears, feet and private clinics;
// hospital outpatients, imaging and care homes; mental health,
// maternity, children and the elderly), with few lines in speech-to-text
// style (22). It was committed on its own and scored twice: with main
// before the round (2a794c3) medical P/R 0.833/0.879 (routed
// 0.872/0.918), and after the round 0.836/0.885 (routed 0.875/0.924);
// identity 0.960/0.923, contact 0.936/0.962. Medical precision is well
// below the 0.95 (0.936 routed against its adjudicated labels,
// TestEvalAdjudicated). Its misses are never printed.
func TestEvalClinicHeldout12(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout12.json", 330, []heldoutFloor{
		{CategoryIdentity, 0.94, 0.93}, // thirteenth round: 0.962/0.962
		{CategoryMedical, 0.87, 0.82},
		{CategoryContact, 0.95, 0.92},
	}, 0.86, 0.90)
}

// TestEvalClinicHeldout13 scores the thirteenth held-out set (110
// utterances, 130 spans: GP surgeries, out-of-hours and pharmacies),
// the part commissioned with held-out 12 that arrived after the
// eleventh round's last rule. Scored once with main before the round
// (2a794c3): medical P/R 0.865/0.953, and once with the round's final
// detector: 0.933/0.953 (routed alike); identity 1.000/1.000, contact
// 0.841/1.000. 86 medical spans, so about ±0.05. Its misses are never
// printed.
func TestEvalClinicHeldout13(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout13.json", 110, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.95},
		{CategoryMedical, 0.93, 0.91},
		{CategoryContact, 0.95, 0.80},
	}, 0.89, 0.95)
}

// TestEvalClinicHeldout14 scores the fourteenth held-out set (360
// utterances, 674 spans; 122 in speech-to-text style, 114 without a
// span), written blind by three writers at the start of the twelfth
// round and committed before any of the round's detector changes. Scored
// with main then (9c6d976): medical P/R 0.924/0.916 (routed
// 0.946/0.932), identity 1.000/0.960, contact 0.957/0.894; and once at
// the round's end: medical 0.926/0.916 (routed 0.948/0.932), contact
// 0.971/0.901. Its misses are never printed.
func TestEvalClinicHeldout14(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout14.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.92, 0.97},
		{CategoryMedical, 0.89, 0.90},
		{CategoryContact, 0.90, 0.96}, // thirteenth round: 0.986/0.921
	}, 0.90, 0.88)
}

// TestEvalClinicHeldout15 scores the fifteenth held-out set (360
// utterances, 679 spans; 123 in speech-to-text style, 113 without a
// span), written blind by three writers during the twelfth round and
// committed unscored. Scored once, at the round's end, with main before
// the round (9c6d976) and with the round's detector: medical P/R
// 0.921/0.902 both (routed 0.946/0.924), identity 1.000/1.000, contact
// 0.912/0.889 → 0.937/0.889. Its misses are never printed.
func TestEvalClinicHeldout15(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout15.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.97},
		{CategoryMedical, 0.88, 0.90},
		{CategoryContact, 0.89, 0.93}, // thirteenth round: 0.955/0.915
	}, 0.90, 0.88)
}

// TestEvalClinicHeldout16 scores the sixteenth held-out set (358
// utterances, 536 spans; 120 in speech-to-text style, 105 without a
// span), written blind by three writers at the start of the thirteenth
// round and committed (607d91c) before any of the round's detector
// changes. Scored once, at the round's end, with main before the round
// (41d297c) and with the round's detector: medical P/R 0.934/0.931 →
// 0.935/0.934 (routed 0.945/0.939 → 0.945/0.942), identity 1.000/0.925,
// contact 0.955/0.929 → 0.964/0.938 (0.964/0.946 after the round's last
// name rules, its second scoring). Its misses are never printed.
func TestEvalClinicHeldout16(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout16.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.90, 0.97},
		{CategoryMedical, 0.91, 0.91},
		{CategoryContact, 0.91, 0.93},
	}, 0.92, 0.90)
}

// TestEvalClinicHeldout17 scores the seventeenth held-out set (360
// utterances, 564 spans; 115 in speech-to-text style, 100 without a
// span), written blind by three writers during the thirteenth round and
// committed unscored (d9f742c) before any of the round's detector
// changes. Scored once, at the round's end: medical P/R 0.929/0.943 →
// 0.934/0.943 (routed 0.946/0.959 → 0.950/0.959), identity 0.973/0.923 →
// 0.974/0.949, contact 0.961/0.961 (unchanged at its second scoring,
// after the round's last name rules). Its misses are never printed.
func TestEvalClinicHeldout17(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout17.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.95},
		{CategoryMedical, 0.92, 0.91},
		{CategoryContact, 0.93, 0.93},
	}, 0.92, 0.91)
}

// TestEvalClinicHeldout18 scores the eighteenth held-out set (360
// utterances, 596 spans; 121 in speech-to-text style, 108 without a
// span), written blind by three writers at the start of the fourteenth
// round and committed unscored (52fdd96) before any of the round's
// detector changes. Scored when the round's first rules were done
// (2fd3e5d): medical P/R 0.906/0.906 → 0.911/0.908 (routed 0.929/0.926 →
// 0.934/0.929), identity 1.000/0.970, contact 0.970/0.970; then at
// 33348c1, 0.911/0.916 (routed 0.934/0.936), and after the round's last
// frames 0.912/0.918 (routed 0.934/0.939). Its misses are never printed.
func TestEvalClinicHeldout18(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout18.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.94, 0.97},
		{CategoryMedical, 0.89, 0.90},
		{CategoryContact, 0.95, 0.95},
	}, 0.92, 0.90)
}

// TestEvalClinicHeldout19 scores the nineteenth held-out set (360
// utterances, 580 spans), written blind by three writers during the
// fourteenth round and committed unscored (2c75fe8) before the round's
// later detector changes. Scored at 33348c1: medical P/R 0.916/0.883 →
// 0.919/0.888 (routed 0.929/0.895 → 0.931/0.900), identity 1.000/0.951,
// contact 0.962/1.000; and after the round's last frames 0.919/0.893
// (routed 0.932/0.905). Its misses are never printed.
func TestEvalClinicHeldout19(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout19.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.92, 0.97},
		{CategoryMedical, 0.87, 0.90},
		{CategoryContact, 0.97, 0.94},
	}, 0.92, 0.90)
}

// TestEvalClinicHeldout20 scores the twentieth held-out set (358
// utterances, 526 spans; 119 in speech-to-text style, 107 without a
// span), written blind by three writers late in the fourteenth round and
// committed unscored (4f7b9f7) before the round's last detector changes.
// Scored once, at the round's end: medical P/R 0.927/0.915 → 0.930/0.920
// (routed 0.944/0.931 → 0.946/0.936), identity 1.000/1.000, contact
// 0.974/0.966. Its misses are never printed.
func TestEvalClinicHeldout20(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout20.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.97},
		{CategoryMedical, 0.90, 0.91},
		{CategoryContact, 0.94, 0.95},
	}, 0.93, 0.91)
}

// TestEvalClinicHeldout21 scores the twenty-first held-out set (359
// utterances, 545 spans), written blind by three writers at the start of
// the fifteenth round and committed unscored (aa84372) before any of the
// round's detector changes. Scored at the end of the round's first half:
// medical P/R 0.936/0.923 → 0.934/0.926 (routed 0.956/0.945 →
// 0.956/0.951), identity 1.000/0.950, contact 0.916/0.985; again at the
// round's end, 0.932/0.932 (routed 0.956/0.959). Its misses are never
// printed.
func TestEvalClinicHeldout21(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout21.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.97},
		{CategoryMedical, 0.90, 0.91},
		{CategoryContact, 0.96, 0.89},
	}, 0.92, 0.91)
}

// TestEvalClinicHeldout22 scores the twenty-second held-out set (360
// utterances, 588 spans), written blind by three writers in the middle of
// the fifteenth round and committed unscored (b21c97c) before the round's
// later changes. Scored at the end of the round's first half: medical P/R
// 0.937/0.940 → 0.933/0.942 (routed 0.956/0.958 → 0.952/0.961), identity
// 1.000/0.972, contact 0.932/0.948; again at the round's end, 0.933/0.944
// (routed 0.952/0.961). Its misses are never printed.
func TestEvalClinicHeldout22(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout22.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.97},
		{CategoryMedical, 0.92, 0.91},
		{CategoryContact, 0.92, 0.91},
	}, 0.92, 0.92)
}

// TestEvalClinicHeldout23 scores the twenty-third held-out set (359
// utterances, 601 spans), written blind by three writers late in the
// fifteenth round and committed unscored (2842f19) before the round's
// first half's last changes. Scored at the end of the round's first
// half: medical P/R 0.946/0.916 → 0.946/0.923 (routed 0.958/0.928 →
// 0.959/0.935), identity 1.000/0.952, contact 0.949/0.956; again at the
// round's end, 0.944/0.928 (routed 0.959/0.940). Its misses are never
// printed.
func TestEvalClinicHeldout23(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout23.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.97},
		{CategoryMedical, 0.90, 0.92},
		{CategoryContact, 0.93, 0.92},
	}, 0.93, 0.91)
}

// TestEvalClinicHeldout24 scores the twenty-fourth held-out set (356
// utterances, 542 spans), written blind by three writers after held-outs
// 21-23 had been scored and committed unscored (bf0d526) before the
// fifteenth round's second half of changes. Scored once, at the round's
// end: medical P/R 0.924/0.948 → 0.925/0.961 (routed 0.936/0.961 →
// 0.937/0.974), identity 1.000/0.970, contact 0.940/0.932. Its misses are
// never printed.
func TestEvalClinicHeldout24(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout24.json", 356, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.97},
		{CategoryMedical, 0.94, 0.90},
		{CategoryContact, 0.91, 0.92},
	}, 0.91, 0.92)
}

// TestEvalClinicHeldout25 scores the twenty-fifth held-out set (356
// utterances, 495 spans), written blind by three writers at the start of
// the sixteenth round and committed unscored (de44ba9) before any of its
// changes. Scored once, at the round's end: medical P/R 0.945/0.956 →
// 0.956/0.959 (routed 0.956/0.961 → 0.967/0.964), identity 1.000/0.943 →
// 1.000/1.000, contact 0.966/0.943. Its misses are never printed.
func TestEvalClinicHeldout25(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout25.json", 356, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.98},
		{CategoryMedical, 0.94, 0.94},
		{CategoryContact, 0.92, 0.94},
	}, 0.94, 0.94)
}

// TestEvalClinicHeldout26 scores the twenty-sixth held-out set (358
// utterances, 506 spans), written blind after the sixteenth round's first
// rules and committed unscored (ac36712). Scored once, at the round's
// end: medical P/R 0.925/0.915 → 0.925/0.923 (routed 0.958/0.945 →
// 0.956/0.950), identity 1.000/0.946, contact 0.929/0.939 → 0.931/0.959.
func TestEvalClinicHeldout26(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout26.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.92, 0.98},
		{CategoryMedical, 0.90, 0.91},
		{CategoryContact, 0.94, 0.91},
	}, 0.91, 0.91)
}

// TestEvalClinicHeldout27 scores the twenty-seventh held-out set (358
// utterances, 537 spans), written blind after the sixteenth round's rules
// up to 7a987ef and committed unscored (b2cc6ea). Scored once, at the
// round's end: medical P/R 0.937/0.935 (routed 0.951/0.946) with main
// and now, identity 1.000/0.951, contact 0.959/0.958 → 0.951/0.967.
func TestEvalClinicHeldout27(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout27.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.98},
		{CategoryMedical, 0.91, 0.92},
		{CategoryContact, 0.95, 0.93},
	}, 0.93, 0.92)
}

// TestEvalClinicHeldout28 scores the twenty-eighth held-out set (357
// utterances, 528 spans), written blind at the start of the seventeenth
// round and committed unscored (6698323). Scored once, at the round's
// end: routed medical P/R 0.964/0.965 with main, 0.976/0.959 now (the
// verifier threshold of the round moved it; 0.964/0.965 with the round's
// rules at the old threshold); identity 1.000/0.963; contact 0.961/0.969 →
// 0.992/0.969.
func TestEvalClinicHeldout28(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout28.json", 357, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.99},
		{CategoryMedical, 0.93, 0.95},
		{CategoryContact, 0.96, 0.98},
	}, 0.96, 0.94)
}

// TestEvalClinicHeldout29 scores the twenty-ninth held-out set (360
// utterances, 553 spans), written blind in the seventeenth round before
// its rules were committed (bca1cdb). Scored once, at the round's end:
// routed medical P/R 0.957/0.960 with main, 0.962/0.946 now; identity
// 1.000/0.980; contact 0.925/0.984 → 0.953/0.984.
func TestEvalClinicHeldout29(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout29.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.97}, // 1.000 → 0.980 with the eighteenth round's identity cues (one span)
		{CategoryMedical, 0.90, 0.92},
		{CategoryContact, 0.97, 0.94},
	}, 0.93, 0.92)
}

// TestEvalClinicHeldout30 scores the thirtieth held-out set (358
// utterances, 535 spans), written blind after the seventeenth round's
// wave 8-9 rules (0d4149c). Scored once, at the round's end: routed
// medical P/R 0.962/0.975 with main, 0.972/0.964 now; identity
// 1.000/0.957; contact 0.929/0.983 → 0.952/0.983.
func TestEvalClinicHeldout30(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout30.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.99},
		{CategoryMedical, 0.94, 0.94},
		{CategoryContact, 0.97, 0.94},
	}, 0.94, 0.94)
}

// TestEvalClinicHeldout31 scores the thirty-first held-out set (358
// utterances, 503 spans), written blind at the end of the seventeenth
// round (5e18753). Scored once, at the round's end: routed medical P/R
// 0.958/0.911 with main, 0.970/0.911 now; identity 1.000/0.976; contact
// 0.901/1.000 → 0.924/1.000.
func TestEvalClinicHeldout31(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout31.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.99},
		{CategoryMedical, 0.87, 0.92},
		{CategoryContact, 0.99, 0.91},
	}, 0.92, 0.90)
}

// TestEvalClinicHeldout32 scores the thirty-second held-out set (359
// utterances, 528 spans), written blind at the start of the eighteenth
// round, before any of its detector changes (83bcb58). Scored at the
// round's end, and again after its identity work: routed medical P/R
// 0.956/0.936 with main, 0.959/0.936 now; identity 1.000/0.868 →
// 1.000/0.895 (recall 0.921 after the round's identity work); contact 0.920/0.963
// → 0.937/0.963.
func TestEvalClinicHeldout32(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout32.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.92, 0.99},
		{CategoryMedical, 0.90, 0.92},
		{CategoryContact, 0.96, 0.93},
	}, 0.93, 0.91)
}

// TestEvalClinicHeldout33 scores the thirty-third held-out set (359
// utterances, 515 spans), written blind after the round's first rules
// (852157e). Scored at the round's end, and again after its identity work:
// routed medical P/R 0.925/0.945 with main, 0.928/0.948 now; identity
// 0.972/0.946 (recall 0.973 after the round's identity work); contact
// 0.963/0.981.
func TestEvalClinicHeldout33(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout33.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.97},
		{CategoryMedical, 0.92, 0.90},
		{CategoryContact, 0.98, 0.96},
	}, 0.92, 0.93)
}

// TestEvalClinicHeldout34 scores the thirty-fourth held-out set (359
// utterances, 603 spans), written blind after the round's third rules
// (f3c00ca). Scored once, at the round's end: routed medical P/R
// 0.954/0.923 with main, 0.956/0.923 now; identity 1.000/0.974 →
// 1.000/1.000; contact 0.969/0.994 → 0.981/0.994.
func TestEvalClinicHeldout34(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout34.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.99, 0.99},
		{CategoryMedical, 0.89, 0.92},
		{CategoryContact, 0.99, 0.98},
	}, 0.94, 0.92)
}

// TestEvalClinicHeldout35 scores the thirty-fifth held-out set (360
// utterances, 532 spans), written blind after the round's identity rules
// (786f995). Scored once, at the round's end: routed medical P/R
// 0.962/0.920 with main, 0.963/0.925 now; identity 0.974/0.974 →
// 0.974/1.000; contact 0.942/0.951 → 0.961/0.951.
func TestEvalClinicHeldout35(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout35.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.99, 0.97},
		{CategoryMedical, 0.90, 0.94},
		{CategoryContact, 0.95, 0.96},
	}, 0.94, 0.91)
}

// TestEvalClinicHeldout36 scores the thirty-sixth held-out set (357
// utterances, 507 spans), written blind after the round's sixth rules
// (bc87351). Scored at the round's end, and again after its identity work:
// routed medical P/R 0.956/0.926 with main, 0.956/0.928 now; identity
// 1.000/0.909 (recall 0.939 after the round's identity work); contact 0.936/0.936
// → 0.946/0.936.
func TestEvalClinicHeldout36(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout36.json", 357, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.99},
		{CategoryMedical, 0.90, 0.93},
		{CategoryContact, 0.93, 0.94},
	}, 0.94, 0.91)
}

// TestEvalClinicHeldout37 scores the thirty-seventh held-out set (360
// utterances, 538 spans), written blind after all of the round's rules
// (f413051). Scored once, at the round's end: routed medical P/R
// 0.949/0.927 with main, 0.952/0.934 now; identity 1.000/0.974 →
// 1.000/1.000; contact 0.955/0.938 → 0.963/0.938.
func TestEvalClinicHeldout37(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout37.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.99, 0.99},
		{CategoryMedical, 0.92, 0.93},
		{CategoryContact, 0.93, 0.96},
	}, 0.94, 0.93)
}

// TestEvalClinicHeldout38 scores the thirty-eighth held-out set (358
// utterances, 512 spans), written blind after all of the round's rules
// (f413051), leaning to callers from abroad, short answers in speech-to-
// text and young callers. Scored at the round's end, and again after its
// identity work: routed medical P/R 0.940/0.910 with main, 0.946/0.910
// now; identity 0.972/0.833 (recall 0.905 after the round's identity work);
// contact 0.933/0.966 → 0.946/0.966.
func TestEvalClinicHeldout38(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout38.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.90, 0.97},
		{CategoryMedical, 0.89, 0.91},
		{CategoryContact, 0.96, 0.94},
	}, 0.93, 0.91)
}

// TestEvalClinicHeldout39 scores the thirty-ninth held-out set (360
// utterances, 547 spans, 112 of them identity), written blind before the
// eighteenth round's identity work, half in speech-to-text style. Scored
// once, after that work: identity recall 0.893 with main, 0.946 with the
// round's rules before the identity work, 0.964 now (precision 1.000 →
// 0.991); routed medical P/R 0.980/0.963 → 0.988/0.967; contact
// 0.928/0.897 → 0.960/0.968.
func TestEvalClinicHeldout39(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout39.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.98},
		{CategoryMedical, 0.95, 0.97},
		{CategoryContact, 0.96, 0.95},
	}, 0.97, 0.95)
}

// TestEvalClinicHeldout40 scores the fortieth held-out set (358
// utterances, 558 spans, 115 of them identity), written blind after all
// of the eighteenth round's work (554e539), half in speech-to-text style.
// Scored once, at the round's end: identity recall 0.861 with main,
// 0.887 with the round's rules before its identity work, 0.913 now;
// routed medical P/R 0.947/0.946 → 0.954/0.950; contact 0.922/0.851 →
// 0.940/0.956.
func TestEvalClinicHeldout40(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout40.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.90, 0.99},
		{CategoryMedical, 0.93, 0.93},
		{CategoryContact, 0.95, 0.93},
	}, 0.95, 0.93)
}

// TestEvalClinicHeldout41 scores the forty-first held-out set (360
// utterances, 524 spans), written blind at the start of the nineteenth
// round after its financial change and scored once, by the round's
// pre-registered test (testdata/README.md): routed medical P/R
// 0.962/0.940, strict 0.933/0.911; identity 1.000/1.000; contact
// 0.950/0.969.
func TestEvalClinicHeldout41(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout41.json", 360, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.97},
		{CategoryMedical, 0.90, 0.92},
		{CategoryContact, 0.95, 0.94},
	}, 0.93, 0.92)
}

// TestEvalClinicHeldout42 scores the forty-second held-out set (359
// utterances, 621 spans), written like held-out 41 with each part leaning
// to one kind of caller, scored once by the pre-registered test: routed
// medical P/R 0.947/0.934, strict 0.926/0.916; identity 1.000/1.000;
// contact 0.976/0.976.
func TestEvalClinicHeldout42(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout42.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.97, 0.97},
		{CategoryMedical, 0.90, 0.91},
		{CategoryContact, 0.96, 0.96},
	}, 0.93, 0.92)
}

// TestEvalClinicHeldout43 scores the forty-third held-out set (240
// utterances, 492 spans), callers giving their details and callers
// describing symptoms and medicines at length, scored once by the
// pre-registered test: routed medical P/R 0.944/0.930, strict
// 0.941/0.927; identity 0.978/0.957; contact 0.963/0.904.
func TestEvalClinicHeldout43(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout43.json", 240, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.95},
		{CategoryMedical, 0.91, 0.93},
		{CategoryContact, 0.89, 0.95},
	}, 0.93, 0.91)
}

// TestEvalClinicHeldout44 scores the forty-fourth held-out set (359
// utterances, 550 spans), written blind after the nineteenth round's
// confirmatory test for its replication and scored once by it: routed
// medical P/R 0.953/0.911, strict 0.938/0.896; identity 1.000/0.977;
// contact 0.939/0.968.
func TestEvalClinicHeldout44(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout44.json", 359, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.97},
		{CategoryMedical, 0.88, 0.92},
		{CategoryContact, 0.95, 0.92},
	}, 0.93, 0.90)
}

// TestEvalClinicHeldout45 scores the forty-fifth held-out set (358
// utterances, 557 spans; callers ringing for someone else, heavy
// speech-to-text, lines hard to label), scored once by the replication:
// routed medical P/R 0.919/0.924, strict 0.898/0.903; identity
// 1.000/0.969; contact 0.973/0.963.
func TestEvalClinicHeldout45(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout45.json", 358, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.97},
		{CategoryMedical, 0.89, 0.88},
		{CategoryContact, 0.95, 0.96},
	}, 0.92, 0.91)
}

// TestEvalClinicHeldout46 scores the forty-sixth held-out set (239
// utterances, 393 spans; European callers giving their details, sensitive
// calls to care services), scored once by the replication: routed
// medical P/R 0.972/0.945, strict 0.967/0.941; identity 1.000/0.981;
// contact 0.945/0.928.
func TestEvalClinicHeldout46(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout46.json", 239, []heldoutFloor{
		{CategoryIdentity, 0.95, 0.97},
		{CategoryMedical, 0.92, 0.95},
		{CategoryContact, 0.91, 0.93},
	}, 0.95, 0.93)
}

// TestEvalClinicHeldout47 scores the forty-seventh held-out set (477
// utterances, 712 spans), written blind for the nineteenth round's last
// attempt and scored once by its rule: routed medical P/R 0.956/0.949
// (the attempt's guards moved nothing on it and were reverted), strict
// 0.935/0.926; identity 1.000/0.950; contact 0.956/0.962.
func TestEvalClinicHeldout47(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout47.json", 477, []heldoutFloor{
		{CategoryIdentity, 0.93, 0.97},
		{CategoryMedical, 0.91, 0.92},
		{CategoryContact, 0.95, 0.94},
	}, 0.93, 0.92)
}

// TestEvalClinicHeldout48 scores the forty-eighth held-out set (474
// utterances, 687 spans), written blind at the start of the twentieth
// round and scored once by its test (against the writers' labels here;
// TestConfirmatoryTwentiethRound scores the consensus labels): routed
// medical P/R 0.967/0.946, strict 0.950/0.932; identity 0.984/0.940;
// contact 0.973/0.962.
func TestEvalClinicHeldout48(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout48.json", 474, []heldoutFloor{
		{CategoryIdentity, 0.92, 0.97},
		{CategoryMedical, 0.91, 0.93},
		{CategoryContact, 0.94, 0.96},
	}, 0.95, 0.93)
}

// TestEvalClinicHeldout49 scores the forty-ninth held-out set (478
// utterances, 767 spans), written blind with held-out 48 and scored once
// by the same test: routed medical P/R 0.968/0.954, strict 0.950/0.934;
// identity 1.000/0.980; contact 0.995/0.942.
func TestEvalClinicHeldout49(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout49.json", 478, []heldoutFloor{
		{CategoryIdentity, 0.96, 0.98},
		{CategoryMedical, 0.91, 0.93},
		{CategoryContact, 0.92, 0.98},
	}, 0.95, 0.93)
}

// TestEvalClinicHeldout50 scores the fiftieth held-out set (480
// utterances, 794 spans), written blind for the twentieth round's
// replication and scored once by it (writers' labels here;
// TestReplicationTwentiethRound scores the consensus labels): routed
// medical P/R 0.954/0.925, strict 0.930/0.906; identity 1.000/0.981;
// contact 0.975/0.945.
func TestEvalClinicHeldout50(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout50.json", 480, []heldoutFloor{
		{CategoryIdentity, 0.96, 0.98},
		{CategoryMedical, 0.88, 0.91},
		{CategoryContact, 0.92, 0.95},
	}, 0.93, 0.90)
}

// TestEvalClinicHeldout51 scores the fifty-first held-out set (477
// utterances, 1,017 spans), written blind with held-out 50 and scored
// once by the replication: routed medical P/R 0.968/0.952, strict
// 0.959/0.944; identity 0.987/0.987; contact 0.986/0.920.
func TestEvalClinicHeldout51(t *testing.T) {
	scoreHeldout(t, "clinic_calls_heldout51.json", 477, []heldoutFloor{
		{CategoryIdentity, 0.96, 0.97},
		{CategoryMedical, 0.92, 0.94},
		{CategoryContact, 0.90, 0.97},
	}, 0.95, 0.92)
}

// TestEvalClinicValidation2 scores the ninth round's validation batches
// (91-93, 894 utterances, 1,420 spans), written blind to the detector
// and never trained on: with main at ec5daca medical P/R 0.877/0.880
// (routed 0.919/0.915); after the round 0.883/0.891 (0.922/0.924).
// Batch 92's misses were read to build the spoken-drug fix, so it is not
// fresh; tuning may read its misses. The floors keep a regression from
// passing.
func TestEvalClinicValidation2(t *testing.T) {
	scoreHeldout(t, "clinic_calls_validation2.json", 890, []heldoutFloor{
		{CategoryIdentity, 0.98, 0.98},
		{CategoryMedical, 0.87, 0.86},
		{CategoryContact, 0.92, 0.94},
	}, 0.88, 0.89)
}

func TestEvalClinicCalls(t *testing.T) {
	path := filepath.Join("testdata", "clinic_calls.json")
	d := NewDetector(Options{Procedures: []string{"Hydrafacial", "Invisalign consultation", "sick note", "twelve week scan", "referral for physiotherapy"}})
	r, err := Eval(d, path)
	require.NoError(t, err)
	require.GreaterOrEqual(t, r.Sentences, 150)
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	dumpMismatches(t, d, path)

	// Medical data is the special category: recall is what matters.
	var gold, found, pred, matched int
	for _, typ := range []string{TypeMedicalCondition, TypeMedication, TypeProcedure} {
		s, ok := r.Score(typ)
		require.True(t, ok, "type %s not scored", typ)
		gold += s.Gold
		found += s.Found
		pred += s.Predicted
		matched += s.Matched
	}
	recall, precision := ratio(found, gold), ratio(matched, pred)
	require.GreaterOrEqual(t, recall, 0.95, "medical recall %.3f (%d/%d)", recall, found, gold)
	require.GreaterOrEqual(t, precision, 0.85, "medical precision %.3f (%d/%d)", precision, matched, pred)
	for _, typ := range Types {
		s, ok := r.Score(typ)
		require.True(t, ok, "type %s not scored", typ)
		require.GreaterOrEqual(t, s.F2, 0.80, "%s: F2 %.3f (P %.3f R %.3f)", typ, s.F2, s.Precision, s.Recall)
	}
}

// TestEvalClinicDev scores the development set, the one the detector is
// tuned on (PII_EVAL_DEBUG=all lists its misses).
func TestEvalClinicDev(t *testing.T) {
	path := filepath.Join("testdata", "clinic_calls_dev.json")
	d := NewDetector(Options{})
	r, err := Eval(d, path)
	require.NoError(t, err)
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	dumpMismatches(t, d, path)
}

// A medical span found under another medical type is a miss and a false
// positive for the strict figures, and a hit for the routed ones: routing
// encrypts it all the same. A prediction outside any gold span stays a
// false positive in both; one of a type the set never labels counts in
// neither.
func TestScoreRoutedCountsACategoryAsOne(t *testing.T) {
	samples := []sample{
		{Text: "my root canal hurts", Spans: []goldSpan{{Type: "PROCEDURE", Start: 3, End: 13}}},
		{Text: "call Anna on Monday", Spans: []goldSpan{{Type: "PERSON", Start: 5, End: 9}}},
		{Text: "asthma and ibuprofen", Spans: []goldSpan{{Type: "MEDICAL_CONDITION", Start: 0, End: 6}, {Type: "MEDICATION", Start: 11, End: 20}}},
	}
	preds := [][]Entity{
		{{Type: "MEDICAL_CONDITION", Start: 3, End: 19}},
		{{Type: "PERSON", Start: 5, End: 9}, {Type: "MEDICATION", Start: 13, End: 19}, {Type: "DATE_OF_BIRTH", Start: 0, End: 4}},
		nil,
	}
	r := score(samples, preds, 0, nil)
	find := func(rows []TypeScore, name string) TypeScore {
		for _, row := range rows {
			if row.Type == name {
				return row
			}
		}
		t.Fatalf("no row %q in %+v", name, rows)
		return TypeScore{}
	}
	strict, routed := find(r.Categories, CategoryMedical), find(r.Routed, CategoryMedical)
	require.Equal(t, 0, strict.Found, "strict: the procedure was not found as a procedure")
	require.Equal(t, 0, strict.Matched)
	require.Equal(t, 3, routed.Gold)
	require.Equal(t, 1, routed.Found, "routed: found as medical")
	require.Equal(t, 2, routed.Predicted)
	require.Equal(t, 1, routed.Matched, "the medication on 'Monday' matches nothing")
	require.InDelta(t, 0.5, routed.Precision, 1e-9)
	require.InDelta(t, 1.0/3, routed.Recall, 1e-9)
	require.InDelta(t, 1.0, find(r.Routed, CategoryContact).Precision, 1e-9)
	for _, row := range r.Routed {
		require.NotEqual(t, CategoryIdentity, row.Type, "the set labels no identity type: its DATE_OF_BIRTH is not counted")
	}
}
