package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

// slotDB is a fresh database with the demo clinics, the store on the
// services' role, and a superuser connection for fixtures and row counts.
type slotDB struct {
	t     *testing.T
	store *store.Store
	admin *pgx.Conn
}

func newSlotDB(t *testing.T) *slotDB {
	t.Helper()
	// Enough connections that contenders really run at once.
	return newSlotDBWithConns(t, 24)
}

// newSlotDBWithConns is newSlotDB with pools of conns connections.
func newSlotDBWithConns(t *testing.T, conns int) *slotDB {
	t.Helper()
	ctx := context.Background()
	db := testenv.NewDatabase(t)
	st, err := store.Open(ctx, db.AppURL+fmt.Sprintf("&pool_max_conns=%d", conns))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	_, err = st.SeedDemo(ctx, time.Now())
	require.NoError(t, err)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(context.Background()) })
	return &slotDB{t: t, store: st, admin: admin}
}

func callSID(i int) string { return fmt.Sprintf("CA%032x", i) }

var staffA = store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "staff"}

// demoSlots are clinic A's seeded slots, earliest first.
func (d *slotDB) demoSlots() []store.FreeSlot {
	d.t.Helper()
	rows, err := d.admin.Query(context.Background(), `select id, practitioner_id, lower(during), upper(during) from app.slots
		where clinic_id = $1 order by lower(during), practitioner_id`, store.DemoClinicA)
	require.NoError(d.t, err)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.FreeSlot, error) {
		var f store.FreeSlot
		return f, r.Scan(&f.SlotID, &f.PractitionerID, &f.StartsAt, &f.EndsAt)
	})
	require.NoError(d.t, err)
	require.NotEmpty(d.t, out)
	return out
}

func (d *slotDB) count(query string, args ...any) int {
	d.t.Helper()
	var n int
	require.NoError(d.t, d.admin.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func (d *slotDB) lock(call int, slot uuid.UUID, hold time.Duration) store.Hold {
	d.t.Helper()
	h, err := d.store.LockSlot(context.Background(), store.DemoOrgA, callSID(call), slot, hold)
	require.NoError(d.t, err)
	return h
}

func (d *slotDB) procedure(code string) uuid.UUID {
	d.t.Helper()
	p, err := d.store.ProcedureByCode(context.Background(), staffA, store.DemoClinicA, code)
	require.NoError(d.t, err)
	return p.ID
}

// contend runs n calls asking for one slot at the same moment and returns
// the answers.
func contend(t *testing.T, st *store.Store, slot uuid.UUID, n, round int) []store.Hold {
	t.Helper()
	out := make([]store.Hold, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i], errs[i] = st.LockSlot(context.Background(), store.DemoOrgA, callSID(round*1000+i), slot, time.Minute)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	return out
}

func TestLockSlotExactlyOneWinner(t *testing.T) {
	d := newSlotDB(t)
	slots := d.demoSlots()
	for _, tc := range []struct{ contenders, rounds int }{{5, 300}, {50, 30}} {
		t.Run(fmt.Sprintf("%d contenders", tc.contenders), func(t *testing.T) {
			for round := range tc.rounds {
				slot := slots[round%len(slots)].SlotID
				answers := contend(t, d.store, slot, tc.contenders, round)
				var winner store.Hold
				held, conflicts := 0, 0
				for _, h := range answers {
					switch h.Status {
					case store.HoldHeld:
						held++
						winner = h
					case store.HoldConflict:
						conflicts++
					default:
						t.Fatalf("round %d: unexpected status %q", round, h.Status)
					}
				}
				require.Equal(t, 1, held, "round %d: exactly one winner", round)
				require.Equal(t, tc.contenders-1, conflicts, "round %d", round)
				require.Equal(t, 1, d.count(`select count(*) from app.holds where slot_id = $1 and released_at is null`, slot))
				// Give the slot back for a later round.
				var owner string
				require.NoError(t, d.admin.QueryRow(context.Background(), `select call_sid from app.holds where id = $1`, winner.HoldID).Scan(&owner))
				status, err := d.store.ReleaseHold(context.Background(), store.DemoOrgA, owner, winner.HoldID)
				require.NoError(t, err)
				require.Equal(t, store.ReleaseReleased, status)
			}
		})
	}
}

func TestHoldExpiresMidFlight(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slot := d.demoSlots()[0].SlotID
	first := d.lock(1, slot, time.Second)
	require.Equal(t, store.HoldHeld, first.Status)
	require.Equal(t, store.HoldConflict, d.lock(2, slot, time.Minute).Status, "held for the first call")

	time.Sleep(1200 * time.Millisecond)
	// No sweeper ran: expiry is enforced by the functions themselves.
	second := d.lock(2, slot, time.Minute)
	require.Equal(t, store.HoldHeld, second.Status)

	b, err := d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(1), first.HoldID, d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, store.HoldExpired, b.Status, "an expired hold cannot be confirmed")
	require.Equal(t, 0, d.count(`select count(*) from app.bookings`))

	b, err = d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(2), second.HoldID, d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, store.BookingBooked, b.Status)
	// A retried confirm gives the same booking, not a second one.
	again, err := d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(2), second.HoldID, d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, b, again)
	require.Equal(t, 1, d.count(`select count(*) from app.bookings`))

	// Booked: nobody can hold it any more, not even after the hold's time.
	require.Equal(t, store.HoldConflict, d.lock(3, slot, time.Minute).Status)
}

