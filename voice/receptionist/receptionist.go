// Package receptionist is the embedded, rule-based voice agent: it books
// an appointment through the same voice.Tools as the LLM agent, with no
// model behind it. It finds out the procedure, the day and time of day,
// offers one or two free slots in words, holds the chosen one, reads it
// back for a yes or no, and confirms the booking.
//
// Recognition on the embedded path is rough, so it never acts on a word
// below the confidence threshold, echoes what it understood in its next
// question, reads the booking back before confirming it, re-prompts with
// keypad choices ("press 1 for yes, 2 for no") after a failed turn, and
// hands the call to staff after repeated failures or when asked.
//
// It is deterministic and table-driven: the same turns give the same
// replies and tool calls.
package receptionist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/receptionist/spoken"
)

// Tool names, as the LLM agent names the same tools.
const (
	ToolFreeSlots        = "free_slots"
	ToolHoldSlot         = "hold_slot"
	ToolConfirmBooking   = "confirm_booking"
	ToolDiscussProcedure = "discuss_procedure"
)

// Options tune the receptionist; the zero value is the default.
type Options struct {
	// MinConfidence: words the recogniser is less sure of are ignored.
	// Default 0.2, the embedded recogniser's threshold
	// (embedded.ConfidenceThreshold); providers that report no
	// confidence give every word 1.
	MinConfidence float64
	// MaxFailures is how many turns in a row may go not understood
	// before the call is handed to staff; default 3.
	MaxFailures int
	// SearchDays is how many days past the asked one are searched when
	// it has nothing free; default 7.
	SearchDays int
	// HoldSeconds is how long a chosen slot is held for the read-back;
	// default contract.DefaultHoldSeconds.
	HoldSeconds int
	// IDPrefix starts every tool call id (they become Temporal Update
	// ids, so they must be unique per call); default random.
	IDPrefix string
}

// Receptionist is one call's agent.
type Receptionist struct {
	clinic    *voice.ClinicProfile
	opt       Options
	loc       *time.Location
	procWords procedureWords
	greeting  string

	// mu serialises replies: a cancelled reply may still be finishing
	// when the next turn starts.
	mu    sync.Mutex
	calls int // tool calls made, for ids
	st    state
}

// New makes the receptionist of one call.
func New(clinic *voice.ClinicProfile, opt Options) (*Receptionist, error) {
	if clinic == nil {
		return nil, errors.New("receptionist: no clinic profile")
	}
	if opt.MinConfidence == 0 {
		opt.MinConfidence = 0.2
	}
	if opt.MaxFailures <= 0 {
		opt.MaxFailures = 3
	}
	if opt.SearchDays <= 0 {
		opt.SearchDays = 7
	}
	if opt.HoldSeconds <= 0 {
		opt.HoldSeconds = contract.DefaultHoldSeconds
	}
	if opt.IDPrefix == "" {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("receptionist: %w", err)
		}
		opt.IDPrefix = "rcp-" + hex.EncodeToString(b[:])
	}
	r := &Receptionist{clinic: clinic, opt: opt, loc: clinic.Location(), procWords: newProcedureWords(clinic.Procedures)}
	r.greeting = "Thank you for calling " + clinicName(clinic) + ". "
	if list := r.procedureList("or"); list != "" && len(clinic.Procedures) <= 4 {
		r.greeting += "I can book " + list + ". "
	}
	r.greeting += "What would you like to book?"
	r.st = state{discussed: map[string]bool{}, offered: map[string]bool{}}
	return r, nil
}

// Factory is a voice.AgentFactory for the receptionist.
func Factory(opt Options) voice.AgentFactory {
	return func(clinic *voice.ClinicProfile) (voice.Agent, error) { return New(clinic, opt) }
}

// Greeting depends only on the clinic.
func (r *Receptionist) Greeting() string { return r.greeting }

type stage int

const (
	askProcedure stage = iota
	askDay
	offering
	confirming
	finished
)

// state is the dialogue so far. A reply works on a copy and keeps it only
// if it was not cancelled.
type state struct {
	stage     stage
	proc      *voice.Procedure
	prac      *voice.Practitioner
	day       *spoken.Day
	part      *spoken.PartOfDay
	clock     *spoken.Clock
	offers    []contract.FreeSlot
	offered   map[string]bool // slot ids offered already
	held      *contract.FreeSlot
	holdID    string
	failures  int
	discussed map[string]bool
}

