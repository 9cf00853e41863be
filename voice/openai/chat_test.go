package openai

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/voice/openaifake"
)

func chatRequest(text string) goopenai.ChatCompletionRequest {
	return goopenai.ChatCompletionRequest{
		Model:    "gpt-4o-mini",
		Messages: []goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleUser, Content: text}},
	}
}

func scripted(r openaifake.Reply) func(goopenai.ChatCompletionRequest) openaifake.Reply {
	return func(goopenai.ChatCompletionRequest) openaifake.Reply { return r }
}

func chatConfig(t *testing.T, cfg Config) (Config, *goopenai.Client) {
	t.Helper()
	cfg, err := cfg.withDefaults()
	require.NoError(t, err)
	return cfg, cfg.client()
}

func TestStreamChatText(t *testing.T) {
	text := "Of course. I have half past nine or ten to four on Tuesday. Which would suit you?"
	fake, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(openaifake.Reply{Text: text}), TokensPerSecond: 2000})
	cfg, client := chatConfig(t, cfg)
	var deltas []string
	round, err := streamChat(testCtx(t), client, cfg, chatRequest("book me in"), func(s string) { deltas = append(deltas, s) })
	require.NoError(t, err)
	require.Equal(t, text, round.Text)
	require.Equal(t, text, strings.Join(deltas, ""))
	require.Equal(t, openaifake.Tokens(text), deltas, "each token handed on as it arrived")
	require.Empty(t, round.ToolCalls)
	require.Equal(t, goopenai.FinishReasonStop, round.FinishReason)
	require.Equal(t, 0, fake.Cancelled(openaifake.Chat))
}

// TestStreamChatToolCalls: two calls, each in many fragments, assembled
// exactly, after the text that preceded them.
func TestStreamChatToolCalls(t *testing.T) {
	calls := []openaifake.ToolCall{
		{ID: "call_find", Name: "find_free_slots", Arguments: `{"day":"2025-03-11","procedure_id":"checkup","after":"14:00"}`},
		{ID: "call_hold", Name: "hold_slot", Arguments: `{"slot_id":"0b8a3c1e-5d6f-4a7b-9c0d-1e2f3a4b5c6d","procedure_id":"checkup"}`},
	}
	_, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(openaifake.Reply{Text: "Let me look.", ToolCalls: calls})})
	cfg, client := chatConfig(t, cfg)
	round, err := streamChat(testCtx(t), client, cfg, chatRequest("tomorrow afternoon"), nil)
	require.NoError(t, err)
	require.Equal(t, "Let me look.", round.Text)
	require.Equal(t, goopenai.FinishReasonToolCalls, round.FinishReason)
	require.Len(t, round.ToolCalls, 2)
	for i, want := range calls {
		got := round.ToolCalls[i]
		require.Equal(t, want.ID, got.ID)
		require.Equal(t, goopenai.ToolTypeFunction, got.Type)
		require.Equal(t, want.Name, got.Function.Name)
		require.Equal(t, want.Arguments, got.Function.Arguments)
		require.Nil(t, got.Index)
	}
}

