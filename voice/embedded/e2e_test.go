package embedded

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/receptionist"
)

// diary is a small voice.Tools over the demo clinics' slots: 9:00-17:00
// every 30 minutes on weekdays, for each practitioner.
type diary struct {
	mu     sync.Mutex
	loc    *time.Location
	pracs  []string
	held   map[string]string
	booked []string
}

func (d *diary) FreeSlots(_ context.Context, day time.Time, _ string) ([]contract.FreeSlot, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []contract.FreeSlot
	if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		return nil, nil
	}
	for m := 9 * 60; m < 17*60; m += 30 {
		for _, p := range d.pracs {
			start := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, d.loc)
			id := p + start.Format("-0102-1504")
			if _, taken := d.held[id]; !taken {
				out = append(out, contract.FreeSlot{SlotID: id, PractitionerID: p, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
			}
		}
	}
	return out, nil
}

func (d *diary) HoldSlot(_ context.Context, _ string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.held[req.SlotID] = "hold-" + req.SlotID
	return contract.HoldSlotResult{Status: contract.HoldHeld, HoldID: "hold-" + req.SlotID}, nil
}

func (d *diary) ConfirmBooking(_ context.Context, _ string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.booked = append(d.booked, strings.TrimPrefix(req.HoldID, "hold-")+"/"+req.ProcedureID)
	return contract.ConfirmBookingResult{Status: contract.BookingBooked, BookingID: "b1"}, nil
}

func (d *diary) DiscussProcedure(context.Context, string, contract.DiscussProcedureRequest) error {
	return nil
}

// TestEmbeddedChainBooksByVoice runs the embedded chain end to end: a
// caller spoken by flite's slt, down an 8 kHz μ-law line, recognised by
// pocketsphinx with the demo clinic's model, answered by the rule-based
// receptionist, until the booking is made. (Weekday names are where this
// recogniser is weakest on telephone audio: slt's "Tuesday morning" is
// heard as "the morning". Friday is heard reliably.)
func TestEmbeddedChainBooksByVoice(t *testing.T) {
	needBinaries(t)
	clinic := demoClinics(t)[0]
	rec := recognizerFor(t, 0)
	st, err := rec.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	agent, err := receptionist.New(&clinic, receptionist.Options{MinConfidence: ConfidenceThreshold})
	if err != nil {
		t.Fatal(err)
	}
	loc := clinic.Location()
	now := time.Date(2026, 3, 11, 8, 30, 0, 0, loc) // a Wednesday
	tools := &diary{loc: loc, pracs: []string{"okafor", "hughes"}, held: map[string]string{}}
	// The agent's own voice speaks its replies, so a broken voice fails here too.
	agentVoice, err := NewAgentVoice()
	if err != nil {
		t.Fatal(err)
	}

	turns := []struct{ say, want string }{
		{"I would like to book a blood test please", "A blood test"},
		{"Friday please", "Friday at nine o'clock with Doctor Okafor"},
		{"the second one please", "Shall I book it?"},
		{"yes please", "You're booked in"},
	}
	var action string
	for _, turn := range turns {
		writeFrames(t, st, callerSays(t, "slt", turn.say))
		heard, err := st.Transcribe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st.Commit()
		var reply strings.Builder
		for ev := range agent.Respond(context.Background(), voice.AgentInput{Heard: heard, Now: now, Tools: tools}) {
			reply.WriteString(ev.Text + " ")
			if ev.Done {
				action = ev.Action
				if ev.Err != nil {
					t.Fatal(ev.Err)
				}
			}
		}
		t.Logf("caller %q, heard %q → %q", turn.say, heard.Text, strings.TrimSpace(reply.String()))
		if !strings.Contains(reply.String(), turn.want) {
			t.Fatalf("after %q (heard %q) the reply %q lacks %q", turn.say, heard.Text, reply.String(), turn.want)
		}
		if pcm, rate := speak(t, agentVoice, reply.String()); len(pcm) < rate/2 {
			t.Errorf("agent voice: %d samples for %q", len(pcm), reply.String())
		}
	}
	if action != voice.ActionEndCall {
		t.Errorf("call ended with %q, want %q", action, voice.ActionEndCall)
	}
	if want := fmt.Sprintf("okafor-0313-0930/%s", "blood-test"); len(tools.booked) != 1 || tools.booked[0] != want {
		t.Errorf("booked %v, want [%s]", tools.booked, want)
	}
}
