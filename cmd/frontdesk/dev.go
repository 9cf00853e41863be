package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/store"
)

// runDev runs the whole system on one machine: what is not configured in the
// environment is started here (Temporal dev server with its Web UI, a
// throwaway Postgres if none answers), then migrations, demo data, worker
// and api.
func runDev(ctx context.Context, _ []string) error {
	if config.FromEnv().IsProduction() {
		return errors.New("FRONTDESK_ENV=production: `frontdesk dev` runs on development defaults; run `frontdesk api` and `frontdesk worker` instead")
	}
	dir := os.Getenv("FRONTDESK_DEV_DIR")
	if dir == "" {
		dir = ".dev"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	setDefault("TWILIO_AUTH_TOKEN", config.DevTwilioAuthToken)
	setDefault("FRONTDESK_LINK_SECRET", config.DevLinkSecret)
	if os.Getenv("FRONTDESK_JWKS_URL") == "" && os.Getenv("FRONTDESK_JWT_PUBLIC_KEY") == "" {
		setDefault("FRONTDESK_JWT_SECRET", config.DevJWTSecret)
	}
	if err := ensureDevMasterKey(dir); err != nil {
		return err
	}

	if os.Getenv("TEMPORAL_ADDRESS") == "" {
		stopTemporal, err := startTemporalDevServer(ctx, dir)
		if err != nil {
			return err
		}
		defer stopTemporal()
	}
	stopPostgres, err := ensurePostgres(ctx, dir)
	if err != nil {
		return err
	}
	defer stopPostgres()

	cfg := config.FromEnv()
	fmt.Println("▸ applying migrations")
	if err := schema.Migrate(ctx, cfg.DatabaseAdminURL, cfg.DatabaseURL, slog.Default()); err != nil {
		return err
	}
	s, err := openServices(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.store.SeedDemo(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Printf("▸ demo data: clinics on %s and %s, %d slots\n", store.DemoNumberA, store.DemoNumberB, n)

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.serveWorker(ctx) })
	g.Go(func() error { return s.serveAPI(ctx) })
	fmt.Printf(`
frontdesk is running (Ctrl-C stops everything):
  API              %s   (health: %s/healthz, ready: %s/readyz)
  Temporal         %s   (namespace %s)
  Temporal Web UI  %s/namespaces/%s/workflows
  Postgres         %s
Try a call:        bin/frontdesk call demo
Staff API:         curl -H "Authorization: Bearer $(bin/frontdesk token --org A)" %s/v1/calls

`, cfg.PublicURL, cfg.PublicURL, cfg.PublicURL, cfg.TemporalAddress, cfg.TemporalNamespace, cfg.TemporalUIURL, cfg.TemporalNamespace, redactURL(cfg.DatabaseURL), cfg.PublicURL)
	return g.Wait()
}

func startTemporalDevServer(ctx context.Context, dir string) (stop func(), err error) {
	bin, err := devenv.TemporalBinary()
	if err != nil {
		return nil, err
	}
	args := append([]string{"server", "start-dev",
		"--ip", "127.0.0.1", "--port", "7233", "--ui-port", "8233",
		"--db-filename", filepath.Join(dir, "temporal.db"),
		"--log-level", "warn",
		// The Web UI decodes payloads through the api, for ops tokens only.
		"--ui-codec-endpoint", uiCodecEndpoint(),
	}, devenv.SearchAttributeFlags()...)
	args = append(args, devenv.EagerActivityFlags()...)
	cmd := exec.Command(bin, args...)
	logFile, err := os.Create(filepath.Join(dir, "temporal.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	fmt.Printf("▸ starting the Temporal dev server (log: %s)\n", logFile.Name())
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
		logFile.Close()
	}
	if err := waitTemporal(ctx, config.DefaultTemporalAddress, 60*time.Second); err != nil {
		stop()
		return nil, fmt.Errorf("the Temporal dev server did not come up (see %s): %w", logFile.Name(), err)
	}
	return stop, nil
}

func waitTemporal(ctx context.Context, address string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: address, Logger: quietLogger{}})
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// ensurePostgres uses the configured database when it answers; with nothing
// configured and nothing answering, it starts a throwaway cluster in dir.
func ensurePostgres(ctx context.Context, dir string) (stop func(), err error) {
	explicit := os.Getenv("DATABASE_URL") != ""
	if !explicit {
		setDefault("DATABASE_ADMIN_URL", config.DefaultDatabaseAdminURL)
	}
	cfg := config.FromEnv()
	perr := devenv.PingServer(ctx, cfg.DatabaseAdminURL)
	if perr == nil {
		return func() {}, nil
	}
	if explicit {
		return nil, fmt.Errorf("DATABASE_URL is set but Postgres does not answer: %w", perr)
	}
	fmt.Printf("▸ no Postgres at %s (%v); starting a throwaway cluster in %s\n", redactURL(cfg.DatabaseAdminURL), perr, filepath.Join(dir, "pg"))
	pg, err := devenv.StartPostgres(ctx, filepath.Join(dir, "pg"), 54329)
	if err != nil {
		return nil, err
	}
	os.Setenv("DATABASE_ADMIN_URL", pg.AdminURL("frontdesk"))
	os.Setenv("DATABASE_URL", strings.Replace(pg.AdminURL("frontdesk"), "postgres@", "frontdesk_app@", 1))
	return func() { _ = pg.Stop() }, nil
}

func setDefault(key, value string) {
	if os.Getenv(key) == "" {
		os.Setenv(key, value)
	}
}

// redactURL drops a password from a connection URL before printing it.
func redactURL(u string) string {
	if at := strings.Index(u, "@"); at > 0 {
		if scheme := strings.Index(u, "://"); scheme > 0 {
			if colon := strings.Index(u[scheme+3:at], ":"); colon >= 0 {
				return u[:scheme+3+colon] + ":***" + u[at:]
			}
		}
	}
	return u
}

// uiCodecEndpoint is the codec endpoint the dev server's Web UI uses: the
// api's /codec, or FRONTDESK_UI_CODEC_ENDPOINT (e.g. a `frontdesk codec
// proxy` holding an ops token, since the dev UI has no login).
func uiCodecEndpoint() string {
	if v := os.Getenv("FRONTDESK_UI_CODEC_ENDPOINT"); v != "" {
		return v
	}
	return config.FromEnv().PublicURL + "/codec"
}
