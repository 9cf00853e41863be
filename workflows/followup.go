package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
)

// UpdateDiscussProcedure tells a call which procedure the caller is asking
// about (the agent's tool call when no slot is held yet), so an unbooked
// call can be followed up with that procedure's guide.
const UpdateDiscussProcedure = "discuss_procedure"

// DiscussProcedureRequest is discuss_procedure's argument.
type DiscussProcedureRequest struct {
	ProcedureID string `json:"procedure_id"`
}

// SignalFollowUpCancel withdraws a follow-up that is still waiting (the
// caller booked by other means). Sending re-checks bookings anyway; the
// signal just ends the wait early.
const SignalFollowUpCancel = "cancel"

// FollowUpID is the workflow ID of a call's follow-up: one per call, so a
// second start is refused by Temporal as well as by the outbox.
func FollowUpID(callSID string) string { return "followup-" + callSID }

// FollowUpInput names the call and the procedure it was about: ids only.
// The caller's number is read by the activity from Postgres by CallSid.
type FollowUpInput struct {
	CallSID     string `json:"call_sid"`
	OrgID       string `json:"org_id"`
	ClinicID    string `json:"clinic_id"`
	ProcedureID string `json:"procedure_id"`
}

// FollowUpResult is what became of the follow-up: Sent with the outbox
// Status, or Skipped with a reason.
type FollowUpResult struct {
	Sent       bool   `json:"sent"`
	Skipped    string `json:"skipped,omitempty"`
	Status     string `json:"status,omitempty"`
	MessageSID string `json:"message_sid,omitempty"`
	ErrorCode  int    `json:"error_code,omitempty"`
	OutboxID   string `json:"outbox_id,omitempty"`
}

// followUpSendTimeout bounds how long Twilio outages are retried: a
// preparation guide a day late is still useful, a week late is noise.
const followUpSendTimeout = 24 * time.Hour

// FollowUp sends a caller who hung up unbooked the preparation guide of
// the procedure they asked about, after the clinic's delay, unless they
// booked meanwhile or opted out. It sets FollowUpSent when the message has
// left (accepted by Twilio, or logged when no account is configured).
func FollowUp(ctx workflow.Context, in FollowUpInput) (FollowUpResult, error) {
	if in.CallSID == "" || in.OrgID == "" || in.ClinicID == "" || in.ProcedureID == "" {
		return FollowUpResult{}, temporal.NewNonRetryableApplicationError("follow-up needs call_sid, org_id, clinic_id and procedure_id", "InvalidInput", nil)
	}
	logger := workflow.GetLogger(ctx)
	cancelled := false
	cancelCh := workflow.GetSignalChannel(ctx, SignalFollowUpCancel)
	req := activities.FollowUpRequest{OrgID: in.OrgID, ClinicID: in.ClinicID, CallSID: in.CallSID, ProcedureID: in.ProcedureID}
	var a *activities.Activities

	// Prepare is a few indexed reads (and one render per procedure version):
	// a local activity, so it costs no round trip through the server on
	// the way to the SMS.
	var plan activities.FollowUpPlan
	prepCtx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    10 * time.Second,
		ScheduleToCloseTimeout: time.Hour,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, MaximumInterval: 30 * time.Second},
	})
	if err := workflow.ExecuteLocalActivity(prepCtx, a.PrepareFollowUp, req).Get(ctx, &plan); err != nil {
		return FollowUpResult{}, err
	}
	if plan.Skip != "" {
		logger.Info("follow-up not needed", "call_sid", in.CallSID, "reason", plan.Skip)
		return FollowUpResult{Skipped: plan.Skip}, nil
	}
	if plan.DelaySeconds > 0 {
		delay := time.Duration(plan.DelaySeconds) * time.Second
		timerCtx, stopTimer := workflow.WithCancel(ctx)
		timer := workflow.NewTimerWithOptions(timerCtx, delay, workflow.TimerOptions{
			Summary: fmt.Sprintf("wait %s (the clinic's follow-up delay) before sending the preparation guide; signal %q withdraws it", delay, SignalFollowUpCancel),
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
		return FollowUpResult{Skipped: activities.SkipCancelled}, nil
	}

	var sent activities.FollowUpSendResult
	sendCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: followUpSendTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 500 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalidRequest, activities.ErrTypeFollowUpConfig},
		},
	})
	if err := workflow.ExecuteActivity(sendCtx, a.SendFollowUp, req).Get(ctx, &sent); err != nil {
		return FollowUpResult{}, err
	}
	res := FollowUpResult{Skipped: sent.Skip, Status: sent.Status, MessageSID: sent.MessageSID, ErrorCode: sent.ErrorCode, OutboxID: sent.OutboxID}
	res.Sent = sent.Skip == "" && sent.Status != "" && sent.Status != "failed" && sent.Status != "canceled"
	if res.Sent {
		if err := workflow.UpsertTypedSearchAttributes(ctx, SAFollowUpSent.ValueSet(true)); err != nil {
			return res, err
		}
	}
	logger.Info("follow-up done", "call_sid", in.CallSID, "sent", res.Sent, "status", res.Status, "skipped", res.Skipped, "error_code", res.ErrorCode)
	return res, nil
}
