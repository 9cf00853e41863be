package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/codecproxy"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// artifactsDir is where the browser test keeps its screenshots:
// $FRONTDESK_TEST_ARTIFACTS/webui (make test sets it to .test-artifacts),
// else a fresh temporary directory. The test logs it either way.
func artifactsDir(t *testing.T) string {
	t.Helper()
	base := os.Getenv("FRONTDESK_TEST_ARTIFACTS")
	if base == "" {
		var err error
		base, err = os.MkdirTemp("", "frontdesk-test-artifacts-")
		require.NoError(t, err)
	}
	dir := filepath.Join(base, "webui")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	t.Logf("screenshots in %s", dir)
	return dir
}

// chromium finds Debian's Chromium (make test installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on PATH: `make test` installs it (scripts/ensure-tools.sh), or apt-get install chromium")
	return ""
}

// browser starts a headless Chromium with a fresh profile and no outside
// traffic of its own.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	return ctx
}

// opsToken mints an ops token of the demo org A, as `frontdesk token
// --org A --role ops` does.
func opsToken(t *testing.T) string {
	t.Helper()
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, api.StaffClaims{
		OrgID: store.DemoOrgA.String(), Role: "ops",
		RegisteredClaims: jwt.RegisteredClaims{Subject: "ops-browser-test", Issuer: "frontdesk", Audience: jwt.ClaimStrings{"frontdesk-api"},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))},
	}).SignedString([]byte(config.DevJWTSecret))
	require.NoError(t, err)
	return tok
}

// encryptedMarker is how the Web UI shows a payload it could not decode:
// its metadata, base64, with encoding "binary/encrypted".
var encryptedMarker = base64.StdEncoding.EncodeToString([]byte(vault.MetadataEncodingEncrypted))

func freePort(t *testing.T) string {
	t.Helper()
	_, port, err := net.SplitHostPort(freeAddr(t))
	require.NoError(t, err)
	return port
}

// waitText polls the page until its text contains want.
func waitText(want string, within time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(within)
		for {
			text, err := chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`)(ctx, t)
			if err == nil && strings.Contains(text, want) {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("page never showed %q within %s", want, within)
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
}

func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	require.NoError(t, err)
	return text
}

// visit opens u (or, when u is empty, stays), waits up to a minute for
// want, and keeps a screenshot and the page's text as NAME.png and
// NAME.txt whether or not want appeared. A page it opens is loaded again
// every 15 seconds: the Web UI can answer one request with its 500 page
// while its server is busy (seen once on a loaded CI machine), and a page
// that shows an error never updates itself.
func visit(t *testing.T, ctx context.Context, artifacts, name, u, want string) string {
	t.Helper()
	var err error
	if u == "" {
		err = chromedp.Do(ctx, waitText(want, time.Minute))
	} else {
		for deadline := time.Now().Add(time.Minute); ; {
			err = chromedp.Do(ctx, chromedp.Navigate(u), waitText(want, 15*time.Second))
			if err == nil || time.Now().After(deadline) {
				break
			}
		}
	}
	text := pageText(t, ctx)
	require.NoError(t, os.WriteFile(filepath.Join(artifacts, name+".txt"), []byte(text), 0o644))
	screenshot(t, ctx, filepath.Join(artifacts, name+".png"))
	require.NoError(t, err, "%s: see %s", name, filepath.Join(artifacts, name+".png"))
	return text
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, png, 0o644))
}

// The Temporal Web UI is the ops console: a finished demo call is found by
// its search attributes; without ops credentials its input stays encoded;
// with them (the Web UI's Codec Server setting pointed at `frontdesk codec
// proxy`, which holds an ops token) it is decoded through /codec.
func TestWebUIConsoleFindsAndDecodesADemoCall(t *testing.T) {
	artifacts := artifactsDir(t)
	ctx := browser(t)

	// The dev server with its Web UI, whose codec endpoint is the api's
	// /codec, as `make dev` starts it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	apiURL := "http://" + ln.Addr().String()
	uiPort := freePort(t)
	uiURL := "http://127.0.0.1:" + uiPort
	bin, err := devenv.TemporalBinary()
	require.NoError(t, err)
	dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dev, err := testsuite.StartDevServer(dctx, testsuite.DevServerOptions{
		ExistingPath: bin, EnableUI: true, UIPort: uiPort, LogLevel: "error",
		ClientOptions: &client.Options{Logger: tlog.NewStructuredLogger(testenv.Logger(t))},
		ExtraArgs:     append(append(devenv.SearchAttributeFlags(), devenv.EagerActivityFlags()...), "--ui-codec-endpoint", apiURL+"/codec"),
		Stdout:        io.Discard, Stderr: io.Discard,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = dev.Stop() })
	sys := startSystemWith(t, systemOptions{temporalAddress: dev.FrontendHostPort(), uiURL: uiURL, listener: ln})

	call, err := sys.caller.Call(context.Background(), demo.Options{Clinic: "A"})
	require.NoError(t, err)
	require.Equal(t, "booked", call.State.Outcome)

	// Found by its search attributes, as a saved view would.
	query := fmt.Sprintf(`ClinicId = %q AND CallStatus = "completed" AND Outcome = "booked" AND BookingConfirmed = true`, store.DemoClinicA)
	visit(t, ctx, artifacts, "1-search", uiURL+"/namespaces/default/workflows?query="+url.QueryEscape(query), call.WorkflowID)
	// A query for another clinic does not list it.
	other := visit(t, ctx, artifacts, "1-other-clinic", uiURL+"/namespaces/default/workflows?query="+url.QueryEscape(fmt.Sprintf(`ClinicId = %q`, store.DemoClinicB)), "No Results")
	require.NotContains(t, other, call.WorkflowID)

	// Without ops credentials: the UI asks /codec, which refuses, and shows
	// the payloads as they are stored.
	history := uiURL + "/namespaces/default/workflows/" + call.WorkflowID
	anonymous := visit(t, ctx, artifacts, "2-call-anonymous", history, encryptedMarker)
	require.Contains(t, anonymous, "Codec Server could not connect")
	require.NotContains(t, anonymous, store.DemoOrgA.String(), "the input's org id is encrypted")

	// With them: the codec proxy holds an ops token; the ops person points
	// the UI's browser-level Codec Server setting at it.
	proxyLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	proxy, err := codecproxy.New(codecproxy.Config{Listen: proxyLn.Addr().String(), Upstream: apiURL + "/codec", Token: opsToken(t)})
	require.NoError(t, err)
	pctx, pcancel := context.WithCancel(context.Background())
	go func() { _ = proxy.ServeListener(pctx, proxyLn) }()
	t.Cleanup(pcancel)
	setCodec := fmt.Sprintf(`localStorage.setItem("endpoint", JSON.stringify(%q)); localStorage.setItem("overrideRemoteCodecConfiguration", "true")`, "http://"+proxyLn.Addr().String())
	_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](setCodec))
	require.NoError(t, err)
	ops := visit(t, ctx, artifacts, "3-call-ops", history, store.DemoOrgA.String())
	require.Contains(t, ops, call.CallSID)
	require.NotContains(t, ops, encryptedMarker)
	require.NotContains(t, ops, "Codec Server could not connect")
}
