package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/latency"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/store"
)

// benchTenancy measures what row-level security costs on the hot queries:
// the free slots of a day and a call's bookings, on a million slots across
// 1,000 orgs, through the store's tenant transactions (RLS) against the
// same queries as a superuser that bypasses RLS, in the same transaction
// shape.
func benchTenancy(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench tenancy", flag.ContinueOnError)
	orgs := fs.Int("orgs", 1000, "orgs")
	slotsPerOrg := fs.Int("slots-per-org", 1000, "slots per org")
	iterations := fs.Int("iterations", 3000, "measured queries per kind and mode")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := config.FromEnv()
	adminURL, appURL, err := freshBenchDatabase(ctx, cfg, "frontdesk_bench_tenancy")
	if err != nil {
		return err
	}
	progress := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "▸ "+format+"\n", a...) }
	admin, err := pgxpool.New(ctx, adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()

	start := time.Now()
	progress("loading %d orgs × %d slots (%d rows) and a booking on every tenth slot", *orgs, *slotsPerOrg, *orgs**slotsPerOrg)
	if err := loadTenancyData(ctx, admin, *orgs, *slotsPerOrg); err != nil {
		return err
	}
	progress("loaded in %.1fs; analysing", time.Since(start).Seconds())
	if _, err := admin.Exec(ctx, "analyze"); err != nil {
		return err
	}

	st, err := store.Open(ctx, appURL)
	if err != nil {
		return err
	}
	defer st.Close()

	type probe struct {
		org, clinic, proc uuid.UUID
		day               time.Time
		callSID           string
	}
	rows, err := admin.Query(ctx, `select o.id, c.id, p.id, (select call_sid from app.bookings b where b.org_id = o.id limit 1)
		from app.orgs o join app.clinics c on c.org_id = o.id join app.procedures p on p.org_id = o.id`)
	if err != nil {
		return err
	}
	var probes []probe
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 2)
	for rows.Next() {
		var p probe
		if err := rows.Scan(&p.org, &p.clinic, &p.proc, &p.callSID); err != nil {
			return err
		}
		p.day = day
		probes = append(probes, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}

	const freeSlotsSQL = `select count(*) from app.free_slots($1, $2::date, $3)`
	const bookingsSQL = `select count(*) from (select id, during from app.bookings where call_sid = $1) b`
	type kind struct {
		name string
		run  func(tx pgx.Tx, p probe) error
	}
	kinds := []kind{
		{"free_slots_of_a_day", func(tx pgx.Tx, p probe) error {
			var n int
			return tx.QueryRow(ctx, freeSlotsSQL, p.clinic, p.day.Format(time.DateOnly), p.proc).Scan(&n)
		}},
		{"bookings_of_a_call", func(tx pgx.Tx, p probe) error {
			var n int
			return tx.QueryRow(ctx, bookingsSQL, p.callSID).Scan(&n)
		}},
	}
	results := map[string]map[string]latency.Summary{}
	ratios := map[string]float64{}
	for _, k := range kinds {
		var rls, owner []time.Duration
		// Interleave the two modes so drift on a shared machine hits both.
		for i := 0; i < *iterations+200; i++ {
			p := probes[rand.IntN(len(probes))]
			t0 := time.Now()
			if err := st.InTenant(ctx, store.Claims{OrgID: p.org, Sub: "bench", Role: "staff"}, func(tx pgx.Tx) error { return k.run(tx, p) }); err != nil {
				return fmt.Errorf("%s with RLS: %w", k.name, err)
			}
			d1 := time.Since(t0)
			t0 = time.Now()
			if err := pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error { return k.run(tx, p) }); err != nil {
				return fmt.Errorf("%s as owner: %w", k.name, err)
			}
			d2 := time.Since(t0)
			if i >= 200 { // warm-up
				rls, owner = append(rls, d1), append(owner, d2)
			}
		}
		r, o := latency.Summarize(rls), latency.Summarize(owner)
		results[k.name] = map[string]latency.Summary{"rls_ms": r, "owner_ms": o}
		ratios[k.name] = round2(r.P50 / o.P50)
		progress("%s done", k.name)
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{
			"orgs": *orgs, "slots": *orgs * *slotsPerOrg, "iterations": *iterations,
			"queries": results, "overhead_ratio_p50": ratios,
		})
	}
	fmt.Printf("\nRLS overhead on %d slots across %d orgs (%d queries each; transaction incl. tenant context)\n\n", *orgs**slotsPerOrg, *orgs, *iterations)
	fmt.Printf("%-22s %-9s %8s %8s %8s %8s\n", "query", "mode", "p50 ms", "p95 ms", "p99 ms", "max ms")
	for _, k := range kinds {
		for _, mode := range []string{"rls_ms", "owner_ms"} {
			s := results[k.name][mode]
			fmt.Printf("%-22s %-9s %8.3f %8.3f %8.3f %8.3f\n", k.name, mode[:len(mode)-3], s.P50, s.P95, s.P99, s.Max)
		}
		fmt.Printf("%-22s overhead ×%.2f at p50\n", "", ratios[k.name])
	}
	return nil
}

