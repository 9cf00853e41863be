package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

// followUpSendTimeout bounds how long Twilio outages are retried: a
// preparation guide a day late is still useful, a week late is noise.
const followUpSendTimeout = 24 * time.Hour

// FollowUp sends a caller who hung up unbooked the preparation guide of
// the procedure they asked about, after the clinic's delay, unless they
// booked meanwhile or opted out. It sets FollowUpSent when the message has
// left (accepted by Twilio, or logged when no account is configured).
func FollowUp(ctx workflow.Context, in contract.FollowUpInput) (contract.FollowUpResult, error) {
	if in.CallSID == "" || in.OrgID == "" || in.ClinicID == "" || in.ProcedureID == "" {
		return contract.FollowUpResult{}, temporal.NewNonRetryableApplicationError("follow-up needs call_sid, org_id, clinic_id and procedure_id", contract.ErrTypeInvalidInput, nil)
	}
	logger := workflow.GetLogger(ctx)
	workflow.SetCurrentDetails(ctx, "preparing")
	cancelCh := workflow.GetSignalChannel(ctx, contract.SignalFollowUpCancel)
	req := activities.FollowUpRequest{OrgID: in.OrgID, ClinicID: in.ClinicID, CallSID: in.CallSID, ProcedureID: in.ProcedureID}

	plan, err := prepareFollowUp(ctx, req)
	if err != nil {
		return contract.FollowUpResult{}, err
	}
	if plan.Skip != "" {
		logger.Info("follow-up not needed", "call_sid", in.CallSID, "reason", plan.Skip)
		workflow.SetCurrentDetails(ctx, "skipped: "+plan.Skip)
		return contract.FollowUpResult{Skipped: plan.Skip}, nil
	}
	cancelled := false
	if plan.DelaySeconds > 0 {
		delay := time.Duration(plan.DelaySeconds) * time.Second
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("waiting %s (the clinic's delay)", delay))
		timerCtx, stopTimer := workflow.WithCancel(ctx)
		timer := workflow.NewTimerWithOptions(timerCtx, delay, workflow.TimerOptions{
			Summary: fmt.Sprintf("wait %s (the clinic's follow-up delay) before sending the preparation guide; signal %q withdraws it", delay, contract.SignalFollowUpCancel),
		})
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) {})
		sel.AddReceive(cancelCh, func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, nil)
			cancelled = true
			stopTimer()
		})
		sel.Select(ctx)
	} else {
		cancelled = cancelCh.ReceiveAsync(nil)
	}
	if cancelled {
		logger.Info("follow-up withdrawn", "call_sid", in.CallSID)
		workflow.SetCurrentDetails(ctx, "withdrawn")
		return contract.FollowUpResult{Skipped: contract.SkipCancelled}, nil
	}

	workflow.SetCurrentDetails(ctx, "sending")
	var a *activities.Activities
	var sent activities.FollowUpSendResult
	sendCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: followUpSendTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 500 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
			NonRetryableErrorTypes: []string{contract.ErrTypeInvalidRequest, contract.ErrTypeFollowUpConfig},
		},
		Summary: "send the preparation guide by SMS (outbox first, then Twilio)",
	})
	if err := workflow.ExecuteActivity(sendCtx, a.SendFollowUp, req).Get(ctx, &sent); err != nil {
		workflow.SetCurrentDetails(ctx, "failed: "+errorType(err))
		return contract.FollowUpResult{}, err
	}
	res := contract.FollowUpResult{Skipped: sent.Skip, Status: sent.Status, MessageSID: sent.MessageSID, ErrorCode: sent.ErrorCode, OutboxID: sent.OutboxID}
	res.Sent = sent.Skip == "" && sent.Status != "" && sent.Status != "failed" && sent.Status != "canceled"
	if res.Sent {
		if err := workflow.UpsertTypedSearchAttributes(ctx, contract.SAFollowUpSent.ValueSet(true)); err != nil {
			return res, err
		}
	}
	switch {
	case res.Sent:
		workflow.SetCurrentDetails(ctx, "sent: "+res.Status)
	case res.Skipped != "":
		workflow.SetCurrentDetails(ctx, "skipped: "+res.Skipped)
	default:
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("not sent: %s (Twilio error %d)", res.Status, res.ErrorCode))
	}
	logger.Info("follow-up done", "call_sid", in.CallSID, "sent", res.Sent, "status", res.Status, "skipped", res.Skipped, "error_code", res.ErrorCode)
	return res, nil
}

// prepareFollowUp is a few indexed reads (and one render per procedure
// version). It was a local activity, to save a round trip on the way to the
// SMS; a regular activity shows in the Web UI like every other step, is
// retried by the server, and costs ~30 ms against a 5 s budget.
func prepareFollowUp(ctx workflow.Context, req activities.FollowUpRequest) (activities.FollowUpPlan, error) {
	var a *activities.Activities
	var plan activities.FollowUpPlan
	retry := &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, MaximumInterval: 30 * time.Second}
	if workflow.GetVersion(ctx, prepareActivityChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: 10 * time.Second, ScheduleToCloseTimeout: time.Hour, RetryPolicy: retry,
		})
		err := workflow.ExecuteLocalActivity(lctx, a.PrepareFollowUp, req).Get(ctx, &plan)
		return plan, err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second, ScheduleToCloseTimeout: time.Hour, RetryPolicy: retry,
		Summary: "check bookings and opt-outs, render the guide, read the clinic's delay",
	})
	err := workflow.ExecuteActivity(actx, a.PrepareFollowUp, req).Get(ctx, &plan)
	return plan, err
}

func errorType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return "error"
}
