package openai

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/sashabaranov/go-openai/jsonschema"

	"github.com/frontdesk/frontdesk/voice"
)

// Tool names, as the model sees them and as AgentEvent.ToolStarted and
// ToolTiming.Name report them.
const (
	ToolFindFreeSlots    = "find_free_slots"
	ToolHoldSlot         = "hold_slot"
	ToolConfirmBooking   = "confirm_booking"
	ToolDiscussProcedure = "discuss_procedure"
	ToolEndCall          = "end_call"
	ToolTransferToStaff  = "transfer_to_staff"
)

// systemPrompt is the clinic's standing instructions plus the day, from
// which the model resolves "tomorrow" and "next Tuesday" in the clinic's
// time zone. It holds no caller data.
func systemPrompt(clinic *voice.ClinicProfile, now time.Time) string {
	loc := clinic.Location()
	now = now.In(loc)
	var b strings.Builder
	fmt.Fprintf(&b, "You are the receptionist of %s, answering a phone call. Everything you write is spoken aloud by a speech synthesiser to the caller.\n\n", clinic.Name)
	if clinic.Hours != "" {
		fmt.Fprintf(&b, "Opening hours: %s.\n", strings.TrimSuffix(clinic.Hours, "."))
	}
	if len(clinic.Procedures) > 0 {
		b.WriteString("\nProcedures the clinic books (procedure_id: name, length):\n")
		for _, p := range clinic.Procedures {
			fmt.Fprintf(&b, "- %s: %s, %d minutes\n", p.ID, p.Name, p.DurationMinutes)
		}
	}
	if len(clinic.Practitioners) > 0 {
		b.WriteString("\nPractitioners:\n")
		for _, p := range clinic.Practitioners {
			fmt.Fprintf(&b, "- %s\n", p.Name)
		}
	}
	b.WriteString(`
How you speak:
- Short, plain sentences. At most two sentences, then let the caller talk.
- Ask one question at a time.
- Say times the way people say them ("half past nine", "ten to four", "two in the afternoon") and days as "Tuesday the fourteenth". Never say ids, ISO dates, lists, symbols, markdown or emoji.
- If you did not catch something, ask the caller to say it again.
- Do not give medical advice. If the caller describes an emergency, tell them to hang up and call the emergency services now.
- Do not ask for personal or medical details the booking does not need.

How you book:
1. Find out which procedure the caller wants and which day suits them.
2. Call find_free_slots for that day and offer two or three of the times it returns.
3. When the caller picks a time, call hold_slot with that slot's slot_id.
4. Read the held day and time back and ask the caller to confirm. Only after a clear yes, call confirm_booking with the hold_id.
5. If a slot is taken, offer the alternatives the tool returns.
Never invent a slot, time or id: use only what the tools return.
If the caller asks about a procedure, call discuss_procedure with its procedure_id, then answer briefly.
If the caller asks for a person, is upset, or you cannot help, say you will put them through and call transfer_to_staff.
When the caller has nothing more, say a short goodbye and call end_call.
`)
	// The day and time come last: everything above is the same on every
	// turn of every call to this clinic, a prefix the provider's prompt
	// cache can serve (a shorter time to first token).
	fmt.Fprintf(&b, "\nToday is %s (%s). The time now is %s in the clinic's time zone (%s); every day and time you hear or say is in that time zone.\n",
		now.Format("Monday 2 January 2006"), now.Format(time.DateOnly), now.Format("3:04 pm"), loc.String())
	return b.String()
}

// chatTools are the function tools, with the clinic's procedure ids as an
// enum so the model cannot make one up.
func chatTools(clinic *voice.ClinicProfile) []goopenai.Tool {
	procedure := jsonschema.Definition{Type: jsonschema.String, Description: "The procedure_id from your instructions."}
	for _, p := range clinic.Procedures {
		procedure.Enum = append(procedure.Enum, p.ID)
	}
	str := func(desc string) jsonschema.Definition {
		return jsonschema.Definition{Type: jsonschema.String, Description: desc}
	}
	fn := func(name, desc string, props map[string]jsonschema.Definition, required ...string) goopenai.Tool {
		var params any = jsonschema.Definition{Type: jsonschema.Object, Properties: props, Required: required}
		if len(props) == 0 {
			// jsonschema omits an empty "properties", which some servers
			// require even for a function without arguments.
			params = json.RawMessage(`{"type":"object","properties":{}}`)
		}
		return goopenai.Tool{Type: goopenai.ToolTypeFunction, Function: &goopenai.FunctionDefinition{
			Name: name, Description: desc, Parameters: params,
		}}
	}
	return []goopenai.Tool{
		fn(ToolFindFreeSlots, "List the clinic's free appointment slots on one day.",
			map[string]jsonschema.Definition{
				"day":          str("The day, YYYY-MM-DD, in the clinic's time zone."),
				"procedure_id": procedure,
				"after":        str("Optional: only slots starting at or after this time of day, HH:MM (24-hour)."),
			}, "day"),
		fn(ToolHoldSlot, "Hold a free slot for this caller while they confirm. Returns a hold_id, or alternatives if the slot is gone.",
			map[string]jsonschema.Definition{
				"slot_id":      str("The slot_id from find_free_slots."),
				"procedure_id": procedure,
			}, "slot_id"),
		fn(ToolConfirmBooking, "Book a held slot, after the caller clearly said yes.",
			map[string]jsonschema.Definition{
				"hold_id":      str("The hold_id from hold_slot."),
				"procedure_id": procedure,
			}, "hold_id", "procedure_id"),
		fn(ToolDiscussProcedure, "Note that the caller asked about a procedure, so the clinic can send them its information.",
			map[string]jsonschema.Definition{"procedure_id": procedure}, "procedure_id"),
		fn(ToolEndCall, "End the call after your goodbye.", nil),
		fn(ToolTransferToStaff, "Put the caller through to the clinic's staff.",
			map[string]jsonschema.Definition{"reason": str("Why, in a few words, without personal details.")}, "reason"),
	}
}

// greeting is the first thing a caller hears; it must not depend on the
// call (the session caches its audio per clinic).
func greeting(template string, clinic *voice.ClinicProfile) string {
	if template != "" {
		return strings.ReplaceAll(template, "{clinic}", clinic.Name)
	}
	return fmt.Sprintf("Hello, you've reached %s. I'm the clinic's virtual receptionist. How can I help you today?", clinic.Name)
}
