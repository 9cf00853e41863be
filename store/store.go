// Package store owns frontdesk's access to Postgres: the pgx pool, the
// per-transaction tenant context that row-level security keys on, and the
// queries the api and activities run.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Claims are what a transaction runs as: the JWT claims of a staff request,
// or the org of a call for the worker. OrgID is what the policies check.
type Claims struct {
	OrgID uuid.UUID `json:"org_id"`
	Sub   string    `json:"sub"`
	Role  string    `json:"role"`
}

// Store is the pools plus the queries. Every tenant query goes through
// InTenant (or, for the slot path a caller waits on, inTenantOnLine).
type Store struct {
	pool *pgxpool.Pool
	// onLine serves only what a caller on the line is waiting for: holding,
	// booking and listing slots. Background work (turns queued on their
	// org's audit chain, call records, follow-ups) can take every
	// connection of the main pool for a while at 50 concurrent calls;
	// measured with `frontdesk bench voice --concurrency 50`, a hold then
	// waited up to seconds for a connection. A pool of its own keeps a
	// caller's tool round trip out of that queue.
	onLine *pgxpool.Pool
	// index computes the blind index of phone numbers written outside the
	// patient path (SetBlindIndexer); nil leaves those rows unindexed.
	index BlindIndexer
}

// ErrNotFound is returned when a row does not exist or is not visible to the
// caller's org; the two are deliberately indistinguishable.
var ErrNotFound = errors.New("not found")

// Option adjusts the pool Open builds.
type Option func(*pgxpool.Config)

// WithQueryTracer traces every statement (telemetry's Postgres spans).
func WithQueryTracer(t pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) { c.ConnConfig.Tracer = t }
}

// Open connects to databaseURL, the services' login role.
func Open(ctx context.Context, databaseURL string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	for _, o := range opts {
		o(cfg)
	}
	// Second guard behind the transaction-local settings: whatever a
	// connection's last user did to its session, it goes back to the pool
	// without a role or claims. RESET ALL does not undo SET ROLE, hence both.
	cfg.AfterRelease = func(c *pgx.Conn) bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := c.Exec(ctx, "reset role; reset all")
		return err == nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// The same size as the main pool (pool_max_conns in the URL sizes
	// both): each connection is busy for one short function call
	// (lock_slot, confirm_booking, free_slots), so a few serve many calls.
	//
	// Its statements are never prepared (QueryExecModeExec): onLineRow
	// sends the claims and the statement in one pipeline, and preparing
	// would describe the statement first, as the login role, which may not
	// see the app schema.
	onLineCfg := cfg.Copy()
	onLineCfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	// Kept open from the start: the first callers after a deploy do not
	// wait for connections to be set up.
	onLineCfg.MinConns = min(onLineCfg.MaxConns, 4)
	onLine, err := pgxpool.NewWithConfig(ctx, onLineCfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool, onLine: onLine}, nil
}

// Close closes the pools.
func (s *Store) Close() {
	s.onLine.Close()
	s.pool.Close()
}

// Ping checks that Postgres answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Pool exposes the pool for benchmarks and tests that must measure or attack
// the database below the store's guard rails.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// InTenant runs fn in a transaction whose role is `authenticated` and whose
// claims are c, both transaction-local, so a pooled connection never carries
// one tenant's context into another's work.
func (s *Store) InTenant(ctx context.Context, c Claims, fn func(pgx.Tx) error) error {
	return s.inTenantOn(ctx, s.pool, c, fn)
}

// inTenantOnLine is InTenant on the pool of the slot path (Store.onLine).
func (s *Store) inTenantOnLine(ctx context.Context, c Claims, fn func(pgx.Tx) error) error {
	return s.inTenantOn(ctx, s.onLine, c, fn)
}

// onLineRow runs one statement of the slot path as a tenant in a single
// round trip: the claims and the statement go out in one pipeline and run
// in the implicit transaction that commits at its Sync. A practitioner's
// lock that the statement takes is therefore released the moment the
// statement ends, inside Postgres, never held while this process gets
// round to sending COMMIT: at 50 concurrent calls on two cores that wait
// can be longer than the statement, and every other hold of the
// practitioner queues behind it.
func (s *Store) onLineRow(ctx context.Context, c Claims, scan func(pgx.Row) error, sql string, args ...any) error {
	if c.OrgID == uuid.Nil {
		return errors.New("store: tenant transaction without an org")
	}
	claims, err := json.Marshal(c)
	if err != nil {
		return err
	}
	conn, err := s.onLine.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	var b pgx.Batch
	b.Queue(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, string(claims))
	b.Queue(sql, args...)
	br := conn.SendBatch(ctx, &b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return err
	}
	if err := scan(br.QueryRow()); err != nil {
		br.Close()
		return err
	}
	// Close reads up to the Sync: a failed commit surfaces here.
	return br.Close()
}

func (s *Store) inTenantOn(ctx context.Context, pool *pgxpool.Pool, c Claims, fn func(pgx.Tx) error) error {
	if c.OrgID == uuid.Nil {
		return errors.New("store: tenant transaction without an org")
	}
	claims, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.inRole(ctx, pool, string(claims), fn)
}

// AsService runs fn as `authenticated` with no claims: it sees no tenant
// rows and may only call the narrow cross-tenant functions.
func (s *Store) AsService(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.inRole(ctx, s.pool, "", fn)
}

func (s *Store) inRole(ctx context.Context, pool *pgxpool.Pool, claims string, fn func(pgx.Tx) error) error {
	// The role and claims are set inside the BEGIN's own round trip, so the
	// tenant context costs no extra trip to the server.
	begin := "begin; select set_config('role', 'authenticated', true), set_config('request.jwt.claims', " + quoteLiteral(claims) + ", true)"
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{BeginQuery: begin}, fn)
}

// quoteLiteral renders s as an escape-string literal, which means the same
// whatever standard_conforming_strings says. Claims come from JWTs, so they
// are attacker-controlled text.
func quoteLiteral(s string) string {
	var b strings.Builder
	b.WriteString("E'")
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString("''")
		case 0:
			// Postgres text cannot hold NUL; json.Marshal never emits one.
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("'")
	return b.String()
}
