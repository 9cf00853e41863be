// Package schema owns the database: its SQL migrations (embedded in the
// binary), the roles they rely on, and the row-level security policies.
package schema

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Role names the migrations and store/ rely on.
const (
	// OwnerRole owns every table; no service logs in as it.
	OwnerRole = "frontdesk_owner"
	// AuthenticatedRole is what a request's transaction switches to; the
	// policies apply to it.
	AuthenticatedRole = "authenticated"
	// DefinerRole owns the few SECURITY DEFINER functions that must look
	// across tenants, and may read only the columns they return.
	DefinerRole = "frontdesk_definer"
	// APIRole and WorkerRole (NOLOGIN, no privileges) mark a login as the
	// api's or the worker's. Restrictive policies check session_user's
	// membership, which a client cannot change the way it changes its
	// claims (migration 00010).
	APIRole    = "frontdesk_api"
	WorkerRole = "frontdesk_worker"
)

// Logins are the database logins `frontdesk migrate` creates (each if
// missing, NOINHERIT, with its URL's password) and grants a service to.
type Logins struct {
	// API and Worker are the services' separate logins (production:
	// DATABASE_API_URL, DATABASE_WORKER_URL).
	API, Worker string
	// Both is one login with both services' rights (`frontdesk dev`, the
	// tests). Production refuses it (config.CheckDatabaseRole).
	Both string
}

// Migrate creates the roles, then applies every pending migration. adminURL
// must be able to create roles; appURL names the services' login role, which
// is created if missing (NOINHERIT, so it holds no table privileges unless a
// transaction switches to `authenticated`) and acts as both api and worker.
func Migrate(ctx context.Context, adminURL, appURL string, logger *slog.Logger) error {
	return MigrateLogins(ctx, adminURL, Logins{Both: appURL}, logger)
}

// MigrateLogins is Migrate with the services' logins given separately.
func MigrateLogins(ctx context.Context, adminURL string, logins Logins, logger *slog.Logger) error {
	if err := ensureDatabase(ctx, adminURL); err != nil {
		return err
	}
	cfg, err := pgx.ParseConfig(adminURL)
	if err != nil {
		return fmt.Errorf("DATABASE_ADMIN_URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect for migrations: %w", err)
	}
	defer conn.Close()
	// Several test packages migrate fresh databases at once; roles are
	// cluster-wide, so serialise their creation.
	if _, err := conn.ExecContext(ctx, `select pg_advisory_lock(7261001)`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `select pg_advisory_unlock(7261001)`)
	if err := ensureRoles(ctx, conn, cfg.User); err != nil {
		return err
	}
	for _, l := range []struct {
		env, url string
		roles    []string
	}{
		{"DATABASE_API_URL", logins.API, []string{APIRole}},
		{"DATABASE_WORKER_URL", logins.Worker, []string{WorkerRole}},
		{"DATABASE_URL", logins.Both, []string{APIRole, WorkerRole}},
	} {
		if l.url == "" {
			continue
		}
		lc, err := pgx.ParseConfig(l.url)
		if err != nil {
			return fmt.Errorf("%s: %w", l.env, err)
		}
		if err := ensureLogin(ctx, conn, lc.User, lc.Password, cfg.User, l.roles); err != nil {
			return fmt.Errorf("%s: %w", l.env, err)
		}
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return err
	}
	results, err := provider.Up(ctx)
	for _, r := range results {
		logger.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "ms", r.Duration.Milliseconds())
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func createRole(ctx context.Context, conn *sql.Conn, name, attrs string) error {
	var exists bool
	if err := conn.QueryRowContext(ctx, `select exists (select from pg_roles where rolname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`create role %s %s`, pgx.Identifier{name}.Sanitize(), attrs)); err != nil {
		return fmt.Errorf("create role %s: %w", name, err)
	}
	return nil
}

// ensureRoles creates the NOLOGIN roles the migrations rely on.
func ensureRoles(ctx context.Context, conn *sql.Conn, adminUser string) error {
	for _, r := range []string{OwnerRole, AuthenticatedRole, DefinerRole, APIRole, WorkerRole} {
		if err := createRole(ctx, conn, r, "nologin"); err != nil {
			return err
		}
	}
	// The migrations switch to the owner role to create tables.
	s := fmt.Sprintf(`grant %s, %s to %s`, OwnerRole, DefinerRole, pgx.Identifier{adminUser}.Sanitize())
	if _, err := conn.ExecContext(ctx, s); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	return nil
}

// ensureLogin creates a service login (NOINHERIT: it holds no table
// privileges until a transaction switches to `authenticated`) and makes it
// a member of `authenticated` and of its services' roles.
func ensureLogin(ctx context.Context, conn *sql.Conn, user, password, adminUser string, services []string) error {
	if user == "" {
		return fmt.Errorf("the URL names no user")
	}
	if user == adminUser {
		// Tests that run everything as one superuser; production refuses
		// that login (config.CheckDatabaseRole).
		return nil
	}
	attrs := "login noinherit"
	if password != "" {
		attrs += " password " + quoteLiteral(password)
	}
	if err := createRole(ctx, conn, user, attrs); err != nil {
		return err
	}
	for _, r := range append([]string{AuthenticatedRole}, services...) {
		s := fmt.Sprintf(`grant %s to %s`, pgx.Identifier{r}.Sanitize(), pgx.Identifier{user}.Sanitize())
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// ensureDatabase creates the database named in url when it does not exist,
// connecting to the maintenance database `postgres` of the same server.
func ensureDatabase(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("DATABASE_ADMIN_URL: %w", err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect to Postgres at %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `select exists (select from pg_database where datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, `create database `+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

func quoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}
