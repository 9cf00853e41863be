package config

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/vault"
)

// productionConfig is a configuration that passes: secrets as `frontdesk
// secrets generate` makes them, a Twilio token as Twilio issues them.
func productionConfig() (Config, map[string]string) {
	c := Config{
		Env:             EnvProduction,
		PublicURL:       "https://frontdesk.clinic.test",
		TwilioAuthToken: "0123456789abcdef0123456789abcdef",
		JWTSecret:       randomToken(48),
		LinkSecret:      randomToken(48),
	}
	env := map[string]string{vault.EnvMasterKey: vault.EncodeMasterKey(vault.GenerateMasterKey())}
	return c, env
}

func envOf(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// TestCheckSecretsRefusesUnsafeValues: each secret missing, a published
// development value, too short or not random is refused, naming its
// variable.
func TestCheckSecretsRefusesUnsafeValues(t *testing.T) {
	base, env := productionConfig()
	require.NoError(t, base.CheckSecrets(ServiceAPI, envOf(env)))
	require.NoError(t, base.CheckSecrets(ServiceWorker, envOf(env)))

	cases := []struct {
		name     string
		svc      Service
		mutate   func(*Config, map[string]string)
		variable string
		problem  string
	}{
		{"dev twilio token", ServiceAPI, func(c *Config, _ map[string]string) { c.TwilioAuthToken = DevTwilioAuthToken }, "TWILIO_AUTH_TOKEN", "published"},
		{"the tests' twilio token", ServiceAPI, func(c *Config, _ map[string]string) { c.TwilioAuthToken = "test-twilio-auth-token" }, "TWILIO_AUTH_TOKEN", "published"},
		{"no twilio token", ServiceAPI, func(c *Config, _ map[string]string) { c.TwilioAuthToken = "" }, "TWILIO_AUTH_TOKEN", "not set"},
		{"short twilio token", ServiceAPI, func(c *Config, _ map[string]string) { c.TwilioAuthToken = "0123456789abcdef" }, "TWILIO_AUTH_TOKEN", "too short"},
		{"worker sending SMS with the dev token", ServiceWorker, func(c *Config, _ map[string]string) {
			c.TwilioAccountSID, c.TwilioAuthToken = "AC0123456789abcdef0123456789abcdef", DevTwilioAuthToken
		}, "TWILIO_AUTH_TOKEN", "published"},
		{"dev jwt secret", ServiceAPI, func(c *Config, _ map[string]string) { c.JWTSecret = DevJWTSecret }, "FRONTDESK_JWT_SECRET", "published"},
		{"old compose jwt fallback", ServiceAPI, func(c *Config, _ map[string]string) { c.JWTSecret = "change-me-in-production-32-bytes!!" }, "FRONTDESK_JWT_SECRET", "published"},
		{"short jwt secret", ServiceAPI, func(c *Config, _ map[string]string) { c.JWTSecret = "short-secret" }, "FRONTDESK_JWT_SECRET", "too short"},
		{"repetitive jwt secret", ServiceAPI, func(c *Config, _ map[string]string) { c.JWTSecret = strings.Repeat("ab", 24) }, "FRONTDESK_JWT_SECRET", "not random"},
		{"no jwt key at all", ServiceAPI, func(c *Config, _ map[string]string) { c.JWTSecret = "" }, "FRONTDESK_JWT_SECRET", "not set"},
		{"jwks over http", ServiceAPI, func(c *Config, _ map[string]string) { c.JWTSecret, c.JWTJWKSURL = "", "http://idp.example/jwks" }, "FRONTDESK_JWKS_URL", "https"},
		{"dev link secret", ServiceWorker, func(c *Config, _ map[string]string) { c.LinkSecret = DevLinkSecret }, "FRONTDESK_LINK_SECRET", "published"},
		{"no link secret", ServiceAPI, func(c *Config, _ map[string]string) { c.LinkSecret = "" }, "FRONTDESK_LINK_SECRET", "not set"},
		{"short link secret", ServiceAPI, func(c *Config, _ map[string]string) { c.LinkSecret = "0123456789abcdef" }, "FRONTDESK_LINK_SECRET", "too short"},
		{"no master key", ServiceWorker, func(_ *Config, e map[string]string) { delete(e, vault.EnvMasterKey) }, "FRONTDESK_MASTER_KEY", "not set"},
		{"short master key", ServiceAPI, func(_ *Config, e map[string]string) { e[vault.EnvMasterKey] = "c2hvcnQ=" }, "FRONTDESK_MASTER_KEY", "unusable"},
		{"the tests' master key", ServiceWorker, func(_ *Config, e map[string]string) { e[vault.EnvMasterKey] = testMasterKeyHex }, "FRONTDESK_MASTER_KEY", "published"},
		{"plain http public url", ServiceAPI, func(c *Config, _ map[string]string) { c.PublicURL = "http://frontdesk.clinic.test" }, "FRONTDESK_PUBLIC_URL", "https"},
		{"public url unset", ServiceAPI, func(c *Config, _ map[string]string) { c.PublicURL = "http://" + DefaultHTTPAddr }, "FRONTDESK_PUBLIC_URL", "https"},
		{"the placeholder secrets generate once wrote", ServiceAPI, func(c *Config, _ map[string]string) { c.PublicURL = "https://frontdesk.example.org" }, "FRONTDESK_PUBLIC_URL", "placeholder"},
		{"a documentation domain", ServiceAPI, func(c *Config, _ map[string]string) { c.PublicURL = "https://Example.COM./base" }, "FRONTDESK_PUBLIC_URL", "placeholder"},
		{"an .invalid host", ServiceAPI, func(c *Config, _ map[string]string) { c.PublicURL = "https://api.frontdesk.invalid:8443" }, "FRONTDESK_PUBLIC_URL", "placeholder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, env := productionConfig()
			tc.mutate(&c, env)
			err := c.CheckSecrets(tc.svc, envOf(env))
			var pe *ProductionError
			require.True(t, errors.As(err, &pe), "want a refusal, got %v", err)
			require.Equal(t, tc.variable, pe.Variable)
			require.Contains(t, err.Error(), tc.problem)
			require.Contains(t, err.Error(), "FRONTDESK_ENV=production")
		})
	}

	// The worker verifies no tokens and serves no URLs.
	c, env := productionConfig()
	c.JWTSecret, c.PublicURL, c.TwilioAuthToken = "", "http://x", ""
	require.NoError(t, c.CheckSecrets(ServiceWorker, envOf(env)))
}

