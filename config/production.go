package config

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/frontdesk/frontdesk/vault"
)

// Deployment environments (FRONTDESK_ENV). Anything but production runs on
// the embedded development defaults; production refuses them.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Service names the process whose configuration is checked: each needs
// different secrets and a different database login.
type Service string

// The long-running services.
const (
	ServiceAPI    Service = "api"
	ServiceWorker Service = "worker"
)

// Database roles the services' logins are members of (created by
// `frontdesk migrate`, see schema.APIRole and schema.WorkerRole; repeated
// here so config does not import the migrations).
const (
	apiMarkerRole    = "frontdesk_api"
	workerMarkerRole = "frontdesk_worker"
	schemaOwnerRole  = "frontdesk_owner"
)

// Minimum secret lengths in production. 32 bytes is the HMAC-SHA256 key
// size; a Twilio auth token is 32 hex digits.
const (
	MinSecretBytes      = 32
	MinTwilioTokenChars = 32
)

// publicValues are secrets that have been published: the development
// defaults in this repository, the placeholders earlier compose files fell
// back to, and the tests' fixed keys. A production process that finds one
// of them refuses to start, whatever its length.
var publicValues = map[string]bool{
	DevTwilioAuthToken:                    true,
	DevJWTSecret:                          true,
	DevLinkSecret:                         true,
	"change-me-in-production-32-bytes!!":  true,
	"change-me-in-production-link-secret": true,
	"test-twilio-auth-token":              true,
	// testenv.TestMasterKeyHex: the histories in workflows/testdata are
	// encrypted with it.
	"f00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dface": true,
}

// IsProduction reports FRONTDESK_ENV=production.
func (c Config) IsProduction() bool { return c.Env == EnvProduction }

// CheckProduction is what `frontdesk api` and `frontdesk worker` call before
// they start: in production it refuses, naming the variable, a secret that
// is missing, too short or a published development value, and a database
// login that could step around row-level security (superuser, BYPASSRLS,
// the schema's owner) or that is not the service's own role. Outside
// production it checks nothing, so `make dev` runs on its defaults.
func (c Config) CheckProduction(ctx context.Context, svc Service) error {
	if !c.IsProduction() {
		return nil
	}
	if err := c.CheckSecrets(svc, os.Getenv); err != nil {
		return err
	}
	return CheckDatabaseRole(ctx, c.DatabaseURL, svc)
}

// ProductionError says which variable makes a production start unsafe.
type ProductionError struct {
	Variable string
	Problem  string
}

func (e *ProductionError) Error() string {
	return fmt.Sprintf("FRONTDESK_ENV=production: %s %s (generate secrets with `frontdesk secrets generate > .env`; see README, Security)", e.Variable, e.Problem)
}

func refuse(variable, format string, args ...any) error {
	return &ProductionError{Variable: variable, Problem: fmt.Sprintf(format, args...)}
}

// CheckSecrets checks the secrets svc needs; getenv reads the master key
// variables (os.Getenv in production), which vault parses itself.
func (c Config) CheckSecrets(svc Service, getenv func(string) string) error {
	if err := checkMasterKey(getenv); err != nil {
		return err
	}
	if err := checkSecret("FRONTDESK_LINK_SECRET", c.LinkSecret, MinSecretBytes); err != nil {
		return err
	}
	if svc == ServiceAPI || c.TwilioAccountSID != "" {
		// The api verifies every webhook with the token; the worker needs it
		// only to send SMS through an account.
		if err := checkSecret("TWILIO_AUTH_TOKEN", c.TwilioAuthToken, MinTwilioTokenChars); err != nil {
			return err
		}
	}
	if svc == ServiceAPI {
		if err := c.checkJWTKeys(); err != nil {
			return err
		}
		u, err := url.Parse(c.PublicURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			// Webhook signatures are computed over this URL and /d links
			// carry bearer tokens: both must travel over TLS. Unset, it
			// is http:// + FRONTDESK_HTTP_ADDR, refused here.
			return refuse("FRONTDESK_PUBLIC_URL", "must be an https:// URL (got %q)", c.PublicURL)
		}
		if placeholderHost(u.Hostname()) {
			return refuse("FRONTDESK_PUBLIC_URL", "is a placeholder (%q): set the https:// address Twilio and patients reach the api on", c.PublicURL)
		}
	}
	return nil
}

func (c Config) checkJWTKeys() error {
	switch {
	case c.JWTSecret != "":
		return checkSecret("FRONTDESK_JWT_SECRET", c.JWTSecret, MinSecretBytes)
	case c.JWTJWKSURL != "":
		u, err := url.Parse(c.JWTJWKSURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return refuse("FRONTDESK_JWKS_URL", "must be an https:// URL: keys fetched in clear can be swapped")
		}
		return nil
	case c.JWTPublicKeyPEM != "":
		if _, err := os.Stat(c.JWTPublicKeyPEM); err != nil {
			return refuse("FRONTDESK_JWT_PUBLIC_KEY", "names a file that cannot be read")
		}
		return nil
	}
	return refuse("FRONTDESK_JWT_SECRET", "is not set (nor FRONTDESK_JWKS_URL or FRONTDESK_JWT_PUBLIC_KEY): staff and ops tokens cannot be verified")
}

