package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/voice"
)

// ErrToolRounds ends a reply whose model kept calling tools after
// MaxToolRounds rounds and a last request for text only.
var ErrToolRounds = errors.New("openai: model still calling tools after the last round")

// Lines spoken when the model ends or transfers the call without a word:
// the caller must not hear silence and a click.
const (
	endCallLine  = "Thank you for calling. Goodbye."
	transferLine = "Let me put you through to a member of staff."
)

// NewAgentFactory checks cfg once and returns the voice.AgentFactory that
// makes each call's Agent; all agents share one connection pool.
func NewAgentFactory(cfg Config) (voice.AgentFactory, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	client := cfg.client()
	return func(clinic *voice.ClinicProfile) (voice.Agent, error) {
		return newAgent(client, cfg, clinic)
	}, nil
}

// Agent is an LLM receptionist for one call: it streams the model's
// reply as text events and runs the booking tools the model calls.
type Agent struct {
	client *goopenai.Client
	cfg    Config
	clinic *voice.ClinicProfile
	loc    *time.Location
	tools  []goopenai.Tool

	mu    sync.Mutex
	slots map[string]contract.FreeSlot // offered this call, by slot id
	calls map[string]string            // tool call ids seen this call: name and arguments
}

var _ voice.Agent = (*Agent)(nil)

func newAgent(client *goopenai.Client, cfg Config, clinic *voice.ClinicProfile) (*Agent, error) {
	if clinic == nil {
		return nil, errors.New("openai: no clinic profile")
	}
	if strings.TrimSpace(clinic.Name) == "" {
		return nil, errors.New("openai: clinic profile has no name")
	}
	seen := map[string]bool{}
	for _, p := range clinic.Procedures {
		if p.ID == "" || seen[p.ID] {
			return nil, fmt.Errorf("openai: clinic procedure %q has an empty or repeated id", p.Name)
		}
		seen[p.ID] = true
	}
	return &Agent{
		client: client,
		cfg:    cfg,
		clinic: clinic,
		loc:    clinic.Location(),
		tools:  chatTools(clinic),
		slots:  map[string]contract.FreeSlot{},
		calls:  map[string]string{},
	}, nil
}

// Greeting is the clinic's greeting, the same for every call.
func (a *Agent) Greeting() string { return greeting(a.cfg.Greeting, a.clinic) }

// Respond streams the reply to a caller turn. The caller must read the
// channel until it closes: the Done event is always sent, and it is last.
func (a *Agent) Respond(ctx context.Context, in voice.AgentInput) <-chan voice.AgentEvent {
	ch := make(chan voice.AgentEvent, 64)
	go func() {
		defer close(ch)
		r := &reply{ctx: ctx, ch: ch}
		done := a.respond(ctx, in, r)
		done.Done = true
		ch <- done
	}()
	return ch
}

// reply sends a reply's events. Once ctx is done nothing but Done is sent:
// a barged-in reply must not feed the session stale text.
type reply struct {
	ctx   context.Context
	ch    chan<- voice.AgentEvent
	spoke bool
}

func (r *reply) send(ev voice.AgentEvent) {
	if r.ctx.Err() != nil {
		return
	}
	select {
	case r.ch <- ev:
	case <-r.ctx.Done():
	}
}

func (r *reply) text(s string) {
	if s == "" {
		return
	}
	r.spoke = true
	r.send(voice.AgentEvent{Text: s})
}

// respond runs the tool loop and returns the Done event.
func (a *Agent) respond(ctx context.Context, in voice.AgentInput, r *reply) voice.AgentEvent {
	if in.Tools == nil {
		return voice.AgentEvent{Err: errors.New("openai: AgentInput.Tools is nil")}
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	msgs, err := chatHistory(in.History, in.DTMF)
	if err != nil {
		return voice.AgentEvent{Err: err}
	}
	msgs = append([]goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleSystem, Content: systemPrompt(a.clinic, now)}}, msgs...)

	var added []voice.Message
	for round := 0; ; round++ {
		last := round == a.cfg.MaxToolRounds
		// A tool's start is announced with its call's first fragment
		// (the session may start a filler then), and not again when it runs.
		announced := map[string]int{}
		res, err := streamChatHooks(ctx, a.client, a.cfg, a.request(msgs, last), r.text, func(name string) {
			if name != ToolEndCall && name != ToolTransferToStaff {
				announced[name]++
				r.send(voice.AgentEvent{ToolStarted: name})
			}
		})
		if err != nil {
			return voice.AgentEvent{Err: err, Messages: added}
		}
		if len(res.ToolCalls) == 0 {
			return voice.AgentEvent{Messages: added}
		}
		if last {
			return voice.AgentEvent{Err: fmt.Errorf("%w (%d rounds)", ErrToolRounds, round), Messages: added}
		}

		var (
			called  []voice.ToolCall
			results []voice.Message
			action  string
		)
		for _, call := range res.ToolCalls {
			if ctx.Err() != nil {
				break // barge-in: no further tool calls
			}
			call.ID = a.uniqueID(call)
			content := `{"status":"ok"}`
			switch name := call.Function.Name; name {
			case ToolEndCall:
				action = voice.ActionEndCall
			case ToolTransferToStaff:
				action = voice.ActionTransfer
			default:
				if announced[name] > 0 {
					announced[name]--
				} else {
					r.send(voice.AgentEvent{ToolStarted: name})
				}
				start := time.Now()
				tr := a.callTool(ctx, in.Tools, call)
				timing := &voice.ToolTiming{Name: name, Duration: time.Since(start)}
				if tr.err != nil {
					timing.Err = tr.err.Error()
				}
				r.send(voice.AgentEvent{ToolDone: timing})
				content = tr.content
			}
			called = append(called, voice.ToolCall{ID: call.ID, Name: call.Function.Name, Arguments: call.Function.Arguments})
			results = append(results, voice.Message{Role: voice.RoleTool, ToolCallID: call.ID, Name: call.Function.Name, Text: content})
			if action != "" {
				break // the call is over: later calls would act on a closed call
			}
		}
		if len(called) > 0 {
			// The round's text is not in this message: the session adds
			// what the caller heard of the reply.
			added = append(added, voice.Message{Role: voice.RoleAgent, ToolCalls: called})
			added = append(added, results...)
		}
		if err := ctx.Err(); err != nil {
			return voice.AgentEvent{Err: context.Cause(ctx), Messages: added}
		}
		if action != "" {
			if !r.spoke {
				r.text(map[string]string{voice.ActionEndCall: endCallLine, voice.ActionTransfer: transferLine}[action])
			}
			return voice.AgentEvent{Action: action, Messages: added}
		}

		assistant := goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleAssistant, Content: res.Text}
		for _, c := range called {
			assistant.ToolCalls = append(assistant.ToolCalls, toChatToolCall(c))
		}
		msgs = append(msgs, assistant)
		for _, m := range results {
			msgs = append(msgs, goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleTool, ToolCallID: m.ToolCallID, Content: m.Text})
		}
	}
}

