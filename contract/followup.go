package contract

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

// Why a follow-up was not sent.
const (
	SkipNoContact        = "no_contact"
	SkipOptedOut         = "opted_out"
	SkipBooked           = "booked"
	SkipUnknownProcedure = "unknown_procedure"
	SkipCancelled        = "cancelled"
)