func TestToolCallAssembler(t *testing.T) {
	idx := func(i int) *int { return &i }
	fn := func(name, args string) goopenai.FunctionCall {
		return goopenai.FunctionCall{Name: name, Arguments: args}
	}
	for _, tc := range []struct {
		name  string
		frags [][]goopenai.ToolCall
		want  []goopenai.ToolCall
	}{
		{
			name: "indexed, interleaved",
			frags: [][]goopenai.ToolCall{
				{{Index: idx(0), ID: "a", Type: "function", Function: fn("find_free_slots", "")}},
				{{Index: idx(0), Function: fn("", `{"day":`)}},
				{{Index: idx(1), ID: "b", Type: "function", Function: fn("end_call", "")}},
				{{Index: idx(0), Function: fn("", `"2025-03-11"}`)}},
			},
			want: []goopenai.ToolCall{
				{ID: "a", Type: "function", Function: fn("find_free_slots", `{"day":"2025-03-11"}`)},
				{ID: "b", Type: "function", Function: fn("end_call", "{}")},
			},
		},
		{
			name: "no index: a new id starts a call",
			frags: [][]goopenai.ToolCall{
				{{ID: "a", Function: fn("hold_slot", `{"slot_id"`)}},
				{{Function: fn("", `:"s1"}`)}},
				{{ID: "b", Function: fn("end_call", `{}`)}},
			},
			want: []goopenai.ToolCall{
				{ID: "a", Type: "function", Function: fn("hold_slot", `{"slot_id":"s1"}`)},
				{ID: "b", Type: "function", Function: fn("end_call", "{}")},
			},
		},
		{
			name: "name repeated in every fragment",
			frags: [][]goopenai.ToolCall{
				{{Index: idx(0), ID: "a", Function: fn("end_call", `{`)}},
				{{Index: idx(0), ID: "a", Function: fn("end_call", `}`)}},
			},
			want: []goopenai.ToolCall{{ID: "a", Type: "function", Function: fn("end_call", "{}")}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a toolCallAssembler
			for _, f := range tc.frags {
				a.add(f)
			}
			require.Equal(t, tc.want, a.done())
		})
	}
	t.Run("a missing id is made up", func(t *testing.T) {
		var a toolCallAssembler
		a.add([]goopenai.ToolCall{{Index: idx(0), Function: fn("end_call", "")}})
		got := a.done()
		require.Len(t, got, 1)
		require.True(t, strings.HasPrefix(got[0].ID, "call_"), got[0].ID)
	})
}

// TestStreamChatStalls: the first-token deadline and the idle timer cut a
// stalled stream with their own errors, and the server sees the request
// go. Keep-alive comments do not count as progress.
func TestStreamChatStalls(t *testing.T) {
	for _, tc := range []struct {
		name      string
		reply     openaifake.Reply
		keepAlive time.Duration
		want      error
		wantText  string
	}{
		{name: "no first token", reply: openaifake.Reply{Text: "Hello there.", Stall: true}, want: ErrFirstTokenTimeout},
		{name: "no first token, keep-alives", reply: openaifake.Reply{Text: "Hello there.", Stall: true}, keepAlive: 5 * time.Millisecond, want: ErrFirstTokenTimeout},
		{name: "stalls after three tokens", reply: openaifake.Reply{Text: "Sure, I can help with that.", Stall: true, StallAfter: 3}, want: ErrIdleTimeout, wantText: "Sure, I"},
		{name: "stalls mid tool call", reply: openaifake.Reply{ToolCalls: []openaifake.ToolCall{{ID: "c", Name: "end_call", Arguments: `{"a":"bcdefghij"}`}}, Stall: true, StallAfter: 2}, keepAlive: 5 * time.Millisecond, want: ErrIdleTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(tc.reply), KeepAlive: tc.keepAlive})
			cfg.FirstTokenTimeout = 150 * time.Millisecond
			cfg.IdleTimeout = 150 * time.Millisecond
			if tc.want == ErrIdleTimeout {
				cfg.FirstTokenTimeout = time.Minute // the idle timer, not the first-token deadline, must fire
			}
			cfg, client := chatConfig(t, cfg)
			var text strings.Builder
			_, err := streamChat(testCtx(t), client, cfg, chatRequest("hello"), func(s string) { text.WriteString(s) })
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, tc.wantText, text.String())
			require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Chat, 1))
		})
	}
}

