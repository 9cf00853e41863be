package openai

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/openaifake"
)

// readAll drains a Speech with a buffer of n samples.
func readAll(t *testing.T, sp voice.Speech, n int) ([]int16, error) {
	t.Helper()
	var out []int16
	buf := make([]int16, n)
	for {
		k, err := sp.Read(buf)
		out = append(out, buf[:k]...)
		if err != nil {
			return out, err
		}
		require.Positive(t, k, "Read returns samples or an error")
	}
}

// TestSynthesizeExact: the fake writes odd-sized chunks, so samples are
// split across reads; what arrives is the fake's tone, sample for sample.
func TestSynthesizeExact(t *testing.T) {
	text := "I have half past nine or ten to four on Tuesday."
	fake, cfg, _ := serveFake(t, openaifake.Options{SpeechChunkBytes: 4801})
	cfg.SpeechModel = "gpt-4o-mini-tts"
	cfg.Voice = "coral"
	cfg.SpeechInstructions = "Warm and calm."
	syn, err := NewSynthesizer(cfg)
	require.NoError(t, err)
	sp, err := syn.Synthesize(testCtx(t), "  "+text+" ")
	require.NoError(t, err)
	defer sp.Close()
	require.Equal(t, openaifake.SpeechRate, sp.Rate())
	got, err := readAll(t, sp, 333)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, openaifake.Tone(text), got)

	reqs := fake.SpeechRequests()
	require.Len(t, reqs, 1)
	require.Equal(t, goopenai.CreateSpeechRequest{
		Model: "gpt-4o-mini-tts", Input: text, Voice: "coral", Instructions: "Warm and calm.", ResponseFormat: "pcm",
	}, reqs[0])
	require.Equal(t, 0, fake.Cancelled(openaifake.Speech))
}

// splitReader hands out its bytes in pieces of the given sizes, in turn.
type splitReader struct {
	b     []byte
	sizes []int
	i     int
}

func (r *splitReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := min(r.sizes[r.i%len(r.sizes)], len(p), len(r.b))
	r.i++
	copy(p, r.b[:n])
	r.b = r.b[n:]
	return n, nil
}

func newTestSpeech(r io.Reader) *speech {
	ctx, dl := startDeadline(context.Background(), time.Hour, ErrFirstByteTimeout, time.Hour)
	return &speech{parent: context.Background(), ctx: ctx, dl: dl, body: io.NopCloser(r), r: newBufReader(r), rate: 24000}
}

func pcmBytes(samples []int16) []byte {
	b := make([]byte, 2*len(samples))
	for i, s := range samples {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(s))
	}
	return b
}

func TestSpeechReadAcrossSplits(t *testing.T) {
	want := make([]int16, 1001)
	for i := range want {
		want[i] = int16(i*37 - 16000)
	}
	for _, tc := range []struct {
		name  string
		sizes []int
		buf   int
	}{
		{"one byte at a time", []int{1}, 7},
		{"odd pieces", []int{3, 5, 7, 1}, 64},
		{"odd pieces, one-sample reads", []int{3, 5}, 1},
		{"big pieces", []int{4095}, 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp := newTestSpeech(&splitReader{b: pcmBytes(want), sizes: tc.sizes})
			got, err := readAll(t, sp, tc.buf)
			require.ErrorIs(t, err, io.EOF)
			require.Equal(t, want, got)
		})
	}
	t.Run("odd length is an error, after the whole samples", func(t *testing.T) {
		b := append(pcmBytes(want[:10]), 0x7f)
		sp := newTestSpeech(&splitReader{b: b, sizes: []int{3}})
		got, err := readAll(t, sp, 4)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		require.Equal(t, want[:10], got)
	})
	t.Run("empty buffer", func(t *testing.T) {
		sp := newTestSpeech(bytes.NewReader(pcmBytes(want)))
		n, err := sp.Read(nil)
		require.NoError(t, err)
		require.Zero(t, n)
	})
}

