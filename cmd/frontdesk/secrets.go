package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/frontdesk/frontdesk/config"
)

// runSecrets: `secrets generate > .env` writes a fresh env file for docker
// compose (config.WriteSecretsEnv).
func runSecrets(_ context.Context, args []string) error {
	if len(args) != 1 || args[0] != "generate" {
		return errors.New("usage: frontdesk secrets generate > .env")
	}
	if err := config.WriteSecretsEnv(os.Stdout, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "fill in TWILIO_AUTH_TOKEN and FRONTDESK_PUBLIC_URL, then `chmod 600 .env`; the values are shown once")
	return nil
}
