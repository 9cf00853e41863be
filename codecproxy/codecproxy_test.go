package codecproxy

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// upstream records what the api's /codec would have received.
type upstream struct {
	*httptest.Server
	auth, path, ns string
	calls          int
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.calls++
		u.auth, u.path, u.ns = r.Header.Get("Authorization"), r.URL.Path, r.Header.Get("X-Namespace")
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		_, _ = io.WriteString(w, `{"payloads":[]}`)
	}))
	t.Cleanup(u.Close)
	return u
}

// serve runs a proxy on a loopback port and returns its address.
func serve(t *testing.T, up *upstream) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p, err := New(Config{Listen: ln.Addr().String(), Upstream: up.URL + "/codec", Token: "ops-token"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.ServeListener(ctx, ln) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })
	return ln.Addr().String()
}

func decode(t *testing.T, addr, host string) (*http.Response, string) {
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/decode", strings.NewReader(`{"payloads":[]}`))
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Authorization", "Bearer someone-elses")
	req.Header.Set("X-Namespace", "default")
	req.Header.Set("Origin", "http://127.0.0.1:8233")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func TestProxyAddsTheOpsTokenAndKeepsThePath(t *testing.T) {
	up := newUpstream(t)
	addr := serve(t, up)
	resp, body := decode(t, addr, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"payloads":[]}`, body)
	require.Equal(t, "Bearer ops-token", up.auth)
	require.Equal(t, "/codec/decode", up.path)
	require.Equal(t, "default", up.ns)
	require.Equal(t, "http://127.0.0.1:8233", resp.Header.Get("Access-Control-Allow-Origin"))
}

// A page on a hostile name that resolves to 127.0.0.1 (DNS rebinding)
// reaches the same socket, but its Host is its own name: refused before the
// token is added or anything is forwarded.
func TestProxyRefusesForeignHosts(t *testing.T) {
	up := newUpstream(t)
	addr := serve(t, up)
	_, port, _ := net.SplitHostPort(addr)
	for _, host := range []string{"evil.example:" + port, "127.0.0.1.nip.io:" + port, "127.0.0.1:1" + port, "127.0.0.1", "localhost"} {
		resp, _ := decode(t, addr, host)
		require.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode, "Host %q", host)
	}
	require.Zero(t, up.calls, "nothing reached the api")
	for _, host := range []string{"localhost:" + port, "LOCALHOST:" + port, "127.0.0.1:" + port} {
		resp, _ := decode(t, addr, host)
		require.Equal(t, http.StatusOK, resp.StatusCode, "Host %q", host)
	}
	require.Equal(t, 3, up.calls)
}

func TestNewRefusesWhatWouldLendTheToken(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token", Config{Listen: DefaultListen, Upstream: "http://127.0.0.1:8080/codec"}, "FRONTDESK_OPS_TOKEN"},
		{"public listener", Config{Listen: "0.0.0.0:8089", Upstream: "http://127.0.0.1:8080/codec", Token: "t"}, "loopback only"},
		{"LAN listener", Config{Listen: "192.0.2.10:8089", Upstream: "http://127.0.0.1:8080/codec", Token: "t"}, "loopback only"},
		{"no port", Config{Listen: "127.0.0.1", Upstream: "http://127.0.0.1:8080/codec", Token: "t"}, "listen address"},
		{"relative upstream", Config{Listen: DefaultListen, Upstream: "/codec", Token: "t"}, "not an absolute"},
		{"odd scheme", Config{Listen: DefaultListen, Upstream: "ftp://x/codec", Token: "t"}, "not an absolute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestUpstreamDownIsABadGateway(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String() + "/codec"
	ln.Close()
	p, err := New(Config{Listen: "127.0.0.1:8089", Upstream: dead, Token: "t"})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8089/decode", strings.NewReader("{}"))
	p.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusBadGateway, rec.Code)
}