// TestSynthesizeErrorAnswers: an error answer is an error, never audio.
func TestSynthesizeErrorAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reply  openaifake.SpeechReply
		status int   // an *APIError with this status
		is     error // or this
	}{
		{name: "500 JSON", reply: openaifake.SpeechReply{Status: 500, Error: "engine down"}, status: 500},
		{name: "400 JSON", reply: openaifake.SpeechReply{Status: 400, Error: "bad voice"}, status: 400},
		{name: "429 JSON", reply: openaifake.SpeechReply{Status: 429}, status: 429},
		{name: "200 JSON", reply: openaifake.SpeechReply{ContentType: "application/json", Body: `{"error":{"message":"quota exceeded"}}`}, is: ErrNotAudio},
		{name: "200 text", reply: openaifake.SpeechReply{ContentType: "text/plain; charset=utf-8", Body: "Internal error"}, is: ErrNotAudio},
		{name: "200 HTML", reply: openaifake.SpeechReply{ContentType: "text/html", Body: "<html>gateway</html>"}, is: ErrNotAudio},
		{name: "200 empty", reply: openaifake.SpeechReply{ContentType: "audio/pcm", Body: ""}, is: ErrNotAudio},
		{name: "bad WAV", reply: openaifake.SpeechReply{ContentType: "audio/wav", Body: "RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, cfg, _ := serveFake(t, openaifake.Options{Speech: func(goopenai.CreateSpeechRequest) openaifake.SpeechReply { return tc.reply }})
			syn, err := NewSynthesizer(cfg)
			require.NoError(t, err)
			sp, err := syn.Synthesize(testCtx(t), "Hello there.")
			require.Error(t, err)
			require.Nil(t, sp, "no audio")
			switch {
			case tc.status != 0:
				var apiErr *goopenai.APIError
				require.ErrorAs(t, err, &apiErr)
				require.Equal(t, tc.status, apiErr.HTTPStatusCode)
			case tc.is != nil:
				require.ErrorIs(t, err, tc.is)
			}
		})
	}
	t.Run("the error's message is kept", func(t *testing.T) {
		_, cfg, _ := serveFake(t, openaifake.Options{Speech: func(goopenai.CreateSpeechRequest) openaifake.SpeechReply {
			return openaifake.SpeechReply{ContentType: "application/json", Body: `{"error":{"message":"quota exceeded"}}`}
		}})
		syn, err := NewSynthesizer(cfg)
		require.NoError(t, err)
		_, err = syn.Synthesize(testCtx(t), "Hello there.")
		require.ErrorContains(t, err, "quota exceeded")
	})
}

// TestSynthesizeWAV: a server that answers pcm with a WAV file is read
// past its header, at the header's rate.
func TestSynthesizeWAV(t *testing.T) {
	want := openaifake.Tone("hello")[:3000]
	var body bytes.Buffer
	body.Write(encodeWAV(want, 16000)[:36])
	body.WriteString("LIST\x04\x00\x00\x00abcd") // a chunk to skip
	body.Write(encodeWAV(want, 16000)[36:])
	_, cfg, _ := serveFake(t, openaifake.Options{Speech: func(goopenai.CreateSpeechRequest) openaifake.SpeechReply {
		return openaifake.SpeechReply{ContentType: "audio/wav", Body: body.String()}
	}})
	syn, err := NewSynthesizer(cfg)
	require.NoError(t, err)
	sp, err := syn.Synthesize(testCtx(t), "hello")
	require.NoError(t, err)
	defer sp.Close()
	require.Equal(t, 16000, sp.Rate())
	got, err := readAll(t, sp, 500)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, want, got)
}

