package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
)

// activityMetrics measures the activities frontdesk's own metrics are
// about, from the worker's side, without the activities knowing: HoldSlot
// (slot lock latency and conflicts), SendFollowUp (SMS latency and
// failures) and RecordTurn (personal data routed by class). It reads the
// activity's result, as a workflow would, and never its input.
type activityMetrics struct {
	interceptor.InterceptorBase
	m *Metrics
}

func (a *activityMetrics) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, m: a.m}
}

type activityInbound struct {
	interceptor.ActivityInboundInterceptorBase
	m *Metrics
}

func (a *activityInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (interface{}, error) {
	start := time.Now()
	res, err := a.Next.ExecuteActivity(ctx, in)
	a.m.observeActivity(activity.GetInfo(ctx).ActivityType.Name, time.Since(start), res, err)
	return res, err
}

// Activity names as the worker registers them (method names of
// activities.Activities).
const (
	activityHoldSlot     = "HoldSlot"
	activitySendFollowUp = "SendFollowUp"
	activityRecordTurn   = "RecordTurn"
)

func (m *Metrics) observeActivity(name string, d time.Duration, res any, err error) {
	switch name {
	case activityHoldSlot:
		switch {
		case hasErrorType(err, contract.ErrTypeSlotConflict):
			m.ObserveSlotLock(contract.HoldConflict, d)
		case err != nil:
			m.ObserveSlotLock("error", d)
		default:
			m.ObserveSlotLock(holdStatus(res), d)
		}
	case activitySendFollowUp:
		switch {
		case hasErrorType(err, contract.ErrTypeTwilioUnavailable):
			m.ObserveSMS("error", d, "twilio_unavailable", 0)
		case err != nil:
			m.ObserveSMS("error", d, "error", 0)
		default:
			r := sendResult(res)
			switch {
			case r.Skip != "" && r.Status == "":
				m.ObserveSMS("skipped", d, "", 0)
			case r.Status == "failed":
				m.ObserveSMS("failed", d, "refused", r.ErrorCode)
			case r.Status == "logged" || r.Status == "canceled":
				m.ObserveSMS(r.Status, d, "", 0)
			default:
				m.ObserveSMS("sent", d, "", 0)
			}
		}
	case activityRecordTurn:
		if err != nil {
			return
		}
		switch r := res.(type) {
		case contract.TurnResult:
			m.CountPII(r.Class, r.Entities)
		case *contract.TurnResult:
			if r != nil {
				m.CountPII(r.Class, r.Entities)
			}
		}
	}
}

func holdStatus(res any) string {
	switch r := res.(type) {
	case contract.HoldSlotResult:
		return r.Status
	case *contract.HoldSlotResult:
		if r != nil {
			return r.Status
		}
	}
	return "unknown"
}

// sendResult reads SendFollowUp's answer by its JSON form, the same
// contract its workflow reads, so this package need not import the
// activities (which import everything).
type sendOutcome struct {
	Status    string `json:"status"`
	Skip      string `json:"skip"`
	ErrorCode int    `json:"error_code"`
}

func sendResult(res any) sendOutcome {
	var out sendOutcome
	if b, err := json.Marshal(res); err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

func hasErrorType(err error, typ string) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && app.Type() == typ
}
