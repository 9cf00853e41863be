// Package api is frontdesk's HTTP face: Twilio's webhooks, the /v1 REST API
// for clinic staff, the payload codec endpoint for the Temporal Web UI, and
// health checks. It turns requests into workflow starts, signals and
// queries through starter/.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/frontdesk/frontdesk/store"
)

// CallStarter is what the webhooks need from starter.Calls.
type CallStarter interface {
	Start(ctx context.Context, in contract.CallSessionInput, status contract.CallStatusSignal) (runID string, err error)
	Status(ctx context.Context, callSID string, status contract.CallStatusSignal) error
	// Ended reports a call whose workflow has closed (false for one that
	// never started).
	Ended(ctx context.Context, callSID string) (bool, error)
}

// ClinicDirectory resolves the clinic an incoming call dialled.
type ClinicDirectory interface {
	ClinicForNumber(ctx context.Context, called string) (store.ClinicRef, error)
}

// Config is the api's own configuration.
type Config struct {
	// PublicURL is how Twilio reaches this server; signatures are checked
	// against it, never against the Host header.
	PublicURL       string
	TwilioAuthToken string
	// MediaStreamURL is the wss:// URL of the media stream in the TwiML.
	MediaStreamURL string
	// MessageTimes, when set (a Twilio account is configured), gives
	// Twilio's time of inbound SMS replies; without it, their arrival.
	MessageTimes MessageTimes
}

// Server holds the api's dependencies.
type Server struct {
	cfg     Config
	calls   CallStarter
	clinics ClinicDirectory
	logger  *slog.Logger
	// ready reports whether Temporal and Postgres answer.
	ready func(ctx context.Context) error
}

// Option adds an optional part of the api.
type Option func(e *echo.Echo, logger *slog.Logger)

// WithStaffAPI mounts /v1 for clinic staff, authenticated by auth.
func WithStaffAPI(auth *Authenticator, st StaffStore, states CallStates) Option {
	return func(e *echo.Echo, _ *slog.Logger) {
		g := e.Group("/v1", auth.middleware)
		v1{store: st, states: states}.routes(g)
	}
}

// New builds the echo server with the Twilio webhooks, health checks and
// the optional parts given.
func New(cfg Config, calls CallStarter, clinics ClinicDirectory, ready func(context.Context) error, logger *slog.Logger, opts ...Option) *echo.Echo {
	s := &Server{cfg: cfg, calls: calls, clinics: clinics, logger: logger, ready: ready}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = jsonErrors(logger)
	// Before routing, so that no route, matched or not, reads an unbounded
	// body.
	e.Pre(bodyLimit)
	e.Use(middleware.Recover())
	// Logs carry method, route template and status only: no paths (a /d
	// path is a bearer token), query strings or bodies, which is where
	// personal data would be.
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogStatus: true, LogLatency: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			logger.Info("http", "method", v.Method, "route", routeOf(c), "status", v.Status, "ms", float64(v.Latency.Microseconds())/1000)
			return nil
		},
	}))
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.readyz)
	tw := e.Group("/twilio")
	tw.POST("/voice", s.voice)
	tw.POST("/status", s.status)
	for _, o := range opts {
		o(e, logger)
	}
	return e
}

// jsonErrors answers errors as {"error": "..."}; internal errors are logged
// and answered without their text.
func jsonErrors(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		code, msg := http.StatusInternalServerError, "internal error"
		var he *echo.HTTPError
		switch {
		case bodyTooLarge(c):
			// Whatever the handler made of the cut-off body (a bind error,
			// usually), the answer is that it was too large.
			code, msg = http.StatusRequestEntityTooLarge, "request body too large"
		case errors.As(err, &he):
			code = he.Code
			msg = fmt.Sprint(he.Message)
		default:
			logger.Error("request failed", "route", routeOf(c), "error", err)
		}
		_ = c.JSON(code, map[string]string{"error": msg})
	}
}

// readyz answers anyone, so it says ready or not and nothing else: which
// dependency failed, and how (addresses, error text), goes to the log.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.logger.Warn("not ready", "error", err)
		return c.String(http.StatusServiceUnavailable, "not ready\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// routeOf is the matched route's template (/d/:token, never the token), or
// a fixed word when no route matched, so no raw path reaches a log.
func routeOf(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "(no route)"
}
