package devenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/vault"
)

// Dev is what `frontdesk dev` started for itself; Stop stops it.
type Dev struct {
	// Dir holds the dev state: Temporal's SQLite file and log, the master
	// key, a throwaway Postgres.
	Dir   string
	stops []func()
}

// Dir is `frontdesk dev`'s state directory: FRONTDESK_DEV_DIR, else .dev.
func Dir() string {
	if d := os.Getenv("FRONTDESK_DEV_DIR"); d != "" {
		return d
	}
	return ".dev"
}

// StartDev prepares one machine for `frontdesk dev`: development defaults
// for the secrets that have none (Twilio token, link secret, JWT secret,
// a master key kept in Dir), the Temporal dev server with its Web UI
// unless TEMPORAL_ADDRESS is set, and Postgres (the configured one, else a
// throwaway cluster). It sets the environment the services then read with
// config.FromEnv. Progress goes to out.
func StartDev(ctx context.Context, out io.Writer) (_ *Dev, err error) {
	d := &Dev{Dir: Dir()}
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.Stop()
		}
	}()
	SetDefault("TWILIO_AUTH_TOKEN", config.DevTwilioAuthToken)
	SetDefault("FRONTDESK_LINK_SECRET", config.DevLinkSecret)
	if os.Getenv("FRONTDESK_JWKS_URL") == "" && os.Getenv("FRONTDESK_JWT_PUBLIC_KEY") == "" {
		SetDefault("FRONTDESK_JWT_SECRET", config.DevJWTSecret)
	}
	if err := EnsureDevMasterKey(d.Dir, out); err != nil {
		return nil, err
	}
	if os.Getenv("TEMPORAL_ADDRESS") == "" {
		stop, err := startTemporalDevServer(ctx, d.Dir, out)
		if err != nil {
			return nil, err
		}
		d.stops = append(d.stops, stop)
	}
	stop, err := ensurePostgres(ctx, d.Dir, out)
	if err != nil {
		return nil, err
	}
	d.stops = append(d.stops, stop)
	return d, nil
}

// Stop stops what StartDev started, last first.
func (d *Dev) Stop() {
	for i := len(d.stops) - 1; i >= 0; i-- {
		d.stops[i]()
	}
	d.stops = nil
}

// Dev server ports: Temporal's own defaults, which TEMPORAL_ADDRESS and
// TEMPORAL_UI_URL default to.
const (
	DevTemporalPort = 7233
	DevUIPort       = 8233
)

// DevServerArgs are the Temporal CLI's arguments for frontdesk's dev
// server: loopback, the search attributes registered, eager activities,
// and the Web UI decoding through codecEndpoint.
func DevServerArgs(dbFile, codecEndpoint string) []string {
	args := []string{"server", "start-dev",
		"--ip", "127.0.0.1", "--port", fmt.Sprint(DevTemporalPort), "--ui-port", fmt.Sprint(DevUIPort),
		"--db-filename", dbFile,
		"--log-level", "warn",
		// The Web UI decodes payloads through the api, for ops tokens only.
		"--ui-codec-endpoint", codecEndpoint,
	}
	args = append(args, SearchAttributeFlags()...)
	return append(args, EagerActivityFlags()...)
}

