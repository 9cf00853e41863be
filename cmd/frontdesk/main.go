// Command frontdesk is the one binary of the frontdesk back office. It
// parses commands and wires packages together; what a command does lives
// in the package that owns it (devenv, demo, bench, codecproxy, api,
// worker, ...). `frontdesk --help` lists every command and subcommand
// (commands below; main_usage_test.go checks the list against what each
// command dispatches), e.g.
//
//	frontdesk dev            run the whole system on embedded defaults
//	frontdesk worker         run the Temporal worker
//	frontdesk api            run the HTTP api (Twilio webhooks, /v1, /codec)
//	frontdesk migrate        apply the database schema to DATABASE_URL
//	frontdesk seed demo      load the two demo clinics
//	frontdesk call demo      play a whole phone call against a running system
//	frontdesk bench slots    measure slot locking under contention
//	frontdesk bench followup measure unbooked call → follow-up SMS latency
//	frontdesk bench voice    measure the voice path's turn latencies
//	frontdesk pii train      train the personal-data tagger
//	frontdesk health api     container healthcheck (api or worker)
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/frontdesk/frontdesk/bench"
)

type command struct {
	name, usage string
	run         func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"dev", "run Temporal (dev server), Postgres, migrations, demo data, worker and api", runDev},
		{"worker", "run the Temporal worker", runWorker},
		{"api", "run the HTTP api", runAPI},
		{"migrate", "apply the database schema", runMigrate},
		{"seed", "seed demo: load two demo clinics with a week of slots", runSeed},
		{"call", "call demo: play a phone call through the signed webhooks", runCall},
		{"bench", "bench " + strings.Join(bench.Names(), "|") + " [--json]: measure and print figures", runBench},
		{"pii", "pii scan|eval|train|threshold: detect personal data (JSON lines on stdin), score the detector on a labelled set, train its tagger, or choose its verifier threshold", runPII},
		{"keys", "keys generate|rotate [--org ORG]: new master key; master or org key rotation (no data re-encrypted)", runKeys},
		{"audit", "audit verify [--org ORG]: check the audit log's hash chains", runAudit},
		{"erase", "erase --org ORG --patient ID: crypto-shred a patient, delete contact data, keep retained classes", runErase},
		{"token", "mint a staff JWT with FRONTDESK_JWT_SECRET (development)", runToken},
		{"codec", "codec proxy: decode in the Web UI as ops (adds FRONTDESK_OPS_TOKEN, loopback only)", runCodec},
		{"health", "health api|worker: exit 0 when the service is healthy (container healthchecks)", runHealth},
		{"secrets", "secrets generate > .env: fresh production secrets for docker compose", runSecrets},
	}
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "-h", "-help", "--help", "help":
		usage(os.Stdout)
		return
	}
	// SIGTERM or Ctrl-C cancels ctx: every long-running command then drains
	// (package lifecycle). A second signal kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	for _, c := range commands() {
		if c.name == os.Args[1] {
			if err := c.run(ctx, os.Args[2:]); err != nil {
				fmt.Fprintf(os.Stderr, "frontdesk %s: %v\n", c.name, err)
				os.Exit(1)
			}
			return
		}
	}
	usage(os.Stderr)
	os.Exit(2)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: frontdesk COMMAND [flags]")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
}
