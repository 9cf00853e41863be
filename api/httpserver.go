package api

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/frontdesk/frontdesk/vault"
)

// Timeouts of the api's HTTP server. Every request must arrive, be
// answered and leave within them; only a handler that declares itself
// long-lived (LongLived) escapes the read and write deadlines.
type Timeouts struct {
	// ReadHeader bounds the request line and headers.
	ReadHeader time.Duration
	// Read bounds the whole request, body included: a body trickled a
	// byte at a time is cut off.
	Read time.Duration
	// Write bounds the time from the end of the request headers to the end
	// of the response.
	Write time.Duration
	// Idle closes keep-alive connections that carry no request.
	Idle time.Duration
}

// DefaultTimeouts fit every route but the media stream, which is LongLived:
// webhooks answer in milliseconds, the biggest /codec batch and a guide PDF
// in well under a second.
var DefaultTimeouts = Timeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 120 * time.Second}

// NewHTTPServer is the api's http.Server on addr with the timeouts t (zero
// fields take DefaultTimeouts').
func NewHTTPServer(addr string, h http.Handler, t Timeouts) *http.Server {
	def := func(v, d time.Duration) time.Duration {
		if v <= 0 {
			return d
		}
		return v
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: def(t.ReadHeader, DefaultTimeouts.ReadHeader),
		ReadTimeout:       def(t.Read, DefaultTimeouts.Read),
		WriteTimeout:      def(t.Write, DefaultTimeouts.Write),
		IdleTimeout:       def(t.Idle, DefaultTimeouts.Idle),
		MaxHeaderBytes:    64 << 10,
	}
}

// LongLived lifts the server's read and write deadlines from one request,
// by design and only where a handler asks: the media stream WebSocket
// (GET /twilio/media) lasts as long as the call. Call it first thing in
// the handler, before the upgrade (http.ResponseController sets the
// connection's deadlines). A WebSocket library that hijacks the
// connection (HTTP/1.1) gets it without deadlines from net/http as well;
// LongLived states the exemption where the route is, and also covers
// streams that are not hijacked (HTTP/2 WebSockets, streamed responses).
// The handler then owns the connection's lifetime: the WebSocket's own
// read deadline per message (its pings) and the call's end. Any other
// route that calls it is a bug.
func LongLived(w http.ResponseWriter) error {
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return err
	}
	return rc.SetWriteDeadline(time.Time{})
}

// Body limits. Twilio's webhooks are a few hundred bytes of form, /v1
// bodies a few ids; /codec carries a history event's payloads, which
// Temporal caps at 2 MiB each.
const (
	DefaultMaxBodyBytes = 64 << 10
	CodecMaxBodyBytes   = vault.DefaultCodecMaxBodyBytes
)

const bodyTooLargeKey = "frontdesk.body_too_large"

// bodyLimit bounds every request body: one declared too large is refused
// at once, and any other is cut off where it passes the limit (413).
func bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit := int64(DefaultMaxBodyBytes)
		if strings.HasPrefix(req.URL.Path, "/codec/") {
			limit = CodecMaxBodyBytes
		}
		if req.ContentLength > limit {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "request body too large")
		}
		if req.Body != nil && req.Body != http.NoBody {
			req.Body = &limitedBody{ReadCloser: http.MaxBytesReader(c.Response(), req.Body, limit), c: c}
		}
		return next(c)
	}
}

type limitedBody struct {
	io.ReadCloser
	c echo.Context
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		b.c.Set(bodyTooLargeKey, true)
	}
	return n, err
}

func bodyTooLarge(c echo.Context) bool {
	v, _ := c.Get(bodyTooLargeKey).(bool)
	return v
}
