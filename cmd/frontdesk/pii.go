package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/frontdesk/frontdesk/pii"
)

const piiUsage = "usage: frontdesk pii scan|eval|train|threshold [flags]"

// runPII: `pii scan` reads JSON lines {"id","text"} on stdin and writes one
// {"id","entities"} line per input; `pii eval --dataset FILE` scores the
// detector against a labelled file in the presidio-research format (with
// several files, comma-separated or as a quoted glob, it scores them
// pooled, and `--resamples N` adds 95 % bootstrap intervals); `pii
// train --dataset A,B --out FILE` trains the tagger that runs beside the
// rules on development sets (never the held-out one); `pii train
// --dataset A,B --folds N --margins 2,3,4` writes no model but scores
// out-of-fold tagger predictions, to choose the margin honestly; `pii
// train --verifier --dataset A,B --folds N --out FILE` trains the span
// verifier out of fold (taggers trained without each fold propose its
// candidates), prints the out-of-fold threshold table and writes the
// model with the threshold of best medical F1; `pii threshold --dataset
// DEV --from N [--to M] --precision P [--out FILE]` scores the embedded verifier at
// a range of thresholds on the development samples from N on and writes
// the model with the lowest threshold that reaches precision P.
func runPII(ctx context.Context, args []string) error {
	if len(args) < 1 {
		return errors.New(piiUsage)
	}
	fs := flag.NewFlagSet("pii "+args[0], flag.ContinueOnError)
	procedures := fs.String("procedures", "", "comma-separated procedure names of the clinic's catalogue, detected as PROCEDURE")
	dataset := fs.String("dataset", "", "eval: labelled dataset (presidio-research JSON), or several comma-separated or as a quoted glob, scored pooled; train: comma-separated datasets")
	resamples := fs.Int("resamples", 0, "eval: bootstrap replicates for 95 % intervals of the routed figures (0: none)")
	asJSON := fs.Bool("json", false, "eval: print the report as JSON")
	rulesOnly := fs.Bool("rules-only", false, "scan, eval: leave out the statistical tagger")
	out := fs.String("out", "", "train: where to write the model")
	epochs := fs.Int("epochs", 8, "train: passes over the data")
	folds := fs.Int("folds", 0, "train: cross-validate over N folds of consecutive utterances instead of writing a model")
	margins := fs.String("margins", "3", "train --folds: comma-separated tagger confidence margins to compare")
	verifier := fs.Bool("verifier", false, "train: train the span verifier (needs --folds and --out)")
	wideMargins := fs.String("wide-margins", "0,-2,-4,-6,-8", "train --verifier: comma-separated tagger margins at which spans are proposed to the verifier, one chosen out of fold")
	selectLast := fs.Int("select-last", 0, "train --verifier: choose margin and threshold on the last N utterances only (the newest development batches)")
	noVerifier := fs.Bool("no-verifier", false, "scan, eval: leave out the span verifier")
	from := fs.Int("from", 0, "threshold: score the development samples from this index on (those the models were not trained on)")
	to := fs.Int("to", 0, "threshold: and before this index (0: to the end)")
	precision := fs.Float64("precision", 0.95, "threshold: the routed medical precision the chosen threshold must reach")
	thresholds := fs.String("thresholds", "-8,-7,-6,-5,-4,-3,-2,-1,0,1,2,3,4,5,6,8,10", "threshold: ascending comma-separated verifier thresholds to try")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	opts := pii.Options{RulesOnly: *rulesOnly, NoVerifier: *noVerifier}
	if *procedures != "" {
		opts.Procedures = strings.Split(*procedures, ",")
	}
	switch args[0] {
	case "scan":
		return pii.Scan(ctx, pii.NewDetector(opts), os.Stdin, os.Stdout)
	case "eval":
		if *dataset == "" {
			return errors.New("usage: frontdesk pii eval --dataset FILE")
		}
		paths, err := expandDatasets(*dataset)
		if err != nil {
			return err
		}
		var r pii.Report
		if len(paths) == 1 && *resamples == 0 {
			r, err = pii.Eval(pii.NewDetector(opts), paths[0])
		} else {
			if len(paths) == 1 {
				fmt.Fprint(os.Stderr, "scoring 1 set")
			} else {
				fmt.Fprintf(os.Stderr, "scoring %d sets pooled", len(paths))
			}
			if *resamples > 0 {
				fmt.Fprintf(os.Stderr, ", %d bootstrap replicates", *resamples)
			}
			fmt.Fprintln(os.Stderr, "...")
			r, err = pii.EvalPooled(pii.NewDetector(opts), paths, *resamples, 1)
		}
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(os.Stdout).Encode(r)
		}
		r.Print(os.Stdout)
		return nil
	case "threshold":
		return chooseThresholdPII(*dataset, *from, *to, *thresholds, *precision, *out)
	case "train":
		if *verifier {
			return trainVerifierPII(*dataset, *folds, *epochs, *wideMargins, *selectLast, *out)
		}
		if *folds > 0 {
			return crossValidatePII(*dataset, *folds, *epochs, *margins)
		}
		if *dataset == "" || *out == "" || *epochs < 1 {
			return errors.New("usage: frontdesk pii train --dataset A.json,B.json --out MODEL [--epochs N]")
		}
		t, err := pii.TrainTagger(strings.Split(*dataset, ","), *epochs, 1)
		if err != nil {
			return err
		}
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("pii train: %w", err)
		}
		if _, err := t.WriteTo(f); err != nil {
			f.Close()
			return fmt.Errorf("pii train: write %s: %w", *out, err)
		}
		return f.Close()
	}
	return errors.New(piiUsage)
}

