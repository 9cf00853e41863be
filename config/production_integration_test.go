package config_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// TestTestMasterKeyIsKnownPublic keeps config's copy of the tests' key in
// step with testenv's.
func TestTestMasterKeyIsKnownPublic(t *testing.T) {
	c := config.Config{Env: config.EnvProduction, LinkSecret: uuid.NewString() + uuid.NewString()}
	err := c.CheckSecrets(config.ServiceWorker, func(k string) string {
		if k == vault.EnvMasterKey {
			return testenv.TestMasterKeyHex
		}
		return ""
	})
	require.ErrorContains(t, err, "FRONTDESK_MASTER_KEY is a published test key")
}

// TestProductionRefusesUnsafeDatabaseLogins: a superuser, a BYPASSRLS
// role, the schema's owner (or a member of it), the development login that
// is both api and worker, and the other service's login are refused; each
// service's own login passes.
func TestProductionRefusesUnsafeDatabaseLogins(t *testing.T) {
	ctx := context.Background()
	db := testenv.NewDatabase(t)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	role := func(attrs string, grants ...string) string {
		name := "fd_t_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
		_, err := admin.Exec(ctx, fmt.Sprintf(`create role %s login %s`, name, attrs))
		require.NoError(t, err)
		for _, g := range grants {
			_, err := admin.Exec(ctx, fmt.Sprintf(`grant %s to %s`, g, name))
			require.NoError(t, err)
		}
		t.Cleanup(func() {
			_, _ = admin.Exec(context.Background(), `drop role `+name)
		})
		return strings.Replace(db.APIURL, "frontdesk_api_login@", name+"@", 1)
	}
	cases := []struct {
		name, url string
		svc       config.Service
		want      string // "" passes
	}{
		{"the api's login", db.APIURL, config.ServiceAPI, ""},
		{"the worker's login", db.WorkerURL, config.ServiceWorker, ""},
		{"superuser", db.AdminURL, config.ServiceAPI, "superuser"},
		{"bypassrls", role("bypassrls noinherit", "authenticated", "frontdesk_api"), config.ServiceAPI, "BYPASSRLS"},
		{"member of the schema owner", role("noinherit", "frontdesk_owner", "frontdesk_api"), config.ServiceAPI, "owns the app schema"},
		{"the development login for both", db.AppURL, config.ServiceAPI, "member of frontdesk_api and not of frontdesk_worker"},
		{"the worker's login for the api", db.WorkerURL, config.ServiceAPI, "member of frontdesk_api"},
		{"the api's login for the worker", db.APIURL, config.ServiceWorker, "member of frontdesk_worker"},
		{"a login of neither service", role("noinherit", "authenticated"), config.ServiceWorker, "member of frontdesk_worker"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := config.CheckDatabaseRole(ctx, tc.url, tc.svc)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			var pe *config.ProductionError
			require.True(t, errors.As(err, &pe), "want a refusal, got %v", err)
			require.Equal(t, "DATABASE_URL", pe.Variable)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestProductionBinaryRefusesToStart is the "done when": with
// FRONTDESK_ENV=production (the compose default), `frontdesk api` and
// `frontdesk worker` given a development secret, a missing one or an
// unsafe database login exit non-zero, naming the variable, before they
// open anything.
func TestProductionBinaryRefusesToStart(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "frontdesk")
	build := exec.Command("go", "build", "-o", bin, "./cmd/frontdesk")
	build.Dir = ".."
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	db := testenv.NewDatabase(t)

	good := map[string]string{
		"FRONTDESK_ENV":         "production",
		"FRONTDESK_MASTER_KEY":  vault.EncodeMasterKey(vault.GenerateMasterKey()),
		"FRONTDESK_JWT_SECRET":  uuid.NewString() + uuid.NewString(),
		"FRONTDESK_LINK_SECRET": uuid.NewString() + uuid.NewString(),
		"TWILIO_AUTH_TOKEN":     strings.ReplaceAll(uuid.NewString(), "-", ""),
		"FRONTDESK_PUBLIC_URL":  "https://frontdesk.clinic.test",
		"DATABASE_URL":          db.APIURL,
		// Unreachable: the checks must fail before anything dials it.
		"TEMPORAL_ADDRESS": "127.0.0.1:1",
	}
	cases := []struct {
		name, cmd string
		env       map[string]string
		want      string
	}{
		{"api with the development Twilio token", "api", map[string]string{"TWILIO_AUTH_TOKEN": config.DevTwilioAuthToken}, "TWILIO_AUTH_TOKEN is a published development value"},
		{"api with the development JWT secret", "api", map[string]string{"FRONTDESK_JWT_SECRET": config.DevJWTSecret}, "FRONTDESK_JWT_SECRET is a published development value"},
		{"api with a short link secret", "api", map[string]string{"FRONTDESK_LINK_SECRET": "too-short"}, "FRONTDESK_LINK_SECRET is too short"},
		{"worker without a master key", "worker", map[string]string{"FRONTDESK_MASTER_KEY": "", "DATABASE_URL": db.WorkerURL}, "FRONTDESK_MASTER_KEY is not set"},
		{"worker with the tests' master key", "worker", map[string]string{"FRONTDESK_MASTER_KEY": testenv.TestMasterKeyHex, "DATABASE_URL": db.WorkerURL}, "FRONTDESK_MASTER_KEY is a published test key"},
		{"api as a superuser", "api", map[string]string{"DATABASE_URL": db.AdminURL}, "DATABASE_URL logs in as \"postgres\", a superuser"},
		{"worker with the api's login", "worker", map[string]string{"DATABASE_URL": db.APIURL}, "the worker needs a login that is a member of frontdesk_worker"},
		{"api with the public URL of a fresh .env (empty)", "api", map[string]string{"FRONTDESK_PUBLIC_URL": ""}, "FRONTDESK_PUBLIC_URL must be an https:// URL"},
		{"api with a placeholder public URL", "api", map[string]string{"FRONTDESK_PUBLIC_URL": "https://frontdesk.example.org"}, "FRONTDESK_PUBLIC_URL is a placeholder"},
		{"dev refuses production", "dev", nil, "`frontdesk dev` runs on development defaults"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, tc.cmd)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
			for k, v := range good {
				if o, ok := tc.env[k]; ok {
					v = o
				}
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "must exit non-zero: %v\n%s", err, out)
			require.Equal(t, 1, exit.ExitCode())
			require.Contains(t, string(out), tc.want)
			require.NotContains(t, string(out), good["FRONTDESK_JWT_SECRET"], "no secret in the message")
		})
	}
}
