// Package bench owns `frontdesk bench NAME`: measurements on systems of
// their own (a fresh database, and where a bench needs them a Temporal dev
// server, a worker, the api and fakes of the outside services). Each
// prints a human table and, with --json, one JSON object of figures; a
// latency figure is a latency.Summary in milliseconds.
//
// A new bench is a file with a func(ctx, args) error and a line in
// benches.
package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/frontdesk/frontdesk/config"
)

// Func runs one bench with its own flags (args after its name).
type Func func(ctx context.Context, args []string) error

// benches are the `frontdesk bench NAME` figures.
var benches = map[string]Func{
	"slots":    Slots,
	"tenancy":  Tenancy,
	"followup": FollowUp,
	"voice":    Voice,
}

// Names lists the benches, sorted.
func Names() []string {
	names := make([]string, 0, len(benches))
	for n := range benches {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Run runs the bench named by args[0] with the rest of args as its flags.
func Run(ctx context.Context, args []string) error {
	// As `frontdesk dev` does: on the embedded defaults, the bench database
	// is created by the local superuser, not the services' role.
	if os.Getenv("DATABASE_URL") == "" && os.Getenv("DATABASE_ADMIN_URL") == "" {
		os.Setenv("DATABASE_ADMIN_URL", config.DefaultDatabaseAdminURL)
	}
	if len(args) > 0 {
		if b, ok := benches[args[0]]; ok {
			return b(ctx, args[1:])
		}
	}
	return fmt.Errorf("usage: frontdesk bench %s [--json] [flags]", strings.Join(Names(), "|"))
}