func TestConfirmAfterExpiryFails(t *testing.T) {
	d := newSlotDB(t)
	slot := d.demoSlots()[0].SlotID
	h := d.lock(1, slot, time.Second)
	require.Equal(t, store.HoldHeld, h.Status)
	time.Sleep(1200 * time.Millisecond)
	b, err := d.store.ConfirmBooking(context.Background(), store.DemoOrgA, callSID(1), h.HoldID, d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, store.HoldExpired, b.Status)
	require.Equal(t, uuid.Nil, b.BookingID)
	require.Equal(t, 0, d.count(`select count(*) from app.bookings`))
}

func TestSameCallGetsItsHoldBack(t *testing.T) {
	d := newSlotDB(t)
	slots := d.demoSlots()
	first := d.lock(1, slots[0].SlotID, 30*time.Second)
	require.Equal(t, store.HoldHeld, first.Status)
	again := d.lock(1, slots[0].SlotID, 60*time.Second)
	require.Equal(t, store.HoldHeld, again.Status, "the same call asking again is not a conflict")
	require.Equal(t, first.HoldID, again.HoldID)
	require.True(t, again.ExpiresAt.After(first.ExpiresAt), "extended")

	// A call holds one slot: asking for another gives the first back.
	other := d.lock(1, slots[2].SlotID, time.Minute)
	require.Equal(t, store.HoldHeld, other.Status)
	require.NotEqual(t, first.HoldID, other.HoldID)
	require.Equal(t, store.HoldHeld, d.lock(2, slots[0].SlotID, time.Minute).Status)
}

