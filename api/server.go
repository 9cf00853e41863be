// Package api is frontdesk's HTTP face: Twilio's webhooks, the /v1 REST API
// for clinic staff, the payload codec endpoint for the Temporal Web UI, and
// health checks. It turns requests into workflow starts, signals and
// queries through starter/.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/workflows"
)

// CallStarter is what the webhooks need from starter.Calls.
type CallStarter interface {
	Start(ctx context.Context, in workflows.CallSessionInput, status workflows.CallStatusSignal) (runID string, err error)
	Status(ctx context.Context, callSID string, status workflows.CallStatusSignal) error
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

// New builds the echo server with every route.
func New(cfg Config, calls CallStarter, clinics ClinicDirectory, ready func(context.Context) error, logger *slog.Logger) *echo.Echo {
	s := &Server{cfg: cfg, calls: calls, clinics: clinics, logger: logger, ready: ready}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.Recover())
	// Logs carry method, path and status only: no query strings or bodies,
	// which is where personal data would be.
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURIPath: true, LogStatus: true, LogLatency: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			logger.Info("http", "method", v.Method, "path", v.URIPath, "status", v.Status, "ms", float64(v.Latency.Microseconds())/1000)
			return nil
		},
	}))
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.readyz)
	tw := e.Group("/twilio", middleware.BodyLimit("64K"))
	tw.POST("/voice", s.voice)
	tw.POST("/status", s.status)
	return e
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
