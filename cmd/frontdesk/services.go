package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"golang.org/x/sync/errgroup"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/lifecycle"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/telemetry"
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

// services are the long-lived connections the worker and api share, and
// the process's telemetry: in `frontdesk dev` one registry carries both.
type services struct {
	cfg      config.Config
	tel      *telemetry.Telemetry
	store    *store.Store
	temporal client.Client
	privacy  *privacy
	// streams are the api's long-lived connections (the media WebSocket),
	// drained with the HTTP server on shutdown.
	streams  lifecycle.Streams
	draining atomic.Bool
}

// openTelemetry builds the process's telemetry; stop flushes spans.
func openTelemetry(ctx context.Context, service string) (*telemetry.Telemetry, func(), error) {
	tel, err := telemetry.New(ctx, telemetry.Options{Service: service})
	if err != nil {
		return nil, nil, err
	}
	if tel.Tracing() {
		slog.Info("tracing on: spans go to the OTLP endpoint", "service", service)
	}
	return tel, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tel.Shutdown(ctx); err != nil {
			slog.Warn("telemetry shutdown", "error", err)
		}
	}, nil
}

func openServices(ctx context.Context, cfg config.Config, tel *telemetry.Telemetry) (*services, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, store.WithQueryTracer(tel.PostgresTracer()))
	if err != nil {
		return nil, err
	}
	priv, err := openPrivacy(st)
	if err != nil {
		st.Close()
		return nil, err
	}
	st.SetBlindIndexer(priv.vault)
	opts := starter.EncryptedOptions(cfg.TemporalAddress, cfg.TemporalNamespace, slog.Default(), priv.codec)
	if err := errors.Join(cfg.Temporal.Apply(&opts), tel.InstrumentTemporal(&opts)); err != nil {
		st.Close()
		return nil, err
	}
	tc, err := client.DialContext(ctx, opts)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	return &services{cfg: cfg, tel: tel, store: st, temporal: tc, privacy: priv}, nil
}

func (s *services) Close() {
	s.temporal.Close()
	s.store.Close()
}

func (s *services) newWorker(ctx context.Context) (sdkworker.Worker, error) {
	if err := starter.EnsureSearchAttributes(ctx, s.temporal, s.cfg.TemporalNamespace); err != nil {
		return nil, err
	}
	if err := starter.RemoveHoldSweepSchedule(ctx, s.temporal); err != nil {
		return nil, err
	}
	if err := starter.EnsureRetentionSchedule(ctx, s.temporal); err != nil {
		return nil, err
	}
	if err := starter.EnsureAuditAnchorSchedule(ctx, s.temporal, starter.DefaultAuditAnchorEvery); err != nil {
		return nil, err
	}
	followUp, err := followUpDeps(s.cfg, s.tel)
	if err != nil {
		return nil, err
	}
	a := &activities.Activities{Store: s.store, FollowUp: followUp, Vault: s.privacy.vault, PII: s.privacy.pii}
	// Assigned only when set: a nil *TwilioSender in the interface would
	// not read as "no account".
	if fetcher, err := twilioCallStatus(s.cfg, s.tel); err != nil {
		return nil, err
	} else if fetcher != nil {
		a.Twilio = fetcher
	}
	return worker.New(s.temporal, a), nil
}

// serveWorker runs the worker until ctx ends (then drains it, for up to
// worker.StopTimeout) or it fails.
func (s *services) serveWorker(ctx context.Context) error {
	w, err := s.newWorker(ctx)
	if err != nil {
		return err
	}
	return lifecycle.RunWorker(ctx, w)
}

