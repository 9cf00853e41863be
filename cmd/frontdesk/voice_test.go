package main

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/openaifake"
)

// A client that follows the TwiML's stream URL, as Twilio does, gets spoken
// answers from the services wired as `frontdesk dev` wires them, with an
// OpenAI-compatible endpoint configured (OPENAI_BASE_URL, no key): the
// speech-to-text, the LLM and the TTS requests all reach it.
func TestVoiceWithAnOpenAICompatibleEndpoint(t *testing.T) {
	fake := openaifake.New(openaifake.Options{
		Transcribe: func(openaifake.TranscriptionRequest) openaifake.TranscriptionReply {
			return openaifake.TranscriptionReply{Text: "Hello, what are your opening hours?"}
		},
		Chat: func(goopenai.ChatCompletionRequest) openaifake.Reply {
			return openaifake.Reply{Text: "We are open Monday to Friday, nine to five. Anything else?"}
		},
	})
	srv := httptest.NewServer(fake)
	t.Cleanup(func() { fake.Close(); srv.Close() })
	sys := startSystemWith(t, systemOptions{openAIBaseURL: srv.URL + "/v1"})

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := demo.VoiceCall{
		Twilio: sys.caller.Twilio, To: store.DemoNumberA, From: demo.CallerNumber(),
		Caller: speechSynth{}, Lines: []string{"hello"},
	}.Run(ctx)
	require.NoError(t, err)
	require.Len(t, res.Turns, 1)
	require.False(t, res.Turns[0].Answered.IsZero(), "the caller heard an answer")

	require.NotEmpty(t, fake.Transcriptions(), "speech-to-text went to the endpoint")
	var asked bool
	for _, r := range fake.ChatRequests() {
		asked = asked || strings.Contains(r.Messages[len(r.Messages)-1].Content, "opening hours")
	}
	require.True(t, asked, "the LLM was asked what the caller said")
	var spoken []string
	for _, r := range fake.SpeechRequests() {
		spoken = append(spoken, r.Input)
	}
	require.Contains(t, strings.Join(spoken, "|"), "Monday to Friday", "the answer was synthesised by the endpoint")
	var final contract.CallState
	require.NoError(t, sys.svc.temporal.GetWorkflow(ctx, contract.CallSessionID(res.CallSID), "").Get(ctx, &final))
	require.GreaterOrEqual(t, final.Turns, 3, "greeting, caller and answer recorded")
}

// speechSynth "speaks" any line as speech-like audio (the fake recogniser
// does not listen).
type speechSynth struct{}

func (speechSynth) Synthesize(context.Context, string) (voice.Speech, error) {
	return &pcmSpeech{pcm: audio.Speech(1, voice.CallerRate, 1200*time.Millisecond, -20)}, nil
}

type pcmSpeech struct{ pcm []int16 }

func (p *pcmSpeech) Rate() int { return voice.CallerRate }
func (p *pcmSpeech) Read(b []int16) (int, error) {
	if len(p.pcm) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.pcm)
	p.pcm = p.pcm[n:]
	return n, nil
}
func (p *pcmSpeech) Close() error { return nil }
