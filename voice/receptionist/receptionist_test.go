package receptionist

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/voice"
)

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return l
}()

// Wednesday 11 March 2026, 8:30 in the clinic.
var callTime = time.Date(2026, 3, 11, 8, 30, 0, 0, london)

func northgate() *voice.ClinicProfile {
	return &voice.ClinicProfile{
		OrgID: "org-a", ClinicID: "clinic-a", Name: "Northgate Clinic", Timezone: "Europe/London",
		Hours: "Monday to Friday, nine to five",
		Procedures: []voice.Procedure{
			{ID: "colonoscopy", Name: "Colonoscopy", DurationMinutes: 45},
			{ID: "mri-knee", Name: "MRI scan of the knee", DurationMinutes: 30},
			{ID: "blood-test", Name: "Blood test", DurationMinutes: 15},
		},
		Practitioners: []voice.Practitioner{{ID: "okafor", Name: "Dr Amara Okafor"}, {ID: "hughes", Name: "Dr Ben Hughes"}},
	}
}

// fakeTools is the session's tools over an in-memory diary: the demo
// clinics' slots (9:00-17:00 every 30 minutes on weekdays, both
// practitioners) for two weeks.
type fakeTools struct {
	mu        sync.Mutex
	slots     []contract.FreeSlot
	taken     map[string]bool // held or booked by someone else
	holds     map[string]string
	booked    []string
	discussed []string
	ids       []string
	calls     []string
	expire    int   // confirmations to answer expired
	err       error // every call fails with it
	block     chan struct{}
}

func newFakeTools() *fakeTools {
	f := &fakeTools{taken: map[string]bool{}, holds: map[string]string{}}
	day := time.Date(2026, 3, 11, 0, 0, 0, 0, london)
	for d := 0; d < 14; d++ {
		date := day.AddDate(0, 0, d)
		if date.Weekday() == time.Saturday || date.Weekday() == time.Sunday {
			continue
		}
		for m := 9 * 60; m < 17*60; m += 30 {
			for _, p := range []string{"okafor", "hughes"} {
				start := date.Add(time.Duration(m) * time.Minute)
				f.slots = append(f.slots, contract.FreeSlot{
					SlotID: fmt.Sprintf("%s-%s", p, start.Format("0102-1504")), PractitionerID: p,
					StartsAt: start, EndsAt: start.Add(30 * time.Minute),
				})
			}
		}
	}
	return f
}

func slotID(prac string, month time.Month, day, hour, min int) string {
	return fmt.Sprintf("%s-%s", prac, time.Date(2026, month, day, hour, min, 0, 0, london).Format("0102-1504"))
}

func (f *fakeTools) record(id, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id != "" {
		f.ids = append(f.ids, id)
	}
	f.calls = append(f.calls, name)
	return f.err
}

