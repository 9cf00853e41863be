package openaifake

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode"

	openai "github.com/sashabaranov/go-openai"
)

// Reply scripts one chat answer.
type Reply struct {
	// Text is streamed first, in token-sized deltas.
	Text string
	// ToolCalls follow the text, each in several fragments.
	ToolCalls []ToolCall
	// FinishReason overrides the last chunk's reason (default "stop", or
	// "tool_calls" when there are tool calls).
	FinishReason string

	// Stall sends StallAfter chunks (text tokens and tool-call fragments;
	// 0 means none: not even the first token) and then holds the stream
	// open without a word until the client gives up.
	Stall      bool
	StallAfter int

	// Status, when set, answers with this HTTP status and an OpenAI error
	// body carrying Error as its message, instead of a stream.
	Status int
	Error  string
	// StreamError, when set, ends the stream after its chunks with an
	// error event (data: {"error": ...}) and no [DONE], as OpenAI does
	// when a stream fails midway.
	StreamError string
}

// ToolCall is one scripted tool call; Arguments is JSON.
type ToolCall struct {
	ID        string
	Name      string
	Arguments string
}

// The chunk as OpenAI writes it. The fake has its own wire types rather
// than go-openai's, so that it checks the client instead of agreeing with
// it by construction.
type chunk struct {
	ID                string        `json:"id"`
	Object            string        `json:"object"`
	Created           int64         `json:"created"`
	Model             string        `json:"model"`
	SystemFingerprint string        `json:"system_fingerprint"`
	Choices           []chunkChoice `json:"choices"`
}

type chunkChoice struct {
	Index        int        `json:"index"`
	Delta        chunkDelta `json:"delta"`
	Logprobs     *struct{}  `json:"logprobs"`
	FinishReason *string    `json:"finish_reason"`
}

type chunkDelta struct {
	Role      string          `json:"role,omitempty"`
	Content   *string         `json:"content,omitempty"`
	ToolCalls []chunkToolCall `json:"tool_calls,omitempty"`
}

type chunkToolCall struct {
	Index    int           `json:"index"`
	ID       string        `json:"id,omitempty"`
	Type     string        `json:"type,omitempty"`
	Function chunkFunction `json:"function"`
}

type chunkFunction struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

