// Package config reads frontdesk's configuration from the environment.
//
// Every variable has an embedded default that runs the whole system on one
// machine (see README.md); production sets them explicitly.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Config is everything the binaries read from the environment.
type Config struct {
	// Env is FRONTDESK_ENV: "production" makes api and worker refuse
	// development secrets and unsafe database logins (CheckProduction);
	// anything else (the default, "development") runs on the defaults.
	Env string

	// DatabaseURL is the services' login role: it owns nothing and reaches
	// tenant tables only by switching to the `authenticated` role per
	// transaction.
	DatabaseURL string
	// DatabaseAdminURL runs migrations (creates roles, tables, functions).
	// Defaults to DatabaseURL.
	DatabaseAdminURL string
	// DatabaseAPIURL and DatabaseWorkerURL are the separate logins of the
	// api and the worker, created by `frontdesk migrate` when set (each
	// process then runs with its own as DATABASE_URL). When neither is set,
	// migrate gives DatabaseURL's login both services' rights, which is
	// what `frontdesk dev` and the tests use.
	DatabaseAPIURL    string
	DatabaseWorkerURL string

	TemporalAddress   string
	TemporalNamespace string
	// Temporal is how the services authenticate to Temporal (mTLS or an
	// API key); empty on a private network.
	Temporal TemporalSecurity
	// TemporalUIURL is where ops open the Web UI (printed by `frontdesk dev`).
	TemporalUIURL string

	TwilioAccountSID string
	TwilioAuthToken  string
	TwilioFromNumber string

	OpenAIAPIKey  string
	OpenAIBaseURL string
	// The voice path's models when an OpenAI-compatible endpoint is
	// configured (empty: voice/openai's defaults).
	OpenAIChatModel   string
	OpenAISTTModel    string
	OpenAITTSModel    string
	OpenAITTSVoice    string
	OpenAISTTLanguage string

	// PublicURL is the address Twilio uses to reach the api: webhook
	// signatures are computed over it, never over the Host header.
	PublicURL string
	HTTPAddr  string

	JWTSecret       string
	JWTJWKSURL      string
	JWTPublicKeyPEM string // path to a PEM file
	JWTIssuer       string
	JWTAudience     string
	MasterKey       string
	// LinkSecret signs the expiring /d/<token> links of follow-up SMS
	// (HMAC-SHA256). Without it the worker sends no follow-ups and the api
	// serves no links.
	LinkSecret string
	// TwilioBaseURL replaces https://api.twilio.com for outbound REST calls
	// (a local fake); empty in production.
	TwilioBaseURL string
}

// Defaults used by `frontdesk dev` and the tests. The Twilio token is a
// public development value: `frontdesk dev` and `frontdesk call demo` sign
// with it; a production deployment must set its own.
const (
	DefaultDatabaseURL      = "postgres://frontdesk_app@127.0.0.1:5432/frontdesk?sslmode=disable"
	DefaultDatabaseAdminURL = "postgres://postgres@127.0.0.1:5432/frontdesk?sslmode=disable"
	DefaultTemporalAddress  = "127.0.0.1:7233"
	DefaultTemporalUIURL    = "http://127.0.0.1:8233"
	DefaultHTTPAddr         = "127.0.0.1:8080"
	DevTwilioAccountSID     = "AC00000000000000000000000000000000"
	DevTwilioAuthToken      = "frontdesk-dev-twilio-auth-token"
	// DevJWTSecret signs staff tokens under `frontdesk dev` (`frontdesk token`).
	DevJWTSecret = "frontdesk-dev-jwt-secret-not-for-production"
	// DevLinkSecret signs follow-up links under `frontdesk dev`.
	DevLinkSecret = "frontdesk-dev-link-secret-not-for-production"
)

// FromEnv reads the configuration, filling defaults for what is unset.
func FromEnv() Config {
	c := Config{
		Env:               getenv("FRONTDESK_ENV", EnvDevelopment),
		DatabaseAPIURL:    os.Getenv("DATABASE_API_URL"),
		DatabaseWorkerURL: os.Getenv("DATABASE_WORKER_URL"),
		DatabaseURL:       getenv("DATABASE_URL", DefaultDatabaseURL),
		TemporalAddress:   getenv("TEMPORAL_ADDRESS", DefaultTemporalAddress),
		TemporalNamespace: getenv("TEMPORAL_NAMESPACE", "default"),
		Temporal:          temporalSecurityFromEnv(),
		TemporalUIURL:     getenv("TEMPORAL_UI_URL", DefaultTemporalUIURL),
		TwilioAccountSID:  os.Getenv("TWILIO_ACCOUNT_SID"),
		TwilioAuthToken:   os.Getenv("TWILIO_AUTH_TOKEN"),
		TwilioFromNumber:  os.Getenv("TWILIO_FROM_NUMBER"),
		OpenAIAPIKey:      os.Getenv("OPENAI_API_KEY"),
		OpenAIBaseURL:     os.Getenv("OPENAI_BASE_URL"),
		OpenAIChatModel:   os.Getenv("OPENAI_CHAT_MODEL"),
		OpenAISTTModel:    os.Getenv("OPENAI_STT_MODEL"),
		OpenAITTSModel:    os.Getenv("OPENAI_TTS_MODEL"),
		OpenAITTSVoice:    os.Getenv("OPENAI_TTS_VOICE"),
		OpenAISTTLanguage: getenv("OPENAI_STT_LANGUAGE", "en"),
		HTTPAddr:          getenv("FRONTDESK_HTTP_ADDR", DefaultHTTPAddr),
		JWTSecret:         os.Getenv("FRONTDESK_JWT_SECRET"),
		JWTJWKSURL:        os.Getenv("FRONTDESK_JWKS_URL"),
		JWTPublicKeyPEM:   os.Getenv("FRONTDESK_JWT_PUBLIC_KEY"),
		JWTIssuer:         getenv("FRONTDESK_JWT_ISSUER", "frontdesk"),
		JWTAudience:       getenv("FRONTDESK_JWT_AUDIENCE", "frontdesk-api"),
		MasterKey:         os.Getenv("FRONTDESK_MASTER_KEY"),
		LinkSecret:        os.Getenv("FRONTDESK_LINK_SECRET"),
		TwilioBaseURL:     os.Getenv("TWILIO_API_BASE_URL"),
	}
	c.DatabaseAdminURL = getenv("DATABASE_ADMIN_URL", c.DatabaseURL)
	c.PublicURL = strings.TrimRight(getenv("FRONTDESK_PUBLIC_URL", "http://"+c.HTTPAddr), "/")
	return c
}

// ValidateAPI reports the settings the api cannot run without.
func (c Config) ValidateAPI() error {
	if c.TwilioAuthToken == "" {
		return fmt.Errorf("TWILIO_AUTH_TOKEN is not set: webhooks cannot be verified (frontdesk dev sets a development token)")
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("FRONTDESK_PUBLIC_URL %q is not an absolute http(s) URL", c.PublicURL)
	}
	return nil
}

// UsesOpenAI reports whether the voice path talks to an OpenAI-compatible
// endpoint (OpenAI itself, or a local server) rather than the embedded
// offline default.
func (c Config) UsesOpenAI() bool { return c.OpenAIAPIKey != "" || c.OpenAIBaseURL != "" }

// MediaStreamURL is the WebSocket URL Twilio connects the call's audio to.
func (c Config) MediaStreamURL() string {
	u, _ := url.Parse(c.PublicURL)
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/twilio/media"
	return u.String()
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