// newAPI builds the api's handler with every part the configuration allows.
func (s *services) newAPI(ctx context.Context) (http.Handler, error) {
	if err := s.cfg.ValidateAPI(); err != nil {
		return nil, err
	}
	ready := func(ctx context.Context) error {
		if s.draining.Load() {
			// A load balancer stops sending here before the listener closes.
			return errors.New("draining")
		}
		if err := s.store.Ping(ctx); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
			return fmt.Errorf("temporal: %w", err)
		}
		return nil
	}
	calls := starter.Calls{Client: s.temporal, DataConverter: vault.NewDataConverter(s.privacy.codec), Namespace: s.cfg.TemporalNamespace}
	opts := []api.Option{api.WithTelemetry(s.tel)}
	auth, err := newAuthenticator(ctx, s.cfg)
	switch {
	case err != nil:
		return nil, err
	case auth == nil:
		slog.Warn("no JWT key configured: /v1 is not served (set FRONTDESK_JWT_SECRET, FRONTDESK_JWKS_URL or FRONTDESK_JWT_PUBLIC_KEY)")
	default:
		opts = append(opts, api.WithStaffAPI(auth, s.store, calls))
		codec, err := s.codecOption(auth)
		if err != nil {
			return nil, err
		}
		opts = append(opts, codec)
		patients, err := s.patientsOption(auth)
		if err != nil {
			return nil, err
		}
		opts = append(opts, patients)
	}
	apiCfg := api.Config{
		PublicURL:       s.cfg.PublicURL,
		TwilioAuthToken: s.cfg.TwilioAuthToken,
		MediaStreamURL:  s.cfg.MediaStreamURL(),
		MessageTimes:    twilioMessageTimes(s.cfg),
	}
	if opt, err := followUpOption(apiCfg, s.cfg, s.store); err != nil {
		return nil, err
	} else if opt != nil {
		opts = append(opts, opt)
	}
	voiceOpt, err := s.voiceOption(apiCfg, calls)
	if err != nil {
		return nil, err
	}
	opts = append(opts, voiceOpt)
	return api.New(apiCfg, calls, s.store, ready, slog.Default(), opts...), nil
}

// serveAPI serves the api on ln until ctx ends, then drains it: /readyz
// answers 503, in-flight requests finish, open streams drain, all within
// lifecycle.DefaultGrace.
func (s *services) serveAPI(ctx context.Context, ln net.Listener) error {
	h, err := s.newAPI(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	srv := api.NewHTTPServer(ln.Addr().String(), h, api.DefaultTimeouts)
	server := lifecycle.HTTP{Server: srv, Streams: &s.streams, OnDrain: func() { s.draining.Store(true) }}
	return server.Serve(ctx, ln)
}

// serveMetrics serves /metrics on FRONTDESK_METRICS_ADDR when it is set.
func (s *services) serveMetrics(ctx context.Context) error {
	addr := os.Getenv(telemetry.EnvMetricsAddr)
	if addr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.tel.Handler())
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	slog.Info("metrics listening", "addr", addr)
	server := lifecycle.HTTP{Server: srv, Grace: 5 * time.Second}
	return server.ListenAndServe(ctx)
}

func runWorker(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	if err := cfg.CheckProduction(ctx, config.ServiceWorker); err != nil {
		return err
	}
	tel, stop, err := openTelemetry(ctx, "frontdesk-worker")
	if err != nil {
		return err
	}
	defer stop()
	s, err := openServices(ctx, cfg, tel)
	if err != nil {
		return err
	}
	defer s.Close()
	slog.Info("worker running", "task_queue", contract.TaskQueue, "temporal", s.cfg.TemporalAddress)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.serveMetrics(ctx) })
	g.Go(func() error { return s.serveWorker(ctx) })
	return g.Wait()
}

func runAPI(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	if err := cfg.CheckProduction(ctx, config.ServiceAPI); err != nil {
		return err
	}
	tel, stop, err := openTelemetry(ctx, "frontdesk-api")
	if err != nil {
		return err
	}
	defer stop()
	s, err := openServices(ctx, cfg, tel)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", s.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	slog.Info("api listening", "addr", s.cfg.HTTPAddr, "public_url", s.cfg.PublicURL)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.serveMetrics(ctx) })
	g.Go(func() error { return s.serveAPI(ctx, ln) })
	return g.Wait()
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
