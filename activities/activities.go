// Package activities holds every side effect of frontdesk's workflows, as
// methods on a struct that carries their dependencies. One file per concern.
package activities

import (
	"github.com/frontdesk/frontdesk/store"
)

// Activities is registered on the worker; workflows call its methods by
// method value.
type Activities struct {
	Store *store.Store
}
