package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/telemetry"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

func TestMain(m *testing.M) {
	// The services log through slog's default; a test run wants warnings.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	testenv.Main(m)
}

// Twilio's REST API authenticates with the token it signs webhooks with;
// twilio-go wants it alphanumeric.
const (
	testTwilioAccount = "AC0123456789abcdef0123456789abcdef"
	testTwilioToken   = "cmdtestauthtoken"
)

// system is what `frontdesk dev` runs in one process (worker and api on
// one telemetry), wired by the same functions, on the tests' Temporal dev
// server, a fresh demo database and the Twilio fake.
type system struct {
	url    string
	svc    *services
	tel    *telemetry.Telemetry
	spans  *tracetest.InMemoryExporter
	twilio *twiliofake.Server
	caller demo.Caller
}

func startSystem(t *testing.T) *system {
	t.Helper()
	return startSystemWith(t, systemOptions{})
}

// systemOptions place a system: by default on the tests' shared dev server
// and a free loopback port.
type systemOptions struct {
	temporalAddress string
	uiURL           string
	listener        net.Listener
	// openAIBaseURL, when set, is OPENAI_BASE_URL: the voice path's
	// providers are that endpoint's instead of the embedded ones.
	openAIBaseURL string
}

func startSystemWith(t *testing.T, o systemOptions) *system {
	t.Helper()
	t.Setenv(vault.EnvMasterKey, testenv.TestMasterKeyHex)
	t.Setenv(vault.EnvMasterKeyFile, "")
	t.Setenv(telemetry.EnvMetricsAddr, "")
	db, _ := testenv.DemoStore(t)
	fake := twiliofake.New(testTwilioAccount, testTwilioToken)
	t.Cleanup(fake.Close)
	ln := o.listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
	}
	if o.temporalAddress == "" {
		o.temporalAddress = testenv.Temporal(t)
	}
	if o.uiURL == "" {
		o.uiURL = "http://127.0.0.1:8233"
	}
	publicURL := "http://" + ln.Addr().String()
	cfg := config.Config{
		DatabaseURL: db.AppURL, DatabaseAdminURL: db.AdminURL,
		TemporalAddress: o.temporalAddress, TemporalNamespace: "default", TemporalUIURL: o.uiURL,
		TwilioAccountSID: testTwilioAccount, TwilioAuthToken: testTwilioToken, TwilioFromNumber: "+15005550006", TwilioBaseURL: fake.URL,
		PublicURL: publicURL, HTTPAddr: ln.Addr().String(),
		JWTSecret: config.DevJWTSecret, JWTIssuer: "frontdesk", JWTAudience: "frontdesk-api",
		LinkSecret:    config.DevLinkSecret,
		OpenAIBaseURL: o.openAIBaseURL,
	}
	spans := tracetest.NewInMemoryExporter()
	tel, err := telemetry.New(context.Background(), telemetry.Options{Service: "frontdesk-dev", SpanExporter: spans, Getenv: func(string) string { return "" }})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := openServices(ctx, cfg, tel)
	require.NoError(t, err)
	done := make(chan error, 2)
	go func() { done <- s.serveWorker(ctx) }()
	go func() { done <- s.serveAPI(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		for range 2 {
			require.NoError(t, <-done)
		}
		s.Close()
		_ = tel.Shutdown(context.Background())
	})
	waitHealthy(t, publicURL)
	sys := &system{url: publicURL, svc: s, tel: tel, spans: spans, twilio: fake}
	sys.caller = demo.Caller{
		Twilio:   demo.Twilio{PublicURL: publicURL, AuthToken: testTwilioToken, AccountSID: testTwilioAccount},
		Temporal: s.temporal, Store: s.store,
		Turns: &starter.Turns{Calls: starter.Calls{Client: s.temporal}, Vault: s.privacy.vault},
		Pause: 10 * time.Millisecond,
	}
	return sys
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 50*time.Millisecond, "%s/readyz", base)
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}
