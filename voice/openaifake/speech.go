package openaifake

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// SpeechRate is the rate of the fake's pcm, as OpenAI's: 24 kHz.
const SpeechRate = 24000

// CharsPerSecond is how fast the fake "speaks": its audio lasts as long as
// the text would take to say.
const CharsPerSecond = 14

// SpeechReply scripts one speech answer. The zero value answers with Tone
// of the input.
type SpeechReply struct {
	// Status, when set, answers with this HTTP status and an OpenAI error
	// body carrying Error as its message.
	Status int
	Error  string
	// ContentType and Body, when ContentType is set, answer 200 with this
	// body instead of audio: a server that answers an error as a success.
	ContentType string
	Body        string
	// Audio replaces the tone.
	Audio []int16
	// Stall sends the first chunk of audio and then holds the stream open
	// until the client gives up.
	Stall bool
}

func (s *Server) serveSpeech(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	var req openai.CreateSpeechRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "the body is not a speech request: "+err.Error())
		return
	}
	switch {
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "you must provide a model parameter")
		return
	case strings.TrimSpace(req.Input) == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "input must not be empty")
		return
	case utf8.RuneCountInString(req.Input) > 4096:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "input is longer than 4096 characters")
		return
	case req.Voice == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "you must provide a voice")
		return
	case req.ResponseFormat != openai.SpeechResponseFormatPcm:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "the fake speaks response_format pcm only")
		return
	}
	var reply SpeechReply
	if s.opts.Speech != nil {
		reply = s.opts.Speech(req)
	}
	audio := reply.Audio
	if audio == nil {
		audio = Tone(req.Input)
	}

	s.mu.Lock()
	s.speechReqs = append(s.speechReqs, req)
	s.mu.Unlock()
	smp, idx := s.begin(arrived, Sample{
		Endpoint:      Speech,
		Input:         req.Input,
		AudioDuration: time.Duration(len(audio)) * time.Second / SpeechRate,
		ChatRequestID: s.chatStartingWith(req.Input),
	}, s.opts.SpeechFirstByte)

	start := smp.Arrived.Add(smp.Latency)
	if err := s.sleepUntil(r.Context(), start, 0, nil); err != nil {
		if err == errClientGone {
			s.cancel(idx)
		}
		return
	}
	switch {
	case reply.Status != 0:
		msg := reply.Error
		if msg == "" {
			msg = http.StatusText(reply.Status)
		}
		writeError(w, reply.Status, errorType(reply.Status), msg)
		return
	case reply.ContentType != "":
		w.Header().Set("Content-Type", reply.ContentType)
		_, _ = w.Write([]byte(reply.Body))
		return
	}

	pcm := make([]byte, 2*len(audio))
	for i, v := range audio {
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(v))
	}
	w.Header().Set("Content-Type", "audio/pcm")
	w.Header().Set("X-Request-Id", smp.RequestID)
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	const bytesPerSecond = 2 * SpeechRate
	for sent := 0; sent < len(pcm); {
		if s.opts.SpeechSpeed > 0 && sent > 0 {
			due := start.Add(time.Duration(float64(sent) / bytesPerSecond / s.opts.SpeechSpeed * float64(time.Second)))
			if err := s.sleepUntil(r.Context(), due, 0, nil); err != nil {
				if err == errClientGone {
					s.cancel(idx)
				}
				return
			}
		}
		n := min(s.opts.SpeechChunkBytes, len(pcm)-sent)
		if _, err := w.Write(pcm[sent : sent+n]); err != nil {
			s.cancel(idx)
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		sent += n
		if reply.Stall {
			if err := s.hang(r.Context(), 0, nil); err == errClientGone {
				s.cancel(idx)
			}
			return
		}
	}
}

// chatStartingWith links a speech request to the latest chat reply whose
// text begins with its input, not yet linked to an earlier speech.
func (s *Server) chatStartingWith(input string) string {
	in := normalize(input)
	if in == "" {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	linked := map[string]bool{}
	for _, smp := range s.samples {
		if smp.Endpoint == Speech && smp.ChatRequestID != "" {
			linked[smp.ChatRequestID] = true
		}
	}
	for i := len(s.samples) - 1; i >= 0; i-- {
		c := s.samples[i]
		if c.Endpoint == Chat && !linked[c.RequestID] && strings.HasPrefix(normalize(c.Reply.Text), in) {
			return c.RequestID
		}
	}
	return ""
}

// Tone is the fake's speech for text at SpeechRate: a voiced sound with a
// syllable rhythm (five syllables a second, each a pitched buzz of a few
// harmonics under a smooth envelope), as long as the text takes to say at
// CharsPerSecond, at least a quarter second. It is deterministic, so a
// test can compare what it received sample by sample.
func Tone(text string) []int16 {
	n := utf8.RuneCountInString(text)
	dur := max(float64(n)/CharsPerSecond, 0.25)
	total := int(dur * SpeechRate)
	h := fnv.New32a()
	h.Write([]byte(text))
	seed := h.Sum32()

	out := make([]int16, total)
	var phase uint32 // one period is 1<<32
	for i := range out {
		k := i / syllableSamples
		// Pitch wanders between 110 and 210 Hz, per syllable.
		f0 := 110 + (seed>>uint(k%24)+uint32(k)*2654435761)%100
		phase += f0 * (1 << 32 / SpeechRate)
		out[i] = int16(envelope[i%syllableSamples] * wave[phase>>(32-waveBits)])
	}
	return out
}

const (
	syllableSamples = SpeechRate / 5
	waveBits        = 10
)

// Tables, so that making a sentence's tone costs well under a millisecond
// and never shows in a latency the fake is asked to simulate.
var (
	envelope = func() (t [syllableSamples]float64) {
		for i := range t { // silent only at syllable edges
			t[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/syllableSamples)
		}
		return t
	}()
	wave = func() (t [1 << waveBits]float64) {
		for i := range t {
			p := 2 * math.Pi * float64(i) / (1 << waveBits)
			t[i] = 6000 * (math.Sin(p) + 0.5*math.Sin(2*p) + 0.25*math.Sin(3*p) + 0.12*math.Sin(4*p))
		}
		return t
	}()
)
