package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/frontdesk/frontdesk/codecproxy"
	"github.com/frontdesk/frontdesk/config"
)

// runCodec: `codec proxy` decodes in the Web UI as ops without SSO
// (package codecproxy).
func runCodec(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "proxy" {
		return errors.New("usage: frontdesk codec proxy [--listen 127.0.0.1:8089] [--upstream URL]")
	}
	cfg := config.FromEnv()
	fs := flag.NewFlagSet("codec proxy", flag.ContinueOnError)
	listen := fs.String("listen", codecproxy.DefaultListen, "loopback address to listen on")
	upstream := fs.String("upstream", cfg.PublicURL+"/codec", "the api's codec endpoint")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	p, err := codecproxy.New(codecproxy.Config{Listen: *listen, Upstream: *upstream, Token: os.Getenv("FRONTDESK_OPS_TOKEN")})
	if err != nil {
		return err
	}
	fmt.Printf("codec proxy on http://%s → %s\nIn the Web UI (%s), set the Codec Server endpoint (browser setting) to http://%s\n", *listen, *upstream, cfg.TemporalUIURL, *listen)
	return p.Serve(ctx)
}
