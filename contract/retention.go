package contract

import "time"

// WorkflowRetention is the daily transcript-retention workflow: it deletes
// the turns of calls older than their clinic's retention period and shreds
// the calls' data keys.
const WorkflowRetention = "Retention"

// RetentionScheduleID is the Temporal Schedule that starts Retention once a
// day. Its runs are named after RetentionWorkflowID with the scheduled time
// appended by Temporal, so the Web UI shows one workflow per day.
const (
	RetentionScheduleID = "retention-daily"
	RetentionWorkflowID = "retention"
)

// RetentionInput starts a Retention run. A scheduled run passes the zero
// value.
type RetentionInput struct {
	// AsOf is the moment retention periods are counted back from; zero
	// means the run's start time.
	AsOf time.Time `json:"as_of,omitzero"`
	// After and Done carry a run across continue-as-new: the last clinic
	// id handled, and the counts so far.
	After string          `json:"after,omitempty"`
	Done  RetentionResult `json:"done,omitzero"`
}

// RetentionResult is what a run removed: counts only.
type RetentionResult struct {
	Clinics      int   `json:"clinics"`
	Calls        int   `json:"calls"`
	TurnsDeleted int64 `json:"turns_deleted"`
	KeysShredded int   `json:"keys_shredded"`
}

// Add sums two results.
func (r RetentionResult) Add(o RetentionResult) RetentionResult {
	return RetentionResult{Clinics: r.Clinics + o.Clinics, Calls: r.Calls + o.Calls,
		TurnsDeleted: r.TurnsDeleted + o.TurnsDeleted, KeysShredded: r.KeysShredded + o.KeysShredded}
}