func (s state) clone() state {
	c := s
	c.offers = slices.Clone(s.offers)
	c.offered = make(map[string]bool, len(s.offered))
	for k, v := range s.offered {
		c.offered[k] = v
	}
	c.discussed = make(map[string]bool, len(s.discussed))
	for k, v := range s.discussed {
		c.discussed[k] = v
	}
	return c
}

// maxEvents bounds one reply's events, so the channel never blocks a
// reply whose reader has gone (the session stops reading on barge-in).
const maxEvents = 64

// Respond answers one caller turn.
func (r *Receptionist) Respond(ctx context.Context, in voice.AgentInput) <-chan voice.AgentEvent {
	out := make(chan voice.AgentEvent, maxEvents)
	go func() {
		defer close(out)
		r.mu.Lock()
		t := &turn{r: r, ctx: ctx, in: in, out: out, st: r.st.clone(), calls: r.calls}
		action, err := t.run()
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if err == nil {
			r.st = t.st
		}
		// Ids stay unique even when a reply was cut short.
		r.calls = t.calls
		r.mu.Unlock()
		out <- voice.AgentEvent{Done: true, Action: action, Messages: t.messages, Err: err}
	}()
	return out
}

// turn is one reply in the making.
type turn struct {
	r        *Receptionist
	ctx      context.Context
	in       voice.AgentInput
	out      chan<- voice.AgentEvent
	st       state
	calls    int
	messages []voice.Message
	events   int
}

var errTooLong = errors.New("receptionist: reply too long")

func (t *turn) say(format string, args ...any) {
	if t.ctx.Err() != nil || t.events >= maxEvents-1 {
		return
	}
	t.events++
	t.out <- voice.AgentEvent{Text: fmt.Sprintf(format, args...)}
}

// tool runs one tool call with a fresh id, reporting it as events and
// messages. It refuses once the reply is cancelled.
func (t *turn) tool(name string, args any, call func(id string) (any, error)) error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if t.events >= maxEvents-3 {
		return errTooLong
	}
	t.calls++
	id := fmt.Sprintf("%s-%d-%s", t.r.opt.IDPrefix, t.calls, name)
	argJSON, _ := json.Marshal(args)
	t.events++
	t.out <- voice.AgentEvent{ToolStarted: name}
	start := time.Now()
	res, err := call(id)
	timing := &voice.ToolTiming{Name: name, Duration: time.Since(start)}
	resText := ""
	if err != nil {
		timing.Err = err.Error()
		resText = fmt.Sprintf(`{"error":%q}`, err.Error())
	} else {
		b, _ := json.Marshal(res)
		resText = string(b)
	}
	t.events++
	t.out <- voice.AgentEvent{ToolDone: timing}
	t.messages = append(t.messages,
		voice.Message{Role: voice.RoleAgent, ToolCalls: []voice.ToolCall{{ID: id, Name: name, Arguments: string(argJSON)}}},
		voice.Message{Role: voice.RoleTool, ToolCallID: id, Name: name, Text: resText})
	return err
}

