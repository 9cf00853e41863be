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
)

// Migrate creates the roles, then applies every pending migration. adminURL
// must be able to create roles; appURL names the services' login role, which
// is created if missing (NOINHERIT, so it holds no table privileges unless a
// transaction switches to `authenticated`).
func Migrate(ctx context.Context, adminURL, appURL string, logger *slog.Logger) error {
	if err := ensureDatabase(ctx, adminURL); err != nil {
		return err
	}
	appCfg, err := pgx.ParseConfig(appURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
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
	if err := ensureRoles(ctx, conn, appCfg.User, appCfg.Password, cfg.User); err != nil {
		return err
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

func ensureRoles(ctx context.Context, conn *sql.Conn, appUser, appPassword, adminUser string) error {
	if appUser == "" {
		return fmt.Errorf("DATABASE_URL names no user")
	}
	create := func(name, attrs string) error {
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
	if err := create(OwnerRole, "nologin"); err != nil {
		return err
	}
	if err := create(AuthenticatedRole, "nologin"); err != nil {
		return err
	}
	if err := create(DefinerRole, "nologin"); err != nil {
		return err
	}
	if appUser != adminUser {
		attrs := "login noinherit"
		if appPassword != "" {
			attrs += " password " + quoteLiteral(appPassword)
		}
		if err := create(appUser, attrs); err != nil {
			return err
		}
	}
	stmts := []string{
		// The migrations switch to the owner role to create tables.
		fmt.Sprintf(`grant %s, %s to %s`, OwnerRole, DefinerRole, pgx.Identifier{adminUser}.Sanitize()),
		fmt.Sprintf(`grant %s to %s`, AuthenticatedRole, pgx.Identifier{appUser}.Sanitize()),
	}
	for _, s := range stmts {
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
