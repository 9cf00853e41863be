package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/worker"
)

func runMigrate(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	logins := schema.Logins{API: cfg.DatabaseAPIURL, Worker: cfg.DatabaseWorkerURL}
	if logins.API == "" && logins.Worker == "" {
		logins.Both = cfg.DatabaseURL // development: one login for both services
	}
	return schema.MigrateLogins(ctx, cfg.DatabaseAdminURL, logins, slog.Default())
}

func runSeed(ctx context.Context, args []string) error {
	if len(args) != 1 || args[0] != "demo" {
		return errors.New("usage: frontdesk seed demo")
	}
	cfg := config.FromEnv()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.SeedDemo(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Printf("seeded 2 demo clinics (%s, %s) with %d slots\n", store.DemoNumberA, store.DemoNumberB, n)
	return nil
}

// services are the long-lived connections the worker and api share.
type services struct {
	cfg      config.Config
	store    *store.Store
	temporal client.Client
	privacy  *privacy
}

func openServices(ctx context.Context, cfg config.Config) (*services, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	priv, err := openPrivacy(st)
	if err != nil {
		st.Close()
		return nil, err
	}
	tc, err := starter.DialEncrypted(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, slog.Default(), priv.codec, cfg.Temporal.Apply)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &services{cfg: cfg, store: st, temporal: tc, privacy: priv}, nil
}

func (s *services) Close() {
	s.temporal.Close()
	s.store.Close()
}

func (s *services) serveWorker(ctx context.Context) error {
	if err := starter.EnsureSearchAttributes(ctx, s.temporal, s.cfg.TemporalNamespace); err != nil {
		return err
	}
	if err := starter.RemoveHoldSweepSchedule(ctx, s.temporal); err != nil {
		return err
	}
	if err := starter.EnsureAuditAnchorSchedule(ctx, s.temporal, starter.DefaultAuditAnchorEvery); err != nil {
		return err
	}
	followUp, err := followUpDeps(s.cfg)
	if err != nil {
		return err
	}
	w := worker.New(s.temporal, &activities.Activities{Store: s.store, FollowUp: followUp, Vault: s.privacy.vault, PII: s.privacy.pii})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	<-ctx.Done()
	w.Stop()
	return nil
}

func (s *services) serveAPI(ctx context.Context) error {
	if err := s.cfg.ValidateAPI(); err != nil {
		return err
	}
	ready := func(ctx context.Context) error {
		if err := s.store.Ping(ctx); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
			return fmt.Errorf("temporal: %w", err)
		}
		return nil
	}
	calls := starter.Calls{Client: s.temporal, DataConverter: vault.NewDataConverter(s.privacy.codec), Namespace: s.cfg.TemporalNamespace}
	var opts []api.Option
	auth, err := newAuthenticator(ctx, s.cfg)
	switch {
	case err != nil:
		return err
	case auth == nil:
		slog.Warn("no JWT key configured: /v1 is not served (set FRONTDESK_JWT_SECRET, FRONTDESK_JWKS_URL or FRONTDESK_JWT_PUBLIC_KEY)")
	default:
		opts = append(opts, api.WithStaffAPI(auth, s.store, calls))
		codec, err := s.codecOption(auth)
		if err != nil {
			return err
		}
		opts = append(opts, codec)
	}
	apiCfg := api.Config{
		PublicURL:       s.cfg.PublicURL,
		TwilioAuthToken: s.cfg.TwilioAuthToken,
		MediaStreamURL:  s.cfg.MediaStreamURL(),
		MessageTimes:    twilioMessageTimes(s.cfg),
	}
	if opt, err := followUpOption(apiCfg, s.cfg, s.store); err != nil {
		return err
	} else if opt != nil {
		opts = append(opts, opt)
	}
	e := api.New(apiCfg, calls, s.store, ready, slog.Default(), opts...)
	srv := api.NewHTTPServer(s.cfg.HTTPAddr, e, api.DefaultTimeouts)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("api on %s: %w", s.cfg.HTTPAddr, err)
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

func runWorker(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	if err := cfg.CheckProduction(ctx, config.ServiceWorker); err != nil {
		return err
	}
	s, err := openServices(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	slog.Info("worker running", "task_queue", "frontdesk", "temporal", s.cfg.TemporalAddress)
	return s.serveWorker(ctx)
}

func runAPI(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	if err := cfg.CheckProduction(ctx, config.ServiceAPI); err != nil {
		return err
	}
	s, err := openServices(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	slog.Info("api listening", "addr", s.cfg.HTTPAddr, "public_url", s.cfg.PublicURL)
	return s.serveAPI(ctx)
}

// newAuthenticator builds the staff-token verifier, or nil when no key is
// configured.
func newAuthenticator(ctx context.Context, cfg config.Config) (*api.Authenticator, error) {
	ac := api.AuthConfig{HMACSecret: []byte(cfg.JWTSecret), JWKSURL: cfg.JWTJWKSURL, Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience}
	if cfg.JWTPublicKeyPEM != "" {
		pem, err := os.ReadFile(cfg.JWTPublicKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("FRONTDESK_JWT_PUBLIC_KEY: %w", err)
		}
		ac.PublicKeyPEM = pem
	}
	if len(ac.HMACSecret) == 0 && ac.JWKSURL == "" && len(ac.PublicKeyPEM) == 0 {
		return nil, nil
	}
	return api.NewAuthenticator(ctx, ac)
}
