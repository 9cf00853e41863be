package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
)

// followUpDeps wires the follow-up SMS for the worker: Twilio when an
// account is configured, else the outbox-and-log path. Without a link
// secret there is nothing to link to, so follow-ups are not sent (the
// activity fails non-retryably and says why).
func followUpDeps(cfg config.Config) (*activities.FollowUpDeps, error) {
	if cfg.LinkSecret == "" {
		slog.Warn("FRONTDESK_LINK_SECRET is not set: follow-up SMS cannot be sent")
		return nil, nil
	}
	signer, err := followup.NewSigner([]byte(cfg.LinkSecret), nil)
	if err != nil {
		return nil, fmt.Errorf("FRONTDESK_LINK_SECRET: %w", err)
	}
	deps := &activities.FollowUpDeps{Signer: signer, From: cfg.TwilioFromNumber, PublicURL: cfg.PublicURL, Logger: slog.Default()}
	if cfg.TwilioAccountSID == "" {
		slog.Info("no Twilio account configured: follow-up SMS go to the outbox as logged")
		return deps, nil
	}
	if cfg.TwilioFromNumber == "" {
		return nil, fmt.Errorf("TWILIO_ACCOUNT_SID is set but TWILIO_FROM_NUMBER is not")
	}
	sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken, BaseURL: cfg.TwilioBaseURL})
	if err != nil {
		return nil, err
	}
	deps.Sender = sender
	return deps, nil
}

// twilioMessageTimes asks Twilio when an inbound reply was received, when an
// account is configured (nil: replies are ordered by arrival).
func twilioMessageTimes(cfg config.Config) api.MessageTimes {
	if cfg.TwilioAccountSID == "" || cfg.TwilioAuthToken == "" {
		return nil
	}
	sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken, BaseURL: cfg.TwilioBaseURL})
	if err != nil {
		return nil
	}
	return sender
}

// followUpOption mounts the follow-up routes when links can be verified.
func followUpOption(apiCfg api.Config, cfg config.Config, st *store.Store) (api.Option, error) {
	if cfg.LinkSecret == "" {
		slog.Warn("FRONTDESK_LINK_SECRET is not set: /d links, /twilio/sms and /twilio/sms-status are not served")
		return nil, nil
	}
	signer, err := followup.NewSigner([]byte(cfg.LinkSecret), nil)
	if err != nil {
		return nil, fmt.Errorf("FRONTDESK_LINK_SECRET: %w", err)
	}
	return api.WithFollowUp(apiCfg, st, signer), nil
}

// discuss is the agent's tool call when a caller asks about a procedure but
// books nothing: the call learns the procedure, so its end hands over to
// the follow-up SMS.
func (d demoBooking) discuss(ctx context.Context, cfg config.Config, calls starter.Calls, callSID string) error {
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	proc, err := st.ProcedureByCode(ctx, store.CallClaims(d.org, callSID), d.clinic, d.procedure)
	if err != nil {
		return err
	}
	if err := calls.DiscussProcedure(ctx, callSID, "demo-discuss", contract.DiscussProcedureRequest{ProcedureID: proc.ID.String()}); err != nil {
		return fmt.Errorf("discuss_procedure: %w", err)
	}
	fmt.Printf("▸ caller asks about a %s, then hangs up without booking\n", proc.Name)
	return nil
}

// showFollowUp waits for the call's FollowUp workflow and prints its
// outbox row, with the number masked, and its Web UI link.
func (d demoBooking) showFollowUp(ctx context.Context, cfg config.Config, tc client.Client, callSID string) error {
	id := contract.FollowUpID(callSID)
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var res contract.FollowUpResult
	if err := tc.GetWorkflow(wctx, id, "").Get(wctx, &res); err != nil {
		return fmt.Errorf("waiting for the follow-up workflow %s (is the worker running with FRONTDESK_LINK_SECRET?): %w", id, err)
	}
	fmt.Printf("▸ workflow %s completed: sent %v", id, res.Sent)
	if res.Skipped != "" {
		fmt.Printf(", skipped: %s", res.Skipped)
	}
	fmt.Println()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	row, err := st.OutboxFor(ctx, d.org, callSID, store.PurposeFollowUp)
	switch {
	case errors.Is(err, store.ErrNotFound):
		fmt.Println("  outbox: no row (nothing was to be sent)")
	case err != nil:
		return err
	default:
		to, _ := st.CallerPhone(ctx, d.org, callSID)
		fmt.Printf("  outbox: status %s, to %s, message sid %q, attempts %d\n", row.Status, followup.MaskPhone(to), row.MessageSID, row.Attempts)
		fmt.Printf("  body:   %s\n", row.Body)
	}
	fmt.Printf("  Web UI: %s/namespaces/%s/workflows/%s\n", cfg.TemporalUIURL, cfg.TemporalNamespace, id)
	return nil
}