func (f *fakeTools) FreeSlots(ctx context.Context, day time.Time, procedureID string) ([]contract.FreeSlot, error) {
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := f.record("", "free_slots"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []contract.FreeSlot
	for _, s := range f.slots {
		if sameDay(s.StartsAt.In(london), day) && !f.taken[s.SlotID] {
			out = append(out, s)
		}
	}
	return out, nil
}

func (f *fakeTools) HoldSlot(ctx context.Context, id string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error) {
	if err := f.record(id, "hold_slot"); err != nil {
		return contract.HoldSlotResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var slot *contract.FreeSlot
	for i := range f.slots {
		if f.slots[i].SlotID == req.SlotID {
			slot = &f.slots[i]
		}
	}
	if slot == nil {
		return contract.HoldSlotResult{Status: contract.HoldNotFound}, nil
	}
	if f.taken[req.SlotID] {
		var alts []contract.FreeSlot
		for _, s := range f.slots {
			if sameDay(s.StartsAt, slot.StartsAt) && !f.taken[s.SlotID] && s.StartsAt.After(slot.StartsAt) && len(alts) < 3 {
				alts = append(alts, s)
			}
		}
		return contract.HoldSlotResult{Status: contract.HoldConflict, Alternatives: alts}, nil
	}
	f.taken[req.SlotID] = true
	hold := "hold-" + req.SlotID
	f.holds[hold] = req.SlotID
	return contract.HoldSlotResult{Status: contract.HoldHeld, HoldID: hold, ExpiresAt: callTime.Add(3 * time.Minute)}, nil
}

func (f *fakeTools) ConfirmBooking(ctx context.Context, id string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	if err := f.record(id, "confirm_booking"); err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	slot, ok := f.holds[req.HoldID]
	if !ok {
		return contract.ConfirmBookingResult{Status: contract.HoldNotFound}, nil
	}
	if f.expire > 0 {
		f.expire--
		delete(f.holds, req.HoldID)
		delete(f.taken, slot)
		return contract.ConfirmBookingResult{Status: contract.HoldExpired}, nil
	}
	f.booked = append(f.booked, slot+"/"+req.ProcedureID)
	return contract.ConfirmBookingResult{Status: contract.BookingBooked, BookingID: "booking-1"}, nil
}

func (f *fakeTools) DiscussProcedure(ctx context.Context, id string, req contract.DiscussProcedureRequest) error {
	if err := f.record(id, "discuss_procedure"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.discussed = append(f.discussed, req.ProcedureID)
	return nil
}

// said is a confident transcript.
func said(text string) voice.Transcript {
	var ws []voice.Word
	for _, w := range strings.Fields(text) {
		ws = append(ws, voice.Word{Text: w, Confidence: 0.95})
	}
	return voice.Transcript{Text: text, Final: true, Confidence: 0.95, Words: ws}
}

// reply is one Respond's events, gathered.
type reply struct {
	text   string
	tools  []string
	action string
	err    error
	msgs   []voice.Message
}

func respond(t *testing.T, a voice.Agent, tools voice.Tools, heard voice.Transcript, dtmf string) reply {
	t.Helper()
	var r reply
	dones := 0
	for ev := range a.Respond(context.Background(), voice.AgentInput{Heard: heard, DTMF: dtmf, Now: callTime, Tools: tools}) {
		if dones > 0 {
			t.Fatalf("event after Done: %+v", ev)
		}
		switch {
		case ev.Done:
			dones++
			r.action, r.err, r.msgs = ev.Action, ev.Err, ev.Messages
		case ev.ToolStarted != "":
			r.tools = append(r.tools, ev.ToolStarted)
		case ev.Text != "":
			r.text += ev.Text + " "
		}
	}
	if dones != 1 {
		t.Fatalf("%d Done events", dones)
	}
	r.text = strings.TrimSpace(r.text)
	return r
}

// step is one caller turn and what the reply must hold.
type step struct {
	say    string
	heard  *voice.Transcript // instead of say
	dtmf   string
	want   []string // substrings of the reply
	tools  []string // tools started, in order (nil: any)
	action string
}

func dialogue(t *testing.T, tools *fakeTools, steps []step) []reply {
	t.Helper()
	a, err := New(northgate(), Options{IDPrefix: "call1"})
	if err != nil {
		t.Fatal(err)
	}
	var out []reply
	for i, s := range steps {
		heard := said(s.say)
		if s.heard != nil {
			heard = *s.heard
		}
		r := respond(t, a, tools, heard, s.dtmf)
		out = append(out, r)
		if r.err != nil {
			t.Fatalf("turn %d (%q): %v", i+1, s.say, r.err)
		}
		for _, w := range s.want {
			if !strings.Contains(r.text, w) {
				t.Errorf("turn %d (%q): reply %q lacks %q", i+1, s.say, r.text, w)
			}
		}
		if s.tools != nil && !slices.Equal(r.tools, s.tools) {
			t.Errorf("turn %d (%q): tools %v, want %v", i+1, s.say, r.tools, s.tools)
		}
		if r.action != s.action {
			t.Errorf("turn %d (%q): action %q, want %q (reply %q)", i+1, s.say, r.action, s.action, r.text)
		}
	}
	// Tool call ids are unique within the call.
	seen := map[string]bool{}
	for _, id := range tools.ids {
		if seen[id] {
			t.Errorf("tool call id %q used twice", id)
		}
		seen[id] = true
	}
	return out
}

func TestGreeting(t *testing.T) {
	a, err := New(northgate(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Thank you for calling Northgate Clinic. I can book a colonoscopy, an MRI scan of the knee or a blood test. What would you like to book?"
	if got := a.Greeting(); got != want {
		t.Errorf("Greeting() = %q", got)
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("nil clinic: no error")
	}
}

func TestBookedCall(t *testing.T) {
	tools := newFakeTools()
	rs := dialogue(t, tools, []step{
		{say: "hello i'd like to book a blood test please", want: []string{"A blood test, certainly.", "Which day would suit you?"},
			tools: []string{"discuss_procedure"}},
		{say: "tuesday morning please", want: []string{"Let me check Tuesday.", "I have Tuesday at nine o'clock with Doctor Okafor, or half past nine with Doctor Okafor. Which would you like?"},
			tools: []string{"free_slots"}},
		{say: "the second one please", want: []string{"I've reserved a blood test on Tuesday the seventeenth at half past nine with Doctor Okafor. Shall I book it?"},
			tools: []string{"hold_slot"}},
		{say: "yes please", want: []string{"You're booked in: a blood test on Tuesday the seventeenth at half past nine with Doctor Okafor.", "Goodbye."},
			tools: []string{"confirm_booking"}, action: voice.ActionEndCall},
	})
	if want := []string{slotID("okafor", 3, 17, 9, 30) + "/blood-test"}; !slices.Equal(tools.booked, want) {
		t.Errorf("booked %v, want %v", tools.booked, want)
	}
	// The hold's tool call and answer are in the reply's messages, with
	// the id the tool saw.
	msgs := rs[2].msgs
	if len(msgs) != 2 || msgs[0].Role != voice.RoleAgent || len(msgs[0].ToolCalls) != 1 || msgs[1].Role != voice.RoleTool {
		t.Fatalf("hold messages: %+v", msgs)
	}
	call := msgs[0].ToolCalls[0]
	if call.Name != ToolHoldSlot || call.ID != msgs[1].ToolCallID || !slices.Contains(tools.ids, call.ID) ||
		!strings.Contains(call.Arguments, slotID("okafor", 3, 17, 9, 30)) || !strings.Contains(msgs[1].Text, `"status":"held"`) {
		t.Errorf("hold call %+v, answer %+v", call, msgs[1])
	}
	if !strings.HasPrefix(call.ID, "call1-") {
		t.Errorf("tool call id %q lacks the call's prefix", call.ID)
	}
}

func TestEverythingInOneSentence(t *testing.T) {
	tools := newFakeTools()
	dialogue(t, tools, []step{
		{say: "could i have an mri scan of the knee with doctor hughes on friday at half past two",
			want:  []string{"An MRI scan of the knee, certainly.", "Let me check Friday.", "I have Friday at half past two with Doctor Hughes"},
			tools: []string{"discuss_procedure", "free_slots"}},
		{say: "half past two please", want: []string{"I've reserved an MRI scan of the knee on Friday the thirteenth at half past two with Doctor Hughes."}, tools: []string{"hold_slot"}},
		{say: "yes", tools: []string{"confirm_booking"}, action: voice.ActionEndCall},
	})
	if want := []string{slotID("hughes", 3, 13, 14, 30) + "/mri-knee"}; !slices.Equal(tools.booked, want) {
		t.Errorf("booked %v, want %v", tools.booked, want)
	}
}

func TestSlotTakenOffersAlternatives(t *testing.T) {
	tools := newFakeTools()
	a, _ := New(northgate(), Options{IDPrefix: "c"})
	respond(t, a, tools, said("a colonoscopy on thursday at ten"), "")
	// Someone else takes the offered slot before the caller chooses it.
	tools.taken[slotID("okafor", 3, 12, 10, 0)] = true
	r := respond(t, a, tools, said("the first one"), "")
	if !slices.Equal(r.tools, []string{"hold_slot"}) ||
		!strings.Contains(r.text, "that time has just been taken. I can offer tomorrow at half past ten with Doctor Okafor, or half past ten with Doctor Hughes.") {
		t.Fatalf("conflict reply %q, tools %v", r.text, r.tools)
	}
	r = respond(t, a, tools, said("doctor hughes please"), "")
	if !strings.Contains(r.text, "I've reserved a colonoscopy tomorrow at half past ten with Doctor Hughes") {
		t.Fatalf("reply %q", r.text)
	}
	r = respond(t, a, tools, said("yes"), "")
	if r.action != voice.ActionEndCall || !slices.Equal(tools.booked, []string{slotID("hughes", 3, 12, 10, 30) + "/colonoscopy"}) {
		t.Errorf("booked %v, action %q", tools.booked, r.action)
	}
}

func TestLowConfidenceWordIsReprompted(t *testing.T) {
	tools := newFakeTools()
	misheard := voice.Transcript{Text: "thursday", Final: true, Words: []voice.Word{{Text: "thursday", Confidence: 0.01}}}
	dialogue(t, tools, []step{
		{say: "blood test please", tools: []string{"discuss_procedure"}},
		// A day heard with 1 % confidence is not acted on.
		{heard: &misheard, want: []string{"Sorry, I didn't catch that.", "Which day would suit you?", "press 1 for the first free appointment"},
			tools: []string{}},
		{say: "friday", want: []string{"Let me check Friday."}, tools: []string{"free_slots"}},
	})
}

func TestDTMFFallback(t *testing.T) {
	tools := newFakeTools()
	noise := said("um")
	dialogue(t, tools, []step{
		{heard: &noise, want: []string{"Sorry, I didn't catch that.", "Or press 1 for a colonoscopy, 2 for an MRI scan of the knee or 3 for a blood test."}},
		{heard: &voice.Transcript{}, dtmf: "3", want: []string{"A blood test, certainly.", "Which day would suit you?"}},
		{heard: &voice.Transcript{}, dtmf: "1", want: []string{"Let me look for the first free time.", "I have today at nine o'clock"}, tools: []string{"free_slots"}},
		{heard: &noise, want: []string{"Press 1 for the first, 2 for the second, or 3 for other times."}},
		{heard: &voice.Transcript{}, dtmf: "3", want: []string{"I also have today at nine o'clock with Doctor Hughes, or half past nine with Doctor Hughes"}},
		{heard: &voice.Transcript{}, dtmf: "2", want: []string{"Shall I book it?"}, tools: []string{"hold_slot"}},
		{heard: &noise, want: []string{"Or press 1 for yes, 2 for no."}},
		{heard: &voice.Transcript{}, dtmf: "1", tools: []string{"confirm_booking"}, action: voice.ActionEndCall},
	})
	if want := []string{slotID("hughes", 3, 11, 9, 30) + "/blood-test"}; !slices.Equal(tools.booked, want) {
		t.Errorf("booked %v, want %v", tools.booked, want)
	}
}

func TestTransfer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"asked for", []step{{say: "can i speak to a receptionist please", want: []string{"put you through"}, action: voice.ActionTransfer}}},
		{"mid booking", []step{
			{say: "i need a colonoscopy"},
			{say: "i'd like to talk to a real person", action: voice.ActionTransfer},
		}},
		{"zero key", []step{{heard: &voice.Transcript{}, dtmf: "0", action: voice.ActionTransfer}}},
		{"three failures", []step{
			{say: "purple elephants", want: []string{"Sorry"}},
			{say: "bananas", want: []string{"Or press 1"}},
			{say: "custard", want: []string{"I'm having trouble understanding"}, action: voice.ActionTransfer},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { dialogue(t, newFakeTools(), tc.steps) })
	}
}

func TestNoAtReadBackOffersOtherTimes(t *testing.T) {
	tools := newFakeTools()
	dialogue(t, tools, []step{
		{say: "blood test on friday at eleven"},
		{say: "eleven o'clock", tools: []string{"hold_slot"}},
		{say: "no", want: []string{"No problem, I won't book that.", "I also have"}},
		{say: "thanks goodbye", want: []string{"Goodbye."}, action: voice.ActionEndCall},
	})
	if len(tools.booked) != 0 {
		t.Errorf("booked %v after a no", tools.booked)
	}
	if !slices.Equal(tools.discussed, []string{"blood-test"}) {
		t.Errorf("discussed %v: an unbooked call names its procedure once", tools.discussed)
	}
}

func TestExpiredHoldIsRetried(t *testing.T) {
	tools := newFakeTools()
	tools.expire = 1
	dialogue(t, tools, []step{
		{say: "blood test tomorrow at two"},
		{say: "two o'clock please", tools: []string{"hold_slot"}},
		{say: "yes", want: []string{"ran out", "I've reserved a blood test tomorrow at two o'clock"}, tools: []string{"confirm_booking", "hold_slot"}},
		{say: "yes", action: voice.ActionEndCall},
	})
	if len(tools.booked) != 1 {
		t.Errorf("booked %v", tools.booked)
	}
}

func TestNothingFreeLooksAhead(t *testing.T) {
	tools := newFakeTools()
	for _, s := range tools.slots {
		if sameDay(s.StartsAt, time.Date(2026, 3, 12, 0, 0, 0, 0, london)) {
			tools.taken[s.SlotID] = true
		}
	}
	dialogue(t, tools, []step{
		{say: "blood test"},
		{say: "thursday please", want: []string{"Let me check tomorrow. I have nothing free tomorrow. I have Friday at nine o'clock"}, tools: []string{"free_slots", "free_slots"}},
	})
}

func TestToolErrorTransfers(t *testing.T) {
	tools := newFakeTools()
	tools.err = errors.New("workflow unavailable")
	dialogue(t, tools, []step{{say: "a blood test please", want: []string{"can't reach the appointment diary"}, action: voice.ActionTransfer}})
}

func TestOpeningHours(t *testing.T) {
	dialogue(t, newFakeTools(), []step{{say: "what are your opening hours", want: []string{"We're open Monday to Friday, nine to five.", "What would you like to book?"}}})
}

// A cancelled reply sends Done promptly, makes no further tool calls and
// leaves the dialogue where it was.
func TestCancelledReply(t *testing.T) {
	tools := newFakeTools()
	a, _ := New(northgate(), Options{IDPrefix: "c"})
	respond(t, a, tools, said("a blood test"), "")
	tools.block = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := a.Respond(ctx, voice.AgentInput{Heard: said("tuesday"), Now: callTime, Tools: tools})
	for ev := range events {
		if ev.ToolStarted == "free_slots" {
			cancel()
		}
		if ev.Done && !errors.Is(ev.Err, context.Canceled) {
			t.Errorf("Done after cancel: %+v", ev)
		}
	}
	tools.block = nil
	if n := len(tools.calls); n != 1 {
		t.Errorf("tool calls after cancel: %v", tools.calls)
	}
	// Still asking for the day: the cancelled turn changed nothing.
	r := respond(t, a, tools, said("um"), "")
	if !strings.Contains(r.text, "Which day would suit you?") {
		t.Errorf("after a cancelled turn: %q", r.text)
	}
}

func TestDeterministic(t *testing.T) {
	run := func() []string {
		tools := newFakeTools()
		a, _ := New(northgate(), Options{IDPrefix: "same"})
		var out []string
		for _, s := range []string{"mri scan please", "monday afternoon", "the first one", "yes"} {
			r := respond(t, a, tools, said(s), "")
			out = append(out, r.text, strings.Join(r.tools, ","), r.action)
		}
		return append(out, tools.ids...)
	}
	if a, b := run(), run(); !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%v\n%v", a, b)
	}
}

func TestUnderstand(t *testing.T) {
	r, _ := New(northgate(), Options{})
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"yes please", "yes"},
		{"no that's not right", "no"},
		{"no that's fine", "no"},
		{"that's right", "yes"},
		{"go ahead and book it", "yes"},
		{"the second one please", "choice=2"},
		{"the first option", "choice=1"},
		{"the later one", "choice=2"},
		{"something later please", "later"},
		{"have you got anything else", "another"},
		{"can i talk to someone", "person"},
		{"is anyone free on tuesday", "anyone day"},
		{"i need my bloods done", "proc=blood-test"},
		{"knee scan", "proc=mri-knee"},
		{"a scan", "proc=mri-knee"},
		{"the test", "proc=blood-test"},
		{"with doctor hughes", "prac=hughes"},
		{"amara please", "prac=okafor"},
		{"bye then", "bye"},
		{"what time do you open", "hours"},
		{"blah blah", ""},
	} {
		h := r.understand(said(tc.in), callTime)
		var got []string
		for _, f := range []struct {
			on   bool
			name string
		}{{h.yes, "yes"}, {h.no, "no"}, {h.person, "person"}, {h.bye, "bye"}, {h.hours, "hours"},
			{h.another, "another"}, {h.later, "later"}, {h.earlier, "earlier"}, {h.anyone, "anyone"}, {h.day != nil, "day"}} {
			if f.on {
				got = append(got, f.name)
			}
		}
		if h.choice != 0 {
			got = append(got, fmt.Sprintf("choice=%d", h.choice))
		}
		if h.proc != nil {
			got = append(got, "proc="+h.proc.ID)
		}
		if h.prac != nil {
			got = append(got, "prac="+h.prac.ID)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("understand(%q) = %q, want %q", tc.in, g, tc.want)
		}
	}
	if got := r.Interpret(said("blood test on friday at half past ten please"), callTime).String(); got != "procedure=blood-test day=2026-03-13 clock=10:30" {
		t.Errorf("Interpret = %q", got)
	}
	// Words below the threshold are not used.
	h := r.understand(voice.Transcript{Words: []voice.Word{{Text: "yes", Confidence: 0.05}, {Text: "colonoscopy", Confidence: 0.9}}}, callTime)
	if h.yes || h.proc == nil || h.dropped != 1 {
		t.Errorf("low-confidence yes used: %+v", h)
	}
	// A provider without words: its text is used.
	h = r.understand(voice.Transcript{Text: "Yes, Tuesday at 10:30.", Confidence: 1}, callTime)
	if !h.yes || h.day == nil || h.clock == nil || h.clock.Minutes()[0] != 10*60+30 {
		t.Errorf("text-only transcript: %+v", h)
	}
}

func TestLaterAndEarlier(t *testing.T) {
	dialogue(t, newFakeTools(), []step{
		{say: "blood test on monday at ten"},
		{say: "something later please", want: []string{"I also have Monday at half past ten"}, tools: []string{"free_slots"}},
		{say: "earlier", want: []string{"I also have Monday at ten o'clock with Doctor Hughes"}, tools: []string{"free_slots"}},
	})
}
