package main

import (
	"fmt"
	"log/slog"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/telemetry"
)

// followUpDeps wires the follow-up SMS for the worker: Twilio when an
// account is configured, else the outbox-and-log path. Without a link
// secret there is nothing to link to, so follow-ups are not sent (the
// activity fails non-retryably and says why).
func followUpDeps(cfg config.Config, tel *telemetry.Telemetry) (*activities.FollowUpDeps, error) {
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
	sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken, BaseURL: cfg.TwilioBaseURL,
		Transport: tel.Transport("twilio", nil)})
	if err != nil {
		return nil, err
	}
	deps.Sender = sender
	return deps, nil
}

// twilioCallStatus asks Twilio's Calls API about a call that went quiet,
// when an account is configured: how a call whose final status callback
// was lost still ends with its outcome and follow-up instead of waiting
// hours. Nil (the call waits for its callback) without an account.
func twilioCallStatus(cfg config.Config, tel *telemetry.Telemetry) (activities.CallStatusFetcher, error) {
	if cfg.TwilioAccountSID == "" {
		return nil, nil
	}
	sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken, BaseURL: cfg.TwilioBaseURL,
		Transport: tel.Transport("twilio", nil)})
	if err != nil {
		return nil, fmt.Errorf("twilio calls API: %w", err)
	}
	return sender, nil
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
