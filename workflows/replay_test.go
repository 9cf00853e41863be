package workflows_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/worker"
	"github.com/frontdesk/frontdesk/workflows"
)

// recordedHistories are the histories recorded from real runs (`make
// record-histories`): today's paths in testdata/, older versions' paths in
// testdata/legacy/.
func recordedHistories(t *testing.T) []string {
	t.Helper()
	current, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	legacy, err := filepath.Glob("testdata/legacy/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, current, "no recorded histories in workflows/testdata: run `make record-histories`")
	require.NotEmpty(t, legacy, "the legacy histories in workflows/testdata/legacy are gone")
	return append(current, legacy...)
}

func loadHistory(t *testing.T, file string) *historypb.History {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	hist, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	require.NoError(t, err)
	return hist
}

func replay(hist *historypb.History, register func(sdkworker.WorkflowReplayer)) error {
	replayer, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{
		DataConverter: vault.NewDataConverter(testenv.PayloadCodec()),
	})
	if err != nil {
		return err
	}
	register(replayer)
	return replayer.ReplayWorkflowHistory(nil, hist)
}

// TestReplayRecordedHistories replays every recorded history against
// today's workflow code. A change that would break calls already running
// fails here with a non-determinism error.
//
// The replayer uses the encrypting data converter with the tests' fixed
// master key (testenv.MasterKey), as the worker would. Every history is
// encrypted with that key (the two legacy ones recorded before encryption
// were re-encrypted payload by payload, events unchanged), because the
// worker's codec refuses plain payloads; the codec still decodes its
// version 1 format beside the org-scoped version 2 it writes now.
func TestReplayRecordedHistories(t *testing.T) {
	files := recordedHistories(t)
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
		t.Run(file, func(t *testing.T) {
			require.NoError(t, replay(loadHistory(t, file), func(r sdkworker.WorkflowReplayer) { worker.RegisterWorkflows(r) }))
		})
	}
}

// TestEveryVersionIsRecorded reads every workflow.GetVersion call in the
// workflow code and fails when the highest version of a change appears in
// no recorded history: the newest branch of every patch is replayed, not
// only the old one (a non-deterministic change inside a new branch once
// passed the replay suite because no history had taken it).
func TestEveryVersionIsRecorded(t *testing.T) {
	want := versionsInCode(t)
	require.NotEmpty(t, want)
	recorded := map[string]workflow.Version{}
	dc := vault.NewDataConverter(testenv.PayloadCodec())
	for _, file := range recordedHistories(t) {
		for _, ev := range loadHistory(t, file).Events {
			if ev.GetEventType() != enumspb.EVENT_TYPE_MARKER_RECORDED || ev.GetMarkerRecordedEventAttributes().GetMarkerName() != "Version" {
				continue
			}
			details := ev.GetMarkerRecordedEventAttributes().GetDetails()
			var id string
			var v workflow.Version
			require.NoError(t, dc.FromPayloads(details["change-id"], &id), file)
			require.NoError(t, dc.FromPayloads(details["version"], &v), file)
			recorded[id] = max(recorded[id], v)
		}
	}
	for id, v := range want {
		require.Equalf(t, v, recorded[id], "change %q: version %d is in the code, but the highest recorded is %d: run `make record-histories` with a scenario that takes it", id, v, recorded[id])
	}
}

// versionsInCode maps each change ID used with workflow.GetVersion in the
// package's (non-test) sources to its highest version.
func versionsInCode(t *testing.T) map[string]workflow.Version {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	consts := map[string]string{}
	var calls []*ast.CallExpr
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ValueSpec:
				for i, id := range x.Names {
					if i < len(x.Values) {
						if lit, ok := x.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[id.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "GetVersion" {
					calls = append(calls, x)
				}
			}
			return true
		})
	}
	out := map[string]workflow.Version{}
	for _, c := range calls {
		require.Len(t, c.Args, 4, "GetVersion(ctx, change, min, max) at %s", fset.Position(c.Pos()))
		var id string
		switch a := c.Args[1].(type) {
		case *ast.Ident:
			id = consts[a.Name]
		case *ast.BasicLit:
			id, _ = strconv.Unquote(a.Value)
		}
		lit, ok := c.Args[3].(*ast.BasicLit)
		require.Truef(t, ok && id != "", "GetVersion at %s: name the change with a string constant and give the max version as a literal", fset.Position(c.Pos()))
		v, err := strconv.Atoi(lit.Value)
		require.NoError(t, err)
		out[id] = max(out[id], workflow.Version(v))
	}
	return out
}

// The patching discipline, as a test: a change to CallSession that adds a
// command (here a timer before anything the recorded call did) breaks the
// replay of a running call; the same change behind workflow.GetVersion
// replays. See "Versioning and replay" in the README.
func TestUnversionedChangeFailsReplayAndVersionedChangePasses(t *testing.T) {
	hist := loadHistory(t, "testdata/callsession_booked.json")
	unversioned := func(ctx workflow.Context, in contract.CallSessionInput) (contract.CallState, error) {
		if err := workflow.Sleep(ctx, time.Second); err != nil {
			return contract.CallState{}, err
		}
		return workflows.CallSession(ctx, in)
	}
	versioned := func(ctx workflow.Context, in contract.CallSessionInput) (contract.CallState, error) {
		if workflow.GetVersion(ctx, "test-pause-before-the-call", workflow.DefaultVersion, 1) == 1 {
			if err := workflow.Sleep(ctx, time.Second); err != nil {
				return contract.CallState{}, err
			}
		}
		return workflows.CallSession(ctx, in)
	}
	register := func(fn any) func(sdkworker.WorkflowReplayer) {
		return func(r sdkworker.WorkflowReplayer) {
			r.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: contract.WorkflowCallSession})
			r.RegisterWorkflowWithOptions(workflows.FollowUp, workflow.RegisterOptions{Name: contract.WorkflowFollowUp})
		}
	}
	err := replay(hist, register(unversioned))
	require.Error(t, err, "an unversioned change must fail replay")
	require.True(t, isNonDeterminism(err), "the failure is a non-determinism error: %v", err)
	require.NoError(t, replay(hist, register(versioned)), "the same change behind GetVersion replays")
}

// isNonDeterminism: the SDK marks non-determinism errors with the code
// TMPRL1100 (the command the code issues does not match the history).
func isNonDeterminism(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "TMPRL1100") || strings.Contains(strings.ToLower(err.Error()), "nondeterministic"))
}
