// Package demo plays phone calls against a running frontdesk exactly as
// Twilio and the voice agent would: signed webhooks to the public URL,
// then the agent's tool calls as workflow Updates. `frontdesk call demo`
// runs it beside `make dev`; the browser and metrics tests run it against
// systems of their own.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
)

// Options choose the call to play.
type Options struct {
	// Clinic is the demo clinic dialled: "A" (store.DemoNumberA, the
	// default) or "B".
	Clinic string
	// Unbooked: the caller asks about a procedure and hangs up without
	// booking, so the call hands over to the follow-up SMS.
	Unbooked bool
}

// Caller plays calls. Temporal must carry the payload codec (updates and
// results are encrypted); Store reads free slots and the outbox the way
// the voice path and ops do.
type Caller struct {
	Twilio   Twilio
	Temporal client.Client
	Store    *store.Store
	// Turns, when set, sends the caller's opening turn through the `turn`
	// Update (sealed under the call's key, routed and stored encrypted).
	Turns *starter.Turns
	// UIURL and Namespace make the Web UI links it prints.
	UIURL, Namespace string
	// Out receives the running commentary; nil discards it.
	Out io.Writer
	// Pause is the time between steps, as a person would take (default 1s).
	Pause time.Duration
}

// Result is what became of a call.
type Result struct {
	CallSID    string
	WorkflowID string
	State      contract.CallState
	// FollowUp is set for an unbooked call: its workflow's result.
	FollowUpID string
	FollowUp   *contract.FollowUpResult
}

