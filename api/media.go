package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	twclient "github.com/twilio/twilio-go/client"
	"github.com/twilio/twilio-go/twiml"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/lifecycle"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/media"
)

// AfterStreamPath is the <Connect action>: Twilio asks it what to do once
// the media stream has closed (hang up, or dial the clinic's staff).
const AfterStreamPath = "/twilio/after-stream"

// TransferDirectory gives the staff number a call is handed to.
type TransferDirectory interface {
	StaffNumber(ctx context.Context, c store.Claims, clinicID uuid.UUID) (string, error)
}

// VoiceOptions mount the voice path.
type VoiceOptions struct {
	// Voice is the pipeline's configuration (providers, workflow access).
	Voice voice.Config
	// States answers what the call's workflow decided (a transfer).
	States    CallStates
	Transfers TransferDirectory
	// Streams registers every open stream, so shutdown drains them: each
	// hands its call over at a quiet moment (a new stream, on another api)
	// within the grace period.
	Streams *lifecycle.Streams
}

// WithVoice mounts GET /twilio/media, Twilio's bidirectional Media Streams
// WebSocket, and the <Connect action> that follows it.
func WithVoice(cfg Config, opts VoiceOptions) Option {
	return func(e *echo.Echo, logger *slog.Logger) {
		v := &voiceRoutes{Server: &Server{cfg: cfg, logger: logger}, opts: opts}
		e.GET("/twilio/media", v.media)
		e.POST(AfterStreamPath, v.afterStream, middleware.BodyLimit("64K"))
	}
}

type voiceRoutes struct {
	*Server
	opts VoiceOptions
}

// media checks Twilio's signature of the stream URL before anything else:
// a refused upgrade starts nothing. The stream itself is then bound to its
// call by the start message (voice.Serve).
func (v *voiceRoutes) media(c echo.Context) error {
	req := c.Request()
	sig := req.Header.Get(SignatureHeader)
	if sig == "" {
		return v.refuse(c, http.StatusForbidden, "missing Twilio signature")
	}
	validator := twclient.NewRequestValidator(v.cfg.TwilioAuthToken)
	if !validator.Validate(v.cfg.MediaStreamURL, map[string]string{}, sig) {
		return v.refuse(c, http.StatusForbidden, "invalid Twilio signature")
	}
	ctx, draining, done, err := v.opts.Streams.Open(context.Background())
	if err != nil {
		return c.String(http.StatusServiceUnavailable, "draining\n")
	}
	defer done()
	// A stream lives as long as the call: the server's read and write
	// timeouts, right for requests, must not cut it (exempt by design,
	// on this route only).
	if err := LongLived(c.Response().Writer); err != nil {
		return err
	}
	ws, err := websocket.Accept(c.Response().Writer, req, nil)
	if err != nil {
		v.logger.Warn("media stream upgrade failed", "error", err)
		return nil
	}
	// Messages over media.MaxMessageBytes are refused by the parser and
	// dropped (counted); only one over four times that ends the stream,
	// before it is even buffered.
	ws.SetReadLimit(4 * media.MaxMessageBytes)
	if err := voice.Serve(ctx, v.opts.Voice, wsConn{ws}, draining); err != nil {
		v.logger.Warn("media stream refused", "reason", err.Error())
	}
	return nil
}

// afterStream is the <Connect action>: the stream has closed; hand the
// call to staff if the agent transferred it, else hang up.
func (v *voiceRoutes) afterStream(c echo.Context) error {
	form, ok, err := v.webhookForm(c)
	if !ok {
		return err
	}
	callSID := form.Get("CallSid")
	if !callSIDPattern.MatchString(callSID) {
		return v.refuse(c, http.StatusBadRequest, "missing or malformed CallSid")
	}
	ctx := c.Request().Context()
	hangUp := func() error {
		doc, err := twiml.Voice([]twiml.Element{&twiml.VoiceHangup{}})
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(doc))
	}
	st, err := v.opts.States.State(ctx, callSID)
	if err == nil && !st.Ended && st.Stream == contract.StreamEnded && st.StreamEndReason == contract.StreamShutdown {
		// The api that had the stream is stopping: carry on in a new one.
		doc, err := v.connectTwiML(callSID, st.ClinicID, true)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(doc))
	}
	if err != nil || !st.Transfer {
		return hangUp()
	}
	org, err1 := uuid.Parse(st.OrgID)
	clinic, err2 := uuid.Parse(st.ClinicID)
	if err := errors.Join(err1, err2); err != nil {
		return hangUp()
	}
	number, err := v.opts.Transfers.StaffNumber(ctx, store.CallClaims(org, callSID), clinic)
	if err != nil || number == "" {
		v.logger.Warn("transfer asked but the clinic has no staff number", "call_sid", callSID, "clinic_id", st.ClinicID)
		return hangUp()
	}
	doc, err := twiml.Voice([]twiml.Element{
		&twiml.VoiceSay{Message: "Connecting you now."},
		&twiml.VoiceDial{InnerElements: []twiml.Element{&twiml.VoiceNumber{PhoneNumber: number}}},
	})
	if err != nil {
		return err
	}
	v.logger.Info("call handed to staff", "call_sid", callSID, "clinic_id", st.ClinicID, "outcome", contract.OutcomeTransferred)
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(doc))
}

// wsConn adapts a coder/websocket connection to voice.Conn.
type wsConn struct{ c *websocket.Conn }

func (w wsConn) Read(ctx context.Context) ([]byte, error) {
	typ, b, err := w.c.Read(ctx)
	if err != nil {
		return nil, err
	}
	if typ != websocket.MessageText {
		// Twilio sends JSON text; a binary frame is malformed, not fatal.
		return []byte{}, nil
	}
	return b, nil
}

func (w wsConn) Write(ctx context.Context, msg []byte) error {
	return w.c.Write(ctx, websocket.MessageText, msg)
}

func (w wsConn) Close(normal bool, reason string) error {
	code := websocket.StatusNormalClosure
	if !normal {
		code = websocket.StatusPolicyViolation
	}
	return w.c.Close(code, reason)
}
