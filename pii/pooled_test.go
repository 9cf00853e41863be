package pii

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvalPooledCountsEverySet: a pooled report holds every utterance and
// gold span of its sets, its intervals bracket its figures, and one seed
// gives one result.
func TestEvalPooledCountsEverySet(t *testing.T) {
	d := NewDetector(Options{})
	paths := []string{filepath.Join("testdata", "clinic_calls_validation.json"), filepath.Join("testdata", "clinic_calls_validation2.json")}
	var sentences, gold int
	for _, p := range paths {
		r, err := Eval(d, p)
		require.NoError(t, err)
		sentences += r.Sentences
		m, ok := r.RoutedCategory(CategoryMedical)
		require.True(t, ok)
		gold += m.Gold
	}
	r, err := EvalPooled(d, paths, 200, 7)
	require.NoError(t, err)
	assert.Equal(t, sentences, r.Sentences)
	m, ok := r.RoutedCategory(CategoryMedical)
	require.True(t, ok)
	assert.Equal(t, gold, m.Gold)
	iv, ok := r.Interval(CategoryMedical)
	require.True(t, ok)
	assert.LessOrEqual(t, iv.Precision[0], m.Precision)
	assert.GreaterOrEqual(t, iv.Precision[1], m.Precision)
	assert.Less(t, iv.Precision[0], iv.Precision[1], "a bootstrap over 1,194 utterances has some spread")
	assert.LessOrEqual(t, iv.Recall[0], m.Recall)
	assert.GreaterOrEqual(t, iv.Recall[1], m.Recall)

	again, err := EvalPooled(d, paths, 200, 7)
	require.NoError(t, err)
	assert.Equal(t, r.Intervals, again.Intervals, "one seed, one result")

	none, err := EvalPooled(d, paths, 0, 7)
	require.NoError(t, err)
	assert.Empty(t, none.Intervals, "no resamples, no intervals")

	_, err = EvalPooled(d, nil, 10, 1)
	assert.Error(t, err)
	_, err = EvalPooled(d, []string{filepath.Join("testdata", "no_such_set.json")}, 10, 1)
	assert.Error(t, err)
	_, err = EvalPooled(d, paths, -1, 1)
	assert.Error(t, err)
}

// allHeldoutsPooled scores every held-out set (writers' labels) as one,
// with 1,000 bootstrap replicates (seed 1), once per test binary: several
// tests read it, and each run takes seconds.
var allHeldoutsPooled = sync.OnceValues(func() (Report, error) {
	var paths []string
	for _, name := range heldOutSets {
		paths = append(paths, filepath.Join("testdata", name))
	}
	return EvalPooled(NewDetector(Options{}), paths, 1000, 1)
})

// TestEvalHeldoutsPooled scores every held-out set as one (issue 14's
// targets read as figures about data the detector was not built from,
// not about one set of 350 utterances; see testdata/README.md,
// nineteenth round). The floors sit a little below the figures the
// README reports, and the interval's lower ends must clear the targets.
// Misses are never printed.
func TestEvalHeldoutsPooled(t *testing.T) {
	r, err := allHeldoutsPooled()
	require.NoError(t, err)
	for _, cat := range []string{CategoryMedical, CategoryIdentity, CategoryContact, CategoryFinancial} {
		s, ok := r.RoutedCategory(cat)
		require.True(t, ok, cat)
		iv, ok := r.Interval(cat)
		require.True(t, ok, cat)
		t.Logf("%d held-out sets, %d utterances, %s: P %.3f R %.3f (%d gold, %d predicted); %s", len(heldOutSets), r.Sentences, cat, s.Precision, s.Recall, s.Gold, s.Predicted, iv)
	}
	med, _ := r.RoutedCategory(CategoryMedical)
	medIv, _ := r.Interval(CategoryMedical)
	id, _ := r.RoutedCategory(CategoryIdentity)
	idIv, _ := r.Interval(CategoryIdentity)
	contact, _ := r.RoutedCategory(CategoryContact)
	fin, _ := r.RoutedCategory(CategoryFinancial)

	assert.GreaterOrEqual(t, medIv.Precision[0], 0.95, "medical precision, interval's lower end")
	assert.GreaterOrEqual(t, medIv.Recall[0], 0.90, "medical recall, interval's lower end")
	assert.GreaterOrEqual(t, idIv.Recall[0], 0.90, "identity recall, interval's lower end")
	assert.GreaterOrEqual(t, med.Precision, 0.955, "medical precision")
	assert.GreaterOrEqual(t, med.Recall, 0.935, "medical recall")
	assert.GreaterOrEqual(t, id.Precision, 0.99, "identity precision")
	assert.GreaterOrEqual(t, id.Recall, 0.96, "identity recall")
	assert.GreaterOrEqual(t, contact.Precision, 0.96, "contact precision")
	assert.GreaterOrEqual(t, contact.Recall, 0.955, "contact recall")
	assert.GreaterOrEqual(t, fin.Precision, 0.97, "financial precision")
	assert.GreaterOrEqual(t, fin.Recall, 0.92, "financial recall")
}

