package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/latency"
	"github.com/frontdesk/frontdesk/store"
)

// contentionLevels are the numbers of callers asking at the same moment.
var contentionLevels = []int{5, 50, 500}

// slotBenchResult is `bench slots --json`.
type slotBenchResult struct {
	// LockMs is app.lock_slot's own latency (the statement, inside the
	// tenant transaction), contenders on ONE slot, per contention level.
	LockMs map[string]latency.Summary `json:"lock_ms"`
	// SpreadLockMs is the same with every contender on a slot of its own.
	SpreadLockMs map[string]latency.Summary `json:"spread_lock_ms"`
	// QueueMs is the wait for a pooled connection and BEGIN before the lock
	// call, on one slot: with more contenders than connections, they queue
	// in the pool rather than in Postgres.
	QueueMs map[string]latency.Summary `json:"queue_ms"`
	// Rounds counts the one-slot rounds over all levels; BadRounds those
	// whose number of winners was not exactly one.
	Rounds           int            `json:"rounds"`
	BadRounds        int            `json:"bad_rounds"`
	BadRoundsByLevel map[string]int `json:"bad_rounds_by_contenders"`
	SpreadBadRounds  int            `json:"spread_bad_rounds"`
	Errors           int            `json:"errors"`
	// Naive: check-then-insert with no lock and no constraint, 5 callers.
	NaiveRounds    int `json:"naive_rounds"`
	NaiveBadRounds int `json:"naive_bad_rounds"`
	// RoundsPerSec is one-slot rounds per second over all levels.
	RoundsPerSec        float64            `json:"rounds_per_sec"`
	RoundsPerSecByLevel map[string]float64 `json:"rounds_per_sec_by_contenders"`
	PoolMaxConns        int                `json:"pool_max_conns"`
	HoldSeconds         int                `json:"hold_seconds"`
	SpreadPractitioners int                `json:"spread_practitioners"`
}

// naiveContenders is the field notes' measurement: five callers, one slot.
const naiveContenders = 5

// Slots measures app.lock_slot under contention on a fresh database,
// through the store's tenant transactions (row-level security on), and
// shows beside it the double bookings of a naive check-then-insert.
func Slots(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench slots", flag.ContinueOnError)
	rounds := fs.Int("rounds", 200, "rounds per contention level")
	poolSize := fs.Int("pool", 20, "pgx pool size (max connections) shared by all contenders")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rounds < 1 || *poolSize < 1 {
		return errors.New("--rounds and --pool must be positive")
	}
	progress := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "▸ "+format+"\n", a...) }
	cfg := config.FromEnv()
	progress("creating and migrating a fresh database frontdesk_bench")
	adminURL, appURL, err := freshBenchDatabase(ctx, cfg, "frontdesk_bench")
	if err != nil {
		return err
	}
	admin, err := pgxpool.New(ctx, adminURL+"&pool_max_conns=8")
	if err != nil {
		return err
	}
	defer admin.Close()
	maxLevel := contentionLevels[len(contentionLevels)-1]
	fx, err := loadSlotBenchData(ctx, admin, maxLevel)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, appURL+"&pool_max_conns="+strconv.Itoa(*poolSize))
	if err != nil {
		return err
	}
	defer st.Close()

	res := slotBenchResult{
		LockMs: map[string]latency.Summary{}, SpreadLockMs: map[string]latency.Summary{}, QueueMs: map[string]latency.Summary{},
		RoundsPerSecByLevel: map[string]float64{}, BadRoundsByLevel: map[string]int{}, PoolMaxConns: *poolSize, HoldSeconds: 60, SpreadPractitioners: maxLevel,
	}
	b := &slotBench{st: st, admin: admin, fx: fx}
	// Warm the pool's connections (and their plan caches) unmeasured.
	for range 3 {
		if _, err := b.round(ctx, fx.spread[:*poolSize]); err != nil {
			return err
		}
	}
	var totalRounds int
	var totalTime time.Duration
	for _, n := range contentionLevels {
		key := strconv.Itoa(n)
		for _, spread := range []bool{false, true} {
			var locks, queues []time.Duration
			var elapsed time.Duration
			bad := 0
			for r := range *rounds {
				targets := make([]uuid.UUID, n)
				for i := range targets {
					targets[i] = fx.contended
					if spread {
						targets[i] = fx.spread[i]
					}
				}
				out, err := b.round(ctx, targets)
				if err != nil {
					return err
				}
				elapsed += out.elapsed
				locks = append(locks, out.locks...)
				queues = append(queues, out.queues...)
				res.Errors += out.errors
				if (!spread && out.winners != 1) || (spread && out.winners != n) {
					bad++
				}
				if (r+1)%50 == 0 || r+1 == *rounds {
					progress("%3d contenders, %-8s round %d/%d (%d bad)", n, map[bool]string{false: "one slot", true: "spread"}[spread], r+1, *rounds, bad)
				}
			}
			if spread {
				res.SpreadLockMs[key] = latency.Summarize(locks)
				res.SpreadBadRounds += bad
				continue
			}
			res.LockMs[key] = latency.Summarize(locks)
			res.QueueMs[key] = latency.Summarize(queues)
			res.BadRounds += bad
			res.BadRoundsByLevel[key] = bad
			res.Rounds += *rounds
			res.RoundsPerSecByLevel[key] = round2(float64(*rounds) / elapsed.Seconds())
			totalRounds += *rounds
			totalTime += elapsed
		}
	}
	res.RoundsPerSec = round2(float64(totalRounds) / totalTime.Seconds())

	progress("naive check-then-insert, %d contenders, %d rounds", naiveContenders, *rounds)
	res.NaiveRounds = *rounds
	if res.NaiveBadRounds, err = naiveRounds(ctx, admin, naiveContenders, *rounds); err != nil {
		return err
	}

	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		return enc.Encode(res)
	}
	printSlotBench(res, *rounds)
	return nil
}

