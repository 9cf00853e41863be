package workflows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/activities"
)

func sealedTurn(callSID string, size int) TurnUpdate {
	return TurnUpdate{Speaker: "caller", AtMS: 10, Sealed: activities.Sealed{OrgID: testInput.OrgID, CallSID: callSID,
		Purpose: activities.PurposeTurnRequest, Ciphertext: []byte(strings.Repeat("x", size))}}
}

func TestTurnValidatorRejectsBeforeHistory(t *testing.T) {
	tests := []struct {
		name string
		arg  TurnUpdate
		want string
	}{
		{"empty", TurnUpdate{Speaker: "caller"}, "empty"},
		{"oversized", sealedTurn(testInput.CallSID, activities.MaxSealedTurnBytes+1), "too large"},
		{"speaker", func() TurnUpdate { u := sealedTurn(testInput.CallSID, 40); u.Speaker = "nurse"; return u }(), "speaker"},
		{"another call", sealedTurn("CA"+strings.Repeat("f", 32), 40), "another call"},
		{"negative time", func() TurnUpdate { u := sealedTurn(testInput.CallSID, 40); u.AtMS = -1; return u }(), "at_ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _ := newEnv(t)
			var a *activities.Activities
			ran := 0
			env.OnActivity(a.RecordTurn, mock.Anything, mock.Anything).Return(func(context.Context, activities.TurnInput) (activities.TurnResult, error) {
				ran++
				return activities.TurnResult{}, nil
			})
			var res updateResult
			sendUpdate(env, time.Second, UpdateTurn, tt.arg, &res)
			signals(env, CallStatusSignal{"in-progress", 0, "", 0}, CallStatusSignal{"in-progress", 1, "", 0}, CallStatusSignal{"completed", 2, "", 0})
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
	env.OnActivity(a.RecordTurn, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.TurnInput) (activities.TurnResult, error) {
		inputs = append(inputs, in)
		return activities.TurnResult{Seq: in.Seq, Class: "medical", Answer: activities.Sealed{Purpose: activities.PurposeTurnResponse}}, nil
	})
	var r1, r2 updateResult
	sendUpdate(env, time.Second, UpdateTurn, sealedTurn(testInput.CallSID, 40), &r1)
	sendUpdate(env, 2*time.Second, UpdateTurn, sealedTurn(testInput.CallSID, 50), &r2)
	signals(env, CallStatusSignal{"in-progress", 0, "", 0}, CallStatusSignal{"in-progress", 1, "", 0}, CallStatusSignal{"in-progress", 2, "", 0}, CallStatusSignal{"completed", 3, "", 0})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, r1.err)
	require.NoError(t, r2.err)
	require.Len(t, inputs, 2)
	require.Equal(t, []int{1, 2}, []int{inputs[0].Seq, inputs[1].Seq})
	require.Equal(t, testInput.OrgID, inputs[0].OrgID)
	require.Equal(t, 50, len(inputs[1].Turn.Sealed.Ciphertext))
	require.Equal(t, 2, r2.value.(TurnResult).Seq)
}
