package openaifake

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// TranscriptionRequest is a transcription upload as the fake decoded it.
type TranscriptionRequest struct {
	Model          string
	Language       string
	Prompt         string
	ResponseFormat string
	Filename       string
	// The uploaded WAV's audio: 16-bit mono PCM at SampleRate.
	SampleRate int
	Samples    []int16
}

// Duration is the uploaded audio's length.
func (r TranscriptionRequest) Duration() time.Duration {
	if r.SampleRate == 0 {
		return 0
	}
	return time.Duration(len(r.Samples)) * time.Second / time.Duration(r.SampleRate)
}

// TranscriptionReply scripts one transcription answer.
type TranscriptionReply struct {
	Text string
	// Status, when set, answers with this HTTP status and an OpenAI error
	// body carrying Error as its message.
	Status int
	Error  string
}

// maxUpload is OpenAI's limit on an audio upload.
const maxUpload = 25 << 20

func (s *Server) serveTranscription(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "the body is not a multipart form: "+err.Error())
		return
	}
	defer r.MultipartForm.RemoveAll()
	req := TranscriptionRequest{
		Model:          r.FormValue("model"),
		Language:       r.FormValue("language"),
		Prompt:         r.FormValue("prompt"),
		ResponseFormat: r.FormValue("response_format"),
	}
	if req.Model == "" {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "you must provide a model parameter")
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "you must upload a file: "+err.Error())
		return
	}
	defer file.Close()
	req.Filename = header.Filename
	data, err := io.ReadAll(file)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "reading the file: "+err.Error())
		return
	}
	req.SampleRate, req.Samples, err = decodeWAV(data)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "the fake understands 16-bit mono PCM WAV only: "+err.Error())
		return
	}
	if req.Duration() < 100*time.Millisecond {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "Audio file is too short. Minimum audio length is 0.1 seconds.")
		return
	}

	var reply TranscriptionReply
	s.mu.Lock()
	s.transReqs = append(s.transReqs, req)
	switch {
	case s.opts.Transcribe != nil:
	case len(s.transcripts) > 0:
		reply.Text, s.transcripts = s.transcripts[0], s.transcripts[1:]
	}
	s.mu.Unlock()
	if s.opts.Transcribe != nil {
		reply = s.opts.Transcribe(req)
	}
	smp, idx := s.begin(arrived, Sample{Endpoint: Transcription, Text: reply.Text, AudioDuration: req.Duration()}, s.opts.TranscriptionLatency)
	if err := s.sleepUntil(r.Context(), smp.Arrived.Add(smp.Latency), 0, nil); err != nil {
		if err == errClientGone {
			s.cancel(idx)
		}
		return
	}
	if reply.Status != 0 {
		msg := reply.Error
		if msg == "" {
			msg = http.StatusText(reply.Status)
		}
		writeError(w, reply.Status, errorType(reply.Status), msg)
		return
	}
	w.Header().Set("X-Request-Id", smp.RequestID)
	switch req.ResponseFormat {
	case "text":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, reply.Text)
	case "verbose_json":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"task": "transcribe", "language": req.Language, "duration": req.Duration().Seconds(),
			"text": reply.Text, "segments": []any{},
		})
	case "", "json":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"text": reply.Text})
	default:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "unsupported response_format "+req.ResponseFormat)
	}
}

// decodeWAV reads a RIFF/WAVE file of 16-bit mono PCM.
func decodeWAV(b []byte) (rate int, samples []int16, err error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, nil, errors.New("no RIFF/WAVE header")
	}
	le := binary.LittleEndian
	var gotFmt bool
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(le.Uint32(b[p+4:]))
		body := b[p+8:]
		if size > len(body) {
			if id != "data" {
				return 0, nil, fmt.Errorf("chunk %q runs past the end", id)
			}
			size = len(body) // a streamed WAV may not know its length
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return 0, nil, errors.New("fmt chunk too short")
			}
			format, channels, bits := le.Uint16(body[0:]), le.Uint16(body[2:]), le.Uint16(body[14:])
			if format != 1 || channels != 1 || bits != 16 {
				return 0, nil, fmt.Errorf("format %d, %d channels, %d bits", format, channels, bits)
			}
			rate = int(le.Uint32(body[4:]))
			if rate <= 0 {
				return 0, nil, errors.New("no sample rate")
			}
			gotFmt = true
		case "data":
			if !gotFmt {
				return 0, nil, errors.New("data before fmt")
			}
			if size%2 != 0 {
				return 0, nil, errors.New("odd data length")
			}
			samples = make([]int16, size/2)
			for i := range samples {
				samples[i] = int16(le.Uint16(body[2*i:]))
			}
			return rate, samples, nil
		}
		p += 8 + size + size%2
	}
	return 0, nil, errors.New("no data chunk")
}
