package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"

	"github.com/frontdesk/frontdesk/pii"
)

// runPII: `pii scan` reads JSON lines {"id","text"} on stdin and writes one
// {"id","entities"} line per input; `pii eval --dataset FILE` scores the
// detector against a labelled file in the presidio-research format.
func runPII(ctx context.Context, args []string) error {
	if len(args) < 1 {
		return errors.New("usage: frontdesk pii scan|eval [flags]")
	}
	fs := flag.NewFlagSet("pii "+args[0], flag.ContinueOnError)
	procedures := fs.String("procedures", "", "comma-separated procedure names of the clinic's catalogue, detected as PROCEDURE")
	dataset := fs.String("dataset", "", "eval: labelled dataset (presidio-research JSON)")
	asJSON := fs.Bool("json", false, "eval: print the report as JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	opts := pii.Options{}
	if *procedures != "" {
		opts.Procedures = strings.Split(*procedures, ",")
	}
	d := pii.NewDetector(opts)
	switch args[0] {
	case "scan":
		return pii.Scan(ctx, d, os.Stdin, os.Stdout)
	case "eval":
		if *dataset == "" {
			return errors.New("usage: frontdesk pii eval --dataset FILE")
		}
		r, err := pii.Eval(d, *dataset)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(os.Stdout).Encode(r)
		}
		r.Print(os.Stdout)
		return nil
	}
	return errors.New("usage: frontdesk pii scan|eval [flags]")
}