type slotFixtures struct {
	org       uuid.UUID
	contended uuid.UUID
	spread    []uuid.UUID
}

// loadSlotBenchData writes one org and clinic, one contended slot, and one
// practitioner with a slot of its own per spread contender (so spread
// contenders never share the practitioner row lock_slot serialises on).
func loadSlotBenchData(ctx context.Context, admin *pgxpool.Pool, spread int) (slotFixtures, error) {
	fx := slotFixtures{org: uuid.New()}
	clinic := uuid.New()
	steps := []struct {
		sql  string
		args []any
	}{
		{`insert into app.orgs (id, name) values ($1, 'Bench Health')`, []any{fx.org}},
		{`insert into app.clinics (id, org_id, name, phone_number) values ($1, $2, 'Bench Clinic', '+441632960999')`, []any{clinic, fx.org}},
		{`insert into app.practitioners (org_id, clinic_id, name) select $1, $2, 'Dr ' || g from generate_series(0, $3::int) g`, []any{fx.org, clinic, spread}},
		{`insert into app.slots (org_id, clinic_id, practitioner_id, during)
		  select org_id, clinic_id, id, tstzrange(date_trunc('day', now()) + interval '1 day 10 hours',
		                                          date_trunc('day', now()) + interval '1 day 10 hours 30 minutes', '[)')
		  from app.practitioners`, nil},
	}
	for _, st := range steps {
		if _, err := admin.Exec(ctx, st.sql, st.args...); err != nil {
			return fx, fmt.Errorf("load bench data: %w", err)
		}
	}
	rows, err := admin.Query(ctx, `select s.id from app.slots s join app.practitioners p on p.id = s.practitioner_id order by p.name = 'Dr 0' desc, s.id`)
	if err != nil {
		return fx, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return fx, err
	}
	fx.contended, fx.spread = ids[0], ids[1:]
	_, err = admin.Exec(ctx, `analyze`)
	return fx, err
}

type slotBench struct {
	st    *store.Store
	admin *pgxpool.Pool
	fx    slotFixtures
	calls atomic.Int64
}

type roundResult struct {
	winners, errors int
	locks, queues   []time.Duration
	elapsed         time.Duration
}

