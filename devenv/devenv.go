// Package devenv starts what frontdesk needs on a developer's machine or in
// tests when nothing is configured: the Temporal dev server (the Temporal CLI
// built once into a cache outside the clone) and, failing a reachable
// Postgres, a throwaway cluster from the machine's initdb/pg_ctl.
package devenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/jackc/pgx/v5"
)

// TemporalCLIVersion is the newest Temporal CLI `go install` accepts from the
// module proxy (newer ones carry replace directives).
const TemporalCLIVersion = "v1.5.1"

// CacheDir is where built tools live, outside the clone so a fresh clone (as
// CI makes) reuses them.
func CacheDir() string {
	if d := os.Getenv("FRONTDESK_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "frontdesk")
	}
	return filepath.Join(os.TempDir(), "frontdesk-cache")
}

// TemporalBinary finds the Temporal CLI: $FRONTDESK_TEMPORAL_BIN, else the
// cache, else PATH. The error says how to get it.
func TemporalBinary() (string, error) {
	if p := os.Getenv("FRONTDESK_TEMPORAL_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("FRONTDESK_TEMPORAL_BIN=%s: %w", p, err)
		}
		return p, nil
	}
	p := filepath.Join(CacheDir(), "bin", "temporal")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("the Temporal CLI is not built: run `make temporal` (go install github.com/temporalio/cli/cmd/temporal@%s into %s; the first build takes several minutes)", TemporalCLIVersion, filepath.Join(CacheDir(), "bin"))
}

// SearchAttributeFlags registers frontdesk's search attributes on the dev
// server at start: `--search-attribute ClinicId=Keyword` and so on.
func SearchAttributeFlags() []string {
	var flags []string
	for _, key := range contract.SearchAttributeKeys {
		typ := strings.TrimPrefix(key.GetValueType().String(), "INDEXED_VALUE_TYPE_")
		flags = append(flags, "--search-attribute", key.GetName()+"="+typ[:1]+strings.ToLower(typ[1:]))
	}
	return flags
}

// EagerActivityFlags turn on eager activity execution on the dev server:
// an activity scheduled by a workflow task goes straight back to the worker
// that completed the task, instead of through the matching service. On the
// SQLite dev server under load that hop was most of the follow-up SMS's
// latency (`frontdesk bench followup`: p99 about 2 s without, 0.25 s with).
// A production server wants the same dynamic config value.
func EagerActivityFlags() []string {
	return []string{"--dynamic-config-value", "system.enableActivityEagerExecution=true"}
}

// Postgres is a throwaway cluster started with initdb and pg_ctl.
type Postgres struct {
	Dir  string
	Port int
	bin  string
	as   string // the OS user that owns the cluster when we run as root
}

// AdminURL is the superuser URL of the throwaway cluster's database name.
func (p *Postgres) AdminURL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.Port, database)
}

// StartPostgres initialises (once) and starts a cluster in dir on port. It
// needs the machine's PostgreSQL server binaries (Debian: postgresql).
func StartPostgres(ctx context.Context, dir string, port int) (*Postgres, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	p := &Postgres{Dir: dir, Port: port, bin: bin}
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		// initdb refuses to run as root: run the cluster as the postgres user.
		p.as = "postgres"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if p.as != "" {
		if err := exec.CommandContext(ctx, "chown", p.as, dir).Run(); err != nil {
			return nil, fmt.Errorf("chown %s: %w", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if out, err := p.run(ctx, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
			return nil, fmt.Errorf("initdb: %w\n%s", err, out)
		}
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=off", port, dir)
	if out, err := p.run(ctx, "pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "postgres.log"), "-w", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	return p, nil
}

// Stop stops the cluster.
func (p *Postgres) Stop() error {
	_, err := p.run(context.Background(), "pg_ctl", "-D", filepath.Join(p.Dir, "data"), "-m", "fast", "-w", "stop")
	return err
}

func (p *Postgres) run(ctx context.Context, tool string, args ...string) ([]byte, error) {
	path := filepath.Join(p.bin, tool)
	var cmd *exec.Cmd
	if p.as != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", p.as, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	return cmd.CombinedOutput()
}

func postgresBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", errors.New("no reachable Postgres at DATABASE_URL and no initdb on this machine: install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL")
	}
	sort.Strings(matches)
	return filepath.Dir(matches[len(matches)-1]), nil
}

// PingServer reports whether the Postgres server of url answers, through its
// maintenance database (the url's own database may not exist yet).
func PingServer(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.Database = "postgres"
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}