// placeholderHost reports a host name reserved for documentation (RFC
// 2606): example.com, example.net, example.org, their subdomains, and the
// .example and .invalid top-level domains. Nobody reaches a deployment
// there; an .env carrying one (`frontdesk secrets generate` once wrote
// https://frontdesk.example.org) was never filled in.
func placeholderHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range []string{"example.com", "example.net", "example.org", "example", "invalid"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func checkSecret(name, value string, minLen int) error {
	switch {
	case strings.TrimSpace(value) == "":
		return refuse(name, "is not set")
	case publicValues[value] || publicValues[strings.ToLower(value)]:
		return refuse(name, "is a published development value")
	case len(value) < minLen:
		return refuse(name, "is too short: %d characters, at least %d required", len(value), minLen)
	case distinctBytes(value) < 8:
		return refuse(name, "is not random (fewer than 8 distinct characters)")
	}
	return nil
}

func checkMasterKey(getenv func(string) string) error {
	for _, v := range []string{getenv(vault.EnvMasterKey)} {
		if publicValues[strings.ToLower(strings.TrimSpace(v))] {
			return refuse(vault.EnvMasterKey, "is a published test key")
		}
	}
	master, _, err := vault.MasterKeysFromEnv(getenv)
	if err != nil {
		if errors.Is(err, vault.ErrNoMasterKey) {
			return refuse(vault.EnvMasterKey, "is not set (nor %s)", vault.EnvMasterKeyFile)
		}
		return refuse(vault.EnvMasterKey, "is unusable: %v", err)
	}
	if test, err := vault.ParseMasterKey(testMasterKeyHex); err == nil && test.ID() == master.ID() {
		return refuse(vault.EnvMasterKey, "is a published test key")
	}
	return nil
}

// testMasterKeyHex is testenv.TestMasterKeyHex (config_test checks they
// agree); a key file can hold it too, so it is compared by id as well.
const testMasterKeyHex = "f00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dface"

func distinctBytes(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// CheckDatabaseRole connects as databaseURL's login and refuses a role that
// row-level security does not bind (superuser, BYPASSRLS), one that owns the
// schema or may become its owner, and one that is not a member of svc's own
// service role, or is a member of the other service's as well: the api's
// and the worker's logins are separate so that a leaked api credential
// cannot write what only the worker writes.
func CheckDatabaseRole(ctx context.Context, databaseURL string, svc Service) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: check the login role: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var (
		user                    string
		super, bypass           bool
		ownsSchema, api, worker bool
		schemaExists            bool
	)
	err = conn.QueryRow(ctx, `
		select r.rolname, r.rolsuper, r.rolbypassrls,
		       exists (select from pg_namespace n where n.nspname = 'app'),
		       coalesce((select pg_has_role(r.oid, n.nspowner, 'MEMBER') from pg_namespace n where n.nspname = 'app'), false)
		         or (exists (select from pg_roles where rolname = $1) and pg_has_role(r.oid, $1, 'MEMBER')),
		       exists (select from pg_roles where rolname = $2) and pg_has_role(r.oid, $2, 'MEMBER'),
		       exists (select from pg_roles where rolname = $3) and pg_has_role(r.oid, $3, 'MEMBER')
		from pg_roles r where r.rolname = session_user`, schemaOwnerRole, apiMarkerRole, workerMarkerRole).
		Scan(&user, &super, &bypass, &schemaExists, &ownsSchema, &api, &worker)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: read the login role: %w", err)
	}
	switch {
	case super:
		return refuse("DATABASE_URL", "logs in as %q, a superuser: row-level security does not apply to it", user)
	case bypass:
		return refuse("DATABASE_URL", "logs in as %q, which holds BYPASSRLS", user)
	case !schemaExists:
		return refuse("DATABASE_URL", "reaches a database without the app schema: run `frontdesk migrate` first")
	case ownsSchema:
		return refuse("DATABASE_URL", "logs in as %q, which owns the app schema (or may become its owner): use the service's own login", user)
	case svc == ServiceAPI && (!api || worker):
		return refuse("DATABASE_URL", "logs in as %q: the api needs a login that is a member of %s and not of %s (DATABASE_API_URL of `frontdesk migrate`)", user, apiMarkerRole, workerMarkerRole)
	case svc == ServiceWorker && (!worker || api):
		return refuse("DATABASE_URL", "logs in as %q: the worker needs a login that is a member of %s and not of %s (DATABASE_WORKER_URL of `frontdesk migrate`)", user, workerMarkerRole, apiMarkerRole)
	}
	return nil
}
