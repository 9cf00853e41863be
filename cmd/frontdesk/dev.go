package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/store"
)

// runDev runs the whole system on one machine: devenv starts what the
// environment does not configure, then migrations, demo data, worker and
// api run in this process.
func runDev(ctx context.Context, _ []string) error {
	if config.FromEnv().IsProduction() {
		return errors.New("FRONTDESK_ENV=production: `frontdesk dev` runs on development defaults; run `frontdesk api` and `frontdesk worker` instead")
	}
	dev, err := devenv.StartDev(ctx, os.Stdout)
	if err != nil {
		return err
	}
	defer dev.Stop()

	cfg := config.FromEnv()
	fmt.Println("▸ applying migrations")
	if err := schema.Migrate(ctx, cfg.DatabaseAdminURL, cfg.DatabaseURL, slog.Default()); err != nil {
		return err
	}
	tel, stopTelemetry, err := openTelemetry(ctx, "frontdesk-dev")
	if err != nil {
		return err
	}
	defer stopTelemetry()
	s, err := openServices(ctx, cfg, tel)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	n, err := s.store.SeedDemo(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Printf("▸ demo data: clinics on %s and %s, %d slots\n", store.DemoNumberA, store.DemoNumberB, n)

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.serveWorker(ctx) })
	g.Go(func() error { return s.serveAPI(ctx, ln) })
	g.Go(func() error { return s.serveMetrics(ctx) })
	fmt.Printf(`
frontdesk is running (Ctrl-C stops everything):
  API              %s   (health: %s/healthz, ready: %s/readyz, metrics: %s/metrics)
  Temporal         %s   (namespace %s)
  Temporal Web UI  %s/namespaces/%s/workflows
  Postgres         %s
  Voice            %s   (media stream %s)
Try a call:        bin/frontdesk call demo            (webhooks and the agent's tool calls)
                   bin/frontdesk call demo --voice    (a caller speaks over the media stream)
Staff API:         curl -H "Authorization: Bearer $(bin/frontdesk token --org A)" %s/v1/calls

`, cfg.PublicURL, cfg.PublicURL, cfg.PublicURL, cfg.PublicURL, cfg.TemporalAddress, cfg.TemporalNamespace, cfg.TemporalUIURL, cfg.TemporalNamespace,
		devenv.RedactURL(cfg.DatabaseURL), voiceDescription(cfg), cfg.MediaStreamURL(), cfg.PublicURL)
	return g.Wait()
}
