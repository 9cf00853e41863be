// Package codecproxy lets an ops person decode payloads in the Temporal Web
// UI when the UI has no login to pass a token: it listens on loopback, adds
// the ops bearer token to each request and forwards it to the api's /codec,
// which still checks the token, audits every decode and answers CORS for the
// UI's origin. The ops person points the UI's browser-level Codec Server
// setting at the proxy; everyone else keeps seeing ciphertext.
//
// Because the proxy holds a token, any page the browser opens could try to
// reach it. CORS keeps other origins from reading answers, and the Host
// check keeps DNS rebinding out: a hostile name that resolves to 127.0.0.1
// still arrives with its own name in Host, and is refused.
package codecproxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"
)

// DefaultListen is where the proxy listens unless told otherwise.
const DefaultListen = "127.0.0.1:8089"

// Config configures a proxy.
type Config struct {
	// Listen is a loopback host:port; anything else is refused, since the
	// proxy lends its token to whoever reaches it.
	Listen string
	// Upstream is the api's codec endpoint, e.g. http://127.0.0.1:8080/codec.
	Upstream string
	// Token is the ops JWT added to every request.
	Token string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Proxy is a configured codec proxy.
type Proxy struct {
	listen   string
	upstream *url.URL
	handler  http.Handler
}

// New checks cfg and builds the proxy.
func New(cfg Config) (*Proxy, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("no ops token: set FRONTDESK_OPS_TOKEN to an ops JWT (development: bin/frontdesk token --org A --role ops)")
	}
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", cfg.Listen, err)
	}
	if !isLoopback(host) {
		return nil, fmt.Errorf("listen address %s: the proxy carries your ops token and listens on loopback only", cfg.Listen)
	}
	up, err := url.Parse(cfg.Upstream)
	if err != nil || (up.Scheme != "http" && up.Scheme != "https") || up.Host == "" {
		return nil, fmt.Errorf("upstream %q is not an absolute http(s) URL", cfg.Upstream)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	h := HostCheck(AllowedHosts(port), forward(up, strings.TrimSpace(cfg.Token), logger))
	return &Proxy{listen: cfg.Listen, upstream: up, handler: h}, nil
}

// Handler is the proxy's HTTP handler (Host check, then forwarding).
func (p *Proxy) Handler() http.Handler { return p.handler }

// Serve listens on the configured address until ctx ends, then shuts down.
func (p *Proxy) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", p.listen)
	if err != nil {
		return err
	}
	return p.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx ends.
func (p *Proxy) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: p.handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

// AllowedHosts are the Host values a loopback listener on port is reached
// by from this machine's browser.
func AllowedHosts(port string) []string {
	return []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}
}

// HostCheck answers 421 Misdirected Request to any request whose Host is
// not one of allowed (compared without case), before next sees it.
func HostCheck(allowed []string, next http.Handler) http.Handler {
	ok := make(map[string]bool, len(allowed))
	for _, h := range allowed {
		ok[strings.ToLower(h)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ok[strings.ToLower(r.Host)] {
			http.Error(w, "unexpected Host: the codec proxy answers only to its own loopback address", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// forward sends /encode and /decode to upstream with the token.
func forward(upstream *url.URL, token string, logger *slog.Logger) http.Handler {
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(upstream)
			r.Out.Host = upstream.Host
			// Whatever the browser sent, the token is the proxy's.
			r.Out.Header.Set("Authorization", "Bearer "+token)
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			logger.Warn("codec proxy: upstream failed", "path", r.URL.Path, "error", err)
			http.Error(w, "codec upstream unavailable", http.StatusBadGateway)
		},
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