// TestEmptyMessagesLimit: go-openai counts keep-alive lines towards its
// limit; the default leaves room for a server's keep-alives during a
// slow first token, and a tight limit fails the stream.
func TestEmptyMessagesLimit(t *testing.T) {
	opts := openaifake.Options{
		Chat:           scripted(openaifake.Reply{Text: "Hello."}),
		ChatFirstToken: openaifake.Fixed(100 * time.Millisecond),
		KeepAlive:      5 * time.Millisecond,
	}
	_, cfg, _ := serveFake(t, opts)
	cfg, client := chatConfig(t, cfg)
	round, err := streamChat(testCtx(t), client, cfg, chatRequest("hi"), nil)
	require.NoError(t, err)
	require.Equal(t, "Hello.", round.Text)

	_, cfg, _ = serveFake(t, opts)
	cfg.EmptyMessagesLimit = 4
	cfg, client = chatConfig(t, cfg)
	_, err = streamChat(testCtx(t), client, cfg, chatRequest("hi"), nil)
	require.ErrorIs(t, err, goopenai.ErrTooManyEmptyStreamMessages)
}

func TestStreamChatCancel(t *testing.T) {
	fake, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(openaifake.Reply{Text: "One two three four five", Stall: true, StallAfter: 2})})
	cfg, client := chatConfig(t, cfg)
	ctx, cancel := context.WithCancel(testCtx(t))
	var got []string
	_, err := streamChat(ctx, client, cfg, chatRequest("hi"), func(s string) {
		got = append(got, s)
		if len(got) == 2 {
			cancel() // the caller barged in
		}
	})
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, ErrIdleTimeout)
	require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Chat, 1))
}

func TestStreamChatErrors(t *testing.T) {
	t.Run("status", func(t *testing.T) {
		_, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(openaifake.Reply{Status: http.StatusInternalServerError, Error: "boom"})})
		cfg, client := chatConfig(t, cfg)
		_, err := streamChat(testCtx(t), client, cfg, chatRequest("hi"), nil)
		var apiErr *goopenai.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, http.StatusInternalServerError, apiErr.HTTPStatusCode)
	})
	t.Run("mid-stream", func(t *testing.T) {
		_, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(openaifake.Reply{Text: "Hello", StreamError: "overloaded"})})
		cfg, client := chatConfig(t, cfg)
		_, err := streamChat(testCtx(t), client, cfg, chatRequest("hi"), nil)
		require.ErrorContains(t, err, "overloaded")
	})
}

func TestThinkFilter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		deltas []string
		want   string
	}{
		{"plain text", []string{"Hello", " there", "."}, "Hello there."},
		{"leading space kept", []string{" Hi"}, " Hi"},
		{"a reply starting with <", []string{"<", "3 is a heart"}, "<3 is a heart"},
		{"think block", []string{"<think>", "The caller wants", " a slot.", "</think>", "\n\n", "Sure."}, "Sure."},
		{"split tags", []string{"\n<th", "ink>plan", " this</th", "ink>\n Of course", ", which day?"}, "Of course, which day?"},
		{"tags in one delta", []string{"<think>x</think>Yes."}, "Yes."},
		{"think later is spoken", []string{"Yes. ", "<think>"}, "Yes. <think>"},
		{"unfinished think", []string{"<think>", "hmm"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f thinkFilter
			var got strings.Builder
			for _, d := range tc.deltas {
				got.WriteString(f.feed(d))
			}
			require.Equal(t, tc.want, got.String())
		})
	}
}

// TestStreamChatDropsThinking: a local reasoning model's preamble is not
// spoken, nor kept as the round's text.
func TestStreamChatDropsThinking(t *testing.T) {
	_, cfg, _ := serveFake(t, openaifake.Options{Chat: scripted(openaifake.Reply{Text: "<think>The caller wants Tuesday.</think>\n\nTuesday works."})})
	cfg, client := chatConfig(t, cfg)
	var spoken strings.Builder
	round, err := streamChat(testCtx(t), client, cfg, chatRequest("Tuesday?"), func(s string) { spoken.WriteString(s) })
	require.NoError(t, err)
	require.Equal(t, "Tuesday works.", spoken.String())
	require.Equal(t, "Tuesday works.", round.Text)
}
