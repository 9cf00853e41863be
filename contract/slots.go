package contract

import "time"

// Answers of hold_slot (app.lock_slot).
const (
	HoldHeld     = "held"
	HoldConflict = "conflict"
	HoldNotFound = "not_found"
	HoldExpired  = "expired"
)

// Answers of confirm_booking (app.confirm_booking); HoldExpired and
// HoldNotFound too.
const (
	BookingBooked   = "booked"
	BookingNotYours = "not_yours"
)

// Hold lengths a hold_slot Update may ask for. Postgres enforces the same
// bounds; the validator repeats them so a bad request never reaches history.
const (
	DefaultHoldSeconds = 180
	MaxHoldSeconds     = 900
)

// FreeSlot is a bookable slot offered to a caller: ids and times only.
type FreeSlot struct {
	SlotID         string    `json:"slot_id"`
	PractitionerID string    `json:"practitioner_id"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
}

// HoldSlotRequest is the hold_slot Update's argument: the voice agent's
// tool call when a caller settles on a time.
type HoldSlotRequest struct {
	SlotID string `json:"slot_id"`
	// HoldSeconds is how long the agent needs to confirm; 0 means
	// DefaultHoldSeconds.
	HoldSeconds int `json:"hold_seconds,omitempty"`
	// ProcedureID, when known, keeps the alternatives long enough for it.
	ProcedureID string `json:"procedure_id,omitempty"`
}

// HoldSlotResult answers hold_slot: Status is held (HoldID, ExpiresAt set),
// conflict or expired (Alternatives offered), or not_found.
type HoldSlotResult struct {
	Status       string     `json:"status"`
	HoldID       string     `json:"hold_id,omitempty"`
	ExpiresAt    time.Time  `json:"expires_at,omitzero"`
	Alternatives []FreeSlot `json:"alternatives,omitempty"`
}

// ConfirmBookingRequest is the confirm_booking Update's argument.
type ConfirmBookingRequest struct {
	HoldID      string `json:"hold_id"`
	ProcedureID string `json:"procedure_id"`
}

// ConfirmBookingResult answers confirm_booking: Status is booked
// (BookingID set), expired, not_found or not_yours.
type ConfirmBookingResult struct {
	Status    string `json:"status"`
	BookingID string `json:"booking_id,omitempty"`
}

// DiscussProcedureRequest is discuss_procedure's argument: the procedure a
// caller asks about before any slot is held.
type DiscussProcedureRequest struct {
	ProcedureID string `json:"procedure_id"`
}
