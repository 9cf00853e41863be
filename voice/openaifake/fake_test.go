package openaifake

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"
)

// serve starts the fake behind httptest and returns a go-openai client
// pointed at it.
func serve(t *testing.T, opts Options) (*Server, *openai.Client, string) {
	t.Helper()
	fake := New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(func() { fake.Close(); srv.Close() })
	cfg := openai.DefaultConfig("")
	cfg.BaseURL = srv.URL + "/v1"
	return fake, openai.NewClientWithConfig(cfg), srv.URL + "/v1"
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func postJSON(t *testing.T, url string, body any) *http.Response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestChatWireFormat reads the raw stream: server-sent events as OpenAI
// writes them, text in several deltas, each tool call's id and name in
// its first fragment and its arguments over several.
func TestChatWireFormat(t *testing.T) {
	reply := Reply{
		Text: "Let me check that for you.",
		ToolCalls: []ToolCall{
			{ID: "call_a", Name: "find_free_slots", Arguments: `{"day":"2025-03-11","procedure_id":"checkup"}`},
			{ID: "call_b", Name: "hold_slot", Arguments: `{"slot_id":"s-1"}`},
		},
	}
	_, _, base := serve(t, Options{Chat: func(openai.ChatCompletionRequest) Reply { return reply }})
	resp := postJSON(t, base+"/chat/completions", map[string]any{
		"model": "m", "stream": true, "messages": []map[string]string{{"role": "user", "content": "hi"}},
	})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))

	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	events := strings.Split(string(raw), "\n\n")
	require.Equal(t, "", events[len(events)-1], "the stream ends with a blank line")
	events = events[:len(events)-1]
	require.Equal(t, "data: [DONE]", events[len(events)-1])

	type frag struct {
		Index    int    `json:"index"`
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	}
	var (
		text     strings.Builder
		textN    int
		frags    = map[int][]frag{}
		finishes []string
		roles    []string
	)
	for i, ev := range events[:len(events)-1] {
		require.True(t, strings.HasPrefix(ev, "data: {"), "event %d: %q", i, ev)
		var c struct {
			Object  string `json:"object"`
			Choices []struct {
				Delta struct {
					Role      string  `json:"role"`
					Content   *string `json:"content"`
					ToolCalls []frag  `json:"tool_calls"`
				} `json:"delta"`
				FinishReason *string `json:"finish_reason"`
			} `json:"choices"`
		}
		require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(ev, "data: ")), &c))
		require.Equal(t, "chat.completion.chunk", c.Object)
		require.Len(t, c.Choices, 1)
		d := c.Choices[0].Delta
		if d.Role != "" {
			roles = append(roles, d.Role)
		}
		if d.Content != nil && *d.Content != "" {
			text.WriteString(*d.Content)
			textN++
		}
		for _, f := range d.ToolCalls {
			frags[f.Index] = append(frags[f.Index], f)
		}
		if c.Choices[0].FinishReason != nil {
			finishes = append(finishes, *c.Choices[0].FinishReason)
		}
	}
	require.Equal(t, []string{"assistant"}, roles, "one role, in the opening chunk")
	require.Equal(t, reply.Text, text.String())
	require.Greater(t, textN, 3, "text comes in token-sized deltas")
	require.Equal(t, []string{"tool_calls"}, finishes, "finish_reason only on the last chunk")
	require.Len(t, frags, 2)
	for k, want := range reply.ToolCalls {
		fs := frags[k]
		require.Greater(t, len(fs), 2, "call %d in several fragments", k)
		require.Equal(t, want.ID, fs[0].ID)
		require.Equal(t, want.Name, fs[0].Function.Name)
		require.Equal(t, "function", fs[0].Type)
		var args strings.Builder
		for j, f := range fs {
			if j > 0 {
				require.Empty(t, f.ID, "id only in the first fragment")
				require.Empty(t, f.Function.Name, "name only in the first fragment")
			}
			args.WriteString(f.Function.Arguments)
		}
		require.Equal(t, want.Arguments, args.String())
	}
}