func TestOverlappingSlotsOfOnePractitionerConflict(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slots := d.demoSlots()
	// A 60-minute slot over the practitioner's first two 30-minute ones.
	p := slots[0].PractitionerID
	var halves []store.FreeSlot
	for _, s := range slots {
		if s.PractitionerID == p && len(halves) < 4 {
			halves = append(halves, s)
		}
	}
	long := func(from store.FreeSlot) uuid.UUID {
		var id uuid.UUID
		require.NoError(t, d.store.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "admin"}, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `insert into app.slots (org_id, clinic_id, practitioner_id, during)
				values ($1, $2, $3, tstzrange($4, $5, '[)')) returning id`,
				store.DemoOrgA, store.DemoClinicA, p, from.StartsAt, from.StartsAt.Add(time.Hour)).Scan(&id)
		}))
		return id
	}
	long1, long2 := long(halves[0]), long(halves[2])

	// A hold on the short slot blocks the long one ...
	require.Equal(t, store.HoldHeld, d.lock(1, halves[1].SlotID, time.Minute).Status)
	require.Equal(t, store.HoldConflict, d.lock(2, long1, time.Minute).Status)
	// ... and a hold on the long one blocks both short ones.
	require.Equal(t, store.HoldHeld, d.lock(3, long2, time.Minute).Status)
	require.Equal(t, store.HoldConflict, d.lock(4, halves[2].SlotID, time.Minute).Status)
	require.Equal(t, store.HoldConflict, d.lock(4, halves[3].SlotID, time.Minute).Status)

	// Contention across the two lengths at once: exactly one wins, never a
	// deadlock (the practitioner row is locked first by everyone).
	d.store.ReleaseCallHolds(ctx, store.DemoOrgA, callSID(1))
	d.store.ReleaseCallHolds(ctx, store.DemoOrgA, callSID(3))
	for round := range 50 {
		targets := []uuid.UUID{halves[0].SlotID, halves[1].SlotID, long1}
		answers := make([]store.Hold, 9)
		errs := make([]error, len(answers))
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i], errs[i] = d.store.LockSlot(ctx, store.DemoOrgA, callSID(100+i), targets[i%3], time.Minute)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err, "round %d: no deadlock, no lock timeout", round)
		}
		held := 0
		for _, a := range answers {
			if a.Status == store.HoldHeld {
				held++
			}
		}
		// Either the long slot wins alone, or one caller per short slot.
		require.Contains(t, []int{1, 2}, held, "round %d", round)
		if held == 1 {
			require.Equal(t, 1, d.count(`select count(*) from app.holds where released_at is null and slot_id = $1`, long1), "round %d", round)
		}
		_, err := d.admin.Exec(ctx, `update app.holds set released_at = now(), release_reason = 'released' where released_at is null`)
		require.NoError(t, err)
	}
}

func TestReleaseFreesTheSlot(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slot := d.demoSlots()[0]
	day := slot.StartsAt
	h := d.lock(1, slot.SlotID, time.Minute)
	require.Equal(t, store.HoldHeld, h.Status)

	free, err := d.store.FreeSlots(ctx, staffA, store.DemoClinicA, day.In(london(t)), uuid.Nil)
	require.NoError(t, err)
	require.NotContains(t, slotIDs(free), slot.SlotID, "a held slot is not free")

	status, err := d.store.ReleaseHold(ctx, store.DemoOrgA, callSID(2), h.HoldID)
	require.NoError(t, err)
	require.Equal(t, store.BookingNotYours, status, "only the holder releases")
	status, err = d.store.ReleaseHold(ctx, store.DemoOrgA, callSID(1), h.HoldID)
	require.NoError(t, err)
	require.Equal(t, store.ReleaseReleased, status)
	status, err = d.store.ReleaseHold(ctx, store.DemoOrgA, callSID(1), h.HoldID)
	require.NoError(t, err)
	require.Equal(t, store.ReleaseNotHeld, status, "releasing twice is harmless")

	free, err = d.store.FreeSlots(ctx, staffA, store.DemoClinicA, day.In(london(t)), uuid.Nil)
	require.NoError(t, err)
	require.Contains(t, slotIDs(free), slot.SlotID)
	require.Equal(t, store.HoldHeld, d.lock(2, slot.SlotID, time.Minute).Status)
}

func TestSweeperMarksExpiredHolds(t *testing.T) {
	d := newSlotDB(t)
	slots := d.demoSlots()
	require.Equal(t, store.HoldHeld, d.lock(1, slots[0].SlotID, time.Second).Status)
	require.Equal(t, store.HoldHeld, d.lock(2, slots[1].SlotID, time.Second).Status)
	require.Equal(t, store.HoldHeld, d.lock(3, slots[2].SlotID, time.Minute).Status)
	// Org B's hold is swept too: the sweeper crosses tenants.
	var slotB uuid.UUID
	require.NoError(t, d.admin.QueryRow(context.Background(), `select id from app.slots where org_id = $1 limit 1`, store.DemoOrgB).Scan(&slotB))
	hb, err := d.store.LockSlot(context.Background(), store.DemoOrgB, callSID(4), slotB, time.Second)
	require.NoError(t, err)
	require.Equal(t, store.HoldHeld, hb.Status)

	time.Sleep(1200 * time.Millisecond)
	n, err := d.store.SweepExpiredHolds(context.Background())
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Equal(t, 3, d.count(`select count(*) from app.holds where release_reason = 'expired'`))
	require.Equal(t, 1, d.count(`select count(*) from app.holds where released_at is null`), "the live hold is untouched")
	n, err = d.store.SweepExpiredHolds(context.Background())
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestExclusionConstraintRejectsDoubleBooking(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slot := d.demoSlots()[0]
	proc := d.procedure("blood-test")
	insert := func(call int) error {
		return d.store.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "admin"}, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `insert into app.bookings (org_id, clinic_id, slot_id, practitioner_id, procedure_id, during, call_sid)
				select org_id, clinic_id, id, practitioner_id, $2, during, $3 from app.slots where id = $1`, slot.SlotID, proc, callSID(call))
			return err
		})
	}
	require.NoError(t, insert(1))
	err := insert(2)
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "%v", err)
	require.Equal(t, "23P01", pgErr.Code, "exclusion_violation")
	require.Equal(t, "bookings_no_overlap", pgErr.ConstraintName)
	require.Equal(t, 1, d.count(`select count(*) from app.bookings`))
	// And lock_slot sees the booking.
	require.Equal(t, store.HoldConflict, d.lock(3, slot.SlotID, time.Minute).Status)
}

