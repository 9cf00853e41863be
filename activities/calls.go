package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
)

// CallRecord is what RecordCall writes to app.calls: operational data only.
type CallRecord struct {
	CallSID   string     `json:"call_sid"`
	ClinicID  string     `json:"clinic_id"`
	OrgID     string     `json:"org_id"`
	Status    string     `json:"status"`
	Outcome   string     `json:"outcome"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
}

// RecordCall upserts the call's row in its org. It is idempotent, so retries
// are harmless.
func (a *Activities) RecordCall(ctx context.Context, rec CallRecord) error {
	org, err := uuid.Parse(rec.OrgID)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("record call: bad org id", contract.ErrTypeInvalidRequest, err)
	}
	clinic, err := uuid.Parse(rec.ClinicID)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("record call: bad clinic id", contract.ErrTypeInvalidRequest, err)
	}
	err = a.Store.RecordCall(ctx, org, store.CallRecord{
		CallSID: rec.CallSID, ClinicID: clinic, Status: rec.Status, Outcome: rec.Outcome,
		StartedAt: rec.StartedAt, EndedAt: rec.EndedAt,
	})
	if err != nil {
		return fmt.Errorf("record call: %w", err)
	}
	return nil
}

// CallStatusFetcher asks Twilio's REST API for a call's status
// (followup.TwilioSender does).
type CallStatusFetcher interface {
	CallStatus(ctx context.Context, callSID string) (status string, durationSecs int, err error)
}

// CallStatusQuery asks for one call's status.
type CallStatusQuery struct {
	OrgID   string `json:"org_id"`
	CallSID string `json:"call_sid"`
}

// CallStatusAnswer is Twilio's view of the call; Status is empty when no
// Twilio account is configured.
type CallStatusAnswer struct {
	Status       string `json:"status"`
	DurationSecs int    `json:"duration_seconds,omitempty"`
}

// StatusSourceTwilioAPI marks a final status taken from Twilio's API
// because the callback never came.
const StatusSourceTwilioAPI = "twilio_api"

// FetchCallStatus answers Twilio's status of a call that went quiet.
// Without an account (`frontdesk dev`) it answers an empty status: the
// call then waits for its callback as before.
func (a *Activities) FetchCallStatus(ctx context.Context, q CallStatusQuery) (CallStatusAnswer, error) {
	if a.Twilio == nil {
		return CallStatusAnswer{}, nil
	}
	status, secs, err := a.Twilio.CallStatus(ctx, q.CallSID)
	if err != nil {
		return CallStatusAnswer{}, fmt.Errorf("fetch call status: %w", err)
	}
	return CallStatusAnswer{Status: status, DurationSecs: secs}, nil
}
