package workflows

import (
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
)

func TestHoldSweepReportsWhatItMarked(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.SweepHolds, mock.Anything).Return(3, nil).Once()
	env.ExecuteWorkflow(HoldSweep)
	require.NoError(t, env.GetWorkflowError())
	var res HoldSweepResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, 3, res.Swept)
	env.AssertExpectations(t)
}
