package contract

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of one turn. The workflow's validator bounds the sealed size from
// them; the starter and the activity check the clear request.
const (
	MaxTurnTextBytes  = 8 << 10
	MaxTurnFields     = 32
	MaxTurnFieldBytes = 512
	// MaxSealedTurnBytes bounds the ciphertext the workflow accepts: the
	// clear request's JSON (text, fields, escaping) plus the envelope.
	MaxSealedTurnBytes = 4*(MaxTurnTextBytes+MaxTurnFields*(MaxTurnFieldBytes+64)) + 256
)

// Speakers of a turn.
const (
	SpeakerCaller = "caller"
	SpeakerAgent  = "agent"
)

// Purposes of a Sealed envelope: which half of which exchange it is, part of
// what the ciphertext is bound to.
const (
	PurposeTurnRequest  = "turn.request"
	PurposeTurnResponse = "turn.response"
)

// SealedTable is the AAD table of envelopes that travel through Temporal.
const SealedTable = "temporal.CallSession"

// TurnRequest is one transcript turn as the voice agent has it, in clear.
// It never enters Temporal like this: the starter seals it (TurnUpdate).
type TurnRequest struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
	// Fields are the agent's tool-call fields of this turn: caller_name,
	// callback_number, date_of_birth, reason_for_visit, ...
	Fields map[string]string `json:"fields,omitempty"`
	AtMS   int64             `json:"at_ms"`
}

// Validate rejects empty and oversized turns. Its messages name limits,
// never content.
func (r TurnRequest) Validate() error {
	if r.Speaker != SpeakerCaller && r.Speaker != SpeakerAgent {
		return errors.New("speaker must be caller or agent")
	}
	if strings.TrimSpace(r.Text) == "" && len(r.Fields) == 0 {
		return errors.New("turn has neither text nor fields")
	}
	if len(r.Text) > MaxTurnTextBytes || !utf8.ValidString(r.Text) {
		return fmt.Errorf("text must be valid UTF-8 of at most %d bytes", MaxTurnTextBytes)
	}
	if len(r.Fields) > MaxTurnFields {
		return fmt.Errorf("at most %d fields", MaxTurnFields)
	}
	for k, v := range r.Fields {
		if k == "" || len(k) > 64 || len(v) > MaxTurnFieldBytes || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("field names of 1-64 bytes and values of at most %d bytes, valid UTF-8", MaxTurnFieldBytes)
		}
	}
	if r.AtMS < 0 {
		return errors.New("at_ms must not be negative")
	}
	return nil
}

// TurnTimings are a voice turn's latencies in milliseconds: operational,
// not personal, so they travel in clear and the history reads turn by
// turn. Zero means the stage did not run.
type TurnTimings struct {
	// EndpointMS: the caller's last voiced frame to the end of turn
	// being decided.
	EndpointMS float64 `json:"endpoint_ms,omitempty"`
	// STTMS: the transcription request's round trip.
	STTMS float64 `json:"stt_ms,omitempty"`
	// LLMFirstTokenMS: the agent's request to its first token.
	LLMFirstTokenMS float64 `json:"llm_first_token_ms,omitempty"`
	// TTSFirstByteMS: the first clause's speech request to its first audio.
	TTSFirstByteMS float64 `json:"tts_first_byte_ms,omitempty"`
	// TTFBMS: the turn decided final to the answer's first media frame
	// written to the socket (the SLA's figure).
	TTFBMS float64 `json:"ttfb_ms,omitempty"`
	// ResponseMS: the caller's last voiced frame to that same frame (the
	// silence the caller heard).
	ResponseMS float64 `json:"response_ms,omitempty"`
	// ToolMS: the tool calls' round trips, in order.
	ToolMS []float64 `json:"tool_ms,omitempty"`
	// Tools names each of ToolMS's calls (find_free_slots, hold_slot,
	// confirm_booking, discuss_procedure): which round trip was slow.
	Tools []string `json:"tools,omitempty"`
	// Speculative is set when the answer was started before the end of
	// turn was decided, and kept.
	Speculative bool `json:"speculative,omitempty"`
	// Interrupted is set on an agent turn the caller barged into: its
	// text is only what was heard.
	Interrupted bool `json:"interrupted,omitempty"`
}

// TurnUpdate is the `turn` Update's argument as it is recorded in the call's
// history: speaker, time and timings in clear, everything said sealed under
// the call's data key.
type TurnUpdate struct {
	Speaker string       `json:"speaker"`
	AtMS    int64        `json:"at_ms"`
	Timings *TurnTimings `json:"timings,omitempty"`
	Sealed  Sealed       `json:"sealed"`
}

// TurnResult answers the `turn` Update: what was found (class, entity
// counts; no values) and what the agent may see, sealed for the call.
type TurnResult struct {
	Seq      int            `json:"seq"`
	Class    string         `json:"class"`
	Entities map[string]int `json:"entities,omitempty"`
	Answer   Sealed         `json:"answer"`
}

// Sealed is personal data on its way through Temporal: a vault ciphertext
// under the data key of the call (CallSubject), with the ids it is bound to
// in clear beside it. Those ids are not personal data (org uuid, Twilio
// CallSid); they let the worker, the starter and the codec endpoint open it
// without guessing, and make a ciphertext moved to another call or purpose
// fail to open (package sealed seals and opens).
//
// Why not rely on the payload codec alone: its key is one per deployment,
// so it cannot forget one patient. The call key can: erasing the patient
// destroys it, and every history that carries this envelope becomes
// unreadable at once, without rewriting histories Temporal will not let us
// rewrite.
type Sealed struct {
	OrgID      string `json:"org_id"`
	CallSID    string `json:"call_sid"`
	Purpose    string `json:"purpose"`
	Ciphertext []byte `json:"ciphertext"`
}

// IsZero reports an empty envelope.
func (s Sealed) IsZero() bool { return len(s.Ciphertext) == 0 }
