package openai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"
)

// chatRound is one streamed answer of the model: its text and the tool
// calls it made, assembled from their fragments.
type chatRound struct {
	Text         string
	ToolCalls    []goopenai.ToolCall
	FinishReason goopenai.FinishReason
}

// streamChat runs one chat completion stream, handing each text delta to
// onText as it arrives. The first-token deadline and the idle timer cut a
// stalled stream with ErrFirstTokenTimeout or ErrIdleTimeout.
func streamChat(ctx context.Context, client *goopenai.Client, cfg Config, req goopenai.ChatCompletionRequest, onText func(string)) (chatRound, error) {
	return streamChatHooks(ctx, client, cfg, req, onText, nil)
}

// streamChatHooks is streamChat that also calls onToolCall with a tool's
// name as soon as its call's first fragment arrives, long before the
// arguments are complete (a filler can start that much sooner).
func streamChatHooks(ctx context.Context, client *goopenai.Client, cfg Config, req goopenai.ChatCompletionRequest, onText, onToolCall func(string)) (chatRound, error) {
	reqCtx, dl := startDeadline(ctx, cfg.FirstTokenTimeout, ErrFirstTokenTimeout, cfg.IdleTimeout)
	defer dl.stop()
	stream, err := client.CreateChatCompletionStream(reqCtx, req)
	if err != nil {
		return chatRound{}, streamError(ctx, reqCtx, "chat", err)
	}
	defer stream.Close()

	var (
		round chatRound
		text  strings.Builder
		calls toolCallAssembler
		think thinkFilter
	)
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return chatRound{}, streamError(ctx, reqCtx, "chat", err)
		}
		if len(resp.Choices) == 0 { // a usage chunk
			dl.progress(false)
			continue
		}
		// One choice is asked for (n is unset); a server that sends more
		// is read for its first only.
		ch := resp.Choices[0]
		d := ch.Delta
		// Refusals are spoken too: they are the model's answer.
		raw := d.Content + d.Refusal
		dl.progress(raw != "" || len(d.ToolCalls) > 0 || ch.FinishReason != "")
		if delta := think.feed(raw); delta != "" {
			text.WriteString(delta)
			if onText != nil {
				onText(delta)
			}
		}
		if onToolCall != nil {
			for _, c := range d.ToolCalls {
				if c.Function.Name != "" {
					onToolCall(c.Function.Name)
				}
			}
		}
		calls.add(d.ToolCalls)
		if ch.FinishReason != "" && ch.FinishReason != goopenai.FinishReasonNull {
			round.FinishReason = ch.FinishReason
		}
		// Reading on to [DONE] (not stopping at finish_reason) lets the
		// connection go back to the pool for the next round.
	}
	round.Text = text.String()
	round.ToolCalls = calls.done()
	return round, nil
}

// toolCallAssembler joins streamed tool-call fragments. OpenAI numbers
// each call with Index and sends its id and name in the first fragment,
// its arguments spread over the following ones; some compatible servers
// omit Index, so a fragment without one continues the last call unless it
// brings a new id.
type toolCallAssembler struct {
	calls   []goopenai.ToolCall
	byIndex map[int]int
}

func (a *toolCallAssembler) add(frags []goopenai.ToolCall) {
	for _, f := range frags {
		i := a.slot(f)
		c := &a.calls[i]
		if f.ID != "" {
			c.ID = f.ID
		}
		if f.Type != "" {
			c.Type = f.Type
		}
		// The name comes whole in one fragment; a server repeating it in
		// every fragment must not make it "end_callend_call".
		if n := f.Function.Name; n != "" && n != c.Function.Name {
			c.Function.Name += n
		}
		c.Function.Arguments += f.Function.Arguments
	}
}

func (a *toolCallAssembler) slot(f goopenai.ToolCall) int {
	if f.Index != nil {
		if a.byIndex == nil {
			a.byIndex = map[int]int{}
		}
		if i, ok := a.byIndex[*f.Index]; ok {
			return i
		}
		a.byIndex[*f.Index] = len(a.calls)
		a.calls = append(a.calls, goopenai.ToolCall{})
		return len(a.calls) - 1
	}
	last := len(a.calls) - 1
	if last < 0 || (f.ID != "" && a.calls[last].ID != "" && f.ID != a.calls[last].ID) {
		a.calls = append(a.calls, goopenai.ToolCall{})
		return len(a.calls) - 1
	}
	return last
}

// done returns the calls in the order they began, with the defaults a
// model may leave out: a type, "{}" for no arguments, and an id (the
// Update id the session needs).
func (a *toolCallAssembler) done() []goopenai.ToolCall {
	out := make([]goopenai.ToolCall, 0, len(a.calls))
	for _, c := range a.calls {
		c.Index = nil
		if c.Type == "" {
			c.Type = goopenai.ToolTypeFunction
		}
		if strings.TrimSpace(c.Function.Arguments) == "" {
			c.Function.Arguments = "{}"
		}
		if c.ID == "" {
			c.ID = newCallID()
		}
		out = append(out, c)
	}
	return out
}

func newCallID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "call_" + hex.EncodeToString(b[:])
}

// thinkFilter drops a reasoning model's "<think>…</think>" preamble from
// the spoken text. OpenAI and servers with a reasoning parser send it apart
// (reasoning_content, ignored here); a local server without one (Qwen3 or
// an R1 distill on vLLM or Ollama) sends it as content, where it would be
// read out. Tags may arrive split across deltas.
type thinkFilter struct {
	state   int // filterUndecided, filterThinking or filterSpeaking
	pending string
	trim    bool // drop the whitespace after </think>
}

const (
	filterUndecided = iota
	filterThinking
	filterSpeaking
)

const (
	thinkOpen  = "<think>"
	thinkClose = "</think>"
)

func (f *thinkFilter) feed(s string) string {
	switch f.state {
	case filterUndecided:
		f.pending += s
		p := strings.TrimLeft(f.pending, " \t\r\n")
		switch {
		case p == "" || strings.HasPrefix(thinkOpen, p):
			return "" // not yet known
		case strings.HasPrefix(p, thinkOpen):
			f.state, f.pending = filterThinking, ""
			return f.feed(p[len(thinkOpen):])
		}
		f.state, s, f.pending = filterSpeaking, f.pending, ""
		return s
	case filterThinking:
		f.pending += s
		i := strings.Index(f.pending, thinkClose)
		if i < 0 {
			// Keep only what could be the start of a split closing tag.
			if n := len(f.pending) - len(thinkClose) + 1; n > 0 {
				f.pending = f.pending[n:]
			}
			return ""
		}
		s = f.pending[i+len(thinkClose):]
		f.state, f.pending, f.trim = filterSpeaking, "", true
	}
	if f.trim {
		s = strings.TrimLeft(s, " \t\r\n")
		f.trim = s == ""
	}
	return s
}
