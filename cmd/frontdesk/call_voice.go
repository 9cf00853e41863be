package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/embedded"
)

// callerLines are what the demo caller says to each demo clinic: phrases
// the embedded recogniser was verified on (weekday names are its weak
// spot; "Friday" is heard reliably).
var callerLines = map[string][]string{
	"A": {"I would like to book a blood test please", "Friday please", "the second one please", "yes please"},
	"B": {"I would like to book a hygiene appointment please", "Friday please", "the second one please", "yes please"},
}

// runVoiceCall is `call demo --voice`: a caller speaks over the media
// stream, the call is recorded to wav, and the transcript is printed with
// each turn's timings from the call's history.
func runVoiceCall(ctx context.Context, cfg config.Config, tc client.Client, st *store.Store, v *vault.Vault, clinic, wav string) error {
	clinic = strings.ToUpper(clinic)
	if clinic == "" {
		clinic = "A"
	}
	lines, ok := callerLines[clinic]
	if !ok {
		return fmt.Errorf("--clinic must be A or B")
	}
	to, org := store.DemoNumberA, store.DemoOrgA
	if clinic == "B" {
		to, org = store.DemoNumberB, store.DemoOrgB
	}
	caller, err := embedded.NewCallerVoice()
	if err != nil {
		return fmt.Errorf("the demo caller's voice: %w (apt-get install flite)", err)
	}
	res, err := demo.VoiceCall{
		Twilio: demo.Twilio{PublicURL: cfg.PublicURL, AuthToken: cfg.TwilioAuthToken, AccountSID: config.DevTwilioAccountSID},
		To:     to, From: demo.CallerNumber(), Caller: caller, Lines: lines, Out: os.Stdout,
	}.Run(ctx)
	if err != nil {
		return err
	}
	if wav != "" && len(res.Recording) > 0 {
		if err := os.WriteFile(wav, audio.EncodeWAV(voice.CallerRate, 2, res.Recording), 0o644); err != nil {
			return err
		}
		fmt.Printf("▸ recording: %s (%.1f s, caller left, agent right)\n", wav, float64(len(res.Recording)/2)/voice.CallerRate)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var final contract.CallState
	if err := tc.GetWorkflow(wctx, contract.CallSessionID(res.CallSID), "").Get(wctx, &final); err != nil {
		return fmt.Errorf("waiting for the call workflow: %w", err)
	}
	fmt.Printf("▸ outcome %q", final.Outcome)
	if final.BookingID != "" {
		fmt.Printf(", booking %s", final.BookingID)
	}
	fmt.Printf("\n▸ transcript (from the clinic's encrypted records; timings from the workflow history)\n")
	codec, err := devCodec()
	if err != nil {
		return err
	}
	turns, err := demo.Transcript(ctx, tc, vault.NewDataConverter(codec), st, v, org, res.CallSID)
	if err != nil {
		return err
	}
	demo.PrintTranscript(os.Stdout, turns)
	fmt.Printf("  Web UI: %s/namespaces/%s/workflows/%s\n", cfg.TemporalUIURL, cfg.TemporalNamespace, contract.CallSessionID(res.CallSID))
	return nil
}
