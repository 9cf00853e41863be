package openaifake

import (
	"encoding/json"
	"testing"

	openai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"
)

func TestDefaultScript(t *testing.T) {
	tool := func(name string, params string) openai.Tool {
		var p map[string]any
		require.NoError(t, json.Unmarshal([]byte(params), &p))
		return openai.Tool{Type: "function", Function: &openai.FunctionDefinition{Name: name, Parameters: p}}
	}
	tools := []openai.Tool{
		tool("find_free_slots", `{"type":"object","properties":{"day":{"type":"string"},"procedure_id":{"type":"string","enum":["checkup","cleaning"]}}}`),
		tool("hold_slot", `{"type":"object","properties":{"slot_id":{"type":"string"}}}`),
		tool("confirm_booking", `{"type":"object","properties":{"hold_id":{"type":"string"}}}`),
		tool("end_call", `{"type":"object","properties":{}}`),
	}
	system := openai.ChatCompletionMessage{Role: "system", Content: "Today is Monday 10 March 2025 (2025-03-10)."}
	user := func(s string) openai.ChatCompletionMessage {
		return openai.ChatCompletionMessage{Role: "user", Content: s}
	}
	call := func(id, name, args string) openai.ChatCompletionMessage {
		return openai.ChatCompletionMessage{Role: "assistant", ToolCalls: []openai.ToolCall{{ID: id, Type: "function", Function: openai.FunctionCall{Name: name, Arguments: args}}}}
	}
	result := func(id, content string) openai.ChatCompletionMessage {
		return openai.ChatCompletionMessage{Role: "tool", ToolCallID: id, Content: content}
	}
	booking := []openai.ChatCompletionMessage{system, user("Hi, can I book a checkup for tomorrow?")}
	found := append(booking[:2:2], call("c1", "find_free_slots", `{"day":"2025-03-11","procedure_id":"checkup"}`),
		result("c1", `{"slots":[{"slot_id":"slot-9","time":"9:00 am"},{"slot_id":"slot-10"}]}`))
	held := append(found[:len(found):len(found)], call("c2", "hold_slot", `{"slot_id":"slot-9","procedure_id":"checkup"}`),
		result("c2", `{"status":"held","hold_id":"hold-1"}`))
	agreed := append(held[:len(held):len(held)], openai.ChatCompletionMessage{Role: "assistant", Content: "Shall I book it?"}, user("Yes please."))
	booked := append(agreed[:len(agreed):len(agreed)], call("c3", "confirm_booking", `{"hold_id":"hold-1","procedure_id":"checkup"}`),
		result("c3", `{"status":"booked","booking_id":"b-1"}`))

	for _, tc := range []struct {
		name       string
		msgs       []openai.ChatCompletionMessage
		toolChoice any
		wantTool   string
		wantArgs   string
		wantText   bool
	}{
		{name: "booking asks for slots", msgs: booking, wantTool: "find_free_slots", wantArgs: `{"day":"2025-03-11","procedure_id":"checkup"}`},
		{name: "slots lead to a hold", msgs: found, wantTool: "hold_slot", wantArgs: `{"procedure_id":"checkup","slot_id":"slot-9"}`},
		{name: "a hold asks for a yes", msgs: held, wantText: true},
		{name: "yes confirms", msgs: agreed, wantTool: "confirm_booking", wantArgs: `{"hold_id":"hold-1","procedure_id":"checkup"}`},
		{name: "booked", msgs: booked, wantText: true},
		{name: "no tools under tool_choice none", msgs: booking, toolChoice: "none", wantText: true},
		{name: "goodbye ends the call", msgs: []openai.ChatCompletionMessage{system, user("No thanks, bye.")}, wantTool: "end_call", wantArgs: `{}`, wantText: true},
		{name: "small talk", msgs: []openai.ChatCompletionMessage{system, user("Hello?")}, wantText: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultScript(openai.ChatCompletionRequest{Model: "m", Messages: tc.msgs, Tools: tools, ToolChoice: tc.toolChoice})
			require.Equal(t, tc.wantText, r.Text != "", "text %q", r.Text)
			if tc.wantTool == "" {
				require.Empty(t, r.ToolCalls)
				return
			}
			require.Len(t, r.ToolCalls, 1)
			require.Equal(t, tc.wantTool, r.ToolCalls[0].Name)
			require.JSONEq(t, tc.wantArgs, r.ToolCalls[0].Arguments)
			require.NotEmpty(t, r.ToolCalls[0].ID)
			again := DefaultScript(openai.ChatCompletionRequest{Model: "m", Messages: tc.msgs, Tools: tools})
			require.Equal(t, r, again, "deterministic")
		})
	}
}