// run decides the reply; it answers the action the reply ends with.
func (t *turn) run() (string, error) {
	st := &t.st
	if st.stage == finished {
		t.say("Thank you for calling. Goodbye.")
		return voice.ActionEndCall, nil
	}
	h := t.r.understand(t.in.Heard, t.now())
	key := lastKey(t.in.DTMF)
	if key == '0' || h.person {
		t.say("Of course. I'll put you through to a member of our team.")
		return voice.ActionTransfer, nil
	}
	if h.hours && t.r.clinic.Hours != "" {
		t.say("We're open %s.", t.r.clinic.Hours)
		if !h.anything || (h.proc == nil && h.day == nil && h.clock == nil && !h.yes && !h.no) {
			t.say("%s", t.prompt(false))
			return voice.ActionNone, nil
		}
	}
	if h.bye && !h.yes {
		if st.stage == confirming {
			t.say("No problem, I won't book it.")
		}
		t.say("Thank you for calling %s. Goodbye.", clinicName(t.r.clinic))
		st.stage = finished
		return voice.ActionEndCall, nil
	}
	// What the caller told us is kept whatever we asked.
	if h.proc != nil && (st.proc == nil || st.proc.ID != h.proc.ID) {
		st.proc = h.proc
		if st.stage > askDay {
			st.stage = askDay // a new procedure needs new slots
		}
	}
	if h.prac != nil {
		st.prac = h.prac
	} else if h.anyone {
		st.prac = nil
	}
	if h.day != nil {
		st.day = h.day
	}
	if h.part != nil {
		st.part = h.part
	}
	if h.clock != nil {
		st.clock = h.clock
	}

	switch st.stage {
	case askProcedure:
		if st.proc == nil && key >= '1' && key <= '9' && int(key-'1') < len(t.r.clinic.Procedures) {
			st.proc = &t.r.clinic.Procedures[key-'1']
		}
		if st.proc == nil {
			if h.day != nil || h.clock != nil || h.part != nil || h.prac != nil {
				// Useful, but not yet the procedure: ask for it.
				st.failures = 0
				t.say("Which appointment is that for? I can book %s.", t.r.procedureList("or"))
				return voice.ActionNone, nil
			}
			return t.failed(h)
		}
		return t.procedureKnown(false)
	case askDay:
		if st.day == nil && st.part == nil && st.clock == nil && key != '1' && h.proc == nil {
			return t.failed(h)
		}
		return t.procedureKnown(key == '1')
	case offering:
		return t.offering(h, key)
	case confirming:
		return t.confirming(h, key)
	}
	return voice.ActionNone, nil
}

func (t *turn) now() time.Time {
	if t.in.Now.IsZero() {
		return time.Now().In(t.r.loc)
	}
	return t.in.Now.In(t.r.loc)
}

// lastKey is the last key pressed, or 0.
func lastKey(dtmf string) byte {
	for i := len(dtmf) - 1; i >= 0; i-- {
		if c := dtmf[i]; (c >= '0' && c <= '9') || c == '*' || c == '#' {
			return c
		}
	}
	return 0
}

// procedureKnown goes on once the procedure is known: it is echoed, noted
// for the follow-up message, then the day is asked or slots searched.
func (t *turn) procedureKnown(soonest bool) (string, error) {
	st := &t.st
	if st.stage == askProcedure {
		t.say("%s, certainly.", capitalise(withArticle(st.proc.Name)))
		st.stage = askDay
	}
	if !st.discussed[st.proc.ID] {
		err := t.tool(ToolDiscussProcedure, contract.DiscussProcedureRequest{ProcedureID: st.proc.ID}, func(id string) (any, error) {
			return nil, t.in.Tools.DiscussProcedure(t.ctx, id, contract.DiscussProcedureRequest{ProcedureID: st.proc.ID})
		})
		if err != nil {
			return t.toolFailed(err)
		}
		st.discussed[st.proc.ID] = true
	}
	if st.day == nil && (st.part != nil || st.clock != nil || soonest) {
		// A time of day without a day: the soonest days.
		today := dateOf(t.now())
		st.day = &spoken.Day{From: today, To: today.AddDate(0, 0, spoken.Soon-1)}
	}
	if st.day == nil {
		st.failures = 0
		t.say("%s", t.prompt(false))
		return voice.ActionNone, nil
	}
	return t.search(false)
}

