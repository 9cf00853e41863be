package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/voice"
)

// maxOfferedSlots bounds a find_free_slots answer: a long list costs
// prompt tokens (latency) and the model only offers two or three anyway;
// "after" narrows the day.
const maxOfferedSlots = 8

// errBadArguments marks a tool call the model got wrong; the model is
// told why and may try again.
var errBadArguments = errors.New("bad arguments")

// toolResult is what a tool call answers the model (JSON) and, when it
// failed, why (for ToolTiming.Err).
type toolResult struct {
	content string
	err     error
}

// callTool runs one of the booking tools. Every outcome, failures too,
// becomes a JSON answer for the model, which can then apologise, retry or
// transfer.
func (a *Agent) callTool(ctx context.Context, tools voice.Tools, call goopenai.ToolCall) toolResult {
	args := call.Function.Arguments
	switch call.Function.Name {
	case ToolFindFreeSlots:
		var in struct {
			Day         string `json:"day"`
			ProcedureID string `json:"procedure_id"`
			After       string `json:"after"`
		}
		if err := decodeArgs(args, &in); err != nil {
			return failed(err)
		}
		day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.Day), a.loc)
		if err != nil {
			return failed(fmt.Errorf("%w: day must be YYYY-MM-DD", errBadArguments))
		}
		var after time.Time
		if in.After != "" {
			t, err := time.Parse("15:04", strings.TrimSpace(in.After))
			if err != nil {
				return failed(fmt.Errorf("%w: after must be HH:MM", errBadArguments))
			}
			after = time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, a.loc)
		}
		if err := a.checkProcedure(in.ProcedureID, false); err != nil {
			return failed(err)
		}
		slots, err := tools.FreeSlots(ctx, day, in.ProcedureID)
		if err != nil {
			return failed(fmt.Errorf("free slots: %w", err))
		}
		return a.freeSlotsResult(day, after, slots)

	case ToolHoldSlot:
		var in contract.HoldSlotRequest
		if err := decodeArgs(args, &in); err != nil {
			return failed(err)
		}
		if in.SlotID == "" {
			return failed(fmt.Errorf("%w: slot_id is required", errBadArguments))
		}
		if err := a.checkProcedure(in.ProcedureID, false); err != nil {
			return failed(err)
		}
		in.HoldSeconds = 0 // the model does not choose how long a hold lasts
		res, err := tools.HoldSlot(ctx, call.ID, in)
		if err != nil {
			return failed(fmt.Errorf("hold slot: %w", err))
		}
		out := map[string]any{"status": res.Status}
		if res.HoldID != "" {
			out["hold_id"] = res.HoldID
		}
		if s, ok := a.offered(in.SlotID); ok {
			out["time"] = a.spokenSlot(s)
		}
		if !res.ExpiresAt.IsZero() {
			out["held_for_seconds"] = max(0, int(time.Until(res.ExpiresAt).Seconds()))
		}
		if len(res.Alternatives) > 0 {
			out["alternatives"] = a.slotList(res.Alternatives)
		}
		return answer(out)

	case ToolConfirmBooking:
		var in contract.ConfirmBookingRequest
		if err := decodeArgs(args, &in); err != nil {
			return failed(err)
		}
		if in.HoldID == "" {
			return failed(fmt.Errorf("%w: hold_id is required", errBadArguments))
		}
		if err := a.checkProcedure(in.ProcedureID, true); err != nil {
			return failed(err)
		}
		res, err := tools.ConfirmBooking(ctx, call.ID, in)
		if err != nil {
			return failed(fmt.Errorf("confirm booking: %w", err))
		}
		out := map[string]any{"status": res.Status}
		if res.BookingID != "" {
			out["booking_id"] = res.BookingID
		}
		return answer(out)

	case ToolDiscussProcedure:
		var in contract.DiscussProcedureRequest
		if err := decodeArgs(args, &in); err != nil {
			return failed(err)
		}
		if err := a.checkProcedure(in.ProcedureID, true); err != nil {
			return failed(err)
		}
		if err := tools.DiscussProcedure(ctx, call.ID, in); err != nil {
			return failed(fmt.Errorf("discuss procedure: %w", err))
		}
		out := map[string]any{"status": "noted"}
		if p, ok := a.procedure(in.ProcedureID); ok {
			out["procedure"] = p.Name
			out["duration_minutes"] = p.DurationMinutes
		}
		return answer(out)
	}
	return failed(fmt.Errorf("%w: no tool named %q", errBadArguments, call.Function.Name))
}

