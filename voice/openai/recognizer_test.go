package openai

import (
	"context"
	"encoding/binary"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/openaifake"
)

var testClinic = &voice.ClinicProfile{
	OrgID:    "org-1",
	ClinicID: "clinic-1",
	Name:     "Harbour Dental",
	Timezone: "Europe/London",
	Hours:    "Monday to Friday, 8am to 6pm",
	Procedures: []voice.Procedure{
		{ID: "checkup", Name: "Check-up", DurationMinutes: 30},
		{ID: "clean", Name: "Hygiene clean", DurationMinutes: 45},
	},
	Practitioners: []voice.Practitioner{{ID: "p1", Name: "Dr Ada Patel"}, {ID: "p2", Name: "Dr Tom Reyes"}},
}

// caller is n samples of a voiced 8 kHz sound, different for each start.
func caller(n, start int) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(4000 * math.Sin(float64(start+i)*2*math.Pi*180/voice.CallerRate))
	}
	return out
}

func writeFrames(t *testing.T, s voice.RecognizerStream, audio []int16) {
	t.Helper()
	for len(audio) > 0 {
		n := min(voice.FrameSamples, len(audio))
		require.NoError(t, s.Write(audio[:n]))
		audio = audio[n:]
	}
}

func TestTranscribeRoundTrip(t *testing.T) {
	var answer atomic.Value
	answer.Store("a check-up on Tuesday")
	fake, cfg, auth := serveFake(t, openaifake.Options{Transcribe: func(req openaifake.TranscriptionRequest) openaifake.TranscriptionReply {
		return openaifake.TranscriptionReply{Text: "  " + answer.Load().(string) + "\n"}
	}})
	cfg.Language = "en"
	cfg.TranscriptionModel = "whisper-1"
	cfg.TranscriptionPrompt = "Dental clinic."
	rec, err := NewRecognizer(cfg)
	require.NoError(t, err)
	ctx := testCtx(t)
	stream, err := rec.ForClinic(testClinic).Open(ctx)
	require.NoError(t, err)
	defer stream.Close()

	first := caller(4000, 0)
	writeFrames(t, stream, first)
	got, err := stream.Transcribe(ctx)
	require.NoError(t, err)
	require.Equal(t, voice.Transcript{Text: "a check-up on Tuesday", Final: true, Confidence: 1}, got)

	reqs := fake.Transcriptions()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, "whisper-1", r.Model)
	require.Equal(t, "en", r.Language)
	require.Equal(t, "utterance.wav", r.Filename)
	require.Equal(t, voice.CallerRate, r.SampleRate)
	require.Equal(t, first, r.Samples, "the audio arrives exactly")
	for _, word := range []string{"Dental clinic.", "Harbour Dental", "Check-up", "Hygiene clean", "Dr Ada Patel"} {
		require.Contains(t, r.Prompt, word)
	}
	require.Equal(t, []string{""}, auth.all(), "no key, no Authorization header")

	// The caller went on: the speculative answer is superseded by the
	// longer utterance's.
	more := caller(2400, 4000)
	writeFrames(t, stream, more)
	answer.Store("a check-up on Tuesday morning")
	got, err = stream.Transcribe(ctx)
	require.NoError(t, err)
	require.Equal(t, "a check-up on Tuesday morning", got.Text)
	reqs = fake.Transcriptions()
	require.Len(t, reqs, 2)
	require.Equal(t, append(append([]int16(nil), first...), more...), reqs[1].Samples)

	// Asked again with no new audio: the same answer, no new request.
	got, err = stream.Transcribe(ctx)
	require.NoError(t, err)
	require.Equal(t, "a check-up on Tuesday morning", got.Text)
	require.Len(t, fake.Transcriptions(), 2)

	// The next utterance holds only what follows the Commit.
	stream.Commit()
	next := caller(1600, 9999)
	writeFrames(t, stream, next)
	answer.Store("yes please")
	got, err = stream.Transcribe(ctx)
	require.NoError(t, err)
	require.Equal(t, "yes please", got.Text)
	reqs = fake.Transcriptions()
	require.Len(t, reqs, 3)
	require.Equal(t, next, reqs[2].Samples)
}

func TestTranscribeWithKey(t *testing.T) {
	_, cfg, auth := serveFake(t, openaifake.Options{})
	cfg.APIKey = "sk-test"
	rec, err := NewRecognizer(cfg)
	require.NoError(t, err)
	stream, err := rec.Open(testCtx(t))
	require.NoError(t, err)
	writeFrames(t, stream, caller(1600, 0))
	_, err = stream.Transcribe(testCtx(t))
	require.NoError(t, err)
	require.Equal(t, []string{"Bearer sk-test"}, auth.all())
}

// TestTranscribeNothingToSend: no audio, or less than the 0.1 s OpenAI
// accepts, answers an empty transcript without a request.
func TestTranscribeNothingToSend(t *testing.T) {
	fake, cfg, _ := serveFake(t, openaifake.Options{})
	rec, err := NewRecognizer(cfg)
	require.NoError(t, err)
	stream, err := rec.Open(testCtx(t))
	require.NoError(t, err)
	for _, n := range []int{0, 400} {
		stream.Commit()
		writeFrames(t, stream, caller(n, 0))
		got, err := stream.Transcribe(testCtx(t))
		require.NoError(t, err)
		require.Equal(t, "", got.Text)
		require.True(t, got.Final)
	}
	require.Empty(t, fake.Transcriptions())
}