// round lets one caller per target ask at the same moment, then gives every
// hold back (unmeasured) for the next round.
func (b *slotBench) round(ctx context.Context, targets []uuid.UUID) (roundResult, error) {
	n := len(targets)
	locks, queues := make([]time.Duration, n), make([]time.Duration, n)
	held, failed := make([]bool, n), make([]bool, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, slot := range targets {
		sid := fmt.Sprintf("CA%032x", b.calls.Add(1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			asked := time.Now()
			err := b.st.InTenant(ctx, store.CallClaims(b.fx.org, sid), func(tx pgx.Tx) error {
				began := time.Now()
				queues[i] = began.Sub(asked)
				var status string
				err := tx.QueryRow(ctx, `select status from app.lock_slot($1, $2, 60)`, slot, sid).Scan(&status)
				locks[i] = time.Since(began)
				held[i] = status == store.HoldHeld
				return err
			})
			failed[i] = err != nil
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	out := roundResult{elapsed: time.Since(t0), locks: locks, queues: queues}
	for i := range n {
		if held[i] {
			out.winners++
		}
		if failed[i] {
			out.errors++
		}
	}
	_, err := b.admin.Exec(ctx, `update app.holds set released_at = now(), release_reason = 'released' where released_at is null`)
	return out, err
}

// naiveRounds is what lock_slot prevents: each caller checks for a hold,
// then inserts one, with no lock and no constraint, in a scratch table.
// It returns the rounds whose number of winners was not exactly one.
func naiveRounds(ctx context.Context, admin *pgxpool.Pool, contenders, rounds int) (int, error) {
	if _, err := admin.Exec(ctx, `create table public.naive_holds (slot int not null, call_sid text not null)`); err != nil {
		return 0, err
	}
	bad := 0
	for r := range rounds {
		var wg sync.WaitGroup
		var winners atomic.Int32
		var firstErr atomic.Value
		start := make(chan struct{})
		for i := range contenders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var taken bool
				if err := admin.QueryRow(ctx, `select exists (select from public.naive_holds where slot = $1)`, r).Scan(&taken); err != nil {
					firstErr.Store(err)
					return
				}
				if taken {
					return
				}
				if _, err := admin.Exec(ctx, `insert into public.naive_holds (slot, call_sid) values ($1, $2)`, r, fmt.Sprintf("CA%032x", i)); err != nil {
					firstErr.Store(err)
					return
				}
				winners.Add(1)
			}()
		}
		close(start)
		wg.Wait()
		if err, ok := firstErr.Load().(error); ok {
			return 0, err
		}
		if winners.Load() != 1 {
			bad++
		}
	}
	return bad, nil
}

func printSlotBench(r slotBenchResult, rounds int) {
	fmt.Printf("bench slots: app.lock_slot through tenant transactions (RLS on), %d rounds per level, pool of %d connections\n\n", rounds, r.PoolMaxConns)
	fmt.Printf("%-11s %-9s %9s %9s %9s %9s   %9s %9s %9s %6s\n", "contenders", "target", "p50 ms", "p95 ms", "p99 ms", "max ms", "queue p50", "queue p99", "rounds/s", "bad")
	for _, n := range contentionLevels {
		key := strconv.Itoa(n)
		l, q := r.LockMs[key], r.QueueMs[key]
		fmt.Printf("%-11d %-9s %9.3f %9.3f %9.3f %9.3f   %9.3f %9.3f %9.1f %6d\n", n, "one slot", l.P50, l.P95, l.P99, l.Max, q.P50, q.P99, r.RoundsPerSecByLevel[key], r.BadRoundsByLevel[key])
		s := r.SpreadLockMs[key]
		fmt.Printf("%-11d %-9s %9.3f %9.3f %9.3f %9.3f\n", n, "spread", s.P50, s.P95, s.P99, s.Max)
	}
	fmt.Printf("\nrounds %d, bad_rounds %d (a winner count other than 1), spread rounds with a loser %d, errors %d, %.1f rounds/s\n",
		r.Rounds, r.BadRounds, r.SpreadBadRounds, r.Errors, r.RoundsPerSec)
	fmt.Printf("naive check-then-insert (no lock, no constraint), %d contenders: %d of %d rounds did not have exactly one winner\n",
		naiveContenders, r.NaiveBadRounds, r.NaiveRounds)
	fmt.Println("lock: the lock_slot statement itself, including its wait for the practitioner's lock; queue: waiting for a pooled connection and BEGIN")
}
