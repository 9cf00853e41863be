package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/frontdesk/frontdesk/pii"
)

const piiUsage = "usage: frontdesk pii scan|eval|train [flags]"

// runPII: `pii scan` reads JSON lines {"id","text"} on stdin and writes one
// {"id","entities"} line per input; `pii eval --dataset FILE` scores the
// detector against a labelled file in the presidio-research format; `pii
// train --dataset A,B --out FILE` trains the tagger that runs beside the
// rules on development sets (never the held-out one); `pii train
// --dataset A,B --folds N --margins 2,3,4` writes no model but scores
// out-of-fold tagger predictions, to choose the margin honestly.
func runPII(ctx context.Context, args []string) error {
	if len(args) < 1 {
		return errors.New(piiUsage)
	}
	fs := flag.NewFlagSet("pii "+args[0], flag.ContinueOnError)
	procedures := fs.String("procedures", "", "comma-separated procedure names of the clinic's catalogue, detected as PROCEDURE")
	dataset := fs.String("dataset", "", "eval: labelled dataset (presidio-research JSON); train: comma-separated datasets")
	asJSON := fs.Bool("json", false, "eval: print the report as JSON")
	rulesOnly := fs.Bool("rules-only", false, "scan, eval: leave out the statistical tagger")
	out := fs.String("out", "", "train: where to write the model")
	epochs := fs.Int("epochs", 8, "train: passes over the data")
	folds := fs.Int("folds", 0, "train: cross-validate over N folds of consecutive utterances instead of writing a model")
	margins := fs.String("margins", "3", "train --folds: comma-separated tagger confidence margins to compare")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	opts := pii.Options{RulesOnly: *rulesOnly}
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
		r, err := pii.Eval(pii.NewDetector(opts), *dataset)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(os.Stdout).Encode(r)
		}
		r.Print(os.Stdout)
		return nil
	case "train":
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
	var ms []float32
	for _, f := range strings.Split(margins, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 32)
		if err != nil {
			return fmt.Errorf("pii train --folds: margin %q: %w", f, err)
		}
		ms = append(ms, float32(v))
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
