// Package workflows holds frontdesk's Temporal workflows: CallSession (one
// phone call, from the incoming-call webhook to its final status) and
// FollowUp (the SMS after an unbooked call). Their inputs, results and
// handler names are the contract package's; this package holds only the
// deterministic code that runs them. All I/O happens in activities, which
// are referenced through the activities package's typed methods.
package workflows

// Change IDs of workflow.GetVersion. Each guards commands that histories
// recorded before the change lack, so running calls replay unchanged (see
// "Versioning and replay" in the README). Every change's highest version
// must appear in a recorded history under testdata/ (TestEveryVersionIsRecorded).
const (
	// checkTenantChange v1: CheckTenant runs before anything else.
	checkTenantChange = "check-tenant"
	// followUpChange v1: an unbooked call starts FollowUp.
	followUpChange = "followup-on-unbooked-call"
	// secondPassChange v1: handlers wait for the tenant check, and only a
	// tenant mismatch rejects a call; hold expiry is derived from workflow
	// time (no hold timer); the hang-up releases whatever the call may hold;
	// a quiet call asks Twilio for its status; late turns have a grace
	// window.
	secondPassChange = "call-session-second-pass"
	// prepareActivityChange v1: FollowUp prepares in a regular activity
	// (it was a local activity).
	prepareActivityChange = "followup-prepare-activity"
	// localSlotsChange v1: hold_slot and confirm_booking reach Postgres
	// through a local activity. A caller is waiting on the line: a regular
	// activity costs an activity task and a second workflow task on the
	// server, the tail of the voice path's tool round trip under load.
	localSlotsChange = "slot-local-activities"
)