// search finds free slots that fit what the caller asked and offers one
// or two of them.
func (t *turn) search(more bool) (string, error) {
	st := &t.st
	st.failures = 0
	days := st.day.Days()
	if st.day.Single() {
		for i := 1; i <= t.r.opt.SearchDays; i++ {
			days = append(days, st.day.From.AddDate(0, 0, i))
		}
	}
	today := dateOf(t.now())
	asked := st.day.From
	if more {
		// Still the same search: nothing to announce.
	} else if st.day.Single() {
		t.say("Let me check %s.", spoken.SayDay(asked, today))
	} else {
		t.say("Let me look for the first free time.")
	}
	var found []contract.FreeSlot
	var foundDay time.Time
	for _, d := range days {
		if d.Before(today) || d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		var slots []contract.FreeSlot
		err := t.tool(ToolFreeSlots, map[string]string{"day": d.Format(time.DateOnly), "procedure_id": st.proc.ID}, func(string) (any, error) {
			var err error
			slots, err = t.in.Tools.FreeSlots(t.ctx, d, st.proc.ID)
			return slots, err
		})
		if err != nil {
			return t.toolFailed(err)
		}
		if found = t.pick(slots, d); len(found) > 0 {
			foundDay = d
			break
		}
	}
	if len(found) == 0 {
		t.say("I'm sorry, I can't find a free time %s. Which other day would suit you?", t.constraintWords(today))
		st.stage, st.day, st.clock, st.part = askDay, nil, nil, nil
		return voice.ActionNone, nil
	}
	st.offers = found
	for _, s := range found {
		st.offered[s.SlotID] = true
	}
	st.stage = offering
	prefix := ""
	if st.day.Single() && !foundDay.Equal(asked) {
		prefix = fmt.Sprintf("I have nothing free %s. ", onDay(asked, today))
	} else if more {
		prefix = "I also have "
	}
	t.say("%s%s", prefix, t.offerWords(found, prefix == "I also have "))
	return voice.ActionNone, nil
}

// pick chooses up to two of a day's slots that fit the practitioner, the
// part of the day and the time asked for, not offered before.
func (t *turn) pick(slots []contract.FreeSlot, day time.Time) []contract.FreeSlot {
	st := &t.st
	var fit []contract.FreeSlot
	for _, s := range slots {
		start := s.StartsAt.In(t.r.loc)
		if !sameDay(start, day) || st.offered[s.SlotID] || !start.After(t.now()) {
			continue
		}
		if st.prac != nil && s.PractitionerID != st.prac.ID {
			continue
		}
		min := start.Hour()*60 + start.Minute()
		if st.part != nil && (min < st.part.From || min >= st.part.To) {
			continue
		}
		if c := st.clock; c != nil {
			ok := false
			for _, m := range c.Minutes() {
				switch c.Relation {
				case spoken.After:
					ok = ok || min >= m
				case spoken.Before:
					ok = ok || min < m
				default:
					ok = ok || min >= m-60 && min <= m+60 // near the time; exact first below
				}
			}
			if !ok {
				continue
			}
		}
		fit = append(fit, s)
	}
	slices.SortStableFunc(fit, func(a, b contract.FreeSlot) int {
		return t.distance(a) - t.distance(b)
	})
	// Two offers at different times where possible.
	var out []contract.FreeSlot
	for _, s := range fit {
		if len(out) == 1 && s.StartsAt.Equal(out[0].StartsAt) && len(fit) > 2 {
			continue
		}
		out = append(out, s)
		if len(out) == 2 {
			break
		}
	}
	return out
}