// crossValidatePII prints the out-of-fold reports of `pii train --folds
// N`: no model is written.
func crossValidatePII(dataset string, folds, epochs int, margins string) error {
	if dataset == "" || folds < 2 || epochs < 1 {
		return errors.New("usage: frontdesk pii train --dataset A.json,B.json --folds N [--margins 2,3,4] [--epochs N]")
	}
	ms, err := parseFloats(margins, "pii train --folds: margin")
	if err != nil {
		return err
	}
	rs, err := pii.CrossValidate(strings.Split(dataset, ","), folds, epochs, 1, ms)
	if err != nil {
		return err
	}
	for _, r := range rs {
		r.Print(os.Stdout)
		fmt.Println()
	}
	return nil
}

// trainVerifierPII trains the span verifier out of fold, prints the
// threshold table and writes the model.
func trainVerifierPII(dataset string, folds, epochs int, wideMargins string, selectLast int, out string) error {
	if dataset == "" || folds < 2 || epochs < 1 || out == "" {
		return errors.New("usage: frontdesk pii train --verifier --dataset A.json,B.json --folds N --out MODEL [--wide-margins 0,-2,-4] [--select-last N] [--epochs N]")
	}
	ms, err := parseFloats(wideMargins, "pii train --verifier: margin")
	if err != nil {
		return err
	}
	v, sweep, err := pii.TrainVerifier(strings.Split(dataset, ","), folds, epochs, 1, ms, selectLast)
	if err != nil {
		return err
	}
	fmt.Println("margin  threshold  medical P/R  routed P/R   routed F1 (smoothed)  ALL P/R (out of fold)")
	for _, s := range sweep {
		m, _ := s.Report.Category(pii.CategoryMedical)
		r, _ := s.Report.RoutedCategory(pii.CategoryMedical)
		fmt.Printf("%6.1f  %9.1f  %.3f/%.3f  %.3f/%.3f  %.4f (%.4f)      %.3f/%.3f\n", s.WideMargin, s.Threshold, m.Precision, m.Recall, r.Precision, r.Recall, s.F1, s.Smoothed, s.Report.Overall.Precision, s.Report.Overall.Recall)
	}
	th, _, wm := v.Thresholds()
	fmt.Printf("chosen threshold %.1f at tagger margin %.1f\n", th, wm)
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("pii train: %w", err)
	}
	if _, err := v.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("pii train: write %s: %w", out, err)
	}
	return f.Close()
}

// chooseThresholdPII prints the threshold table of `pii threshold` and,
// with --out, writes the embedded verifier with the chosen threshold.
func chooseThresholdPII(dataset string, from, to int, thresholds string, precision float64, out string) error {
	if dataset == "" {
		return errors.New("usage: frontdesk pii threshold --dataset DEV.json --from N [--to M] [--precision 0.95] [--thresholds -8,...,10] [--out MODEL]")
	}
	ths, err := parseFloats(thresholds, "pii threshold: threshold")
	if err != nil {
		return err
	}
	v := pii.BuiltinVerifier()
	th, rows, err := pii.ChooseVerifierThreshold(v, strings.Split(dataset, ","), from, to, ths, precision)
	if len(rows) > 0 {
		fmt.Println("threshold  routed medical P/R  predicted  found of gold")
	}
	for _, r := range rows {
		fmt.Printf("%9.1f  %.4f/%.4f       %9d  %d of %d\n", r.Threshold, r.Routed.Precision, r.Routed.Recall, r.Routed.Predicted, r.Routed.Found, r.Routed.Gold)
	}
	if err != nil {
		return err
	}
	fmt.Printf("chosen threshold %.1f (lowest reaching precision %.3f)\n", th, precision)
	if out == "" {
		return nil
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("pii threshold: %w", err)
	}
	if _, err := v.WithThreshold(th).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("pii threshold: write %s: %w", out, err)
	}
	return f.Close()
}

// expandDatasets splits a comma-separated list of datasets and expands
// each glob pattern in it (sorted); a pattern that matches nothing is an
// error, not an empty set.
func expandDatasets(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.ContainsAny(p, "*?[") {
			out = append(out, p)
			continue
		}
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("dataset pattern %q: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("dataset pattern %q matches no file", p)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		return nil, errors.New("usage: frontdesk pii eval --dataset FILE[,FILE...]")
	}
	return out, nil
}

// parseFloats reads a comma-separated list of numbers ("0,-2,-4"); what
// names the flag in the error.
func parseFloats(list, what string) ([]float32, error) {
	var out []float32
	for _, f := range strings.Split(list, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 32)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, f, err)
		}
		out = append(out, float32(v))
	}
	return out, nil
}
