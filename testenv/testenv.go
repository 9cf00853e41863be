// Package testenv gives integration tests the real things: the Temporal dev
// server (the Temporal CLI built by `make temporal`) and a fresh, migrated
// Postgres database on the machine's server, or on a throwaway cluster when
// none answers. Nothing here is mocked.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

var shared struct {
	once     sync.Once
	err      error
	temporal *testsuite.DevServer
	pg       *devenv.Postgres
	pgTmp    string

	pgOnce   sync.Once
	pgErr    error
	adminURL string
}

// Main runs a package's tests and stops the shared servers afterwards. Use
// it as the package's TestMain. Audit rows are sealed with the tests' audit
// key, as the services seal them with theirs.
func Main(m *testing.M) {
	store.SetAuditSealer(AuditSealer())
	code := m.Run()
	if shared.temporal != nil {
		_ = shared.temporal.Stop()
	}
	if shared.pg != nil {
		_ = shared.pg.Stop()
		os.RemoveAll(shared.pgTmp)
	}
	os.Exit(code)
}

// Temporal starts (once per test binary) the dev server with frontdesk's
// search attributes and returns its address.
func Temporal(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		bin, err := devenv.TemporalBinary()
		if err != nil {
			shared.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		shared.temporal, shared.err = testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
			ExistingPath:  bin,
			ClientOptions: &client.Options{Logger: tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))},
			LogLevel:      "error",
			ExtraArgs:     append(devenv.SearchAttributeFlags(), devenv.EagerActivityFlags()...),
			Stdout:        io.Discard, Stderr: io.Discard,
		})
	})
	if shared.err != nil {
		t.Fatalf("Temporal dev server: %v", shared.err)
	}
	return shared.temporal.FrontendHostPort()
}

// TestMasterKeyHex is the tests' FIXED master key. It is public and must
// never protect real data: histories recorded from test runs
// (workflows/testdata) are encrypted with it, and the replay test decodes
// them with it.
const TestMasterKeyHex = "f00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dface"

// MasterKey returns the tests' fixed master key.
func MasterKey() vault.Key {
	k, err := vault.ParseMasterKey(TestMasterKeyHex)
	if err != nil {
		panic(err)
	}
	return k
}

// AuditSealer is the audit MAC key derived from the tests' master key.
func AuditSealer() *vault.AuditSealer {
	s, err := vault.NewAuditSealer(MasterKey())
	if err != nil {
		panic(err)
	}
	return s
}

// PayloadCodec is the payload codec derived from the tests' master key, as
// every client, worker and replayer of the tests uses it.
func PayloadCodec() *vault.PayloadCodec {
	c, err := vault.NewMasterPayloadCodec(MasterKey())
	if err != nil {
		panic(err)
	}
	return c
}

// Client dials the shared dev server with the encrypting data and failure
// converters, as production clients do.
func Client(t testing.TB) client.Client {
	t.Helper()
	dc := vault.NewDataConverter(PayloadCodec())
	c, err := client.Dial(client.Options{HostPort: Temporal(t), Logger: tlog.NewStructuredLogger(Logger(t)),
		DataConverter: dc, FailureConverter: vault.NewFailureConverter(dc)})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// Logger writes through t.Log, so output shows only for failing tests.
// FRONTDESK_TEST_LOG=debug shows every line (the voice session's
// transitions, for one failing test).
func Logger(t testing.TB) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("FRONTDESK_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: level}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Database is a fresh migrated database, dropped when the test ends.
type Database struct {
	// AdminURL connects as a superuser (owner of everything): attacks and
	// fixtures that must go around the services' role use it.
	AdminURL string
	// AppURL is the services' login role, as DATABASE_URL would be under
	// `frontdesk dev`: a member of both frontdesk_api and frontdesk_worker.
	AppURL string
	// APIURL and WorkerURL are the api's and the worker's separate logins,
	// as a production deployment has them (schema.Logins).
	APIURL, WorkerURL string
	Name              string
}

// NewDatabase creates and migrates a database for one test.
func NewDatabase(t testing.TB) *Database {
	t.Helper()
	base := serverURL(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "frontdesk_t_" + hex.EncodeToString(b)
	db := &Database{Name: name, AdminURL: withDatabase(base, "postgres", name), AppURL: withDatabase(base, "frontdesk_app", name),
		APIURL: withDatabase(base, "frontdesk_api_login", name), WorkerURL: withDatabase(base, "frontdesk_worker_login", name)}
	ctx := context.Background()
	// Registered first, so a failed migration drops its database too.
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, withDatabase(base, "postgres", "postgres"))
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, "drop database if exists "+pgx.Identifier{name}.Sanitize()+" with (force)")
	})
	logins := schema.Logins{Both: db.AppURL, API: db.APIURL, Worker: db.WorkerURL}
	if err := schema.MigrateLogins(ctx, db.AdminURL, logins, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrate %s: %v", name, err)
	}
	return db
}

// serverURL finds a Postgres server: FRONTDESK_TEST_POSTGRES (a URL naming
// a superuser), else the machine's on 127.0.0.1:5432, else a throwaway
// cluster.
func serverURL(t testing.TB) string {
	shared.pgOnce.Do(func() {
		ctx := context.Background()
		url := os.Getenv("FRONTDESK_TEST_POSTGRES")
		if url == "" {
			url = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
		}
		if err := devenv.PingServer(ctx, url); err == nil {
			shared.adminURL = url
			return
		} else if os.Getenv("FRONTDESK_TEST_POSTGRES") != "" {
			shared.pgErr = fmt.Errorf("FRONTDESK_TEST_POSTGRES does not answer: %w", err)
			return
		}
		dir, err := os.MkdirTemp("", "frontdesk-pg-")
		if err != nil {
			shared.pgErr = err
			return
		}
		shared.pgTmp = dir
		pg, err := devenv.StartPostgres(ctx, dir, 54000+int(time.Now().UnixNano()%1000))
		if err != nil {
			shared.pgErr = err
			return
		}
		shared.pg = pg
		shared.adminURL = pg.AdminURL("postgres")
	})
	if shared.pgErr != nil {
		t.Fatalf("Postgres: %v", shared.pgErr)
	}
	return shared.adminURL
}

func withDatabase(url, user, database string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", user, cfg.Host, cfg.Port, database)
}

// DemoStore is a fresh migrated database loaded with the two demo clinics,
// and the store on it as the services' login role (closed when t ends).
func DemoStore(t testing.TB) (*Database, *store.Store) {
	t.Helper()
	ctx := context.Background()
	db := NewDatabase(t)
	st, err := store.Open(ctx, db.AppURL)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(st.Close)
	if _, err := st.SeedDemo(ctx, time.Now()); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	return db, st
}
