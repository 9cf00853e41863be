package api_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/converter"

	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
)

var staffA = store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "staff"}

// answer starts a call through the signed webhooks and connects the caller.
func (s *system) answer(callSID string) {
	s.t.Helper()
	code, body := s.post("/twilio/voice", testToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(s.t, http.StatusOK, code, body)
	code, body = s.post("/twilio/status", testToken, statusForm(callSID, "in-progress", 0))
	require.Equal(s.t, http.StatusNoContent, code, body)
}

// hangUp ends the call and waits for its workflow's result.
func (s *system) hangUp(callSID string) contract.CallState {
	s.t.Helper()
	code, body := s.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(s.t, http.StatusNoContent, code, body)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var final contract.CallState
	require.NoError(s.t, s.temporal.GetWorkflow(ctx, contract.CallSessionID(callSID), "").Get(ctx, &final))
	return final
}

// searchAttributes reads a closed call's search attributes as Temporal
// indexed them.
func (s *system) searchAttributes(callSID string) (outcome string, booked bool) {
	s.t.Helper()
	desc, err := s.temporal.DescribeWorkflowExecution(context.Background(), contract.CallSessionID(callSID), "")
	require.NoError(s.t, err)
	sa := desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()
	dc := converter.GetDefaultDataConverter()
	require.NoError(s.t, dc.FromPayload(sa["Outcome"], &outcome))
	require.NoError(s.t, dc.FromPayload(sa["BookingConfirmed"], &booked))
	return outcome, booked
}

// freeSlot returns a free slot of clinic A on the first seeded day.
func (s *system) freeSlots() []store.FreeSlot {
	s.t.Helper()
	free, err := s.store.FreeSlots(context.Background(), staffA, store.DemoClinicA, firstSeededDay(), uuid.Nil)
	require.NoError(s.t, err)
	require.NotEmpty(s.t, free)
	return free
}

func (s *system) procedure(code string) string {
	s.t.Helper()
	p, err := s.store.ProcedureByCode(context.Background(), staffA, store.DemoClinicA, code)
	require.NoError(s.t, err)
	return p.ID.String()
}

func firstSeededDay() time.Time {
	loc, _ := time.LoadLocation("Europe/London")
	d := time.Now().In(loc)
	for {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			return d
		}
	}
}

func containsSlot(fs []store.FreeSlot, id string) bool {
	for _, f := range fs {
		if f.SlotID.String() == id {
			return true
		}
	}
	return false
}

func TestFiveCallsContendForOneSlotThroughTemporal(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	calls := starter.Calls{Client: s.temporal}
	sids := make([]string, 5)
	for i := range sids {
		sids[i] = fmt.Sprintf("CA%032x", 0xb00c0+i)
		s.answer(sids[i])
	}
	slot := s.freeSlots()[5].SlotID.String()
	proc := s.procedure("blood-test")

	results := make([]contract.HoldSlotResult, len(sids))
	errs := make([]error, len(sids))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, sid := range sids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = calls.HoldSlot(ctx, sid, "t3", contract.HoldSlotRequest{SlotID: slot, HoldSeconds: 120, ProcedureID: proc})
		}()
	}
	close(start)
	wg.Wait()
	winner, losers := -1, []int{}
	for i := range sids {
		require.NoError(t, errs[i])
		switch results[i].Status {
		case "held":
			require.Equal(t, -1, winner, "a second winner: %+v", results)
			winner = i
		case "conflict":
			require.NotEmpty(t, results[i].Alternatives, "a loser hears another offer at once")
			for _, alt := range results[i].Alternatives {
				require.NotEqual(t, slot, alt.SlotID)
			}
			losers = append(losers, i)
		default:
			t.Fatalf("call %d: unexpected %+v", i, results[i])
		}
	}
	require.NotEqual(t, -1, winner, "exactly one winner")
	require.Len(t, losers, 4)

	// The winner's hold is visible in its state; a loser cannot confirm it
	// (the validator refuses before anything reaches history).
	st, err := calls.State(ctx, sids[winner])
	require.NoError(t, err)
	require.Equal(t, results[winner].HoldID, st.Hold.HoldID)
	_, err = calls.ConfirmBooking(ctx, sids[losers[0]], "t4", contract.ConfirmBookingRequest{HoldID: results[winner].HoldID, ProcedureID: proc})
	require.ErrorIs(t, err, starter.ErrUpdateRejected)

	booked, err := calls.ConfirmBooking(ctx, sids[winner], "t5", contract.ConfirmBookingRequest{HoldID: results[winner].HoldID, ProcedureID: proc})
	require.NoError(t, err)
	require.Equal(t, "booked", booked.Status)
	require.NotEmpty(t, booked.BookingID)

	// One loser takes the first alternative, then hangs up without booking.
	alt := results[losers[0]].Alternatives[0].SlotID
	altHold, err := calls.HoldSlot(ctx, sids[losers[0]], "t6", contract.HoldSlotRequest{SlotID: alt, HoldSeconds: 300})
	require.NoError(t, err)
	require.Equal(t, "held", altHold.Status)
	require.False(t, containsSlot(s.freeSlots(), alt), "held, so not free")

	final := s.hangUp(sids[winner])
	require.Equal(t, contract.OutcomeBooked, final.Outcome)
	require.Equal(t, booked.BookingID, final.BookingID)
	outcome, confirmed := s.searchAttributes(sids[winner])
	require.Equal(t, "booked", outcome)
	require.True(t, confirmed)
	rec, err := s.store.GetCall(ctx, staffA, sids[winner])
	require.NoError(t, err)
	require.Equal(t, "booked", rec.Outcome)

	for _, i := range losers {
		final := s.hangUp(sids[i])
		require.Equal(t, contract.OutcomeCompleted, final.Outcome)
		require.Nil(t, final.Hold)
		outcome, confirmed := s.searchAttributes(sids[i])
		require.Equal(t, "completed", outcome)
		require.False(t, confirmed)
	}
	// The unbooked call's hold was given back when it ended, long before its
	// five minutes were up; the booked slot stays taken.
	free := s.freeSlots()
	require.True(t, containsSlot(free, alt), "released when the call ended")
	require.False(t, containsSlot(free, slot), "booked")
}