// TestMasterKeyFileWithTheTestKeyIsRefused: the published key is caught by
// its id whichever way it is given.
func TestMasterKeyFileWithTheTestKeyIsRefused(t *testing.T) {
	path := t.TempDir() + "/master.key"
	raw, err := hex.DecodeString(testMasterKeyHex)
	require.NoError(t, err)
	require.NoError(t, writeFile(path, raw))
	c, _ := productionConfig()
	err = c.CheckSecrets(ServiceWorker, envOf(map[string]string{vault.EnvMasterKeyFile: path}))
	require.ErrorContains(t, err, "FRONTDESK_MASTER_KEY is a published test key")
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

func TestOutsideProductionNothingIsChecked(t *testing.T) {
	c := Config{Env: EnvDevelopment, DatabaseURL: "postgres://nobody@127.0.0.1:1/x"}
	require.NoError(t, c.CheckProduction(t.Context(), ServiceAPI))
}

// TestGeneratedSecretsPassTheChecks: `frontdesk secrets generate` writes
// an env file whose every secret passes; only the Twilio token (which
// Twilio issues) and the public URL (which only the user knows) are left
// to fill in, and the api refuses to start in production until they are.
func TestGeneratedSecretsPassTheChecks(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, WriteSecretsEnv(&out, time.Now()))
	env := map[string]string{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, line)
		env[k] = v
	}
	require.Equal(t, EnvProduction, env["FRONTDESK_ENV"])
	for _, k := range []string{"POSTGRES_PASSWORD", "TEMPORAL_DB_PASSWORD", "FRONTDESK_DB_API_PASSWORD", "FRONTDESK_DB_WORKER_PASSWORD"} {
		require.GreaterOrEqual(t, len(env[k]), 32, k)
	}
	require.Contains(t, env, "FRONTDESK_PUBLIC_URL")
	require.Empty(t, env["FRONTDESK_PUBLIC_URL"], "no placeholder a user could ship")
	require.NotContains(t, out.String(), "example.", "no placeholder domain anywhere in the file")

	// The process reads the file as its environment (compose's env_file).
	for _, k := range []string{"FRONTDESK_HTTP_ADDR", "FRONTDESK_JWKS_URL", "FRONTDESK_JWT_PUBLIC_KEY", vault.EnvMasterKeyFile} {
		t.Setenv(k, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	c := FromEnv()
	require.True(t, c.IsProduction())
	require.ErrorContains(t, c.CheckSecrets(ServiceAPI, os.Getenv), "TWILIO_AUTH_TOKEN is not set")
	t.Setenv("TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef")
	c = FromEnv()
	err := c.CheckSecrets(ServiceAPI, os.Getenv)
	var pe *ProductionError
	require.True(t, errors.As(err, &pe), "an empty public URL is refused, got %v", err)
	require.Equal(t, "FRONTDESK_PUBLIC_URL", pe.Variable)
	require.NoError(t, c.CheckSecrets(ServiceWorker, os.Getenv), "the worker serves no webhooks")
	t.Setenv("FRONTDESK_PUBLIC_URL", "https://frontdesk.clinic.test")
	c = FromEnv()
	require.NoError(t, c.CheckSecrets(ServiceAPI, os.Getenv))

	var again bytes.Buffer
	require.NoError(t, WriteSecretsEnv(&again, time.Now()))
	require.NotContains(t, again.String(), env["FRONTDESK_JWT_SECRET"], "fresh secrets every time")
}