func TestTranscribeFailures(t *testing.T) {
	t.Run("cancelled", func(t *testing.T) {
		fake, cfg, _ := serveFake(t, openaifake.Options{TranscriptionLatency: openaifake.Fixed(time.Hour)})
		rec, err := NewRecognizer(cfg)
		require.NoError(t, err)
		stream, err := rec.Open(testCtx(t))
		require.NoError(t, err)
		writeFrames(t, stream, caller(1600, 0))
		ctx, cancel := context.WithCancel(testCtx(t))
		go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		_, err = stream.Transcribe(ctx)
		require.ErrorIs(t, err, context.Canceled)
		require.NoError(t, fake.WaitCancelled(testCtx(t), openaifake.Transcription, 1))
	})
	t.Run("timeout", func(t *testing.T) {
		_, cfg, _ := serveFake(t, openaifake.Options{TranscriptionLatency: openaifake.Fixed(time.Hour)})
		cfg.TranscriptionTimeout = 30 * time.Millisecond
		rec, err := NewRecognizer(cfg)
		require.NoError(t, err)
		stream, err := rec.Open(testCtx(t))
		require.NoError(t, err)
		writeFrames(t, stream, caller(1600, 0))
		_, err = stream.Transcribe(testCtx(t))
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("closed while waiting", func(t *testing.T) {
		_, cfg, _ := serveFake(t, openaifake.Options{TranscriptionLatency: openaifake.Fixed(time.Hour)})
		rec, err := NewRecognizer(cfg)
		require.NoError(t, err)
		stream, err := rec.Open(testCtx(t))
		require.NoError(t, err)
		writeFrames(t, stream, caller(1600, 0))
		go func() { time.Sleep(20 * time.Millisecond); stream.Close() }()
		_, err = stream.Transcribe(testCtx(t))
		require.ErrorIs(t, err, ErrStreamClosed)
		require.ErrorIs(t, stream.Write(caller(10, 0)), ErrStreamClosed)
		_, err = stream.Transcribe(testCtx(t))
		require.ErrorIs(t, err, ErrStreamClosed)
	})
	t.Run("server error", func(t *testing.T) {
		_, cfg, _ := serveFake(t, openaifake.Options{Transcribe: func(openaifake.TranscriptionRequest) openaifake.TranscriptionReply {
			return openaifake.TranscriptionReply{Status: http.StatusServiceUnavailable, Error: "overloaded"}
		}})
		rec, err := NewRecognizer(cfg)
		require.NoError(t, err)
		stream, err := rec.Open(testCtx(t))
		require.NoError(t, err)
		writeFrames(t, stream, caller(1600, 0))
		_, err = stream.Transcribe(testCtx(t))
		var apiErr *goopenai.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, http.StatusServiceUnavailable, apiErr.HTTPStatusCode)
	})
}

func TestUtteranceBound(t *testing.T) {
	_, cfg, _ := serveFake(t, openaifake.Options{})
	cfg.MaxUtterance = 200 * time.Millisecond // 1600 samples
	rec, err := NewRecognizer(cfg)
	require.NoError(t, err)
	stream, err := rec.Open(testCtx(t))
	require.NoError(t, err)
	require.NoError(t, stream.Write(caller(1500, 0)))
	require.ErrorIs(t, stream.Write(caller(160, 0)), ErrUtteranceTooLong)
	require.NoError(t, stream.Write(caller(160, 0)), "reported once")
	stream.Commit()
	require.NoError(t, stream.Write(caller(1600, 0)), "a new utterance has room again")
}

func TestEncodeWAV(t *testing.T) {
	samples := []int16{0, 1, -1, 32767, -32768}
	b := encodeWAV(samples, 8000)
	require.Len(t, b, 44+10)
	require.Equal(t, "RIFF", string(b[:4]))
	require.Equal(t, "WAVEfmt ", string(b[8:16]))
	require.Equal(t, uint32(8000), binary.LittleEndian.Uint32(b[24:]))
	require.Equal(t, "data", string(b[36:40]))
	require.Equal(t, uint32(10), binary.LittleEndian.Uint32(b[40:]))
	for i, s := range samples {
		require.Equal(t, s, int16(binary.LittleEndian.Uint16(b[44+2*i:])))
	}
	f, err := parseWAVFormat(b[20:36])
	require.NoError(t, err)
	require.Equal(t, wavFormat{rate: 8000, channels: 1, bits: 16}, f)
}

func TestVocabularyPrompt(t *testing.T) {
	require.Equal(t, "base", vocabularyPrompt("base", nil))
	p := vocabularyPrompt("", testClinic)
	require.Equal(t, "Calling Harbour Dental. Appointments for Check-up, Hygiene clean. With Dr Ada Patel, Dr Tom Reyes.", p)
	big := &voice.ClinicProfile{Name: "X"}
	for range 200 {
		big.Procedures = append(big.Procedures, voice.Procedure{ID: "x", Name: "Procedure"})
	}
	require.LessOrEqual(t, len([]rune(vocabularyPrompt("", big))), 600)
	require.True(t, strings.HasSuffix(vocabularyPrompt("", big), "Procedure."), "the end is kept: Whisper reads the last tokens")
}