func (s *Server) serveChat(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	var req openai.ChatCompletionRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "the body is not a chat completion request: "+err.Error())
		return
	}
	switch {
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "you must provide a model parameter")
		return
	case len(req.Messages) == 0:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "messages must not be empty")
		return
	case !req.Stream:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "the fake serves stream: true only")
		return
	}
	reply := s.opts.Chat(req)

	var interval time.Duration
	if s.opts.TokensPerSecond > 0 {
		interval = time.Duration(float64(time.Second) / s.opts.TokensPerSecond)
	}
	tokens := Tokens(reply.Text)
	s.mu.Lock()
	s.chatReqs = append(s.chatReqs, req)
	s.mu.Unlock()
	smp, idx := s.begin(arrived, Sample{
		Endpoint:      Chat,
		LastUser:      lastUser(req.Messages),
		Reply:         reply,
		TokenInterval: interval,
		Tokens:        tokens,
	}, s.opts.ChatFirstToken)

	if reply.Status != 0 {
		if err := s.sleepUntil(r.Context(), smp.Arrived.Add(smp.Latency), 0, nil); err == errClientGone {
			s.cancel(idx)
			return
		}
		msg := reply.Error
		if msg == "" {
			msg = http.StatusText(reply.Status)
		}
		writeError(w, reply.Status, errorType(reply.Status), msg)
		return
	}

	flusher, _ := w.(http.Flusher)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Request-Id", smp.RequestID)
	w.WriteHeader(http.StatusOK)
	flush := func() {
		if flusher != nil {
			flusher.Flush()
		}
	}
	flush()

	write := func(lines ...string) error {
		for _, l := range lines {
			if _, err := w.Write([]byte(l)); err != nil {
				return err
			}
		}
		flush()
		return nil
	}
	keepAlive := func() error { return write(": keep-alive\n\n") }
	base := chunk{
		ID:                "chatcmpl-" + smp.RequestID,
		Object:            "chat.completion.chunk",
		Created:           smp.Arrived.Unix(),
		Model:             req.Model,
		SystemFingerprint: "fp_openaifake",
	}
	event := func(d chunkDelta, finish *string) error {
		c := base
		c.Choices = []chunkChoice{{Delta: d, FinishReason: finish}}
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		return write("data: ", string(b), "\n\n")
	}
	fail := func(err error) {
		if err != errClosed {
			s.cancel(idx)
		}
	}

	// The chunks in order; chunk i goes at Latency + i*interval.
	var deltas []chunkDelta
	for _, t := range tokens {
		deltas = append(deltas, chunkDelta{Content: &t})
	}
	for k, tc := range reply.ToolCalls {
		deltas = append(deltas, chunkDelta{ToolCalls: []chunkToolCall{{
			Index: k, ID: tc.ID, Type: "function", Function: chunkFunction{Name: tc.Name},
		}}})
		for _, frag := range argumentFragments(tc.Arguments) {
			deltas = append(deltas, chunkDelta{ToolCalls: []chunkToolCall{{Index: k, Function: chunkFunction{Arguments: frag}}}})
		}
	}
	if len(deltas) > 0 {
		deltas[0].Role = "assistant"
	}

	start := smp.Arrived.Add(smp.Latency)
	for i, d := range deltas {
		if reply.Stall && i == reply.StallAfter {
			break
		}
		if err := s.sleepUntil(r.Context(), start.Add(time.Duration(i)*interval), s.opts.KeepAlive, keepAlive); err != nil {
			fail(err)
			return
		}
		if i == 0 && d.Content != nil {
			// OpenAI opens with a role-only chunk, then the first token.
			empty := ""
			if err := event(chunkDelta{Role: "assistant", Content: &empty}, nil); err != nil {
				fail(errClientGone)
				return
			}
			d.Role = ""
		}
		if err := event(d, nil); err != nil {
			fail(errClientGone)
			return
		}
	}
	if reply.Stall {
		if err := s.hang(r.Context(), s.opts.KeepAlive, keepAlive); err != nil {
			fail(err)
		}
		return
	}
	if reply.StreamError != "" {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{
			"message": reply.StreamError, "type": "server_error", "param": nil, "code": nil,
		}})
		_ = write("data: ", string(b), "\n\n")
		return
	}
	finish := reply.FinishReason
	if finish == "" {
		finish = "stop"
		if len(reply.ToolCalls) > 0 {
			finish = "tool_calls"
		}
	}
	if err := s.sleepUntil(r.Context(), start.Add(time.Duration(len(deltas))*interval), s.opts.KeepAlive, keepAlive); err != nil {
		fail(err)
		return
	}
	if err := event(chunkDelta{}, &finish); err != nil {
		fail(errClientGone)
		return
	}
	if err := write("data: [DONE]\n\n"); err != nil {
		fail(errClientGone)
	}
}

// Tokens splits text the way a model streams it: a word with its leading
// space, a punctuation mark, or a piece of at most six letters of a long
// word. Joined, they are the text again.
func Tokens(text string) []string {
	var (
		out []string
		cur []rune
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			if len(cur) > 0 && !unicode.IsSpace(cur[len(cur)-1]) {
				flush()
			}
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if n := len(cur); n >= 6 && !unicode.IsSpace(cur[0]) || n >= 7 {
				flush()
			}
			cur = append(cur, r)
		default:
			if len(cur) > 0 && !(len(cur) == 1 && unicode.IsSpace(cur[0])) {
				flush()
			}
			cur = append(cur, r)
			flush()
		}
	}
	flush()
	return out
}

// argumentFragments splits a tool call's JSON arguments into the small
// pieces OpenAI streams them in (never inside a UTF-8 sequence).
func argumentFragments(args string) []string {
	const size = 5
	var out []string
	rs := []rune(args)
	for len(rs) > 0 {
		n := min(size, len(rs))
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	return out
}

func lastUser(msgs []openai.ChatCompletionMessage) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == openai.ChatMessageRoleUser {
			return msgs[i].Content
		}
	}
	return ""
}

// toolNames lists the function tools a request offers.
func toolNames(req openai.ChatCompletionRequest) map[string]bool {
	out := map[string]bool{}
	for _, t := range req.Tools {
		if t.Function != nil {
			out[t.Function.Name] = true
		}
	}
	return out
}

func hasWord(s string, words ...string) bool {
	s = " " + strings.ToLower(s) + " "
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
			return r
		}
		return ' '
	}, s)
	for _, w := range words {
		if strings.Contains(s, " "+w+" ") {
			return true
		}
	}
	return false
}
