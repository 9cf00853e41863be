package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/latency"
	"github.com/frontdesk/frontdesk/schema"
	"github.com/frontdesk/frontdesk/store"
)

// Tenancy measures what row-level security costs on the hot queries:
// the free slots of a day and a call's bookings, on a million slots across
// 1,000 orgs, through the store's tenant transactions (RLS) against the
// same queries as a superuser that bypasses RLS, in the same transaction
// shape.
func Tenancy(ctx context.Context, args []string) error {
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

	// Each query three ways: through the store's tenant transaction (RLS
	// adds the org predicate), the same SQL as a superuser (RLS bypassed,
	// no org predicate at all), and the SQL an application without RLS
	// would have to write, with the org filter by hand. The overhead is RLS
	// against the last.
	// The free-slot query is app.open_slots' body (migration 00006) written
	// inline with the day's bounds as parameters, as app.free_slots passes
	// them: through the function, Postgres re-plans the body on every call,
	// which would measure planning rather than row-level security.
	// orgFilter adds what an application without RLS must write by hand.
	freeSlotsSQL := func(orgFilter bool) string {
		org := ""
		if orgFilter {
			org = "s.org_id = $5 and "
		}
		return `
		select count(*) from app.slots s
		where ` + org + `s.clinic_id = $1 and not s.blocked and s.starts_at > now()
		  and s.starts_at >= $2 and s.starts_at < $3
		  and s.ends_at - s.starts_at >= make_interval(mins => $4)
		  and not exists (select from app.holds h where h.org_id = s.org_id and h.practitioner_id = s.practitioner_id
		                  and h.starts_at < s.ends_at and s.starts_at < h.ends_at and h.released_at is null and h.expires_at > now())
		  and not exists (select from app.bookings b where b.org_id = s.org_id and b.practitioner_id = s.practitioner_id
		                  and b.starts_at < s.ends_at and s.starts_at < b.ends_at and b.cancelled_at is null)`
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return err
	}
	dayBounds := func(p probe) (time.Time, time.Time) {
		d := time.Date(p.day.Year(), p.day.Month(), p.day.Day(), 0, 0, 0, 0, london)
		return d, d.AddDate(0, 0, 1)
	}
	const freeSlotsFunctionSQL = `select count(*) from app.free_slots($1, $2::date, $3)`
	const bookingsSQL = `select count(*) from (select id, during from app.bookings where call_sid = $1) b`
	const bookingsFilteredSQL = `select count(*) from (select id, during from app.bookings where org_id = $2 and call_sid = $1) b`
	type kind struct {
		name              string
		rls, same, byHand func(tx pgx.Tx, p probe) error
	}
	scan := func(tx pgx.Tx, sql string, args ...any) error {
		var n int
		return tx.QueryRow(ctx, sql, args...).Scan(&n)
	}
	freeSlots := func(tx pgx.Tx, p probe) error {
		from, to := dayBounds(p)
		return scan(tx, freeSlotsSQL(false), p.clinic, from, to, 30)
	}
	bookings := func(tx pgx.Tx, p probe) error { return scan(tx, bookingsSQL, p.callSID) }
	kinds := []kind{
		{"free_slots_of_a_day", freeSlots, freeSlots, func(tx pgx.Tx, p probe) error {
			from, to := dayBounds(p)
			return scan(tx, freeSlotsSQL(true), p.clinic, from, to, 30, p.org)
		}},
		// The path the agent takes, through app.free_slots, for reference.
		{"free_slots_function", func(tx pgx.Tx, p probe) error {
			return scan(tx, freeSlotsFunctionSQL, p.clinic, p.day.Format(time.DateOnly), p.proc)
		}, nil, nil},
		{"bookings_of_a_call", bookings, bookings, func(tx pgx.Tx, p probe) error {
			return scan(tx, bookingsFilteredSQL, p.callSID, p.org)
		}},
	}
	modes := []string{"rls_ms", "owner_org_filter_ms", "owner_same_sql_ms", "rls_org_filter_ms"}
	results := map[string]map[string]latency.Summary{}
	ratios, ratiosFiltered := map[string]float64{}, map[string]float64{}
	for _, k := range kinds {
		samples := make([][]time.Duration, len(modes))
		// Interleave the modes so drift on a shared machine hits all three.
		for i := 0; i < *iterations+200; i++ {
			p := probes[rand.IntN(len(probes))]
			runs := []func() error{
				func() error {
					return st.InTenant(ctx, store.Claims{OrgID: p.org, Sub: "bench", Role: "staff"}, func(tx pgx.Tx) error { return k.rls(tx, p) })
				},
				func() error { return pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error { return k.byHand(tx, p) }) },
				func() error { return pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error { return k.same(tx, p) }) },
				// RLS and the org filter by hand as well: the policy still
				// guards, and the planner sees the org as a value it can
				// estimate with instead of an InitPlan parameter.
				func() error {
					return st.InTenant(ctx, store.Claims{OrgID: p.org, Sub: "bench", Role: "staff"}, func(tx pgx.Tx) error { return k.byHand(tx, p) })
				},
			}
			for m, run := range runs {
				if m > 0 && k.byHand == nil {
					continue
				}
				if m == 2 && i%10 != 0 {
					// Without any org predicate this one scans the whole
					// table: a tenth of the samples tell the story.
					continue
				}
				t0 := time.Now()
				if err := run(); err != nil {
					return fmt.Errorf("%s %s: %w", k.name, modes[m], err)
				}
				if i >= 200 { // warm-up
					samples[m] = append(samples[m], time.Since(t0))
				}
			}
		}
		results[k.name] = map[string]latency.Summary{}
		for m, mode := range modes {
			if len(samples[m]) > 0 {
				results[k.name][mode] = latency.Summarize(samples[m])
			}
		}
		if k.byHand != nil {
			base := results[k.name]["owner_org_filter_ms"].P50
			ratios[k.name] = round2(results[k.name]["rls_ms"].P50 / base)
			ratiosFiltered[k.name] = round2(results[k.name]["rls_org_filter_ms"].P50 / base)
		}
		progress("%s done", k.name)
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{
			"orgs": *orgs, "slots": *orgs * *slotsPerOrg, "iterations": *iterations,
			"queries": results, "overhead_ratio_p50": ratios, "overhead_ratio_with_org_filter_p50": ratiosFiltered,
		})
	}
	fmt.Printf("\nRLS overhead on %d slots across %d orgs (%d queries each; each a whole transaction)\n\n", *orgs**slotsPerOrg, *orgs, *iterations)
	fmt.Printf("%-20s %-26s %8s %8s %8s %8s\n", "query", "mode", "p50 ms", "p95 ms", "p99 ms", "max ms")
	labels := map[string]string{"rls_ms": "RLS (tenant transaction)", "owner_org_filter_ms": "superuser, org filter", "owner_same_sql_ms": "superuser, same SQL", "rls_org_filter_ms": "RLS + org filter"}
	for _, k := range kinds {
		for _, mode := range modes {
			s, ok := results[k.name][mode]
			if !ok {
				continue
			}
			fmt.Printf("%-20s %-26s %8.3f %8.3f %8.3f %8.3f\n", k.name, labels[mode], s.P50, s.P95, s.P99, s.Max)
		}
		if r, ok := ratios[k.name]; ok {
			fmt.Printf("%-20s RLS / org filter by hand: ×%.2f at p50; RLS + org filter / org filter: ×%.2f\n", "", r, ratiosFiltered[k.name])
		}
	}
	return nil
}

// loadTenancyData writes the bench's tenants in bulk as the superuser.
func loadTenancyData(ctx context.Context, admin *pgxpool.Pool, orgs, slotsPerOrg int) error {
	perPractitioner := slotsPerOrg / 2
	for _, stmt := range []string{
		`insert into app.orgs (id, name) select gen_random_uuid(), 'org ' || g from generate_series(1, $1::int) g`,
		`insert into app.clinics (org_id, name, phone_number) select id, name, '+44163296' || lpad((row_number() over ())::text, 4, '0') from app.orgs`,
		`insert into app.procedures (org_id, clinic_id, code, name, duration_minutes) select org_id, id, 'consult', 'Consultation', 30 from app.clinics`,
		`insert into app.practitioners (org_id, clinic_id, name) select org_id, id, 'Dr ' || p from app.clinics, generate_series(1, 2) p`,
	} {
		var args []any
		if strings.Contains(stmt, "$1") {
			args = append(args, orgs)
		}
		if _, err := admin.Exec(ctx, stmt, args...); err != nil {
			return fmt.Errorf("load orgs: %w", err)
		}
	}
	// Slots: 30-minute slots, 16 a day, from tomorrow on, per practitioner.
	_, err := admin.Exec(ctx, `
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
