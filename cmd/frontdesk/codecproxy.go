package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/frontdesk/frontdesk/config"
)

// runCodec: `codec proxy` lets an ops person decode payloads in the Temporal
// Web UI when the UI has no login to pass a token: it listens on loopback,
// adds the ops bearer token (FRONTDESK_OPS_TOKEN) to each request and
// forwards it to the api's /codec, which still checks the token, audits
// every decode and answers CORS for the UI's origin. The ops person points
// the UI's browser-level Codec Server setting at the proxy; everyone else
// keeps seeing ciphertext.
func runCodec(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "proxy" {
		return errors.New("usage: frontdesk codec proxy [--listen 127.0.0.1:8089] [--upstream URL]")
	}
	cfg := config.FromEnv()
	fs := flag.NewFlagSet("codec proxy", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8089", "loopback address to listen on")
	upstream := fs.String("upstream", cfg.PublicURL+"/codec", "the api's codec endpoint")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	token := strings.TrimSpace(os.Getenv("FRONTDESK_OPS_TOKEN"))
	if token == "" {
		return errors.New("FRONTDESK_OPS_TOKEN is not set: an ops JWT (development: bin/frontdesk token --org A --role ops)")
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %s: the proxy carries your ops token and listens on loopback only", *listen)
	}
	up, err := url.Parse(*upstream)
	if err != nil || up.Scheme == "" || up.Host == "" {
		return fmt.Errorf("--upstream %q is not an absolute URL", *upstream)
	}
	srv := &http.Server{Addr: *listen, Handler: newCodecProxy(up, token), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("codec proxy on http://%s → %s\nIn the Web UI (%s), set the Codec Server endpoint (browser setting) to http://%s\n", *listen, up, cfg.TemporalUIURL, *listen)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

// newCodecProxy forwards /encode and /decode to upstream with the token.
func newCodecProxy(upstream *url.URL, token string) http.Handler {
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(upstream)
			r.Out.Host = upstream.Host
			// Whatever the browser sent, the token is the proxy's.
			r.Out.Header.Set("Authorization", "Bearer "+token)
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			slog.Warn("codec proxy: upstream failed", "path", r.URL.Path, "error", err)
			http.Error(w, "codec upstream unavailable", http.StatusBadGateway)
		},
	}
}