// loadTenancyData writes the bench's tenants in bulk as the superuser.
func loadTenancyData(ctx context.Context, admin *pgxpool.Pool, orgs, slotsPerOrg int) error {
	perPractitioner := slotsPerOrg / 2
	_, err := admin.Exec(ctx, `
		insert into app.orgs (id, name) select gen_random_uuid(), 'org ' || g from generate_series(1, $1) g;
		insert into app.clinics (org_id, name, phone_number) select id, name, '+44163296' || lpad((row_number() over ())::text, 4, '0') from app.orgs;
		insert into app.procedures (org_id, clinic_id, code, name, duration_minutes) select org_id, id, 'consult', 'Consultation', 30 from app.clinics;
		insert into app.practitioners (org_id, clinic_id, name) select org_id, id, 'Dr ' || p from app.clinics, generate_series(1, 2) p;`, orgs)
	if err != nil {
		return fmt.Errorf("load orgs: %w", err)
	}
	// Slots: 30-minute slots, 16 a day, from tomorrow on, per practitioner.
	_, err = admin.Exec(ctx, `
		insert into app.slots (org_id, clinic_id, practitioner_id, during)
		select p.org_id, p.clinic_id, p.id,
		       tstzrange(t, t + interval '30 minutes', '[)')
		from app.practitioners p,
		     lateral (select date_trunc('day', now()) + interval '1 day' * (1 + g / 16) + interval '9 hours' + interval '30 minutes' * (g % 16) as t
		              from generate_series(0, $1 - 1) g) s`, perPractitioner)
	if err != nil {
		return fmt.Errorf("load slots: %w", err)
	}
	_, err = admin.Exec(ctx, `
		insert into app.bookings (org_id, clinic_id, slot_id, practitioner_id, procedure_id, during, call_sid)
		select s.org_id, s.clinic_id, s.id, s.practitioner_id, pr.id, s.during, 'CA' || md5(s.id::text)
		from app.slots s join app.procedures pr on pr.org_id = s.org_id
		where (('x' || substr(md5(s.id::text), 1, 8))::bit(32)::int % 10) = 0`)
	if err != nil {
		return fmt.Errorf("load bookings: %w", err)
	}
	return nil
}

// freshBenchDatabase drops and re-creates a bench database on the admin
// URL's server and migrates it; it returns the admin and app URLs.
func freshBenchDatabase(ctx context.Context, cfg config.Config, name string) (adminURL, appURL string, err error) {
	withDB := func(url string) (string, error) {
		c, err := pgx.ParseConfig(url)
		if err != nil {
			return "", err
		}
		c.Database = "postgres"
		conn, err := pgx.ConnectConfig(ctx, c)
		if err != nil {
			return "", fmt.Errorf("connect to Postgres: %w", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "drop database if exists "+pgx.Identifier{name}.Sanitize()+" with (force)"); err != nil {
			return "", err
		}
		return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", c.User, c.Host, c.Port, name), nil
	}
	adminURL, err = withDB(cfg.DatabaseAdminURL)
	if err != nil {
		return "", "", err
	}
	app, err := pgx.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return "", "", err
	}
	appURL = fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", app.User, app.Host, app.Port, name)
	if app.Password != "" {
		appURL = fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", app.User, app.Password, app.Host, app.Port, name)
	}
	if err := schema.Migrate(ctx, adminURL, appURL, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return "", "", err
	}
	return adminURL, appURL, nil
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
