package voice

import (
	"context"
	"time"

	"github.com/frontdesk/frontdesk/contract"
)

// replyTools are the agent's tools during one reply. Reads run at once; an
// action with side effects (hold, book, note a procedure) waits until the
// reply is released, so a reply started speculatively on a pause never
// books for a caller who was not finished.
//
// Each call's round trip (Postgres for a read, the workflow Update and
// Postgres for an action) is timed here, after that wait: the wait is the
// caller still finishing their turn, not the tool, and the caller hears
// none of it.
type replyTools struct {
	s *session
	r *reply
}

func (t *replyTools) FreeSlots(ctx context.Context, day time.Time, procedureID string) ([]contract.FreeSlot, error) {
	c := t.s.call
	defer t.timed("find_free_slots")()
	return t.s.cfg.Directory.FreeSlots(ctx, c.OrgID, c.ClinicID, c.CallSID, day, procedureID)
}

func (t *replyTools) HoldSlot(ctx context.Context, toolCallID string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error) {
	if err := t.awaitRelease(ctx); err != nil {
		return contract.HoldSlotResult{}, err
	}
	defer t.timed("hold_slot")()
	return t.s.cfg.Calls.HoldSlot(ctx, t.s.call.CallSID, toolCallID, req)
}

func (t *replyTools) ConfirmBooking(ctx context.Context, toolCallID string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	if err := t.awaitRelease(ctx); err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	defer t.timed("confirm_booking")()
	return t.s.cfg.Calls.ConfirmBooking(ctx, t.s.call.CallSID, toolCallID, req)
}

func (t *replyTools) DiscussProcedure(ctx context.Context, toolCallID string, req contract.DiscussProcedureRequest) error {
	if err := t.awaitRelease(ctx); err != nil {
		return err
	}
	defer t.timed("discuss_procedure")()
	return t.s.cfg.Calls.DiscussProcedure(ctx, t.s.call.CallSID, toolCallID, req)
}

// timed starts timing one round trip; the returned func records it in the
// reply's timings and the tool stage's histogram, and logs it by tool
// (ids and a duration: nothing personal).
func (t *replyTools) timed(tool string) func() {
	start := t.s.now()
	return func() {
		d := t.s.now().Sub(start)
		t.s.logger.Debug("tool round trip", "call_sid", t.s.call.CallSID, "tool", tool, "ms", ms(d))
		t.r.stamp(func(rt *replyTimes) {
			rt.tools = append(rt.tools, d)
			rt.toolNames = append(rt.toolNames, tool)
		})
		t.s.cfg.Metrics.observeStage("tool", ms(d))
	}
}

func (t *replyTools) awaitRelease(ctx context.Context) error {
	select {
	case <-t.r.released:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
