package contract

// Error types of frontdesk's workflows and activities (the Type of a
// temporal.ApplicationError), one set for every side to tell failures apart.
const (
	// ErrTypeInvalidInput: a workflow was started with input it cannot run.
	ErrTypeInvalidInput = "InvalidInput"
	// ErrTypeInvalidRequest: an Update or activity request is malformed;
	// retrying cannot help. Validators refuse with it before history.
	ErrTypeInvalidRequest = "InvalidRequest"
	// ErrTypeCallEnded: the call is over; it takes no more holds or turns.
	ErrTypeCallEnded = "CallEnded"
	// ErrTypeCallRejected: the call failed its tenant check.
	ErrTypeCallRejected = "CallRejected"
	// ErrTypeSlotConflict: the slot could not be settled in time (lock
	// timeout, serialization failure, deadlock). Retrying would keep a
	// caller waiting; the answer is "taken", with another offer.
	ErrTypeSlotConflict = "SlotConflict"
	// ErrTypeTenantMismatch: the call's clinic is not in its org: forged or
	// corrupt input, never retried.
	ErrTypeTenantMismatch = "TenantMismatch"
	// ErrTypeCallErased: the call's data key was destroyed by an erasure.
	ErrTypeCallErased = "CallErased"
	// ErrTypeTwilioUnavailable: 429, 5xx or no answer; retried, after
	// Twilio's Retry-After when it sent one.
	ErrTypeTwilioUnavailable = "TwilioUnavailable"
	// ErrTypeFollowUpConfig: the worker cannot send at all (no link secret).
	ErrTypeFollowUpConfig = "FollowUpConfig"
)
