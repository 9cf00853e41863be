package workflows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/worker"
)

// TestReplayRecordedHistories replays every history recorded from a real
// run (`make record-histories`) against today's workflow code. A change
// that would break calls already running fails here with a
// non-determinism error.
//
// The replayer uses the encrypting data converter with the tests' fixed
// master key (testenv.MasterKey), as the worker would. Every history is
// encrypted with that key in the codec's version 1 format (the two recorded
// before encryption were re-encrypted payload by payload, events unchanged),
// because the worker's codec refuses plain payloads; the codec still
// decodes version 1 beside the org-scoped version 2 it writes now.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded histories in workflows/testdata: run `make record-histories`")
	encrypted := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		// "binary/encrypted", base64 as the history JSON writes metadata.
		if strings.Contains(string(raw), "YmluYXJ5L2VuY3J5cHRlZA==") {
			encrypted++
		}
	}
	require.Positive(t, encrypted, "at least one recorded history must be encrypted, so the replayer's codec is exercised")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			replayer, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{
				DataConverter: vault.NewDataConverter(testenv.PayloadCodec()),
			})
			require.NoError(t, err)
			worker.RegisterWorkflows(replayer)
			f, err := os.Open(file)
			require.NoError(t, err)
			defer f.Close()
			hist, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
			require.NoError(t, err)
			require.NoError(t, replayer.ReplayWorkflowHistory(nil, hist))
		})
	}
}