func TestSlotBadInput(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slot := d.demoSlots()[0].SlotID
	var slotB uuid.UUID
	require.NoError(t, d.admin.QueryRow(ctx, `select id from app.slots where org_id = $1 limit 1`, store.DemoOrgB).Scan(&slotB))

	require.Equal(t, store.HoldNotFound, d.lock(1, uuid.New(), time.Minute).Status, "unknown slot")
	require.Equal(t, store.HoldNotFound, d.lock(1, slotB, time.Minute).Status, "another org's slot is invisible (row-level security)")

	for _, hold := range []time.Duration{-time.Second, 0, 500 * time.Millisecond, 901 * time.Second, 100 * time.Hour} {
		_, err := d.store.LockSlot(ctx, store.DemoOrgA, callSID(1), slot, hold)
		requireSQLState(t, err, "22023")
		require.Contains(t, err.Error(), "hold_seconds")
	}
	_, err := d.store.LockSlot(ctx, store.DemoOrgA, "not-a-call", slot, time.Minute)
	requireSQLState(t, err, "22023")
	require.Zero(t, d.count(`select count(*) from app.holds`), "nothing written")

	h := d.lock(1, slot, time.Minute)
	require.Equal(t, store.HoldHeld, h.Status)
	b, err := d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(2), h.HoldID, d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, store.BookingNotYours, b.Status, "a hold_id that is not this call's")
	b, err = d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(1), uuid.New(), d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, store.HoldNotFound, b.Status)
	b, err = d.store.ConfirmBooking(ctx, store.DemoOrgB, callSID(1), h.HoldID, d.procedure("blood-test"))
	require.NoError(t, err)
	require.Equal(t, store.HoldNotFound, b.Status, "another org cannot see the hold")
	b, err = d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(1), h.HoldID, uuid.New())
	require.NoError(t, err)
	require.Equal(t, store.HoldNotFound, b.Status, "unknown procedure")
	_, err = d.store.ConfirmBooking(ctx, store.DemoOrgA, callSID(1), h.HoldID, d.procedure("colonoscopy"))
	requireSQLState(t, err, "22023") // 45 minutes do not fit a 30-minute slot
	status, err := d.store.ReleaseHold(ctx, store.DemoOrgB, callSID(1), h.HoldID)
	require.NoError(t, err)
	require.Equal(t, store.HoldNotFound, status)
	require.Zero(t, d.count(`select count(*) from app.bookings`), "nothing booked")
	require.Equal(t, 1, d.count(`select count(*) from app.holds where released_at is null`), "the hold is untouched")
}

func TestPastAndBlockedSlots(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slots := d.demoSlots()
	var past uuid.UUID
	require.NoError(t, d.store.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "admin"}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `update app.slots set blocked = true where id = $1`, slots[1].SlotID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `insert into app.slots (org_id, clinic_id, practitioner_id, during)
			values ($1, $2, $3, tstzrange(now() - interval '1 hour', now() - interval '30 minutes', '[)')) returning id`,
			store.DemoOrgA, store.DemoClinicA, slots[0].PractitionerID).Scan(&past)
	}))
	require.Equal(t, store.HoldExpired, d.lock(1, past, time.Minute).Status)
	require.Equal(t, store.HoldConflict, d.lock(1, slots[1].SlotID, time.Minute).Status, "blocked")
	require.Zero(t, d.count(`select count(*) from app.holds`))
}