func TestBookingUpdatesRefuseBadInput(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	calls := starter.Calls{Client: s.temporal}
	sid := "CA" + fmt.Sprintf("%032x", 0xbad)
	s.answer(sid)
	slot := s.freeSlots()[0].SlotID.String()
	proc := s.procedure("blood-test")

	for i, req := range []contract.HoldSlotRequest{
		{SlotID: "tuesday at 10"},
		{SlotID: slot, HoldSeconds: -1},
		{SlotID: slot, HoldSeconds: 100000},
	} {
		_, err := calls.HoldSlot(ctx, sid, "bad-"+strconv.Itoa(i), req)
		require.ErrorIs(t, err, starter.ErrUpdateRejected, "%+v", req)
	}
	_, err := calls.ConfirmBooking(ctx, sid, "t7", contract.ConfirmBookingRequest{HoldID: uuid.NewString(), ProcedureID: proc})
	require.ErrorIs(t, err, starter.ErrUpdateRejected, "confirm without a hold")

	// Well-formed but unknown, or another org's: not_found, through row-level
	// security.
	res, err := calls.HoldSlot(ctx, sid, "t8", contract.HoldSlotRequest{SlotID: uuid.NewString()})
	require.NoError(t, err)
	require.Equal(t, "not_found", res.Status)
	slotsB, err := s.store.FreeSlots(ctx, store.Claims{OrgID: store.DemoOrgB, Sub: "test", Role: "staff"}, store.DemoClinicB, firstSeededDay(), uuid.Nil)
	require.NoError(t, err)
	res, err = calls.HoldSlot(ctx, sid, "t9", contract.HoldSlotRequest{SlotID: slotsB[0].SlotID.String()})
	require.NoError(t, err)
	require.Equal(t, "not_found", res.Status)

	// Nothing written: no hold in either org, and only the two accepted
	// updates in the call's history.
	for _, c := range []store.Claims{staffA, {OrgID: store.DemoOrgB, Sub: "test", Role: "staff"}} {
		var n int
		require.NoError(t, s.store.InTenant(ctx, c, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select count(*) from app.holds`).Scan(&n)
		}))
		require.Zero(t, n)
	}
	s.hangUp(sid)
	require.Equal(t, 2, countEvents(t, s, sid, enums.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED))

	_, err = calls.HoldSlot(ctx, sid, "t10", contract.HoldSlotRequest{SlotID: slot})
	require.ErrorIs(t, err, starter.ErrCallEnded)
	_, err = calls.HoldSlot(ctx, "CA"+fmt.Sprintf("%032x", 0xdead), "t-dead", contract.HoldSlotRequest{SlotID: slot})
	require.ErrorIs(t, err, starter.ErrCallNotFound)
}

// TestBookedCallThroughSignedWebhooks is a whole booked call; with
// FRONTDESK_RECORD_HISTORY set it records the history the replay tests
// check, beside the unbooked one.
func TestBookedCallThroughSignedWebhooks(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	calls := starter.Calls{Client: s.temporal}
	sid := "CA" + fmt.Sprintf("%032x", 0xb0043d)
	s.answer(sid)
	free := s.freeSlots()
	proc := s.procedure("mri-knee")

	held, err := calls.HoldSlot(ctx, sid, "t11", contract.HoldSlotRequest{SlotID: free[0].SlotID.String(), HoldSeconds: 120, ProcedureID: proc})
	require.NoError(t, err)
	require.Equal(t, "held", held.Status)
	// The caller changes their mind: the new hold replaces the first.
	held, err = calls.HoldSlot(ctx, sid, "t12", contract.HoldSlotRequest{SlotID: free[2].SlotID.String(), HoldSeconds: 120, ProcedureID: proc})
	require.NoError(t, err)
	require.Equal(t, "held", held.Status)
	require.True(t, containsSlot(s.freeSlots(), free[0].SlotID.String()), "the first hold was given back")

	booked, err := calls.ConfirmBooking(ctx, sid, "t13", contract.ConfirmBookingRequest{HoldID: held.HoldID, ProcedureID: proc})
	require.NoError(t, err)
	require.Equal(t, "booked", booked.Status)
	final := s.hangUp(sid)
	require.Equal(t, contract.OutcomeBooked, final.Outcome)
	outcome, confirmed := s.searchAttributes(sid)
	require.Equal(t, "booked", outcome)
	require.True(t, confirmed)

	if dir := os.Getenv("FRONTDESK_RECORD_HISTORY"); dir != "" {
		recordHistory(t, s.temporal, contract.CallSessionID(sid), filepath.Join(dir, "callsession_booked.json"))
	}
}

func countEvents(t *testing.T, s *system, callSID string, kind enums.EventType) int {
	t.Helper()
	iter := s.temporal.GetWorkflowHistory(context.Background(), contract.CallSessionID(callSID), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		if ev.GetEventType() == kind {
			n++
		}
	}
	return n
}