// Call plays one call to its end and waits for the workflow's outcome.
func (c *Caller) Call(ctx context.Context, opts Options) (Result, error) {
	to, demo, err := clinicFor(opts.Clinic)
	if err != nil {
		return Result{}, err
	}
	calls := starter.Calls{Client: c.Temporal}
	callSID := NewCallSID()
	res := Result{CallSID: callSID, WorkflowID: contract.CallSessionID(callSID)}
	c.printf("▸ incoming call %s to %s\n", callSID, to)
	twimlDoc, err := c.Twilio.Post(ctx, "/twilio/voice", url.Values{
		"CallSid": {callSID}, "From": {CallerNumber()}, "To": {to},
		"CallStatus": {"ringing"}, "Direction": {"inbound"},
	})
	if err != nil {
		return res, err
	}
	c.printf("  TwiML answer: %s\n", twimlDoc)
	steps := []struct {
		status string
		seq    int
		note   string
	}{
		{"in-progress", 0, "caller connected"},
		{"in-progress", 0, "Twilio repeats a callback (ignored)"},
		{"completed", 1, "caller hangs up"},
	}
	for _, st := range steps {
		if st.status == "completed" && c.Turns != nil {
			if err := c.openingTurn(ctx, demo, callSID, opts.Unbooked); err != nil {
				return res, err
			}
		}
		if st.status == "completed" {
			act := c.book
			if opts.Unbooked {
				act = c.discuss
			}
			if err := act(ctx, calls, demo, callSID); err != nil {
				return res, err
			}
		}
		c.sleep()
		form := url.Values{"CallSid": {callSID}, "CallStatus": {st.status}, "SequenceNumber": {strconv.Itoa(st.seq)},
			"Timestamp": {time.Now().UTC().Format(time.RFC1123Z)}}
		if st.status == "completed" {
			form.Set("CallDuration", "42")
		}
		if _, err := c.Twilio.Post(ctx, "/twilio/status", form); err != nil {
			return res, err
		}
		c.printf("▸ status %s #%d: %s\n", st.status, st.seq, st.note)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := c.Temporal.GetWorkflow(wctx, res.WorkflowID, "").Get(wctx, &res.State); err != nil {
		return res, fmt.Errorf("waiting for the call workflow: %w", err)
	}
	c.printf("▸ workflow %s completed: outcome %q, %d status changes, %d callbacks ignored\n",
		res.WorkflowID, res.State.Outcome, len(res.State.StatusTimeline), res.State.Ignored)
	c.printf("  Web UI: %s\n", c.link(res.WorkflowID))
	if opts.Unbooked {
		return res, c.showFollowUp(ctx, demo, &res)
	}
	return res, nil
}

// demoClinic is one of the seeded demo clinics and what its caller wants.
type demoClinic struct {
	org, clinic uuid.UUID
	procedure   string
}

func clinicFor(name string) (string, demoClinic, error) {
	switch strings.ToUpper(name) {
	case "", "A":
		return store.DemoNumberA, demoClinic{org: store.DemoOrgA, clinic: store.DemoClinicA, procedure: "blood-test"}, nil
	case "B":
		return store.DemoNumberB, demoClinic{org: store.DemoOrgB, clinic: store.DemoClinicB, procedure: "hygiene"}, nil
	}
	return "", demoClinic{}, fmt.Errorf("unknown demo clinic %q: A or B", name)
}

// openingTurn is what the caller says first, as the voice path would send
// it: a fictional name (the agent's caller_name field) and why they call.
func (c *Caller) openingTurn(ctx context.Context, d demoClinic, callSID string, unbooked bool) error {
	what := strings.ReplaceAll(d.procedure, "-", " ")
	text := "Hello, this is Jane Example. I'd like to book a " + what + ", I have been feeling tired lately."
	if unbooked {
		text = "Hello, this is Jane Example. What do I need to do before a " + what + "?"
	}
	ans, err := c.Turns.Turn(ctx, d.org.String(), callSID, "demo-turn-1", contract.TurnRequest{
		Speaker: contract.SpeakerCaller, Text: text, Fields: map[string]string{"caller_name": "Jane Example"}, AtMS: 1500,
	}, nil)
	if err != nil {
		return fmt.Errorf("turn: %w", err)
	}
	c.printf("▸ caller's first turn recorded (seq %d, stored as %s, entities %v)\n", ans.Seq, ans.Class, ans.Entities)
	return nil
}

// book is what the voice agent does on a call: find a free slot near "the
// next working day at ten", hold it through the hold_slot Update, confirm
// it through confirm_booking. The free-slot lookup reads the store
// directly, as the voice path does: a read needs no workflow round trip.
func (c *Caller) book(ctx context.Context, calls starter.Calls, d demoClinic, callSID string) error {
	claims := store.CallClaims(d.org, callSID)
	proc, err := c.Store.ProcedureByCode(ctx, claims, d.clinic, d.procedure)
	if err != nil {
		return err
	}
	var slot *store.FreeSlot
	for day := time.Now().AddDate(0, 0, 1); slot == nil && day.Before(time.Now().AddDate(0, 0, 14)); day = day.AddDate(0, 0, 1) {
		free, err := c.Store.FreeSlots(ctx, claims, d.clinic, day, proc.ID)
		if err != nil {
			return err
		}
		// The first free slot from ten o'clock, else the day's last one.
		for i := range free {
			slot = &free[i]
			if free[i].StartsAt.In(londonTime()).Hour() >= 10 {
				break
			}
		}
	}
	if slot == nil {
		return errors.New("no free slot in the next two weeks: run `frontdesk seed demo`")
	}
	when := func(t time.Time) string { return t.In(londonTime()).Format("Monday 2 Jan at 15:04") }
	c.printf("▸ caller asks for a %s on %s\n", proc.Name, when(slot.StartsAt))
	held, err := calls.HoldSlot(ctx, callSID, "demo-hold-1", contract.HoldSlotRequest{SlotID: slot.SlotID.String(), HoldSeconds: 120, ProcedureID: proc.ID.String()})
	if err != nil {
		return fmt.Errorf("hold_slot: %w", err)
	}
	if held.Status != contract.HoldHeld && len(held.Alternatives) > 0 {
		alt := held.Alternatives[0]
		c.printf("  hold_slot: %s; the agent offers %s instead and the caller takes it\n", held.Status, when(alt.StartsAt))
		held, err = calls.HoldSlot(ctx, callSID, "demo-hold-2", contract.HoldSlotRequest{SlotID: alt.SlotID, HoldSeconds: 120, ProcedureID: proc.ID.String()})
		if err != nil {
			return fmt.Errorf("hold_slot: %w", err)
		}
	}
	if held.Status != contract.HoldHeld {
		return fmt.Errorf("hold_slot answered %s", held.Status)
	}
	c.printf("  hold_slot: held (hold %s) until %s while the agent confirms the details\n", held.HoldID, held.ExpiresAt.In(londonTime()).Format("15:04:05"))
	c.sleep()
	booked, err := calls.ConfirmBooking(ctx, callSID, "demo-confirm", contract.ConfirmBookingRequest{HoldID: held.HoldID, ProcedureID: proc.ID.String()})
	if err != nil {
		return fmt.Errorf("confirm_booking: %w", err)
	}
	if booked.Status != contract.BookingBooked {
		return fmt.Errorf("confirm_booking answered %s", booked.Status)
	}
	c.printf("▸ confirm_booking: booked (booking %s)\n", booked.BookingID)
	return nil
}

// discuss is the agent's tool call when a caller asks about a procedure but
// books nothing: the call learns the procedure, so its end hands over to
// the follow-up SMS.
func (c *Caller) discuss(ctx context.Context, calls starter.Calls, d demoClinic, callSID string) error {
	proc, err := c.Store.ProcedureByCode(ctx, store.CallClaims(d.org, callSID), d.clinic, d.procedure)
	if err != nil {
		return err
	}
	if err := calls.DiscussProcedure(ctx, callSID, "demo-discuss", contract.DiscussProcedureRequest{ProcedureID: proc.ID.String()}); err != nil {
		return fmt.Errorf("discuss_procedure: %w", err)
	}
	c.printf("▸ caller asks about a %s, then hangs up without booking\n", proc.Name)
	return nil
}

// showFollowUp waits for the call's FollowUp workflow and prints its
// outbox row, with the number masked, and its Web UI link.
func (c *Caller) showFollowUp(ctx context.Context, d demoClinic, res *Result) error {
	id := contract.FollowUpID(res.CallSID)
	res.FollowUpID = id
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var fu contract.FollowUpResult
	if err := c.Temporal.GetWorkflow(wctx, id, "").Get(wctx, &fu); err != nil {
		return fmt.Errorf("waiting for the follow-up workflow %s (is the worker running with FRONTDESK_LINK_SECRET?): %w", id, err)
	}
	res.FollowUp = &fu
	c.printf("▸ workflow %s completed: sent %v", id, fu.Sent)
	if fu.Skipped != "" {
		c.printf(", skipped: %s", fu.Skipped)
	}
	c.printf("\n")
	row, err := c.Store.OutboxFor(ctx, d.org, res.CallSID, store.PurposeFollowUp)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.printf("  outbox: no row (nothing was to be sent)\n")
	case err != nil:
		return err
	default:
		to, _ := c.Store.CallerPhone(ctx, d.org, res.CallSID)
		c.printf("  outbox: status %s, to %s, message sid %q, attempts %d\n", row.Status, followup.MaskPhone(to), row.MessageSID, row.Attempts)
		c.printf("  body:   %s\n", row.Body)
	}
	c.printf("  Web UI: %s\n", c.link(id))
	return nil
}

func (c *Caller) link(workflowID string) string {
	ns := c.Namespace
	if ns == "" {
		ns = "default"
	}
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", c.UIURL, ns, workflowID)
}

func (c *Caller) printf(format string, a ...any) {
	if c.Out != nil {
		fmt.Fprintf(c.Out, format, a...)
	}
}

func (c *Caller) sleep() {
	p := c.Pause
	if p == 0 {
		p = time.Second
	}
	time.Sleep(p)
}

func londonTime() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}
