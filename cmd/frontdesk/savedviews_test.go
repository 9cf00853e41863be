package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/store"
)

// savedViews reads the README's saved-view table: view name → query.
func savedViews(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(raw)
	begin, end := strings.Index(readme, "<!-- saved-views: begin -->"), strings.Index(readme, "<!-- saved-views: end -->")
	require.True(t, begin >= 0 && end > begin, "the README marks its saved-view table")
	row := regexp.MustCompile("(?m)^\\| ([^|]+) \\| `([^`]+)`")
	views := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(readme[begin:end], -1) {
		views[strings.TrimSpace(m[1])] = m[2]
	}
	require.GreaterOrEqual(t, len(views), 8)
	return views
}

// Every saved view of the README is a query the server accepts, and the
// two that ops use most find what they promise.
func TestSavedViewRecipesRunOnTemporal(t *testing.T) {
	sys := startSystem(t)
	ctx := context.Background()
	booked, err := sys.caller.Call(ctx, demo.Options{Clinic: "A"})
	require.NoError(t, err)
	unbooked, err := sys.caller.Call(ctx, demo.Options{Clinic: "A", Unbooked: true})
	require.NoError(t, err)

	list := func(query string) ([]string, error) {
		resp, err := sys.svc.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: "default", Query: query, PageSize: 1000})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, e := range resp.GetExecutions() {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		return ids, nil
	}
	fill := strings.NewReplacer("<clinic>", store.DemoClinicA.String(), "<today>", time.Now().UTC().Format("2006-01-02"))
	views := savedViews(t)
	for name, q := range views {
		_, err := list(fill.Replace(q))
		require.NoError(t, err, "view %q: %s", name, q)
	}
	expect := func(view string, in, out []string) {
		t.Helper()
		q := fill.Replace(views[view])
		require.NotEmpty(t, views[view], "README has the view %q", view)
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			ids, err := list(q)
			if !assert.NoError(c, err) {
				return
			}
			for _, id := range in {
				assert.Contains(c, ids, id)
			}
			for _, id := range out {
				assert.NotContains(c, ids, id)
			}
		}, 20*time.Second, 200*time.Millisecond, "view %q", view)
	}
	expect("unbooked calls of one clinic today", []string{unbooked.WorkflowID}, []string{booked.WorkflowID})
	expect("bookings of one clinic today", []string{booked.WorkflowID}, []string{unbooked.WorkflowID})
	expect("follow-ups not sent (skipped or refused by Twilio)", nil, []string{unbooked.FollowUpID})
}
