package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

// A run walks the clinics batch by batch from where each batch stopped,
// counts from one moment (the run's start when no AsOf is given), and sums
// what the batches removed.
func TestRetentionWalksEveryBatch(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	start := time.Date(2026, 3, 4, 3, 30, 0, 0, time.UTC)
	env.SetStartTime(start)
	var seen []activities.RetentionBatch
	env.OnActivity(a.PurgeExpiredTurns, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RetentionBatch) (activities.RetentionBatchResult, error) {
		seen = append(seen, in)
		switch in.After {
		case "":
			return activities.RetentionBatchResult{RetentionResult: contract.RetentionResult{Clinics: 100, Calls: 7, TurnsDeleted: 40, KeysShredded: 7}, Next: "c-100"}, nil
		case "c-100":
			return activities.RetentionBatchResult{RetentionResult: contract.RetentionResult{Clinics: 3, Calls: 1, TurnsDeleted: 2, KeysShredded: 1}, Next: "c-103", Done: true}, nil
		}
		t.Fatalf("unexpected batch after %q", in.After)
		return activities.RetentionBatchResult{}, nil
	})
	env.ExecuteWorkflow(Retention, contract.RetentionInput{})
	require.NoError(t, env.GetWorkflowError())
	var res contract.RetentionResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, contract.RetentionResult{Clinics: 103, Calls: 8, TurnsDeleted: 42, KeysShredded: 8}, res)
	require.Len(t, seen, 2)
	for _, b := range seen {
		require.True(t, b.AsOf.Equal(start), "every batch counts back from the run's start: %v", b.AsOf)
		require.Equal(t, retentionClinicsPerActivity, b.Clinics)
	}
}

// A run continued as new picks up its position and counts.
func TestRetentionResumesFromItsInput(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	asOf := time.Date(2026, 3, 1, 3, 30, 0, 0, time.UTC)
	env.OnActivity(a.PurgeExpiredTurns, mock.Anything, activities.RetentionBatch{AsOf: asOf, After: "c-500", Clinics: retentionClinicsPerActivity}).
		Return(activities.RetentionBatchResult{RetentionResult: contract.RetentionResult{Clinics: 1, Calls: 2}, Done: true}, nil).Once()
	env.ExecuteWorkflow(Retention, contract.RetentionInput{AsOf: asOf, After: "c-500", Done: contract.RetentionResult{Clinics: 500, Calls: 10}})
	require.NoError(t, env.GetWorkflowError())
	var res contract.RetentionResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, contract.RetentionResult{Clinics: 501, Calls: 12}, res)
	env.AssertExpectations(t)
}

// Bad input fails the run at once instead of retrying for hours.
func TestRetentionDoesNotRetryInvalidInput(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	calls := 0
	env.OnActivity(a.PurgeExpiredTurns, mock.Anything, mock.Anything).Return(func(context.Context, activities.RetentionBatch) (activities.RetentionBatchResult, error) {
		calls++
		return activities.RetentionBatchResult{}, temporal.NewNonRetryableApplicationError("bad", contract.ErrTypeInvalidInput, nil)
	})
	env.ExecuteWorkflow(Retention, contract.RetentionInput{After: "not-a-clinic"})
	require.Error(t, env.GetWorkflowError())
	require.Equal(t, 1, calls)
}
