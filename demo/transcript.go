package demo

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// TranscriptTurn is one turn of a finished call as the clinic's records
// hold it: the words (decrypted from Postgres, the read audited) and the
// timings (in clear in the call's history).
type TranscriptTurn struct {
	Seq     int
	Speaker string
	Text    string
	Timings *contract.TurnTimings
}

// Transcript reads a call's turns back, with their timings.
func Transcript(ctx context.Context, tc client.Client, dc converter.DataConverter, st *store.Store, v *vault.Vault, org uuid.UUID, callSID string) ([]TranscriptTurn, error) {
	stored, err := st.ReadTurns(ctx, v, store.Claims{OrgID: org, Sub: "demo", Role: "admin"}, callSID, "call demo transcript")
	if err != nil {
		return nil, err
	}
	// The history's accepted `turn` Updates, in the order the workflow
	// numbered them.
	var timings []*contract.TurnTimings
	iter := tc.GetWorkflowHistory(ctx, contract.CallSessionID(callSID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			return nil, err
		}
		in := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput()
		if in.GetName() != contract.UpdateTurn {
			continue
		}
		var u contract.TurnUpdate
		if err := dc.FromPayloads(in.GetArgs(), &u); err != nil {
			return nil, fmt.Errorf("decode a turn's timings: %w", err)
		}
		timings = append(timings, u.Timings)
	}
	out := make([]TranscriptTurn, 0, len(stored))
	for _, t := range stored {
		tt := TranscriptTurn{Seq: t.Seq, Speaker: t.Speaker, Text: t.Body.Text}
		if t.Seq-1 < len(timings) {
			tt.Timings = timings[t.Seq-1]
		}
		out = append(out, tt)
	}
	return out, nil
}

// PrintTranscript writes turns as a readable conversation with each
// turn's timings.
func PrintTranscript(w io.Writer, turns []TranscriptTurn) {
	for _, t := range turns {
		fmt.Fprintf(w, "  %-6s %s\n", t.Speaker+":", t.Text)
		if d := describeTimings(t.Timings); d != "" {
			fmt.Fprintf(w, "         [%s]\n", d)
		}
	}
}

func describeTimings(t *contract.TurnTimings) string {
	if t == nil {
		return ""
	}
	var parts []string
	add := func(name string, ms float64) {
		if ms > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f ms", name, ms))
		}
	}
	add("endpoint", t.EndpointMS)
	add("stt", t.STTMS)
	add("llm first token", t.LLMFirstTokenMS)
	add("tts first byte", t.TTSFirstByteMS)
	add("ttfb", t.TTFBMS)
	add("response", t.ResponseMS)
	for i, ms := range t.ToolMS {
		name := "tool"
		if i < len(t.Tools) {
			name = t.Tools[i]
		}
		add(name, ms)
	}
	if t.Speculative {
		parts = append(parts, "speculative")
	}
	if t.Interrupted {
		parts = append(parts, "interrupted: only what was heard")
	}
	return strings.Join(parts, " · ")
}