func TestSynthesizeDeadlines(t *testing.T) {
	t.Run("first byte", func(t *testing.T) {
		fake, cfg, _ := serveFake(t, openaifake.Options{SpeechFirstByte: openaifake.Fixed(time.Hour)})
		cfg.SpeechFirstByteTimeout = 50 * time.Millisecond
		syn, err := NewSynthesizer(cfg)
		require.NoError(t, err)
		_, err = syn.Synthesize(testCtx(t), "Hello there.")
		require.ErrorIs(t, err, ErrFirstByteTimeout)
		require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Speech, 1))
	})
	t.Run("idle", func(t *testing.T) {
		fake, cfg, _ := serveFake(t, openaifake.Options{
			Speech:           func(goopenai.CreateSpeechRequest) openaifake.SpeechReply { return openaifake.SpeechReply{Stall: true} },
			SpeechChunkBytes: 960,
		})
		cfg.IdleTimeout = 50 * time.Millisecond
		syn, err := NewSynthesizer(cfg)
		require.NoError(t, err)
		sp, err := syn.Synthesize(testCtx(t), "Hello there, this is a longer sentence.")
		require.NoError(t, err)
		defer sp.Close()
		got, err := readAll(t, sp, 1000)
		require.ErrorIs(t, err, ErrIdleTimeout)
		require.Len(t, got, 480, "the first chunk was played")
		require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Speech, 1))
	})
}

// TestSynthesizeBargeIn: cancelling the context or closing the speech
// mid-stream ends the request, and the server sees it go.
func TestSynthesizeBargeIn(t *testing.T) {
	long := strings.Repeat("This sentence takes a while to say. ", 10)
	fake, cfg, _ := serveFake(t, openaifake.Options{SpeechSpeed: 1})
	syn, err := NewSynthesizer(cfg)
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(testCtx(t))
	sp, err := syn.Synthesize(ctx, long)
	require.NoError(t, err)
	buf := make([]int16, 100)
	n, err := sp.Read(buf)
	require.NoError(t, err)
	require.Positive(t, n)
	cancel()
	_, err = readAll(t, sp, 100)
	require.ErrorIs(t, err, context.Canceled)
	sp.Close()
	require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Speech, 1))

	sp, err = syn.Synthesize(testCtx(t), long)
	require.NoError(t, err)
	_, err = sp.Read(buf)
	require.NoError(t, err)
	require.NoError(t, sp.Close())
	_, err = sp.Read(buf)
	require.Error(t, err, "a closed speech reads no more")
	require.False(t, errors.Is(err, io.EOF))
	require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Speech, 2))
}

func TestSynthesizeBadInput(t *testing.T) {
	fake, cfg, _ := serveFake(t, openaifake.Options{})
	syn, err := NewSynthesizer(cfg)
	require.NoError(t, err)
	for _, text := range []string{"", "   \n", strings.Repeat("a", maxSpeechInput+1)} {
		_, err := syn.Synthesize(testCtx(t), text)
		require.Error(t, err)
	}
	require.Empty(t, fake.SpeechRequests(), "bad input never reaches the server")
}

func TestNotAudio(t *testing.T) {
	for ct, want := range map[string]bool{
		"":                          false,
		"audio/pcm":                 false,
		"audio/wav":                 false,
		"application/octet-stream":  false,
		"application/json":          true,
		"application/problem+json":  true,
		"text/plain; charset=utf-8": true,
		"text/html":                 true,
		"application/xml":           true,
		";;;":                       true,
	} {
		require.Equal(t, want, notAudio(ct), ct)
	}
}

func TestConfigChecks(t *testing.T) {
	for name, cfg := range map[string]Config{
		"client timeout":   {HTTPClient: &http.Client{Timeout: time.Second}},
		"negative timeout": {IdleTimeout: -time.Second},
		"negative rounds":  {MaxToolRounds: -1},
		"speed":            {SpeechSpeed: 9},
	} {
		_, err := NewSynthesizer(cfg)
		require.Error(t, err, name)
		_, err = NewRecognizer(cfg)
		require.Error(t, err, name)
		_, err = NewAgentFactory(cfg)
		require.Error(t, err, name)
	}
	cfg, err := Config{}.withDefaults()
	require.NoError(t, err)
	require.Equal(t, DefaultBaseURL, cfg.BaseURL)
	require.Equal(t, DefaultFirstTokenTimeout, cfg.FirstTokenTimeout)
	require.Equal(t, uint(DefaultEmptyMessagesLimit), cfg.EmptyMessagesLimit)
}
