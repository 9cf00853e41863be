package config

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"time"

	"github.com/frontdesk/frontdesk/vault"
)

// WriteSecretsEnv writes a fresh env file for docker compose (`frontdesk
// secrets generate > .env`): FRONTDESK_ENV=production, a new master key,
// JWT and link secrets, and the database passwords, each from crypto/rand.
// The Twilio auth token and the public URL cannot be generated: they are
// written empty, with a comment saying what to put there, and production
// refuses to start until they are filled in (an empty public URL is
// http:// + FRONTDESK_HTTP_ADDR, which CheckSecrets refuses). Nothing here
// is ever written to the repository.
func WriteSecretsEnv(w io.Writer, now time.Time) error {
	pw := func() string { return randomToken(24) }
	lines := []string{
		"# frontdesk secrets, generated " + now.UTC().Format(time.RFC3339) + " by `frontdesk secrets generate`.",
		"# Keep this file private (chmod 600), out of version control, and backed up:",
		"# losing FRONTDESK_MASTER_KEY makes every encrypted value and Temporal payload unreadable.",
		"FRONTDESK_ENV=" + EnvProduction,
		vault.EnvMasterKey + "=" + vault.EncodeMasterKey(vault.GenerateMasterKey()),
		"FRONTDESK_JWT_SECRET=" + randomToken(48),
		"FRONTDESK_LINK_SECRET=" + randomToken(48),
		"# Postgres superuser (migrations only; never a service login).",
		"POSTGRES_PASSWORD=" + pw(),
		"# Temporal's own Postgres (its persistence and visibility; never a frontdesk login).",
		"TEMPORAL_DB_PASSWORD=" + pw(),
		"# The api's and the worker's separate database logins (created by `frontdesk migrate`).",
		"FRONTDESK_DB_API_PASSWORD=" + pw(),
		"FRONTDESK_DB_WORKER_PASSWORD=" + pw(),
		"# Fill in: your Twilio account's auth token (Console > Account > API keys & tokens).",
		"# The api refuses to start in production while it is empty.",
		"TWILIO_ACCOUNT_SID=",
		"TWILIO_AUTH_TOKEN=",
		"TWILIO_FROM_NUMBER=",
		"# Fill in: the https:// address Twilio and patients reach the api on, e.g.",
		"# https://frontdesk.<your domain> (no trailing slash). docker compose and the",
		"# api in production refuse to start while it is empty.",
		"FRONTDESK_PUBLIC_URL=",
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// randomToken is n random bytes as unpadded URL-safe base64: safe in env
// files, URLs and connection strings without quoting.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}
