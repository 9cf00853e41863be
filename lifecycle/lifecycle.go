// Package lifecycle runs frontdesk's long-lived parts (the api's HTTP
// server, the Temporal worker, a metrics listener) until the process is
// told to stop, and stops them the way a rolling deploy needs: take no new
// work, finish what is in flight, within a bound.
//
// SIGTERM (or Ctrl-C) cancels the context main gives every part. Then:
//   - the HTTP server stops accepting connections, turns keep-alives off,
//     and lets in-flight requests finish (http.Server.Shutdown);
//   - long-lived streams registered with Streams (the media WebSocket,
//     which Shutdown neither waits for nor closes, because it is hijacked)
//     are told to drain: finish the exchange in hand, hand the caller over,
//     and end; whatever is still open when the grace period ends is told
//     to close at once, and the server returns;
//   - the worker stops polling and lets running activities finish for its
//     stop timeout (worker.StopTimeout), after which their contexts are
//     cancelled; workflow tasks it held go back to Temporal, and another
//     worker replica picks them up.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	sdkworker "go.temporal.io/sdk/worker"
)

// DefaultGrace bounds how long the HTTP server drains: under Kubernetes'
// default 30 s termination grace period, with room for the process to exit.
const DefaultGrace = 25 * time.Second

// HTTP is a server to run until its context ends.
type HTTP struct {
	Server *http.Server
	// Streams, when set, are drained with the server.
	Streams *Streams
	// Grace bounds the drain (DefaultGrace when zero).
	Grace  time.Duration
	Logger *slog.Logger
	// OnDrain runs when the drain begins, before the listener closes: the
	// place to make /readyz answer 503 so a load balancer stops sending.
	OnDrain func()
}

// Serve serves on ln until ctx ends or the server fails, then drains. It
// returns nil after a clean drain, and an error when the server failed or
// the grace period ran out with requests still in flight.
func (h *HTTP) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- h.Server.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	return h.drain(errc)
}

// ListenAndServe listens on the server's Addr, then Serve.
func (h *HTTP) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", h.Server.Addr)
	if err != nil {
		return err
	}
	return h.Serve(ctx, ln)
}

func (h *HTTP) drain(errc <-chan error) error {
	grace := h.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	logger := h.Logger
	if logger == nil {
		logger = slog.Default()
	}
	start := time.Now()
	if h.OnDrain != nil {
		h.OnDrain()
	}
	deadline, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	h.Server.SetKeepAlivesEnabled(false)
	streamsDone := make(chan error, 1)
	go func() {
		if h.Streams == nil {
			streamsDone <- nil
			return
		}
		streamsDone <- h.Streams.Drain(deadline)
	}()
	err := h.Server.Shutdown(deadline)
	if serr := <-streamsDone; err == nil {
		err = serr
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// Grace is over: close what is left rather than hang the deploy.
		_ = h.Server.Close()
		logger.Warn("http drain: grace period over, closed what was still open", "grace", grace,
			"streams_open", h.Streams.Len())
		<-errc
		return fmt.Errorf("drain: still busy after %s", grace)
	}
	if serveErr := <-errc; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	logger.Info("http drained", "addr", h.Server.Addr, "ms", time.Since(start).Milliseconds())
	return err
}

// RunWorker runs w until ctx ends or the worker fails. It uses w.Run, so a
// fatal worker error (the namespace gone, the server refusing the worker)
// is returned, and the process exits instead of living on without polling.
// On ctx's end the worker stops polling and drains for its stop timeout.
func RunWorker(ctx context.Context, w sdkworker.Worker) error {
	interrupt := make(chan any)
	defer context.AfterFunc(ctx, func() { close(interrupt) })()
	if err := w.Run(interrupt); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	return nil
}
