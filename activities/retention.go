package activities

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
)

// RetentionBatch is one PurgeExpiredTurns call: up to Clinics clinics
// after the clinic id After ("" for the first).
type RetentionBatch struct {
	AsOf    time.Time `json:"as_of"`
	After   string    `json:"after,omitempty"`
	Clinics int       `json:"clinics"`
}

// RetentionBatchResult is what a batch removed, and where the next one
// starts; Done when no clinic is left.
type RetentionBatchResult struct {
	contract.RetentionResult
	Next string `json:"next,omitempty"`
	Done bool   `json:"done"`
}

// retentionCallsPerPurge bounds one purge transaction (and its audit row).
const retentionCallsPerPurge = 200

// PurgeExpiredTurns purges, clinic by clinic, the turns of calls that
// started before AsOf minus the clinic's retention period: call keys
// shredded, turn rows deleted, one audit row per purge naming the calls.
// It heartbeats after each purge. A retry starts the batch again, which is
// harmless: purged calls are marked and not found twice.
func (a *Activities) PurgeExpiredTurns(ctx context.Context, in RetentionBatch) (RetentionBatchResult, error) {
	var res RetentionBatchResult
	if a.Vault == nil {
		return res, errors.New("purge expired turns: the worker has no vault configured")
	}
	if in.AsOf.IsZero() || in.Clinics < 1 {
		return res, temporal.NewNonRetryableApplicationError("purge expired turns: as_of and clinics are required", contract.ErrTypeInvalidInput, nil)
	}
	after := uuid.Nil
	if in.After != "" {
		var err error
		if after, err = uuid.Parse(in.After); err != nil {
			return res, temporal.NewNonRetryableApplicationError("purge expired turns: after is not a clinic id", contract.ErrTypeInvalidInput, err)
		}
	}
	clinics, err := a.Store.RetentionClinics(ctx, after, in.Clinics)
	if err != nil {
		return res, err
	}
	logger := activity.GetLogger(ctx)
	for _, c := range clinics {
		ref := store.ClinicRef{OrgID: c.OrgID, ClinicID: c.ClinicID}
		cutoff := in.AsOf.Add(-time.Duration(c.Days) * 24 * time.Hour)
		purged := 0
		for {
			sids, err := a.Store.ExpiredCalls(ctx, ref, cutoff, retentionCallsPerPurge)
			if err != nil {
				return res, err
			}
			rep, err := a.Store.PurgeCallTurns(ctx, a.Vault, ref, sids, cutoff, c.Days)
			if err != nil {
				return res, err
			}
			purged += rep.Calls
			res.Calls += rep.Calls
			res.TurnsDeleted += rep.TurnsDeleted
			res.KeysShredded += rep.KeysShredded
			activity.RecordHeartbeat(ctx, res.RetentionResult)
			if len(sids) < retentionCallsPerPurge {
				break
			}
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		res.Clinics++
		res.Next = c.ClinicID.String()
		logger.Info("retention: clinic done", "clinic_id", c.ClinicID, "retention_days", c.Days, "calls", purged)
	}
	res.Done = len(clinics) < in.Clinics
	return res, nil
}
