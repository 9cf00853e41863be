package api_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/lifecycle"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/openai"
	"github.com/frontdesk/frontdesk/voice/openaifake"
	"github.com/frontdesk/frontdesk/voice/twiliosim"
	"github.com/frontdesk/frontdesk/worker"
)

// voiceSystem is the api with the media WebSocket, a worker that records
// sealed turns, Temporal and Postgres, all real; OpenAI is the local fake,
// driven through go-openai.
type voiceSystem struct {
	*system
	fake      *openaifake.Server
	streamURL string
	vault     *vault.Vault
	streams   *lifecycle.Streams
	// replica starts a second api on the same workflow, fakes and
	// configuration (a replica behind the load balancer) and returns its
	// media socket's address.
	replica func() string
	// caller is what the fake recogniser hears next.
	caller atomic.Value
}

func startVoiceSystem(t *testing.T, fakeOpts openaifake.Options, tune func(*voice.Config, *openai.Config)) *voiceSystem {
	t.Helper()
	_, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), testenv.MasterKey())
	require.NoError(t, err)
	tc := testenv.Client(t)
	w := worker.New(tc, &activities.Activities{Store: st, Vault: v, PII: pii.NewDetector(pii.Options{})})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	vs := &voiceSystem{vault: v}
	vs.caller.Store("")
	fakeOpts.Transcribe = func(openaifake.TranscriptionRequest) openaifake.TranscriptionReply {
		return openaifake.TranscriptionReply{Text: vs.caller.Load().(string)}
	}
	vs.fake = openaifake.New(fakeOpts)
	fakeSrv := httptest.NewServer(vs.fake)
	t.Cleanup(func() { vs.fake.Close(); fakeSrv.Close() })
	ocfg := openai.Config{BaseURL: fakeSrv.URL + "/v1", FirstTokenTimeout: 2 * time.Second, IdleTimeout: time.Second}
	vcfg := voice.Config{Directory: voice.StoreDirectory{Store: st, Vault: v}, Logger: testenv.Logger(t)}
	if tune != nil {
		tune(&vcfg, &ocfg)
	}
	rec, err := openai.NewRecognizer(ocfg)
	require.NoError(t, err)
	synth, err := openai.NewSynthesizer(ocfg)
	require.NoError(t, err)
	agents, err := openai.NewAgentFactory(ocfg)
	require.NoError(t, err)
	calls := starter.Calls{Client: tc}
	vcfg.Recognizers = func(_ context.Context, p *voice.ClinicProfile) (voice.Recognizer, error) {
		return rec.ForClinic(p), nil
	}
	vcfg.Synthesizer, vcfg.Agents = synth, agents
	vcfg.Calls, vcfg.Turns = calls, starter.Turns{Calls: calls, Vault: v}

	vs.streams = &lifecycle.Streams{}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	vs.streamURL = "ws" + strings.TrimPrefix(srv.URL, "http") + "/twilio/media"
	cfg := api.Config{PublicURL: srv.URL, TwilioAuthToken: testToken, MediaStreamURL: vs.streamURL}
	handler = api.New(cfg, calls, st, func(context.Context) error { return nil }, testenv.Logger(t),
		api.WithVoice(cfg, api.VoiceOptions{Voice: vcfg, States: calls, Transfers: st, Streams: vs.streams}))
	vs.system = &system{t: t, url: srv.URL, temporal: tc, store: st}
	vs.replica = func() string {
		other := api.New(cfg, calls, st, func(context.Context) error { return nil }, testenv.Logger(t),
			api.WithVoice(cfg, api.VoiceOptions{Voice: vcfg, States: calls, Transfers: st, Streams: &lifecycle.Streams{}}))
		srv := httptest.NewServer(other)
		t.Cleanup(srv.Close)
		return "ws" + strings.TrimPrefix(srv.URL, "http") + "/twilio/media"
	}
	return vs
}