func startTemporalDevServer(ctx context.Context, dir string, out io.Writer) (stop func(), err error) {
	bin, err := TemporalBinary()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, DevServerArgs(filepath.Join(dir, "temporal.db"), UICodecEndpoint())...)
	logFile, err := os.Create(filepath.Join(dir, "temporal.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	fmt.Fprintf(out, "▸ starting the Temporal dev server (log: %s)\n", logFile.Name())
	if err := cmd.Start(); err != nil {
		logFile.Close()
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
	if err := WaitTemporal(ctx, config.DefaultTemporalAddress, 60*time.Second); err != nil {
		stop()
		return nil, fmt.Errorf("the Temporal dev server did not come up (see %s): %w", logFile.Name(), err)
	}
	return stop, nil
}

// WaitTemporal polls address until a client can connect, for up to within.
func WaitTemporal(ctx context.Context, address string, within time.Duration) error {
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
func ensurePostgres(ctx context.Context, dir string, out io.Writer) (stop func(), err error) {
	explicit := os.Getenv("DATABASE_URL") != ""
	if !explicit {
		SetDefault("DATABASE_ADMIN_URL", config.DefaultDatabaseAdminURL)
	}
	cfg := config.FromEnv()
	perr := PingServer(ctx, cfg.DatabaseAdminURL)
	if perr == nil {
		return func() {}, nil
	}
	if explicit {
		return nil, fmt.Errorf("DATABASE_URL is set but Postgres does not answer: %w", perr)
	}
	fmt.Fprintf(out, "▸ no Postgres at %s (%v); starting a throwaway cluster in %s\n", RedactURL(cfg.DatabaseAdminURL), perr, filepath.Join(dir, "pg"))
	pg, err := StartPostgres(ctx, filepath.Join(dir, "pg"), 54329)
	if err != nil {
		return nil, err
	}
	os.Setenv("DATABASE_ADMIN_URL", pg.AdminURL("frontdesk"))
	os.Setenv("DATABASE_URL", strings.Replace(pg.AdminURL("frontdesk"), "postgres@", "frontdesk_app@", 1))
	return func() { _ = pg.Stop() }, nil
}

// SetDefault sets an environment variable that is empty.
func SetDefault(key, value string) {
	if os.Getenv(key) == "" {
		os.Setenv(key, value)
	}
}

// RedactURL drops a password from a connection URL before printing it.
func RedactURL(u string) string {
	if at := strings.Index(u, "@"); at > 0 {
		if scheme := strings.Index(u, "://"); scheme > 0 {
			if colon := strings.Index(u[scheme+3:at], ":"); colon >= 0 {
				return u[:scheme+3+colon] + ":***" + u[at:]
			}
		}
	}
	return u
}

// UICodecEndpoint is the codec endpoint the dev server's Web UI uses: the
// api's /codec, or FRONTDESK_UI_CODEC_ENDPOINT (e.g. a `frontdesk codec
// proxy` holding an ops token, since the dev UI has no login).
func UICodecEndpoint() string {
	if v := os.Getenv("FRONTDESK_UI_CODEC_ENDPOINT"); v != "" {
		return v
	}
	return config.FromEnv().PublicURL + "/codec"
}

// EnsureDevMasterKey gives `frontdesk dev` a master key when none is
// configured: created once in <dir>/master.key (mode 0600) and reused, so
// data encrypted in one dev session stays readable in the next. Deleting
// the file makes every encrypted value and Temporal payload of the dev
// database unreadable, which is what it would do in production too.
func EnsureDevMasterKey(dir string, out io.Writer) error {
	if masterKeyConfigured() {
		return nil
	}
	path := filepath.Join(dir, "master.key")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("create the development master key: %w", err)
		}
		_, werr := fmt.Fprintln(f, vault.EncodeMasterKey(vault.GenerateMasterKey()))
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("write the development master key: %w", werr)
		}
		fmt.Fprintf(out, "▸ created a development master key in %s (FRONTDESK_MASTER_KEY unset; keep the file, or lose the dev data)\n", path)
	} else if err != nil {
		return err
	}
	return os.Setenv(vault.EnvMasterKeyFile, path)
}

// UseDevMasterKey points a CLI command at `frontdesk dev`'s key file when
// no master key is configured and the file exists, so `frontdesk call
// demo` works beside `make dev`.
func UseDevMasterKey() {
	if masterKeyConfigured() {
		return
	}
	path := filepath.Join(Dir(), "master.key")
	if _, err := os.Stat(path); err == nil {
		os.Setenv(vault.EnvMasterKeyFile, path)
	}
}

func masterKeyConfigured() bool {
	return strings.TrimSpace(os.Getenv(vault.EnvMasterKey)) != "" || strings.TrimSpace(os.Getenv(vault.EnvMasterKeyFile)) != ""
}

// quietLogger silences the Temporal client while polling for the server.
type quietLogger struct{}

func (quietLogger) Debug(string, ...interface{}) {}
func (quietLogger) Info(string, ...interface{})  {}
func (quietLogger) Warn(string, ...interface{})  {}
func (quietLogger) Error(string, ...interface{}) {}