func decodeArgs(args string, v any) error {
	if err := json.Unmarshal([]byte(args), v); err != nil {
		return fmt.Errorf("%w: arguments are not a JSON object of the right shape", errBadArguments)
	}
	return nil
}

func answer(v any) toolResult {
	b, err := json.Marshal(v)
	if err != nil { // only plain maps and strings are marshalled
		return failed(err)
	}
	return toolResult{content: string(b)}
}

// failed tells the model what went wrong in words it can act on; the
// details of an infrastructure failure stay out of the prompt.
func failed(err error) toolResult {
	msg := "the booking system did not answer; apologise and offer to put the caller through to staff"
	switch {
	case errors.Is(err, errBadArguments):
		msg = err.Error()
	case errors.Is(err, context.Canceled):
		msg = "interrupted by the caller; the outcome is unknown"
	}
	b, _ := json.Marshal(map[string]string{"error": msg})
	return toolResult{content: string(b), err: err}
}

func (a *Agent) checkProcedure(id string, required bool) error {
	if id == "" {
		if required {
			return fmt.Errorf("%w: procedure_id is required", errBadArguments)
		}
		return nil
	}
	if _, ok := a.procedure(id); !ok && len(a.clinic.Procedures) > 0 {
		return fmt.Errorf("%w: unknown procedure_id %q: use one from your instructions", errBadArguments, id)
	}
	return nil
}

func (a *Agent) procedure(id string) (voice.Procedure, bool) {
	for _, p := range a.clinic.Procedures {
		if p.ID == id {
			return p, true
		}
	}
	return voice.Procedure{}, false
}

// freeSlotsResult lists a day's slots in the clinic's time, the way the
// model should say them, and remembers them so a later hold can be read
// back with its time.
func (a *Agent) freeSlotsResult(day, after time.Time, slots []contract.FreeSlot) toolResult {
	slots = slices.Clone(slots)
	slices.SortFunc(slots, func(x, y contract.FreeSlot) int { return x.StartsAt.Compare(y.StartsAt) })
	if !after.IsZero() {
		slots = slices.DeleteFunc(slots, func(s contract.FreeSlot) bool { return s.StartsAt.Before(after) })
	}
	a.remember(slots)
	shown := slots[:min(len(slots), maxOfferedSlots)]
	out := map[string]any{"day": day.Format("Monday 2 January"), "slots": a.slotList(shown)}
	if more := len(slots) - len(shown); more > 0 {
		out["more_slots_later_in_the_day"] = more
	}
	if len(slots) == 0 {
		out["note"] = "no free slots that day"
	}
	return answer(out)
}

type offeredSlot struct {
	SlotID       string `json:"slot_id"`
	Time         string `json:"time"`
	Practitioner string `json:"practitioner,omitempty"`
	Minutes      int    `json:"minutes,omitempty"`
}

func (a *Agent) slotList(slots []contract.FreeSlot) []offeredSlot {
	out := make([]offeredSlot, 0, len(slots))
	for _, s := range slots {
		out = append(out, offeredSlot{
			SlotID:       s.SlotID,
			Time:         a.spokenSlot(s),
			Practitioner: a.practitioner(s.PractitionerID),
			Minutes:      int(s.EndsAt.Sub(s.StartsAt).Minutes()),
		})
	}
	return out
}

func (a *Agent) spokenSlot(s contract.FreeSlot) string {
	return s.StartsAt.In(a.loc).Format("Monday 2 January, 3:04 pm")
}

func (a *Agent) practitioner(id string) string {
	for _, p := range a.clinic.Practitioners {
		if p.ID == id {
			return p.Name
		}
	}
	return ""
}

func (a *Agent) remember(slots []contract.FreeSlot) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range slots {
		a.slots[s.SlotID] = s
	}
}

func (a *Agent) offered(id string) (contract.FreeSlot, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.slots[id]
	return s, ok
}
