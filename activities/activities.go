// Package activities holds every side effect of frontdesk's workflows, as
// methods on a struct that carries their dependencies. One file per concern.
package activities

import (
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// Activities is registered on the worker; workflows call its methods by
// method value.
type Activities struct {
	Store *store.Store
	// FollowUp sends the unbooked-call SMS (followup.go); nil on workers
	// that do not send.
	FollowUp *FollowUpDeps
	// Vault and PII route and encrypt transcript turns (privacy.go).
	Vault *vault.Vault
	PII   *pii.Detector
	// Twilio answers a quiet call's status; nil without an account.
	Twilio CallStatusFetcher
}