func TestChatThroughGoOpenAI(t *testing.T) {
	fake, client, _ := serve(t, Options{Chat: func(req openai.ChatCompletionRequest) Reply {
		return Reply{Text: "You said: " + lastUser(req.Messages)}
	}})
	stream, err := client.CreateChatCompletionStream(waitCtx(t), openai.ChatCompletionRequest{
		Model:    "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "a checkup please"}},
	})
	require.NoError(t, err)
	defer stream.Close()
	var text string
	var finish openai.FinishReason
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		text += resp.Choices[0].Delta.Content
		if r := resp.Choices[0].FinishReason; r != "" {
			finish = r
		}
	}
	require.Equal(t, "You said: a checkup please", text)
	require.Equal(t, openai.FinishReasonStop, finish)
	reqs := fake.ChatRequests()
	require.Len(t, reqs, 1)
	require.True(t, reqs[0].Stream)
	require.Equal(t, "a checkup please", reqs[0].Messages[0].Content)
	require.Equal(t, 0, fake.Cancelled(Chat))
}

func TestChatErrors(t *testing.T) {
	t.Run("status", func(t *testing.T) {
		_, client, _ := serve(t, Options{Chat: func(openai.ChatCompletionRequest) Reply {
			return Reply{Status: http.StatusTooManyRequests, Error: "slow down"}
		}})
		_, err := client.CreateChatCompletionStream(waitCtx(t), openai.ChatCompletionRequest{
			Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
		})
		var apiErr *openai.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, http.StatusTooManyRequests, apiErr.HTTPStatusCode)
		require.Equal(t, "slow down", apiErr.Message)
	})
	t.Run("mid-stream", func(t *testing.T) {
		_, client, _ := serve(t, Options{Chat: func(openai.ChatCompletionRequest) Reply {
			return Reply{Text: "Hello there", StreamError: "the model crashed"}
		}})
		stream, err := client.CreateChatCompletionStream(waitCtx(t), openai.ChatCompletionRequest{
			Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
		})
		require.NoError(t, err)
		defer stream.Close()
		for {
			_, err = stream.Recv()
			if err != nil {
				break
			}
		}
		require.ErrorContains(t, err, "the model crashed")
	})
	t.Run("bad requests", func(t *testing.T) {
		_, _, base := serve(t, Options{})
		for _, body := range []any{
			"not an object",
			map[string]any{"stream": true, "messages": []map[string]string{{"role": "user", "content": "hi"}}},
			map[string]any{"model": "m", "stream": true},
			map[string]any{"model": "m", "messages": []map[string]string{{"role": "user", "content": "hi"}}},
		} {
			resp := postJSON(t, base+"/chat/completions", body)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%v", body)
			var e struct {
				Error struct{ Message string } `json:"error"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
			require.NotEmpty(t, e.Error.Message)
		}
		resp := postJSON(t, base+"/nothing/here", map[string]any{})
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

func TestKeepAliveComments(t *testing.T) {
	_, _, base := serve(t, Options{
		ChatFirstToken: Fixed(80 * time.Millisecond),
		KeepAlive:      10 * time.Millisecond,
		Chat:           func(openai.ChatCompletionRequest) Reply { return Reply{Text: "Hi."} },
	})
	resp := postJSON(t, base+"/chat/completions", map[string]any{
		"model": "m", "stream": true, "messages": []map[string]string{{"role": "user", "content": "hi"}},
	})
	sc := bufio.NewScanner(resp.Body)
	var first []string
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data:") {
			break
		}
		if sc.Text() != "" {
			first = append(first, sc.Text())
		}
	}
	require.NotEmpty(t, first, "comment lines before the first token")
	for _, l := range first {
		require.Equal(t, ": keep-alive", l)
	}
}

func TestTokens(t *testing.T) {
	for _, text := range []string{
		"",
		"Hello.",
		"I have half past nine or ten to four on Tuesday, the 14th. Which suits you?",
		"Supercalifragilistic  spacing\tand\nlines — with “quotes” and émigré letters!",
	} {
		toks := Tokens(text)
		require.Equal(t, text, strings.Join(toks, ""), "tokens join to the text")
		for _, tok := range toks {
			require.NotEmpty(t, tok)
			require.LessOrEqual(t, len([]rune(tok)), 7, "token %q", tok)
		}
	}
	require.Equal(t, []string{"Hi", ",", " how", " are", " you", "?"}, Tokens("Hi, how are you?"))
}

func TestLogNormal(t *testing.T) {
	l := LogNormal{Median: 250 * time.Millisecond, P99: 500 * time.Millisecond}
	r := rand.New(rand.NewPCG(7, 1))
	ds := make([]time.Duration, 40000)
	for i := range ds {
		ds[i] = l.Sample(r)
	}
	slices.Sort(ds)
	median, p99 := ds[len(ds)/2], ds[len(ds)*99/100]
	require.InDelta(t, 250, float64(median.Milliseconds()), 250*0.03, "median")
	require.InDelta(t, 500, float64(p99.Milliseconds()), 500*0.05, "p99")

	// The same seed draws the same sequence.
	a, b := rand.New(rand.NewPCG(42, 1)), rand.New(rand.NewPCG(42, 1))
	for range 100 {
		require.Equal(t, l.Sample(a), l.Sample(b))
	}
	require.Equal(t, 250*time.Millisecond, LogNormal{Median: 250 * time.Millisecond}.Sample(a), "no spread without a P99 above the median")
	require.Equal(t, 3*time.Millisecond, Fixed(3*time.Millisecond).Sample(a))
}

// TestSamplesReproducible: two fakes with one seed draw the same latencies
// for the same sequence of requests.
func TestSamplesReproducible(t *testing.T) {
	var runs [2][]time.Duration
	for i := range runs {
		opts := Options{ChatFirstToken: LogNormal{Median: 2 * time.Millisecond, P99: 6 * time.Millisecond}, Seed: 99}
		var got []time.Duration
		opts.OnSample = func(s Sample) { got = append(got, s.Latency) }
		fake, client, _ := serve(t, opts)
		for range 5 {
			stream, err := client.CreateChatCompletionStream(waitCtx(t), openai.ChatCompletionRequest{
				Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hello"}},
			})
			require.NoError(t, err)
			for {
				if _, err := stream.Recv(); err != nil {
					require.ErrorIs(t, err, io.EOF)
					break
				}
			}
			stream.Close()
		}
		require.Len(t, fake.Samples(), 5)
		for j, s := range fake.Samples() {
			require.Equal(t, got[j], s.Latency, "the callback and the log agree")
			require.Equal(t, j+1, s.Seq)
			require.Equal(t, Chat, s.Endpoint)
		}
		runs[i] = got
	}
	require.Equal(t, runs[0], runs[1])
	require.Greater(t, len(slices.Compact(slices.Clone(runs[0]))), 1, "the draws differ from one another")
}

func TestTextAtAndFloor(t *testing.T) {
	fake, client, _ := serve(t, Options{
		Chat:            func(openai.ChatCompletionRequest) Reply { return Reply{Text: "Sure thing. What day suits you?"} },
		ChatFirstToken:  Fixed(5 * time.Millisecond),
		TokensPerSecond: 1000,
		SpeechFirstByte: Fixed(7 * time.Millisecond),
	})
	ctx := waitCtx(t)
	stream, err := client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hello"}},
	})
	require.NoError(t, err)
	for {
		if _, err := stream.Recv(); err != nil {
			break
		}
	}
	stream.Close()
	chat := fake.Samples()[0]
	// "Sure", " thing", "." are the first clause: three tokens, the third
	// sent two intervals after the first.
	require.Equal(t, []string{"Sure", " thing", "."}, chat.Tokens[:3])
	require.Equal(t, 5*time.Millisecond+2*time.Millisecond, chat.TextAt(len("Sure thing.")))
	require.Equal(t, 5*time.Millisecond, chat.TextAt(1))

	body, err := client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "Sure thing.", ResponseFormat: "pcm"})
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, body)
	body.Close()
	sp := fake.Samples()[1]
	require.Equal(t, chat.RequestID, sp.ChatRequestID)
	floor, ok := fake.Floor(sp)
	require.True(t, ok)
	require.Equal(t, 7*time.Millisecond+7*time.Millisecond, floor)

	// A second speech of the same reply is not its first clause.
	body, err = client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "Sure thing.", ResponseFormat: "pcm"})
	require.NoError(t, err)
	body.Close()
	_, ok = fake.Floor(fake.Samples()[2])
	require.False(t, ok)
}

func TestSpeech(t *testing.T) {
	input := "I have half past nine on Tuesday."
	fake, client, _ := serve(t, Options{SpeechChunkBytes: 999})
	body, err := client.CreateSpeech(waitCtx(t), openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: input, ResponseFormat: "pcm"})
	require.NoError(t, err)
	defer body.Close()
	require.Equal(t, "audio/pcm", body.Header().Get("Content-Type"))
	raw, err := io.ReadAll(body)
	require.NoError(t, err)
	want := Tone(input)
	require.Len(t, raw, 2*len(want))
	for i, v := range want {
		require.Equal(t, v, int16(binary.LittleEndian.Uint16(raw[2*i:])), "sample %d", i)
	}

	secs := float64(len(want)) / SpeechRate
	require.InDelta(t, float64(len(input))/CharsPerSecond, secs, 0.01, "as long as the text takes to say")
	var sum float64
	for _, v := range want {
		sum += float64(v) * float64(v)
	}
	require.Greater(t, math.Sqrt(sum/float64(len(want))), 1000.0, "not silence")
	require.Equal(t, Tone(input), want, "deterministic")
	require.NotEqual(t, Tone("something else entirely"), want)
	require.Len(t, fake.SpeechRequests(), 1)
	require.Equal(t, input, fake.SpeechRequests()[0].Input)
	require.Equal(t, len(want)*int(time.Second)/SpeechRate, int(fake.Samples()[0].AudioDuration))
}

func TestSpeechErrors(t *testing.T) {
	_, client, _ := serve(t, Options{Speech: func(req openai.CreateSpeechRequest) SpeechReply {
		switch req.Input {
		case "fail":
			return SpeechReply{Status: http.StatusInternalServerError, Error: "voice engine down"}
		case "json":
			return SpeechReply{ContentType: "application/json", Body: `{"error":{"message":"quota"}}`}
		}
		return SpeechReply{}
	}})
	ctx := waitCtx(t)
	_, err := client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "fail", ResponseFormat: "pcm"})
	var apiErr *openai.APIError
	require.ErrorAs(t, err, &apiErr, "go-openai turns a 5xx into an error")
	require.Equal(t, http.StatusInternalServerError, apiErr.HTTPStatusCode)
	require.Equal(t, "voice engine down", apiErr.Message)

	// A 200 with a JSON body is handed over as if it were audio: the
	// provider must check the content type (voice/openai does).
	body, err := client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "json", ResponseFormat: "pcm"})
	require.NoError(t, err)
	require.Equal(t, "application/json", body.Header().Get("Content-Type"))
	body.Close()

	_, err = client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "hi", ResponseFormat: "mp3"})
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusBadRequest, apiErr.HTTPStatusCode)
	_, err = client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "  ", ResponseFormat: "pcm"})
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusBadRequest, apiErr.HTTPStatusCode)
}

// wav is a test's own WAV encoder, so the fake's decoder is checked
// against something it did not write.
func wav(samples []int16, rate int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	_ = binary.Write(&b, le, uint32(36+2*len(samples)))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16)} {
		_ = binary.Write(&b, le, v)
	}
	b.WriteString("data")
	_ = binary.Write(&b, le, uint32(2*len(samples)))
	_ = binary.Write(&b, le, samples)
	return b.Bytes()
}

func TestTranscription(t *testing.T) {
	audio := make([]int16, 4000) // half a second at 8 kHz
	for i := range audio {
		audio[i] = int16(3000 * math.Sin(float64(i)/5))
	}
	var got TranscriptionRequest
	_, client, _ := serve(t, Options{Transcribe: func(req TranscriptionRequest) TranscriptionReply {
		got = req
		return TranscriptionReply{Text: "a checkup on Tuesday"}
	}})
	ctx := waitCtx(t)
	for _, format := range []openai.AudioResponseFormat{openai.AudioResponseFormatJSON, openai.AudioResponseFormatVerboseJSON, openai.AudioResponseFormatText} {
		resp, err := client.CreateTranscription(ctx, openai.AudioRequest{
			Model: "whisper-1", FilePath: "u.wav", Reader: bytes.NewReader(wav(audio, 8000)),
			Language: "en", Prompt: "Smile Dental", Format: format,
		})
		require.NoError(t, err, format)
		require.Equal(t, "a checkup on Tuesday", strings.TrimSpace(resp.Text), format)
	}
	require.Equal(t, "whisper-1", got.Model)
	require.Equal(t, "en", got.Language)
	require.Equal(t, "Smile Dental", got.Prompt)
	require.Equal(t, "u.wav", got.Filename)
	require.Equal(t, 8000, got.SampleRate)
	require.Equal(t, audio, got.Samples)
	require.Equal(t, 500*time.Millisecond, got.Duration())
}

func TestTranscriptionQueueAndErrors(t *testing.T) {
	fake, client, _ := serve(t, Options{})
	fake.QueueTranscripts("first", "second")
	ctx := waitCtx(t)
	upload := func(file []byte) (string, error) {
		resp, err := client.CreateTranscription(ctx, openai.AudioRequest{Model: "whisper-1", FilePath: "u.wav", Reader: bytes.NewReader(file)})
		return resp.Text, err
	}
	audio := make([]int16, 1600)
	for _, want := range []string{"first", "second", ""} {
		text, err := upload(wav(audio, 8000))
		require.NoError(t, err)
		require.Equal(t, want, text)
	}
	var apiErr *openai.APIError
	_, err := upload([]byte("this is not a wav file at all"))
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusBadRequest, apiErr.HTTPStatusCode)
	_, err = upload(wav(make([]int16, 400), 8000)) // 50 ms
	require.ErrorAs(t, err, &apiErr)
	require.Contains(t, apiErr.Message, "too short")
	truncated := wav(audio, 8000)
	_, err = upload(truncated[:30])
	require.ErrorAs(t, err, &apiErr)
}

// TestCancelled: a client that gives up mid-request is counted, per
// endpoint, and its sample marked.
func TestCancelled(t *testing.T) {
	fake, client, _ := serve(t, Options{
		Chat: func(req openai.ChatCompletionRequest) Reply {
			if lastUser(req.Messages) == "hi" {
				return Reply{Text: "One two three four", Stall: true, StallAfter: 2}
			}
			return DefaultScript(req)
		},
		SpeechFirstByte:      Fixed(time.Hour),
		TranscriptionLatency: Fixed(time.Hour),
	})
	wait := waitCtx(t)

	ctx, cancel := context.WithCancel(wait)
	stream, err := client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	require.NoError(t, err)
	resp, err := stream.Recv()
	require.NoError(t, err)
	require.Equal(t, "assistant", resp.Choices[0].Delta.Role)
	cancel()
	stream.Close()
	require.NoError(t, fake.WaitCancelled(wait, Chat, 1))

	ctx, cancel = context.WithCancel(wait)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = client.CreateSpeech(ctx, openai.CreateSpeechRequest{Model: "tts-1", Voice: "alloy", Input: "hello", ResponseFormat: "pcm"})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, fake.WaitCancelled(wait, Speech, 1))

	ctx, cancel = context.WithCancel(wait)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = client.CreateTranscription(ctx, openai.AudioRequest{Model: "whisper-1", FilePath: "u.wav", Reader: bytes.NewReader(wav(make([]int16, 1600), 8000))})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, fake.WaitCancelled(wait, Transcription, 1))

	for _, s := range fake.Samples() {
		require.True(t, s.Cancelled, "%s sample", s.Endpoint)
	}
	require.Equal(t, 1, fake.Cancelled(Chat))

	// A stream read to its end is not a cancellation.
	fake.Reset()
	body, err := client.CreateChatCompletionStream(wait, openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "bye"}},
	})
	require.NoError(t, err)
	for {
		if _, err := body.Recv(); err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
	}
	body.Close()
	require.Len(t, fake.Samples(), 1)
	require.False(t, fake.Samples()[0].Cancelled)
	require.Equal(t, 0, fake.Cancelled(Chat))
}

// TestCloseReleasesStalledRequests: Close ends held streams, so the HTTP
// server can shut down even when a client never gives up.
func TestCloseReleasesStalledRequests(t *testing.T) {
	fake, client, _ := serve(t, Options{Chat: func(openai.ChatCompletionRequest) Reply { return Reply{Stall: true} }})
	stream, err := client.CreateChatCompletionStream(waitCtx(t), openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	require.NoError(t, err)
	defer stream.Close()
	done := make(chan error, 1)
	go func() { _, err := stream.Recv(); done <- err }()
	fake.Close()
	select {
	case err := <-done:
		require.Error(t, err, "the stream ends without a token")
	case <-waitCtx(t).Done():
		t.Fatal("a stalled stream outlived Close")
	}
}
