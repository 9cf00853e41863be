package main

import (
	"context"

	"github.com/frontdesk/frontdesk/bench"
)

// runBench: `bench NAME [flags]` (package bench).
func runBench(ctx context.Context, args []string) error { return bench.Run(ctx, args) }
