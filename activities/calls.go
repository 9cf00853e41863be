package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

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
		return temporal.NewNonRetryableApplicationError("record call: bad org id", "InvalidInput", err)
	}
	clinic, err := uuid.Parse(rec.ClinicID)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("record call: bad clinic id", "InvalidInput", err)
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
