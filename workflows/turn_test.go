package workflows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/activities"
)

func sealedTurn(callSID string, size int) contract.TurnUpdate {
	return contract.TurnUpdate{Speaker: "caller", AtMS: 10, Sealed: contract.Sealed{OrgID: testInput.OrgID, CallSID: callSID,
		Purpose: contract.PurposeTurnRequest, Ciphertext: []byte(strings.Repeat("x", size))}}
}

func withTimings(tm contract.TurnTimings) contract.TurnUpdate {
	u := sealedTurn(testInput.CallSID, 40)
	u.Timings = &tm
	return u
}

func TestTurnValidatorRejectsBeforeHistory(t *testing.T) {
	tests := []struct {
		name string
		arg  contract.TurnUpdate
		want string
	}{
		{"empty", contract.TurnUpdate{Speaker: "caller"}, "empty"},
		{"oversized", sealedTurn(testInput.CallSID, contract.MaxSealedTurnBytes+1), "too large"},
		{"speaker", func() contract.TurnUpdate { u := sealedTurn(testInput.CallSID, 40); u.Speaker = "nurse"; return u }(), "speaker"},
		{"another call", sealedTurn("CA"+strings.Repeat("f", 32), 40), "another call"},
		{"negative time", func() contract.TurnUpdate { u := sealedTurn(testInput.CallSID, 40); u.AtMS = -1; return u }(), "at_ms"},
		// Timings travel in clear: a tool's name must be a name, never
		// free text, and name each round trip.
		{"tool named in words", withTimings(contract.TurnTimings{ToolMS: []float64{12}, Tools: []string{"book Mrs Jones"}}), "timings"},
		{"tools not matching their times", withTimings(contract.TurnTimings{ToolMS: []float64{12, 30}, Tools: []string{"hold_slot"}}), "timings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _ := newEnv(t)
			var a *activities.Activities
			ran := 0
			env.OnActivity(a.RecordTurn, mock.Anything, mock.Anything).Return(func(context.Context, activities.TurnInput) (contract.TurnResult, error) {
				ran++
				return contract.TurnResult{}, nil
			})
			var res updateResult
			sendUpdate(env, time.Second, contract.UpdateTurn, tt.arg, &res)
			signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0}, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 1}, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 2})
			env.ExecuteWorkflow(CallSession, testInput)
			require.NoError(t, env.GetWorkflowError())
			require.True(t, res.rejected)
			require.False(t, res.accepted)
			require.ErrorContains(t, res.err, tt.want)
			require.Zero(t, ran)
		})
	}
}

func TestTurnsAreNumberedAndAnswered(t *testing.T) {
	env, _ := newEnv(t)
	var a *activities.Activities
	var inputs []activities.TurnInput
	env.OnActivity(a.RecordTurn, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.TurnInput) (contract.TurnResult, error) {
		inputs = append(inputs, in)
		return contract.TurnResult{Seq: in.Seq, Class: "medical", Answer: contract.Sealed{Purpose: contract.PurposeTurnResponse}}, nil
	})
	var r1, r2 updateResult
	sendUpdate(env, time.Second, contract.UpdateTurn, sealedTurn(testInput.CallSID, 40), &r1)
	sendUpdate(env, 2*time.Second, contract.UpdateTurn, sealedTurn(testInput.CallSID, 50), &r2)
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0}, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 1}, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 2}, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 3})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, r1.err)
	require.NoError(t, r2.err)
	require.Len(t, inputs, 2)
	require.Equal(t, []int{1, 2}, []int{inputs[0].Seq, inputs[1].Seq})
	require.Equal(t, testInput.OrgID, inputs[0].OrgID)
	require.Equal(t, 50, len(inputs[1].Turn.Sealed.Ciphertext))
	require.Equal(t, 2, r2.value.(contract.TurnResult).Seq)
}