// twiml is the voice webhook's answer, as Twilio reads it.
type twiml struct {
	Connect struct {
		Action string `xml:"action,attr"`
		Stream struct {
			URL    string `xml:"url,attr"`
			Params []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"Parameter"`
		} `xml:"Stream"`
	} `xml:"Connect"`
}

// connect plays a call's start as Twilio does: the signed voice webhook,
// the TwiML's stream with its parameters, the call answered.
func (vs *voiceSystem) connect(callSID string) *twiliosim.Call {
	t := vs.t
	code, body := vs.post("/twilio/voice", testToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code, body)
	var doc twiml
	require.NoError(t, xml.Unmarshal([]byte(body), &doc), body)
	require.Equal(t, vs.streamURL, doc.Connect.Stream.URL)
	require.Equal(t, vs.url+api.AfterStreamPath, doc.Connect.Action)
	params := map[string]string{}
	for _, p := range doc.Connect.Stream.Params {
		params[p.Name] = p.Value
	}
	code, body = vs.post("/twilio/status", testToken, statusForm(callSID, "in-progress", 0))
	require.Equal(t, http.StatusNoContent, code, body)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := twiliosim.Dial(ctx, doc.Connect.Stream.URL, doc.Connect.Stream.URL, testToken, twiliosim.Params{
		AccountSID: "AC" + strings.Repeat("0", 32), CallSID: callSID, StreamSID: "MZ" + callSID[2:], Custom: params})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// say has the caller say text: speech-like audio of about its length, then
// the line goes quiet; the fake recogniser hears text.
func (vs *voiceSystem) say(c *twiliosim.Call, seed uint64, text string) time.Time {
	t := vs.t
	vs.caller.Store(text)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d := time.Duration(len(text)) * 60 * time.Millisecond
	require.NoError(t, c.Say(ctx, audio.Speech(seed, voice.CallerRate, d, -20)))
	return c.SentAt()
}

// listen waits for the agent's answer after since to start playing and to
// finish.
func (vs *voiceSystem) listen(c *twiliosim.Call, since time.Time) time.Time {
	t := vs.t
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ev, err := c.WaitFor(ctx, "played", since)
	require.NoError(t, err, "the agent answers")
	require.NoError(t, c.Idle(ctx, 400*time.Millisecond))
	return ev.At
}

// bookingScript is a receptionist that books the first free slot of the
// first seeded day: find, hold, read back, confirm on "yes", goodbye.
func bookingScript(t *testing.T) func(goopenai.ChatCompletionRequest) openaifake.Reply {
	day := firstSeededDay().Format(time.DateOnly)
	var mu sync.Mutex
	n := 0
	call := func(name string, args map[string]any) openaifake.ToolCall {
		mu.Lock()
		defer mu.Unlock()
		n++
		b, _ := json.Marshal(args)
		return openaifake.ToolCall{ID: "call_" + name + "_" + string(rune('a'+n)), Name: name, Arguments: string(b)}
	}
	return func(req goopenai.ChatCompletionRequest) openaifake.Reply {
		msgs := req.Messages
		last := msgs[len(msgs)-1]
		if last.Role == goopenai.ChatMessageRoleTool {
			var res map[string]any
			_ = json.Unmarshal([]byte(last.Content), &res)
			switch toolOf(msgs, last.ToolCallID) {
			case openai.ToolFindFreeSlots:
				slots, _ := res["slots"].([]any)
				require.NotEmpty(t, slots, "free slots on %s", day)
				slot := slots[0].(map[string]any)["slot_id"].(string)
				return openaifake.Reply{ToolCalls: []openaifake.ToolCall{call(openai.ToolHoldSlot, map[string]any{"slot_id": slot})}}
			case openai.ToolHoldSlot:
				return openaifake.Reply{Text: "I have held " + res["time"].(string) + " for you. Shall I book it?"}
			case openai.ToolConfirmBooking:
				return openaifake.Reply{Text: "You're booked in. Thank you for calling, goodbye!",
					ToolCalls: []openaifake.ToolCall{call(openai.ToolEndCall, map[string]any{})}}
			}
			return openaifake.Reply{Text: "Sorry, something went wrong."}
		}
		said := strings.ToLower(last.Content)
		switch {
		case strings.Contains(said, "yes"):
			hold := holdOf(msgs)
			return openaifake.Reply{ToolCalls: []openaifake.ToolCall{call(openai.ToolConfirmBooking, map[string]any{"hold_id": hold, "procedure_id": procedureOf(req)})}}
		case strings.Contains(said, "book"):
			return openaifake.Reply{Text: "Of course, let me look.",
				ToolCalls: []openaifake.ToolCall{call(openai.ToolFindFreeSlots, map[string]any{"day": day, "procedure_id": procedureOf(req)})}}
		}
		return openaifake.Reply{Text: "How can I help you today?"}
	}
}

func toolOf(msgs []goopenai.ChatCompletionMessage, id string) string {
	for _, m := range msgs {
		for _, c := range m.ToolCalls {
			if c.ID == id {
				return c.Function.Name
			}
		}
	}
	return ""
}

func holdOf(msgs []goopenai.ChatCompletionMessage) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		var res map[string]any
		if msgs[i].Role == goopenai.ChatMessageRoleTool && json.Unmarshal([]byte(msgs[i].Content), &res) == nil {
			if h, ok := res["hold_id"].(string); ok {
				return h
			}
		}
	}
	return ""
}

// procedureOf is the blood test's id, from the find tool's schema.
func procedureOf(req goopenai.ChatCompletionRequest) string {
	for _, tool := range req.Tools {
		if tool.Function == nil || tool.Function.Name != openai.ToolFindFreeSlots {
			continue
		}
		b, _ := json.Marshal(tool.Function.Parameters)
		var schema struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		}
		if json.Unmarshal(b, &schema) == nil && len(schema.Properties["procedure_id"].Enum) > 0 {
			return schema.Properties["procedure_id"].Enum[0]
		}
	}
	return ""
}

// A whole call over the Media Streams WebSocket: the caller asks for a
// slot, the agent holds and confirms it through the workflow's Updates
// (the tool calls' ids are the Update ids), says goodbye and ends the
// stream; Twilio's <Connect action> then hangs up. The booking is in
// Postgres and the turns are sealed in the history.
func TestVoiceCallBooksASlot(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: bookingScript(t)}, nil)
	ctx := context.Background()
	callSID := newCallSID()
	c := vs.connect(callSID)

	greeted := vs.listen(c, time.Time{})
	require.False(t, greeted.IsZero())
	spoke := vs.say(c, 1, "Hello, I'd like to book a blood test please.")
	answered := vs.listen(c, spoke)
	require.Less(t, answered.Sub(spoke), 5*time.Second)
	spoke = vs.say(c, 2, "Yes please.")
	ctx2, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := c.WaitFor(ctx2, "played", spoke)
	require.NoError(t, err, "the goodbye plays")

	select {
	case <-c.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the agent did not end the stream after its goodbye")
	}
	require.ErrorContains(t, c.Err(), "1000", "closed normally")

	// Twilio asks what follows <Connect>: hang up.
	code, body := vs.post(api.AfterStreamPath, testToken, afterStreamForm(callSID))
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "<Hangup")

	code, body = vs.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code, body)
	st := awaitCall(t, vs.temporal, callSID)
	require.Equal(t, contract.OutcomeBooked, st.Outcome)
	require.NotEmpty(t, st.BookingID)
	require.Equal(t, contract.StreamEnded, st.Stream)

	// The booking is in Postgres, in the clinic's org only.
	var bookings []store.StaffBooking
	bookings, err = vs.store.ListBookings(ctx, staffA, time.Now().AddDate(0, 0, -1), time.Now().AddDate(0, 0, 14))
	require.NoError(t, err)
	found := false
	for _, b := range bookings {
		found = found || b.ID.String() == st.BookingID
	}
	require.True(t, found, "booking %s listed for the clinic: %+v", st.BookingID, bookings)

	// The turns went to the workflow, sealed: greeting, caller, agent,
	// caller, agent (with tool timings), in clear only their timings.
	require.GreaterOrEqual(t, st.Turns, 5)
	hist := historyText(t, vs.system, callSID)
	require.NotContains(t, hist, "blood test please", "what the caller said is sealed")
	require.Contains(t, hist, "hold_slot:call_hold_slot", "the tool call's id is the Update id")
	require.Contains(t, hist, "confirm_booking:call_confirm_booking")
	// Each agent turn that used tools carries their round trips, in clear:
	// find_free_slots and hold_slot, then confirm_booking.
	inputs := updateInputs(t, vs.system, callSID)
	timings := regexp.MustCompile(`"tool_ms":\[[0-9.e+-]+(,[0-9.e+-]+)*\]`).FindAllString(inputs, -1)
	require.Len(t, timings, 2, "two agent turns with tool timings: %v", timings)
	// ... each round trip named, so ops see which one was slow.
	require.Contains(t, inputs, `"tools":["find_free_slots","hold_slot"]`)
	require.Contains(t, inputs, `"tools":["confirm_booking"]`)
	require.Equal(t, 2, countEvents(t, vs.system, callSID, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)-st.Turns-2,
		"hold_slot and confirm_booking, besides the turns and the stream's start and end")
	record(t, vs.temporal, contract.CallSessionID(callSID), "callsession_voice.json")
}

// updateInputs is the decoded input of every Update in a call's history,
// as ops see it through the codec (the sealed turns stay sealed).
func updateInputs(t *testing.T, s *system, callSID string) string {
	t.Helper()
	iter := s.temporal.GetWorkflowHistory(context.Background(), contract.CallSessionID(callSID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out strings.Builder
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		accepted := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes()
		if accepted == nil {
			continue
		}
		decoded, err := testenv.PayloadCodec().Decode(accepted.GetAcceptedRequest().GetInput().GetArgs().GetPayloads())
		require.NoError(t, err)
		for _, p := range decoded {
			out.Write(p.GetData())
			out.WriteByte('\n')
		}
	}
	return out.String()
}

func afterStreamForm(callSID string) map[string][]string {
	return map[string][]string{"CallSid": {callSID}, "AccountSid": {"AC" + strings.Repeat("0", 32)}, "CallStatus": {"in-progress"}}
}

// historyText is a call's whole history as JSON, as an operator would read
// it (payloads still encrypted).
func historyText(t *testing.T, s *system, callSID string) string {
	t.Helper()
	iter := s.temporal.GetWorkflowHistory(context.Background(), contract.CallSessionID(callSID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	hist := &historypb.History{}
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		hist.Events = append(hist.Events, ev)
	}
	data, err := temporalproto.CustomJSONMarshalOptions{}.Marshal(hist)
	require.NoError(t, err)
	return string(data) + decodeAllBase64(payloadsOfHistory(t, data))
}

func payloadsOfHistory(t *testing.T, data []byte) []json.RawMessage {
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	var out []json.RawMessage
	payloadsIn(v, &out)
	return out
}

// The upgrade is refused before anything starts when Twilio's signature
// is missing, forged, or for another URL; a correctly signed stream for a
// call that does not exist, or has ended, is closed at its start.
func TestMediaStreamRefusesStrangers(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: bookingScript(t)}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	callSID := newCallSID()
	code, body := vs.post("/twilio/voice", testToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code, body)
	params := twiliosim.Params{AccountSID: "AC" + strings.Repeat("0", 32), CallSID: callSID, StreamSID: "MZ" + callSID[2:],
		Custom: map[string]string{"call_sid": callSID, "clinic_id": store.DemoClinicA.String()}}

	for name, dial := range map[string]func() error{
		"unsigned": func() error {
			_, resp, err := websocket.Dial(ctx, vs.streamURL, nil)
			if resp != nil {
				require.Equal(t, http.StatusForbidden, resp.StatusCode)
			}
			return err
		},
		"forged": func() error {
			_, err := twiliosim.Dial(ctx, vs.streamURL, vs.streamURL, "not-the-token", params)
			return err
		},
		"signed for another URL": func() error {
			_, err := twiliosim.Dial(ctx, vs.streamURL, "wss://elsewhere.example/twilio/media", testToken, params)
			return err
		},
	} {
		require.Error(t, dial(), name)
	}
	require.Zero(t, countEvents(t, vs.system, callSID, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED), "nothing reached the call")

	// Signed, but for a call that does not exist: closed at the start.
	ghost := params
	ghost.CallSID = "CA" + strings.Repeat("0", 31) + "9"
	ghost.Custom = map[string]string{"call_sid": ghost.CallSID, "clinic_id": store.DemoClinicA.String()}
	c, err := twiliosim.Dial(ctx, vs.streamURL, vs.streamURL, testToken, ghost)
	require.NoError(t, err)
	<-c.Done()
	require.ErrorContains(t, c.Err(), "1008", "policy violation")

	// Signed, for a real call, but naming another clinic: closed.
	wrong := params
	wrong.Custom = map[string]string{"call_sid": callSID, "clinic_id": store.DemoClinicB.String()}
	c, err = twiliosim.Dial(ctx, vs.streamURL, vs.streamURL, testToken, wrong)
	require.NoError(t, err)
	<-c.Done()
	require.ErrorContains(t, c.Err(), "1008")

	// Signed, for a call that has ended: closed.
	code, _ = vs.post("/twilio/status", testToken, statusForm(callSID, "canceled", 0))
	require.Equal(t, http.StatusNoContent, code)
	awaitCall(t, vs.temporal, callSID)
	c, err = twiliosim.Dial(ctx, vs.streamURL, vs.streamURL, testToken, params)
	require.NoError(t, err)
	<-c.Done()
	require.ErrorContains(t, c.Err(), "1008")
}

// Garbage, oversized and binary messages are dropped without ending the
// call; a flood closes the stream; either way the workflow learns the
// stream ended.
func TestMediaStreamSurvivesGarbageAndRefusesFloods(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: bookingScript(t)}, nil)
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, junk := range [][]byte{
		[]byte(`not json`),
		[]byte(`{"event":"media","media":{"payload":"!!!"}}`),
		[]byte(`{"event":"exploded"}`),
		[]byte(`{"event":"media","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":"` + strings.Repeat("A", 20000) + `"}}`),
	} {
		require.NoError(t, c.SendRaw(ctx, junk))
	}
	// The stream is still alive: the caller is answered.
	spoke := vs.say(c, 3, "Hello, I'd like to book a blood test please.")
	vs.listen(c, spoke)

	// A flood: thousands of messages at once is not Twilio.
	for i := 0; i < 3000; i++ {
		if c.SendRaw(ctx, []byte(`{"event":"mark","sequenceNumber":"5","streamSid":"`+"MZ"+callSID[2:]+`","mark":{"name":"x"}}`)) != nil {
			break
		}
	}
	<-c.Done()
	require.Eventually(t, func() bool {
		st, err := starter.Calls{Client: vs.temporal}.State(ctx, callSID)
		return err == nil && st.Stream == contract.StreamEnded
	}, 15*time.Second, 100*time.Millisecond, "the workflow learns the stream ended")
}

// A socket that breaks mid-call ends the stream cleanly, and the workflow
// learns of it (and, with no final status, would go on to ask Twilio).
func TestBrokenSocketEndsTheStream(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: bookingScript(t)}, nil)
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	c.Close()
	require.Eventually(t, func() bool {
		st, err := starter.Calls{Client: vs.temporal}.State(context.Background(), callSID)
		return err == nil && st.Stream == contract.StreamEnded
	}, 15*time.Second, 100*time.Millisecond)
	st, err := starter.Calls{Client: vs.temporal}.State(context.Background(), callSID)
	require.NoError(t, err)
	require.False(t, st.Ended, "the call itself goes on until Twilio says so")
	require.GreaterOrEqual(t, st.Turns, 1, "the greeting was recorded")
}

// longReply is a reply of several sentences, streamed slowly, so the
// caller can barge into it.
const longReply = "We are open Monday to Friday. Blood tests are every weekday morning from nine. " +
	"MRI scans of the knee take about half an hour. Colonoscopies need some preparation the day before. " +
	"Our address is twelve Northgate Street in Leeds."

// Barge-in: the caller speaks over the agent. Twilio is told to clear at
// once, the reply's LLM and TTS requests are cancelled, and the
// conversation keeps only what the caller heard.
func TestBargeInClearsAndKeepsOnlyWhatWasHeard(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{
		TokensPerSecond: 6, // the reply is still streaming when the caller cuts in
		SpeechSpeed:     1, // and its speech arrives at real time
		Chat: func(req goopenai.ChatCompletionRequest) openaifake.Reply {
			last := req.Messages[len(req.Messages)-1]
			if strings.Contains(strings.ToLower(last.Content), "blood test") {
				return openaifake.Reply{Text: "Yes, any weekday morning. Shall I find you a time?"}
			}
			return openaifake.Reply{Text: longReply}
		},
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})

	spoke := vs.say(c, 5, "What can you tell me about the clinic?")
	started, err := c.WaitFor(ctx, "played", spoke)
	require.NoError(t, err)
	time.Sleep(2500*time.Millisecond - time.Since(started.At)) // the first sentence or so is heard
	vs.caller.Store("Sorry, can I just book a blood test?")
	go func() { _ = c.Say(ctx, audio.Speech(6, voice.CallerRate, 1500*time.Millisecond, -20)) }()
	cleared, err := c.WaitFor(ctx, "clear", started.At)
	require.NoError(t, err, "the agent's audio is cleared")
	require.NoError(t, vs.fake.WaitCancelled(ctx, openaifake.Chat, 1), "the LLM stream is cancelled")

	// The next request to the LLM carries only what the caller heard.
	require.Eventually(t, func() bool {
		for _, r := range vs.fake.ChatRequests() {
			if strings.Contains(r.Messages[len(r.Messages)-1].Content, "blood test") {
				return true
			}
		}
		return false
	}, 20*time.Second, 50*time.Millisecond, "the caller's interruption is answered")
	var agentSaid string
	for _, r := range vs.fake.ChatRequests() {
		msgs := r.Messages
		if !strings.Contains(msgs[len(msgs)-1].Content, "blood test") {
			continue
		}
		for _, m := range msgs {
			if m.Role == goopenai.ChatMessageRoleAssistant && strings.Contains(m.Content, "Monday to Friday") {
				agentSaid = m.Content
			}
		}
	}
	require.NotEmpty(t, agentSaid, "what was heard is in the context")
	require.NotContains(t, agentSaid, "Northgate Street", "what was not heard is not")
	require.Less(t, cleared.At.Sub(started.At), 6*time.Second)

	// The stored agent turn holds what was heard, too.
	vs.listen(c, cleared.At)
	require.NoError(t, c.Hangup(ctx))
	code, _ := vs.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code)
	awaitCall(t, vs.temporal, callSID)
	turns, err := vs.store.ReadTurns(ctx, vs.vault, store.Claims{OrgID: store.DemoOrgA, Sub: "auditor", Role: "admin"}, callSID, "test")
	require.NoError(t, err)
	var interrupted string
	for _, tr := range turns {
		if tr.Speaker == contract.SpeakerAgent && strings.Contains(tr.Body.Text, "Monday to Friday") {
			interrupted = tr.Body.Text
		}
	}
	require.NotEmpty(t, interrupted)
	require.NotContains(t, interrupted, "Northgate Street")
}

// A short "mm-hm" over the agent does not cut it: the agent goes on.
func TestBackchannelDoesNotInterrupt(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{SpeechSpeed: 1,
		Chat: func(goopenai.ChatCompletionRequest) openaifake.Reply { return openaifake.Reply{Text: longReply} }}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	spoke := vs.say(c, 7, "Tell me about the clinic.")
	started, err := c.WaitFor(ctx, "played", spoke)
	require.NoError(t, err)
	time.Sleep(1500 * time.Millisecond)
	vs.caller.Store("mm-hm")
	require.NoError(t, c.Say(ctx, audio.Backchannel(8, voice.CallerRate, -22)))
	require.NoError(t, c.Idle(ctx, 600*time.Millisecond))
	require.Zero(t, vs.fake.Cancelled(openaifake.Chat), "the reply was not cancelled")
	// Every clause was played to its end: all marks came back.
	var marks int
	for _, e := range c.Events() {
		if e.Kind == "mark" && e.At.After(started.At) {
			marks++
		}
	}
	require.GreaterOrEqual(t, marks, 4, "the whole reply was heard")
}

// A stalled LLM stream is cut by the idle timeout and the fallback line is
// spoken; a TTS error body is never played as audio.
func TestProviderFailuresAreSpokenAroundNotPlayed(t *testing.T) {
	var calls atomic.Int32
	vs := startVoiceSystem(t, openaifake.Options{
		Chat: func(goopenai.ChatCompletionRequest) openaifake.Reply {
			if calls.Add(1) == 1 {
				return openaifake.Reply{Text: "Let me see", Stall: true, StallAfter: 2}
			}
			return openaifake.Reply{Text: "This sentence breaks the speech server."}
		},
		Speech: func(req goopenai.CreateSpeechRequest) openaifake.SpeechReply {
			if strings.Contains(req.Input, "breaks the speech server") {
				return openaifake.SpeechReply{Status: http.StatusInternalServerError, Error: "tts backend exploded"}
			}
			return openaifake.SpeechReply{}
		},
	}, func(_ *voice.Config, oc *openai.Config) { oc.IdleTimeout = 400 * time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})

	spoke := vs.say(c, 9, "Can you help me?")
	vs.listen(c, spoke)
	var spokenTexts []string
	for _, r := range vs.fake.SpeechRequests() {
		spokenTexts = append(spokenTexts, r.Input)
	}
	require.Contains(t, strings.Join(spokenTexts, "|"), "having trouble", "the fallback is spoken after the stall")

	spoke = vs.say(c, 10, "Hello?")
	require.Eventually(t, func() bool {
		for _, r := range vs.fake.SpeechRequests() {
			if strings.Contains(r.Input, "breaks the speech server") {
				return true
			}
		}
		return false
	}, 10*time.Second, 50*time.Millisecond)
	_, err := c.WaitFor(ctx, "media", spoke)
	require.Error(t, func() error {
		wctx, wcancel := context.WithTimeout(ctx, 2*time.Second)
		defer wcancel()
		_, err := c.WaitFor(wctx, "media", spoke)
		return err
	}(), "no audio is sent for a clause whose TTS answered an error")
	_ = err
}

// transfer_to_staff: the agent says so, the stream ends, and Twilio's
// <Connect action> dials the clinic's staff number; the call's outcome is
// "transferred" and it gets no follow-up.
func TestTransferToStaffDialsTheClinic(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: openaifake.DefaultScript}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	spoke := vs.say(c, 11, "Can I speak to a person please?")
	_, err := c.WaitFor(ctx, "played", spoke)
	require.NoError(t, err)
	select {
	case <-c.Done():
	case <-ctx.Done():
		t.Fatal("the stream did not end after the transfer")
	}
	code, body := vs.post(api.AfterStreamPath, testToken, afterStreamForm(callSID))
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "<Dial>")
	require.Contains(t, body, store.DemoStaffNumberA)
	code, _ = vs.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code)
	st := awaitCall(t, vs.temporal, callSID)
	require.Equal(t, contract.OutcomeTransferred, st.Outcome)
	require.Empty(t, st.FollowUpID)
}

// Shutdown: a draining api hands each call over at a quiet moment. The
// stream ends with reason shutdown, the <Connect action> opens a new one
// that says no greeting and carries the conversation on.
func TestStreamIsHandedOverWhenTheAPIDrains(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: openaifake.DefaultScript}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	spoke := vs.say(c, 12, "Hello, what are your opening hours?")
	vs.listen(c, spoke)

	go func() { _ = vs.streams.Drain(ctx) }()
	select {
	case <-c.Done():
	case <-ctx.Done():
		t.Fatal("the stream was not handed over")
	}
	require.ErrorContains(t, c.Err(), "shutdown")
	code, body := vs.post(api.AfterStreamPath, testToken, afterStreamForm(callSID))
	require.Equal(t, http.StatusOK, code, body)
	var doc twiml
	require.NoError(t, xml.Unmarshal([]byte(body), &doc), body)
	params := map[string]string{}
	for _, p := range doc.Connect.Stream.Params {
		params[p.Name] = p.Value
	}
	require.Equal(t, "1", params[voice.ResumeParameter])
	before, err := starter.Calls{Client: vs.temporal}.State(ctx, callSID)
	require.NoError(t, err)

	// Twilio opens the new stream, which lands on another replica: the
	// caller goes on, and the new stream's turns are recorded beside the
	// first stream's (its turn ids are its own, not retries of the old).
	c2, err := twiliosim.Dial(ctx, vs.replica(), doc.Connect.Stream.URL, testToken, twiliosim.Params{
		AccountSID: "AC" + strings.Repeat("0", 32), CallSID: callSID, StreamSID: "MZ" + strings.Repeat("7", 32), Custom: params})
	require.NoError(t, err)
	t.Cleanup(c2.Close)
	spoke = vs.say(c2, 13, "And are you open on Saturdays?")
	_, err = c2.WaitFor(ctx, "played", c2.SayStartedAt())
	require.NoError(t, err, "the resumed stream answers: %s", c2.Describe(spoke))
	require.NoError(t, c2.Idle(ctx, 400*time.Millisecond))
	require.NoError(t, c2.Hangup(ctx))
	require.Eventually(t, func() bool {
		st, err := starter.Calls{Client: vs.temporal}.State(ctx, callSID)
		return err == nil && st.Stream == contract.StreamEnded && st.Turns >= before.Turns+2
	}, 15*time.Second, 100*time.Millisecond, "the resumed stream's caller and agent turns are recorded (%d before)", before.Turns)
}

// TestCardNumberNeverReachesTheLLM: a caller who reads out a card number
// is answered, but the hosted LLM reads it masked, in the turn it is said
// and in every later request's history.
func TestCardNumberNeverReachesTheLLM(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: func(goopenai.ChatCompletionRequest) openaifake.Reply {
		return openaifake.Reply{Text: "We don't take payments over the phone. Anything else?"}
	}}, nil)
	c := vs.connect(newCallSID())
	vs.listen(c, time.Time{})
	spoke := vs.say(c, 1, "I want to pay, my card is 4111 1111 1111 1111 expiring next year.")
	vs.listen(c, spoke)
	spoke = vs.say(c, 2, "No, that's all, thanks.")
	vs.listen(c, spoke)

	reqs := vs.fake.ChatRequests()
	require.GreaterOrEqual(t, len(reqs), 2, "both turns reached the LLM")
	masked := false
	for _, req := range reqs {
		for _, m := range req.Messages {
			require.NotContains(t, m.Content, "4111", "the card number reached the LLM")
			masked = masked || strings.Contains(m.Content, "[CREDIT_CARD]")
		}
	}
	require.True(t, masked, "the LLM read the turn, masked")
}

// TestFalseInterruptionOfAFillerAnswersTheTurn: the agent looks something
// up and says its filler; a noise over the filler cuts it but is no turn.
// There is nothing of the answer to resume (only the filler was said), so
// the caller's turn is asked again rather than left unanswered.
func TestFalseInterruptionOfAFillerAnswersTheTurn(t *testing.T) {
	day := firstSeededDay().Format(time.DateOnly)
	var mu sync.Mutex
	afterTool := 0
	vs := startVoiceSystem(t, openaifake.Options{SpeechSpeed: 1, Chat: func(req goopenai.ChatCompletionRequest) openaifake.Reply {
		last := req.Messages[len(req.Messages)-1]
		if last.Role == goopenai.ChatMessageRoleTool {
			mu.Lock()
			afterTool++
			first := afterTool == 1
			mu.Unlock()
			if first {
				time.Sleep(1500 * time.Millisecond) // the filler plays meanwhile
			}
			return openaifake.Reply{Text: "Yes, there is a nine o'clock on that day."}
		}
		if strings.Contains(strings.ToLower(last.Content), "anything") {
			return openaifake.Reply{ToolCalls: []openaifake.ToolCall{{ID: "call_find_" + strconv.Itoa(len(req.Messages)),
				Name: openai.ToolFindFreeSlots, Arguments: `{"day":"` + day + `","procedure_id":"` + procedureOf(req) + `"}`}}}
		}
		return openaifake.Reply{Text: "How can I help?"}
	}}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := vs.connect(newCallSID())
	vs.listen(c, time.Time{})

	spoke := vs.say(c, 11, "Anything on Monday?")
	filler, err := c.WaitFor(ctx, "played", spoke)
	require.NoError(t, err, "the filler plays while the slots are looked up")
	vs.caller.Store("") // a cough the recogniser hears no words in
	require.NoError(t, c.Say(ctx, audio.Speech(12, voice.CallerRate, 700*time.Millisecond, -20)))
	_, err = c.WaitFor(ctx, "clear", filler.At)
	require.NoError(t, err, "the noise cut the filler")
	answer, err := c.WaitFor(ctx, "played", c.SentAt())
	require.NoError(t, err, "the turn is answered after the false interruption: %s", c.Describe(filler.At))
	require.NoError(t, c.Idle(ctx, 400*time.Millisecond))
	require.False(t, answer.At.IsZero())
	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, afterTool, 2, "the agent was asked again and answered")
}

// TestSilentPeerIsCut: a peer that stops sending without closing the
// socket (a vanished NAT, a hostile client holding a recogniser) loses its
// stream after ReadIdle; Twilio itself sends a frame every 20 ms.
func TestSilentPeerIsCut(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: bookingScript(t)}, func(c *voice.Config, _ *openai.Config) {
		c.ReadIdle = time.Second
	})
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	require.NoError(t, c.Idle(context.Background(), 1500*time.Millisecond), "a quiet caller on a live line keeps the stream")
	select {
	case <-c.Done():
		t.Fatalf("the stream of a quiet caller was closed: %v", c.Err())
	default:
	}
	c.GoSilent()
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a silent peer kept its stream")
	}
	require.Eventually(t, func() bool {
		st, err := starter.Calls{Client: vs.temporal}.State(context.Background(), callSID)
		return err == nil && st.Stream == contract.StreamEnded && !st.Ended
	}, 15*time.Second, 100*time.Millisecond, "the workflow learns the stream ended; the call goes on until Twilio says so")
}

// TestKeyPressWithoutHashIsAnswered: a caller who presses a key and waits
// (no '#') is answered once the key gap has passed, every time.
func TestKeyPressWithoutHashIsAnswered(t *testing.T) {
	vs := startVoiceSystem(t, openaifake.Options{Chat: func(req goopenai.ChatCompletionRequest) openaifake.Reply {
		return openaifake.Reply{Text: "You pressed a key."}
	}}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	callSID := newCallSID()
	c := vs.connect(callSID)
	vs.listen(c, time.Time{})
	for _, key := range []string{"1", "2", "3", "1", "2"} {
		require.NoError(t, c.Idle(ctx, 200*time.Millisecond))
		pressed := time.Now()
		require.NoError(t, c.PressKey(ctx, key))
		wait, stop := context.WithTimeout(ctx, 10*time.Second)
		_, err := c.WaitFor(wait, "played", pressed)
		stop()
		require.NoError(t, err, "key %s answered: %s", key, c.Describe(pressed))
	}
	pressedTurns := 0
	for _, req := range vs.fake.ChatRequests() {
		if last := req.Messages[len(req.Messages)-1]; strings.Contains(last.Content, "press") {
			pressedTurns++
		}
	}
	require.GreaterOrEqual(t, pressedTurns, 5, "each key reached the LLM as the caller's turn")

	// The caller hears the last answer out and hangs up; every turn
	// reaches the workflow: the greeting, and each key with its answer.
	require.NoError(t, c.Idle(ctx, 400*time.Millisecond))
	require.NoError(t, c.Hangup(ctx))
	var st contract.CallState
	require.Eventually(t, func() bool {
		var err error
		st, err = starter.Calls{Client: vs.temporal}.State(context.Background(), callSID)
		return err == nil && st.Stream == contract.StreamEnded
	}, 15*time.Second, 100*time.Millisecond)
	require.GreaterOrEqual(t, st.Turns, 11)
}
