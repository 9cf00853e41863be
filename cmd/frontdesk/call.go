package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// runCall: `call demo` plays a phone call against a running system exactly
// as Twilio would (package demo).
func runCall(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "demo" {
		return errors.New("usage: frontdesk call demo [--clinic A|B] [--unbooked] [--voice [--wav FILE]]")
	}
	fs := flag.NewFlagSet("call demo", flag.ContinueOnError)
	clinic := fs.String("clinic", "A", "demo clinic to call: A ("+store.DemoNumberA+") or B ("+store.DemoNumberB+")")
	unbooked := fs.Bool("unbooked", false, "hang up without booking a slot")
	voiceCall := fs.Bool("voice", false, "speak: a synthesised caller (flite slt) books by voice over the real media stream")
	wav := fs.String("wav", "call.wav", "with --voice: write the call as a stereo WAV (caller left, agent right)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	devenv.SetDefault("TWILIO_AUTH_TOKEN", config.DevTwilioAuthToken)
	cfg := config.FromEnv()
	tc, err := dialEncrypted(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer tc.Close()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	v, _, _, err := loadVault(st.KeyStore())
	if err != nil {
		return err
	}
	defer v.Destroy()
	if *voiceCall {
		return runVoiceCall(ctx, cfg, tc, st, v, *clinic, *wav)
	}
	caller := demo.Caller{
		Turns:    &starter.Turns{Calls: starter.Calls{Client: tc}, Vault: v},
		Twilio:   demo.Twilio{PublicURL: cfg.PublicURL, AuthToken: cfg.TwilioAuthToken, AccountSID: config.DevTwilioAccountSID},
		Temporal: tc, Store: st, UIURL: cfg.TemporalUIURL, Namespace: cfg.TemporalNamespace, Out: os.Stdout,
	}
	_, err = caller.Call(ctx, demo.Options{Clinic: *clinic, Unbooked: *unbooked})
	return err
}

// dialEncrypted connects a CLI command to Temporal with the payload codec
// of the configured master key, or of `frontdesk dev`'s key file when none
// is configured (so `frontdesk call demo` works beside `make dev`).
func dialEncrypted(ctx context.Context, cfg config.Config, logger *slog.Logger) (client.Client, error) {
	codec, err := devCodec()
	if err != nil {
		return nil, err
	}
	return starter.DialEncrypted(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, logger, codec, cfg.Temporal.Apply)
}

// devCodec is the payload codec of the configured master key, or of
// `frontdesk dev`'s key file when none is configured.
func devCodec() (*vault.PayloadCodec, error) {
	devenv.UseDevMasterKey()
	master, previous, err := vault.MasterKeysFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	return vault.NewMasterPayloadCodec(master, previous...)
}