func TestFreeSlotsAndAlternatives(t *testing.T) {
	d := newSlotDB(t)
	ctx := context.Background()
	slots := d.demoSlots()
	asked := slots[4]
	require.Equal(t, store.HoldHeld, d.lock(1, asked.SlotID, time.Minute).Status)
	alts, err := d.store.NearestAlternatives(ctx, store.CallClaims(store.DemoOrgA, callSID(2)), asked.SlotID, d.procedure("mri-knee"), 3)
	require.NoError(t, err)
	require.Len(t, alts, 3)
	for i, a := range alts {
		require.NotEqual(t, asked.SlotID, a.SlotID)
		require.LessOrEqual(t, absDur(a.StartsAt.Sub(asked.StartsAt)), time.Hour, "nearest first: %d", i)
		if i > 0 {
			require.LessOrEqual(t, absDur(alts[i-1].StartsAt.Sub(asked.StartsAt)), absDur(a.StartsAt.Sub(asked.StartsAt)))
		}
	}
	// Nothing in the demo is 45 minutes long.
	alts, err = d.store.NearestAlternatives(ctx, staffA, asked.SlotID, d.procedure("colonoscopy"), 3)
	require.NoError(t, err)
	require.Empty(t, alts)
	// Another org's clinic lists nothing.
	free, err := d.store.FreeSlots(ctx, store.Claims{OrgID: store.DemoOrgB, Sub: "test", Role: "staff"}, store.DemoClinicA, asked.StartsAt.In(london(t)), uuid.Nil)
	require.NoError(t, err)
	require.Empty(t, free)
	free, err = d.store.FreeSlots(ctx, staffA, store.DemoClinicA, asked.StartsAt.In(london(t)), d.procedure("blood-test"))
	require.NoError(t, err)
	require.Len(t, free, 2*16-1, "two practitioners, sixteen slots a day, one held")
}

func requireSQLState(t *testing.T, err error, code string) {
	t.Helper()
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "want SQLSTATE %s, got %v", code, err)
	require.Equal(t, code, pgErr.Code, pgErr.Message)
}

func slotIDs(fs []store.FreeSlot) []uuid.UUID {
	var out []uuid.UUID
	for _, f := range fs {
		out = append(out, f.SlotID)
	}
	return out
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	return loc
}

// TestSlotPathDoesNotQueueBehindBackgroundWork: with every connection of
// the main pool taken (as turns queued on their org's audit chain take
// them at 50 concurrent calls), a caller's hold, booking and slot list
// still go through at once on the slot path's own pool.
func TestSlotPathDoesNotQueueBehindBackgroundWork(t *testing.T) {
	ctx := context.Background()
	st := newSlotDBWithConns(t, 1).store
	proc, err := st.ProcedureByCode(ctx, staffA, store.DemoClinicA, "blood-test")
	require.NoError(t, err)

	busy, err := st.Pool().Acquire(ctx)
	require.NoError(t, err)
	defer busy.Release()
	// Background work now waits for the only connection...
	waitCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = st.Procedures(waitCtx, staffA, store.DemoClinicA)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the main pool should be exhausted")

	// ...and the slot path does not.
	lineCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var free []store.FreeSlot
	for day := 1; day <= 7 && len(free) == 0; day++ {
		free, err = st.FreeSlots(lineCtx, store.CallClaims(store.DemoOrgA, callSID(1)), store.DemoClinicA, time.Now().AddDate(0, 0, day), proc.ID)
		require.NoError(t, err)
	}
	require.NotEmpty(t, free, "no free slot in the seeded week")
	h, err := st.LockSlot(lineCtx, store.DemoOrgA, callSID(1), free[0].SlotID, time.Minute)
	require.NoError(t, err)
	require.Equal(t, store.HoldHeld, h.Status)
	b, err := st.ConfirmBooking(lineCtx, store.DemoOrgA, callSID(1), h.HoldID, proc.ID)
	require.NoError(t, err)
	require.Equal(t, store.BookingBooked, b.Status)
}
