package voice

import (
	"context"
	"time"

	"github.com/frontdesk/frontdesk/contract"
)

// ClinicProfile is what the agent knows of the clinic it answers for, read
// from Postgres when the call's stream starts. No patient data, no caller
// number.
type ClinicProfile struct {
	OrgID    string `json:"org_id"`
	ClinicID string `json:"clinic_id"`
	Name     string `json:"name"`
	// Timezone is an IANA name; days and times are spoken in it.
	Timezone string `json:"timezone"`
	// Hours are the opening hours in words ("Monday to Friday, 8am to 6pm").
	Hours         string         `json:"hours"`
	Procedures    []Procedure    `json:"procedures"`
	Practitioners []Practitioner `json:"practitioners"`
}

// Procedure is one thing the clinic books.
type Procedure struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	DurationMinutes int    `json:"duration_minutes"`
}

// Practitioner is one person whose slots can be booked.
type Practitioner struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Location is the clinic's time zone (UTC if it is unknown).
func (p *ClinicProfile) Location() *time.Location {
	if loc, err := time.LoadLocation(p.Timezone); err == nil && p.Timezone != "" {
		return loc
	}
	return time.UTC
}

// Tools are what an agent may do to the world during a call. The session
// implements them: free slots are read from Postgres directly (a read needs
// no workflow round trip); holds, bookings and discussed procedures are
// the call workflow's Updates, answered synchronously. toolCallID is the
// Update ID, so a retried tool call is de-duplicated by Temporal.
type Tools interface {
	// FreeSlots lists the clinic's free slots on a day (a date in the
	// clinic's time zone), long enough for procedureID when it is set.
	FreeSlots(ctx context.Context, day time.Time, procedureID string) ([]contract.FreeSlot, error)
	HoldSlot(ctx context.Context, toolCallID string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error)
	ConfirmBooking(ctx context.Context, toolCallID string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error)
	DiscussProcedure(ctx context.Context, toolCallID string, req contract.DiscussProcedureRequest) error
}

// Roles of a Message.
const (
	RoleCaller = "caller"
	RoleAgent  = "agent"
	RoleTool   = "tool"
)

// Message is one entry of the conversation as the agent keeps it. An agent
// message holds only what the caller heard of it (the session cuts it at
// the last played mark when the caller barges in).
type Message struct {
	Role string `json:"role"`
	Text string `json:"text,omitempty"`
	// ToolCalls an agent message made; ToolCallID and Name on the tool's
	// answer (Text is then the result, JSON).
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Name       string     `json:"name,omitempty"`
}

// ToolCall is one call of a tool by the agent; Arguments is JSON.
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Actions an agent's reply can end with.
const (
	ActionNone = ""
	// ActionEndCall: play the reply (the goodbye), wait for its mark,
	// close the stream; the call then hangs up.
	ActionEndCall = "end_call"
	// ActionTransfer: play the reply, then hand the call to the clinic's
	// staff number.
	ActionTransfer = "transfer_to_staff"
)

// AgentInput is one caller turn for the agent to answer.
type AgentInput struct {
	// History is the conversation so far, the caller's new turn last
	// (unless the turn is DTMF only).
	History []Message
	// Heard is the recogniser's transcript of the new turn, with
	// confidences (empty when the turn is DTMF only).
	Heard Transcript
	// DTMF holds the keys the caller pressed since the last turn.
	DTMF string
	// Now is the call's wall-clock time, for "tomorrow" and "next Tuesday".
	Now   time.Time
	Tools Tools
}

// AgentEvent is one step of an agent's reply, in order. Exactly one event
// has Done set, and it is the last.
type AgentEvent struct {
	// Text is the next piece of the reply to speak (any length: the
	// session chunks it into clauses for TTS).
	Text string
	// ToolStarted names a tool the agent is about to call, before its
	// round trip, so the session may play a cached filler.
	ToolStarted string
	// ToolDone reports a finished tool call, as the agent saw it (its
	// Duration includes any wait for the turn's release; the session
	// times the round trip itself).
	ToolDone *ToolTiming
	Done     bool
	// Action and Messages come with Done: how the reply ends, and the
	// tool call and tool result messages it added to the conversation
	// (the spoken text is added by the session, as heard).
	Action   string
	Messages []Message
	// Err with Done: the reply failed (the session speaks a fallback).
	Err error
}

// ToolTiming is one tool call's name, outcome and round trip.
type ToolTiming struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration"`
	Err      string        `json:"error,omitempty"`
}

// Agent answers one call. The session makes one per call, so an agent may
// keep dialogue state between turns.
type Agent interface {
	// Greeting is said when the stream starts; the session caches its
	// audio per clinic, so it must not depend on the call.
	Greeting() string
	// Respond answers a caller turn. The channel is closed after the Done
	// event. Cancelling ctx (the caller barged in, or the speculative turn
	// was wrong) stops the reply: the agent must then send Done promptly
	// and make no further tool calls.
	Respond(ctx context.Context, in AgentInput) <-chan AgentEvent
}

// AgentFactory makes the agent of one call.
type AgentFactory func(clinic *ClinicProfile) (Agent, error)