// uniqueID keeps the model's tool call id, the Update id, unless this call
// already used it for a different call: some compatible servers number
// calls "call_0", "call_1" in every response, and Temporal would answer a
// reused Update id with the earlier Update's result. The same call again
// (a repeated request after a cancelled speculative reply) keeps its id,
// so the workflow de-duplicates it.
func (a *Agent) uniqueID(call goopenai.ToolCall) string {
	key := call.Function.Name + "\x00" + call.Function.Arguments
	a.mu.Lock()
	defer a.mu.Unlock()
	id := call.ID
	if prev, ok := a.calls[id]; ok && prev != key {
		id = newCallID()
	}
	a.calls[id] = key
	return id
}

// request is one round's chat request. The last round offers the tools
// (the history refers to them) but asks for text only.
func (a *Agent) request(msgs []goopenai.ChatCompletionMessage, last bool) goopenai.ChatCompletionRequest {
	req := goopenai.ChatCompletionRequest{
		Model:               a.cfg.ChatModel,
		Messages:            msgs,
		Temperature:         a.cfg.Temperature,
		MaxCompletionTokens: a.cfg.MaxTokens,
		ReasoningEffort:     a.cfg.ReasoningEffort,
		Tools:               a.tools,
		// One call at a time: a hold must be answered before a booking.
		ParallelToolCalls: false,
		Stream:            true,
	}
	if last {
		req.ToolChoice = "none"
	}
	return req
}

func toChatToolCall(c voice.ToolCall) goopenai.ToolCall {
	return goopenai.ToolCall{ID: c.ID, Type: goopenai.ToolTypeFunction, Function: goopenai.FunctionCall{Name: c.Name, Arguments: c.Arguments}}
}

// chatHistory maps the conversation to chat messages. Tool calls and
// results that lost their partner (a history cut at a barge-in) are
// dropped: the API refuses a call without its result and a result
// without its call.
func chatHistory(history []voice.Message, dtmf string) ([]goopenai.ChatCompletionMessage, error) {
	answered := map[string]bool{}
	for _, m := range history {
		if m.Role == voice.RoleTool {
			answered[m.ToolCallID] = true
		}
	}
	called := map[string]bool{}
	var out []goopenai.ChatCompletionMessage
	for i, m := range history {
		switch m.Role {
		case voice.RoleCaller:
			if strings.TrimSpace(m.Text) == "" {
				continue
			}
			out = append(out, goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleUser, Content: m.Text})
		case voice.RoleAgent:
			msg := goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleAssistant, Content: m.Text}
			for _, c := range m.ToolCalls {
				if c.ID != "" && answered[c.ID] {
					called[c.ID] = true
					msg.ToolCalls = append(msg.ToolCalls, toChatToolCall(c))
				}
			}
			if msg.Content == "" && len(msg.ToolCalls) == 0 {
				continue
			}
			out = append(out, msg)
		case voice.RoleTool:
			if !called[m.ToolCallID] {
				continue
			}
			out = append(out, goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleTool, ToolCallID: m.ToolCallID, Content: m.Text})
		default:
			return nil, fmt.Errorf("openai: history message %d has unknown role %q", i, m.Role)
		}
	}
	if strings.Trim(dtmf, "0123456789*#ABCD") != "" {
		return nil, fmt.Errorf("openai: DTMF %q holds a key no keypad has", dtmf)
	}
	if dtmf != "" {
		out = append(out, goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleUser, Content: "(The caller pressed these keys on the keypad: " + dtmf + ")"})
	}
	if len(out) == 0 {
		return nil, errors.New("openai: nothing to answer: no caller turn in the history")
	}
	return out, nil
}

// Speculates: the agent keeps no state between replies beyond what it
// reads from the history, so a reply started on a pause and thrown away
// leaves nothing behind (voice.Speculator).
func (a *Agent) Speculates() bool { return true }
