package openaifake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The booking tools the default script knows, by the names frontdesk's
// agent gives them.
const (
	toolFind     = "find_free_slots"
	toolHold     = "hold_slot"
	toolConfirm  = "confirm_booking"
	toolEndCall  = "end_call"
	toolTransfer = "transfer_to_staff"
)

// DefaultScript is a receptionist good enough for the benchmark: it
// answers in one or two sentences; asked for an appointment it calls
// find_free_slots for the day after the date in the system prompt, then
// hold_slot on the first slot, then asks for a yes; on a yes it calls
// confirm_booking; on a goodbye it says goodbye and calls end_call. It
// only calls tools the request offers, and none under tool_choice "none".
func DefaultScript(req openai.ChatCompletionRequest) Reply {
	tools := toolNames(req)
	if req.ToolChoice == "none" {
		tools = map[string]bool{}
	}
	msgs := req.Messages
	last := msgs[len(msgs)-1]

	if last.Role == openai.ChatMessageRoleTool {
		call := findCall(msgs, last.ToolCallID)
		var result map[string]any
		_ = json.Unmarshal([]byte(last.Content), &result)
		status, _ := result["status"].(string)
		switch call.Function.Name {
		case toolFind:
			slot := firstSlotID(result)
			if slot == "" {
				return Reply{Text: "Sorry, I have nothing free that day. Would another day suit you?"}
			}
			if !tools[toolHold] {
				return Reply{Text: "I have a time free that morning. Would that suit you?"}
			}
			var args map[string]any
			_ = json.Unmarshal([]byte(call.Function.Arguments), &args)
			hold := map[string]any{"slot_id": slot}
			if p, ok := args["procedure_id"].(string); ok && p != "" {
				hold["procedure_id"] = p
			}
			return Reply{ToolCalls: []ToolCall{scriptCall(msgs, toolHold, hold)}}
		case toolHold:
			if status == "held" {
				return Reply{Text: "I've held the first free time that day for you. Shall I book it?"}
			}
			return Reply{Text: "Sorry, that time has just gone. Shall I look at another day?"}
		case toolConfirm:
			if status == "booked" {
				return Reply{Text: "You're all booked in. Is there anything else I can help with?"}
			}
			return Reply{Text: "Sorry, I couldn't book that time. Shall I try another?"}
		}
		return Reply{Text: "Thanks. Is there anything else I can help with?"}
	}

	said := lastUser(msgs)
	switch {
	case hasWord(said, "bye", "goodbye", "that's all", "nothing else", "no thanks"):
		r := Reply{Text: "Thank you for calling. Goodbye!"}
		if tools[toolEndCall] {
			r.ToolCalls = []ToolCall{scriptCall(msgs, toolEndCall, map[string]any{})}
		}
		return r
	case hasWord(said, "person", "human", "receptionist", "staff") && tools[toolTransfer]:
		return Reply{Text: "Of course, I'll put you through.", ToolCalls: []ToolCall{scriptCall(msgs, toolTransfer, map[string]any{"reason": "caller asked for staff"})}}
	case hasWord(said, "yes", "yeah", "confirm", "please do", "go ahead", "book it") && tools[toolConfirm]:
		if hold, proc := lastHold(msgs); hold != "" {
			return Reply{ToolCalls: []ToolCall{scriptCall(msgs, toolConfirm, map[string]any{"hold_id": hold, "procedure_id": proc})}}
		}
	}
	if hasWord(said, "book", "booking", "appointment", "available", "slot", "free", "schedule") && tools[toolFind] {
		args := map[string]any{"day": dayAfter(msgs)}
		if p := firstProcedure(req); p != "" {
			args["procedure_id"] = p
		}
		return Reply{ToolCalls: []ToolCall{scriptCall(msgs, toolFind, args)}}
	}
	replies := []string{
		"Of course. What day would suit you best?",
		"I can help with that. Could you tell me a little more?",
		"Sure. Would you like to book an appointment?",
		"Thanks for calling. What can I do for you today?",
	}
	h := fnv.New32a()
	h.Write([]byte(said))
	return Reply{Text: replies[h.Sum32()%uint32(len(replies))]}
}

// scriptCall makes a tool call whose id is unique to the conversation so
// far, and the same when the same request is made again.
func scriptCall(msgs []openai.ChatCompletionMessage, name string, args map[string]any) ToolCall {
	h := fnv.New64a()
	for _, m := range msgs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", m.Role, m.Content, m.ToolCallID)
	}
	h.Write([]byte(name))
	b, _ := json.Marshal(args)
	return ToolCall{ID: fmt.Sprintf("call_%016x", h.Sum64()), Name: name, Arguments: string(b)}
}

func findCall(msgs []openai.ChatCompletionMessage, id string) openai.ToolCall {
	for _, m := range msgs {
		for _, c := range m.ToolCalls {
			if c.ID == id {
				return c
			}
		}
	}
	return openai.ToolCall{}
}

func firstSlotID(result map[string]any) string {
	slots, _ := result["slots"].([]any)
	for _, s := range slots {
		if m, ok := s.(map[string]any); ok {
			if id, ok := m["slot_id"].(string); ok && id != "" {
				return id
			}
		}
	}
	return ""
}

// lastHold finds the latest held hold_id in the conversation and the
// procedure it was held for.
func lastHold(msgs []openai.ChatCompletionMessage) (holdID, procedureID string) {
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Role != openai.ChatMessageRoleTool {
			continue
		}
		call := findCall(msgs, m.ToolCallID)
		if call.Function.Name != toolHold {
			continue
		}
		var res struct {
			Status string `json:"status"`
			HoldID string `json:"hold_id"`
		}
		if json.Unmarshal([]byte(m.Content), &res) != nil || res.Status != "held" {
			continue
		}
		var args struct {
			ProcedureID string `json:"procedure_id"`
		}
		_ = json.Unmarshal([]byte(call.Function.Arguments), &args)
		return res.HoldID, args.ProcedureID
	}
	return "", ""
}

var isoDate = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})\b`)

// dayAfter is the day after the first date in the system prompt (the
// agent states today's date there), or tomorrow.
func dayAfter(msgs []openai.ChatCompletionMessage) string {
	for _, m := range msgs {
		if m.Role != openai.ChatMessageRoleSystem {
			continue
		}
		if d := isoDate.FindString(m.Content); d != "" {
			if t, err := time.Parse(time.DateOnly, d); err == nil {
				return t.AddDate(0, 0, 1).Format(time.DateOnly)
			}
		}
	}
	return time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
}

// firstProcedure is the first procedure id the find tool's schema offers.
func firstProcedure(req openai.ChatCompletionRequest) string {
	for _, t := range req.Tools {
		if t.Function == nil || t.Function.Name != toolFind {
			continue
		}
		b, err := json.Marshal(t.Function.Parameters)
		if err != nil {
			return ""
		}
		var schema struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		}
		if json.Unmarshal(b, &schema) == nil {
			if e := schema.Properties["procedure_id"].Enum; len(e) > 0 {
				return e[0]
			}
		}
	}
	return ""
}
