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
type replyTools struct {
	s *session
	r *reply
}

func (t *replyTools) FreeSlots(ctx context.Context, day time.Time, procedureID string) ([]contract.FreeSlot, error) {
	c := t.s.call
	return t.s.cfg.Directory.FreeSlots(ctx, c.OrgID, c.ClinicID, c.CallSID, day, procedureID)
}

func (t *replyTools) HoldSlot(ctx context.Context, toolCallID string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error) {
	if err := t.awaitRelease(ctx); err != nil {
		return contract.HoldSlotResult{}, err
	}
	return t.s.cfg.Calls.HoldSlot(ctx, t.s.call.CallSID, toolCallID, req)
}

func (t *replyTools) ConfirmBooking(ctx context.Context, toolCallID string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	if err := t.awaitRelease(ctx); err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	return t.s.cfg.Calls.ConfirmBooking(ctx, t.s.call.CallSID, toolCallID, req)
}

func (t *replyTools) DiscussProcedure(ctx context.Context, toolCallID string, req contract.DiscussProcedureRequest) error {
	if err := t.awaitRelease(ctx); err != nil {
		return err
	}
	return t.s.cfg.Calls.DiscussProcedure(ctx, t.s.call.CallSID, toolCallID, req)
}

func (t *replyTools) awaitRelease(ctx context.Context) error {
	select {
	case <-t.r.released:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