// TestConfirmatoryNineteenthRound is the test written down, before
// held-outs 41-43 were scored, in testdata/README.md (nineteenth round).
// Its one run, on the detector of be62c47, passed: fresh routed medical
// precision 0.951, recall 0.935, identity recall 0.985; over held-outs
// 1-43 the interval's lower ends 0.954, 0.938 and 0.962; per-set recall
// 0.930-0.940 (medical) and 0.957-1.000 (identity). The presidio figures
// are checked by TestEvalPresidio. Its replication on held-outs 44-46,
// written down before they were scored, failed condition 1 (fresh
// routed medical precision 0.945), and a last attempt's fresh sets
// 41-47 pooled reached 0.9499, so the nineteenth round did not mark
// issue 14 resolved (the twentieth round's test and replication did).
// Condition 2 now runs over every held-out set, 44-51 included, and
// still holds (lower end 0.954).
func TestConfirmatoryNineteenthRound(t *testing.T) {
	var fresh []string
	for _, n := range []string{"41", "42", "43"} {
		fresh = append(fresh, filepath.Join("testdata", "clinic_calls_heldout"+n+".json"))
	}
	targetConditions(t, fresh)
}

// TestConfirmatoryTwentiethRound is the test written down, before
// held-outs 48 and 49 were scored, in testdata/README.md (twentieth
// round): against consensus labels (a second blind annotation, its
// disagreements with the writers' settled by three blind readers; the
// detector plays no part in them). Its one run, on the detector of
// 8d6dbf3 (what be62c47 finds), passed: routed medical P/R 0.969/0.943
// (interval for precision 0.958-0.980), identity recall 0.957; per set
// medical recall 0.942 and 0.945, identity recall 0.940 and 0.980; over
// held-outs 1-49 against the writers' labels the lower ends 0.954, 0.938
// and 0.961. The presidio figures are checked by TestEvalPresidio.
func TestConfirmatoryTwentiethRound(t *testing.T) {
	consensusTest(t, "48", "49")
}

// TestReplicationTwentiethRound is the same test on held-outs 50 and 51,
// written down before they were annotated a second time or scored. Its
// one run, on the detector of c27b686 (what be62c47 finds), passed:
// routed medical P/R 0.965/0.933 (interval for precision 0.953-0.975),
// identity recall 0.992; per set medical recall 0.916 and 0.947,
// identity recall 0.981 and 1.000; over held-outs 1-51 against the
// writers' labels the lower ends 0.954, 0.938 and 0.963. With it, issue
// 14's detection targets count as met.
func TestReplicationTwentiethRound(t *testing.T) {
	consensusTest(t, "50", "51")
}

// consensusTest runs the twentieth round's test on fresh held-outs with
// consensus labels.
func consensusTest(t *testing.T, sets ...string) {
	var fresh []string
	for _, n := range sets {
		require.Contains(t, consensusSets, n)
		fresh = append(fresh, filepath.Join(consensusDir, "clinic_calls_heldout"+n+".json"))
	}
	targetConditions(t, fresh)
}

// targetConditions checks the pre-registered tests' conditions on the
// fresh sets at paths (named like held-out sets, so training refuses
// them): pooled, routed medical precision >= 0.95, routed medical
// recall and identity recall >= 0.90; the same recalls on each set; and
// over every held-out set (writers' labels) the 95 % bootstrap
// intervals' lower ends at those targets.
func targetConditions(t *testing.T, fresh []string) {
	d := NewDetector(Options{})
	for _, p := range fresh {
		require.Contains(t, heldOutSets, filepath.Base(p), "training must refuse the fresh sets")
	}

	// Fresh data, pooled.
	r, err := EvalPooled(d, fresh, 0, 1)
	require.NoError(t, err)
	med, _ := r.RoutedCategory(CategoryMedical)
	id, _ := r.RoutedCategory(CategoryIdentity)
	t.Logf("%d fresh sets pooled: routed medical P/R %.3f/%.3f, identity R %.3f", len(fresh), med.Precision, med.Recall, id.Recall)
	assert.GreaterOrEqual(t, med.Precision, 0.95, "fresh medical precision")
	assert.GreaterOrEqual(t, med.Recall, 0.90, "fresh medical recall")
	assert.GreaterOrEqual(t, id.Recall, 0.90, "fresh identity recall")

	// Recall on each fresh set.
	for _, p := range fresh {
		r, err := Eval(d, p)
		require.NoError(t, err)
		med, _ := r.RoutedCategory(CategoryMedical)
		id, _ := r.RoutedCategory(CategoryIdentity)
		t.Logf("%s: routed medical P/R %.3f/%.3f, identity R %.3f", p, med.Precision, med.Recall, id.Recall)
		assert.GreaterOrEqual(t, med.Recall, 0.90, "%s medical recall", p)
		assert.GreaterOrEqual(t, id.Recall, 0.90, "%s identity recall", p)
	}

	// Every held-out set, writers' labels, pooled: the intervals' lower ends.
	r, err = allHeldoutsPooled()
	require.NoError(t, err)
	medIv, _ := r.Interval(CategoryMedical)
	idIv, _ := r.Interval(CategoryIdentity)
	t.Logf("all %d held-outs pooled: %s; %s", len(heldOutSets), medIv, idIv)
	assert.GreaterOrEqual(t, medIv.Precision[0], 0.95, "medical precision's lower end")
	assert.GreaterOrEqual(t, medIv.Recall[0], 0.90, "medical recall's lower end")
	assert.GreaterOrEqual(t, idIv.Recall[0], 0.90, "identity recall's lower end")
}