// distance orders slots: nearest the asked time; before a time, latest
// first; else earliest.
func (t *turn) distance(s contract.FreeSlot) int {
	start := s.StartsAt.In(t.r.loc)
	min := start.Hour()*60 + start.Minute()
	if c := t.st.clock; c != nil && c.Relation == spoken.At {
		best := 24 * 60
		for _, m := range c.Minutes() {
			best = smaller(best, abs(min-m))
		}
		return best*2000 + min
	}
	if c := t.st.clock; c != nil && c.Relation == spoken.Before {
		return 24*60 - min // the latest before the time first
	}
	return min
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func smaller(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// offering handles the answer to an offer.
func (t *turn) offering(h heard, key byte) (string, error) {
	st := &t.st
	choice := h.choice
	switch {
	case key == '1' || key == '2':
		choice = int(key - '0')
	case key == '3':
		h.another = true
	}
	if choice == 0 && h.clock != nil {
		for i, s := range st.offers {
			start := s.StartsAt.In(t.r.loc)
			if slices.Contains(h.clock.Minutes(), start.Hour()*60+start.Minute()) && h.clock.Relation == spoken.At {
				choice = i + 1
			}
		}
	}
	if choice == 0 && h.prac != nil && h.day == nil && h.clock == nil {
		for i, s := range st.offers {
			if s.PractitionerID == h.prac.ID {
				choice = i + 1
				break
			}
		}
	}
	if choice == 0 && h.yes && !h.no && len(st.offers) == 1 {
		choice = 1
	}
	if choice > 0 && choice <= len(st.offers) {
		return t.hold(st.offers[choice-1])
	}
	switch {
	case h.day != nil || h.clock != nil || h.part != nil || h.prac != nil || h.proc != nil:
		return t.search(false)
	case h.later || h.earlier:
		if len(st.offers) > 0 {
			// Strictly later than the latest offer, or earlier than the
			// earliest.
			first, last := st.offers[0].StartsAt, st.offers[0].StartsAt
			for _, o := range st.offers {
				if o.StartsAt.Before(first) {
					first = o.StartsAt
				}
				if o.StartsAt.After(last) {
					last = o.StartsAt
				}
			}
			ref, rel := last.In(t.r.loc).Add(time.Minute), spoken.After
			if h.earlier {
				ref, rel = first.In(t.r.loc), spoken.Before
			}
			st.clock = &spoken.Clock{Hour: ref.Hour() % 12, Minute: ref.Minute(), Meridiem: meridiem(ref), Relation: rel}
			if st.clock.Hour == 0 {
				st.clock.Hour = 12
			}
			d := dateOf(ref)
			st.day = &spoken.Day{From: d, To: d}
		}
		return t.search(true)
	case h.another || h.no:
		return t.search(true)
	case h.yes && len(st.offers) > 1:
		st.failures = 0
		t.say("Which one would you like: the first or the second? You can also press 1 or 2.")
		return voice.ActionNone, nil
	}
	return t.failed(h)
}

func meridiem(t time.Time) spoken.Meridiem {
	if t.Hour() >= 12 {
		return spoken.PM
	}
	return spoken.AM
}

// hold asks the workflow to hold a slot, then reads it back.
func (t *turn) hold(slot contract.FreeSlot) (string, error) {
	st := &t.st
	st.failures = 0
	req := contract.HoldSlotRequest{SlotID: slot.SlotID, HoldSeconds: t.r.opt.HoldSeconds, ProcedureID: st.proc.ID}
	var res contract.HoldSlotResult
	err := t.tool(ToolHoldSlot, req, func(id string) (any, error) {
		var err error
		res, err = t.in.Tools.HoldSlot(t.ctx, id, req)
		return res, err
	})
	if err != nil {
		return t.toolFailed(err)
	}
	switch res.Status {
	case contract.HoldHeld:
		st.held, st.holdID, st.stage = &slot, res.HoldID, confirming
		t.say("I've reserved %s. Shall I book it?", t.slotWords(slot, true))
		return voice.ActionNone, nil
	case contract.HoldConflict, contract.HoldExpired:
		var alts []contract.FreeSlot
		for _, a := range res.Alternatives {
			if a.SlotID != slot.SlotID && (st.prac == nil || a.PractitionerID == st.prac.ID) {
				alts = append(alts, a)
			}
		}
		if len(alts) == 0 {
			alts = res.Alternatives
		}
		if len(alts) > 2 {
			alts = alts[:2]
		}
		st.offered[slot.SlotID] = true
		if len(alts) == 0 {
			t.say("I'm sorry, that time has just been taken.")
			return t.search(true)
		}
		st.offers = alts
		for _, a := range alts {
			st.offered[a.SlotID] = true
		}
		st.stage = offering
		t.say("I'm sorry, that time has just been taken. I can offer %s", t.offerWords(alts, true))
		return voice.ActionNone, nil
	default: // not_found: the slot is gone
		st.offered[slot.SlotID] = true
		t.say("I'm sorry, that time is no longer available.")
		return t.search(true)
	}
}

// confirming handles the answer to the read-back.
func (t *turn) confirming(h heard, key byte) (string, error) {
	st := &t.st
	yes, no := h.yes && !h.no, h.no
	switch key {
	case '1':
		yes, no = true, false
	case '2':
		yes, no = false, true
	}
	switch {
	case yes:
		return t.confirm()
	case no && (h.day != nil || h.clock != nil || h.part != nil || h.prac != nil):
		st.held, st.holdID = nil, ""
		return t.search(false)
	case no:
		st.held, st.holdID, st.failures = nil, "", 0
		t.say("No problem, I won't book that.")
		return t.search(true)
	case h.day != nil || h.clock != nil || h.part != nil || h.prac != nil || h.proc != nil:
		st.held, st.holdID = nil, ""
		return t.search(false)
	}
	return t.failed(h)
}

// confirm books the held slot.
func (t *turn) confirm() (string, error) {
	st := &t.st
	req := contract.ConfirmBookingRequest{HoldID: st.holdID, ProcedureID: st.proc.ID}
	var res contract.ConfirmBookingResult
	err := t.tool(ToolConfirmBooking, req, func(id string) (any, error) {
		var err error
		res, err = t.in.Tools.ConfirmBooking(t.ctx, id, req)
		return res, err
	})
	if err != nil {
		return t.toolFailed(err)
	}
	switch res.Status {
	case contract.BookingBooked:
		t.say("You're booked in: %s. Thank you for calling %s. Goodbye.", t.slotWords(*st.held, true), clinicName(t.r.clinic))
		st.stage = finished
		return voice.ActionEndCall, nil
	case contract.HoldExpired, contract.HoldNotFound:
		slot := *st.held
		st.held, st.holdID = nil, ""
		t.say("I'm sorry, the reservation ran out before I could book it. Let me try again.")
		delete(st.offered, slot.SlotID)
		return t.hold(slot)
	default:
		t.say("I'm sorry, I couldn't complete that booking. I'll put you through to a member of our team.")
		return voice.ActionTransfer, nil
	}
}

// failed answers a turn that moved nothing on: a re-prompt, with keypad
// choices from the first failure, and staff after MaxFailures.
func (t *turn) failed(h heard) (string, error) {
	st := &t.st
	st.failures++
	if st.failures >= t.r.opt.MaxFailures {
		t.say("I'm sorry, I'm having trouble understanding. I'll put you through to a member of our team.")
		return voice.ActionTransfer, nil
	}
	switch {
	case h.dropped > 0 && len(h.words) == 0, !h.anything:
		t.say("Sorry, I didn't catch that.")
	default:
		t.say("Sorry, I didn't quite understand.")
	}
	t.say("%s", t.prompt(true))
	return voice.ActionNone, nil
}

// toolFailed gives up on a tool error: staff can help where the diary
// cannot.
func (t *turn) toolFailed(err error) (string, error) {
	if t.ctx.Err() != nil {
		return voice.ActionNone, t.ctx.Err()
	}
	if errors.Is(err, errTooLong) {
		return voice.ActionNone, err
	}
	t.say("I'm sorry, I can't reach the appointment diary just now. I'll put you through to a member of our team.")
	return voice.ActionTransfer, nil
}

// prompt is the question of the current stage; with keys, it offers the
// keypad too.
func (t *turn) prompt(keys bool) string {
	st := &t.st
	switch st.stage {
	case askProcedure:
		p := "What would you like to book? I can book " + t.r.procedureList("or") + "."
		if keys && len(t.r.clinic.Procedures) > 0 && len(t.r.clinic.Procedures) <= 9 {
			var ks []string
			for i, pr := range t.r.clinic.Procedures {
				ks = append(ks, fmt.Sprintf("%d for %s", i+1, withArticle(pr.Name)))
			}
			p += " Or press " + joinWords(ks, "or") + "."
		}
		return p
	case askDay:
		p := "Which day would suit you? For example tomorrow, or next Tuesday."
		if keys {
			p += " Or press 1 for the first free appointment."
		}
		return p
	case offering:
		p := t.offerWords(st.offers, false)
		if keys && len(st.offers) == 2 {
			p += " Press 1 for the first, 2 for the second, or 3 for other times."
		} else if keys {
			p += " Press 1 for yes, or 3 for other times."
		}
		return p
	case confirming:
		p := "Shall I book " + t.slotWords(*st.held, false) + "? Please say yes or no."
		if keys {
			p += " Or press 1 for yes, 2 for no."
		}
		return p
	}
	return "How can I help?"
}

// offerWords says one or two slots and asks which.
func (t *turn) offerWords(slots []contract.FreeSlot, continued bool) string {
	today := dateOf(t.now())
	switch len(slots) {
	case 0:
		return "Which day would suit you?"
	case 1:
		if continued {
			return fmt.Sprintf("%s. Would that suit you?", t.slotPhrase(slots[0], today, true))
		}
		return fmt.Sprintf("I have %s. Would that suit you?", t.slotPhrase(slots[0], today, true))
	}
	a, b := slots[0], slots[1]
	same := sameDay(a.StartsAt.In(t.r.loc), b.StartsAt.In(t.r.loc))
	lead := "I have"
	if continued {
		lead = ""
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s, or %s. Which would you like?", lead, t.slotPhrase(a, today, true), t.slotPhrase(b, today, !same)))
}

// slotPhrase: "Tuesday at half past ten with Doctor Okafor".
func (t *turn) slotPhrase(s contract.FreeSlot, today time.Time, withDay bool) string {
	start := s.StartsAt.In(t.r.loc)
	p := spoken.SayClock(start.Hour(), start.Minute())
	if withDay {
		p = spoken.SayDay(start, today) + " at " + p
	}
	if name := t.r.practitionerName(s.PractitionerID); name != "" {
		p += " with " + name
	}
	return p
}

// slotWords says a held slot with its procedure: "a blood test on Tuesday
// the fourteenth of March at half past ten with Doctor Okafor".
func (t *turn) slotWords(s contract.FreeSlot, full bool) string {
	start := s.StartsAt.In(t.r.loc)
	today := dateOf(t.now())
	day := spoken.SayDay(start, today)
	if full && day != "today" && day != "tomorrow" {
		day = spoken.Weekdays[start.Weekday()]
		day = capitalise(day) + " the " + spoken.Ordinal(start.Day())
	}
	p := withArticle(t.st.proc.Name) + " "
	if day == "today" || day == "tomorrow" {
		p += day
	} else {
		p += "on " + day
	}
	p += " at " + spoken.SayClock(start.Hour(), start.Minute())
	if name := t.r.practitionerName(s.PractitionerID); name != "" {
		p += " with " + name
	}
	return p
}

// constraintWords says what was searched for: "on Tuesday in the morning".
func (t *turn) constraintWords(today time.Time) string {
	st := &t.st
	var p []string
	if st.day != nil && st.day.Single() {
		p = append(p, onDay(st.day.From, today))
	} else {
		p = append(p, "in the next two weeks")
	}
	if st.part != nil {
		p = append(p, "in the "+st.part.Name)
	}
	if st.prac != nil {
		p = append(p, "with "+t.r.practitionerName(st.prac.ID))
	}
	return strings.Join(p, " ")
}

// practitionerName: "Doctor Okafor" for "Dr Amara Okafor".
func (r *Receptionist) practitionerName(id string) string {
	for _, p := range r.clinic.Practitioners {
		if p.ID != id {
			continue
		}
		ws := strings.Fields(p.Name)
		if len(ws) >= 2 {
			switch strings.ToLower(strings.TrimSuffix(ws[0], ".")) {
			case "dr", "doctor":
				return "Doctor " + ws[len(ws)-1]
			}
		}
		return p.Name
	}
	return ""
}

// procedureList: "a colonoscopy, an MRI scan of the knee or a blood test".
func (r *Receptionist) procedureList(conj string) string {
	var ps []string
	for _, p := range r.clinic.Procedures {
		ps = append(ps, withArticle(p.Name))
	}
	return joinWords(ps, conj)
}

func joinWords(ws []string, conj string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " " + conj + " " + ws[len(ws)-1]
}

// withArticle: "a blood test", "an MRI scan" (letters said as names).
func withArticle(name string) string {
	if name == "" {
		return name
	}
	first := strings.Fields(name)[0]
	lower := strings.ToLower(name[:1]) + name[1:]
	if len(first) > 1 && strings.ToUpper(first) == first {
		lower = name // keep an acronym's capitals
		if strings.ContainsRune("AEFHILMNORSX", rune(first[0])) {
			return "an " + lower
		}
		return "a " + lower
	}
	if strings.ContainsRune("aeiouAEIOU", rune(name[0])) {
		return "an " + lower
	}
	return "a " + lower
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func clinicName(c *voice.ClinicProfile) string {
	if c.Name == "" {
		return "the clinic"
	}
	return c.Name
}

// onDay: "today", "tomorrow", "on Tuesday".
func onDay(day, today time.Time) string {
	d := spoken.SayDay(day, today)
	if d == "today" || d == "tomorrow" {
		return d
	}
	return "on " + d
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
