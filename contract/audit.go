package contract

import "time"

// WorkflowAuditAnchor exports the audit log's chain heads on a schedule.
const WorkflowAuditAnchor = "AuditAnchor"

// AuditAnchorScheduleID is the Temporal Schedule that runs AuditAnchor;
// each run's workflow ID starts with it.
const AuditAnchorScheduleID = "audit-anchor"

// AuditHead is the newest link of one org's audit chain when exported:
// ids, counts and hashes only.
type AuditHead struct {
	OrgID string `json:"org_id"`
	Seq   int64  `json:"seq"`
	// Hash commits to every row of the chain up to Seq; MAC is its HMAC
	// under the audit key (hex).
	Hash  string `json:"hash"`
	MAC   string `json:"mac,omitempty"`
	KeyID string `json:"key_id,omitempty"`
}

// AuditAnchorResult is an AuditAnchor run's result: kept in its history,
// where whoever administers Postgres cannot rewrite it.
type AuditAnchorResult struct {
	At    time.Time   `json:"at"`
	Heads []AuditHead `json:"heads"`
}
