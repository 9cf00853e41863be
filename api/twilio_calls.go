package api

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/twiml"

	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/voice"
)

var (
	callSIDPattern = regexp.MustCompile(`^CA[0-9a-fA-F]{32}$`)
	e164Pattern    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// voice is Twilio's incoming-call webhook: start (or reach) the call's
// workflow and connect the call's audio to the media stream.
func (s *Server) voice(c echo.Context) error {
	form, ok, err := s.webhookForm(c)
	if !ok {
		return err
	}
	callSID, to := form.Get("CallSid"), form.Get("To")
	if !callSIDPattern.MatchString(callSID) {
		return s.refuse(c, http.StatusBadRequest, "missing or malformed CallSid")
	}
	if !e164Pattern.MatchString(to) {
		return s.refuse(c, http.StatusBadRequest, "missing or malformed To number")
	}
	ctx := c.Request().Context()
	clinic, err := s.clinics.ClinicForNumber(ctx, to)
	if errors.Is(err, store.ErrNotFound) {
		return s.refuse(c, http.StatusNotFound, "no clinic answers this number")
	}
	if err != nil {
		s.logger.Error("clinic lookup failed", "call_sid", callSID, "error", err)
		return c.String(http.StatusServiceUnavailable, "clinic lookup failed\n")
	}
	// Stored before the workflow starts, so a follow-up always finds it.
	s.recordCaller(c, clinic, callSID, form.Get("From"))
	in := contract.CallSessionInput{CallSID: callSID, ClinicID: clinic.ClinicID.String(), OrgID: clinic.OrgID.String()}
	status := contract.CallStatusSignal{CallStatus: statusOr(form.Get("CallStatus"), "ringing"), SequenceNumber: -1}
	if _, err := s.calls.Start(ctx, in, status); err != nil {
		s.logger.Error("starting the call workflow failed", "call_sid", callSID, "error", err)
		return c.String(http.StatusServiceUnavailable, "could not start the call\n")
	}
	s.logger.Info("call started", "call_sid", callSID, "clinic_id", in.ClinicID)
	doc, err := s.connectTwiML(callSID, in.ClinicID, false)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(doc))
}

// status is Twilio's status callback: deliver it to the call's workflow,
// which orders callbacks by SequenceNumber.
func (s *Server) status(c echo.Context) error {
	form, ok, err := s.webhookForm(c)
	if !ok {
		return err
	}
	callSID := form.Get("CallSid")
	if !callSIDPattern.MatchString(callSID) {
		return s.refuse(c, http.StatusBadRequest, "missing or malformed CallSid")
	}
	status := form.Get("CallStatus")
	if status == "" {
		return s.refuse(c, http.StatusBadRequest, "missing CallStatus")
	}
	seq, err := strconv.Atoi(form.Get("SequenceNumber"))
	if err != nil || seq < 0 {
		return s.refuse(c, http.StatusBadRequest, "missing or malformed SequenceNumber")
	}
	duration, _ := strconv.Atoi(form.Get("CallDuration"))
	sig := contract.CallStatusSignal{CallStatus: status, SequenceNumber: seq, Timestamp: form.Get("Timestamp"), CallDuration: duration}
	err = s.calls.Status(c.Request().Context(), callSID, sig)
	switch {
	case errors.Is(err, starter.ErrCallEnded):
		// A repeat of a callback after the call ended: nothing to do, and
		// Twilio must not retry.
		return c.NoContent(http.StatusNoContent)
	case errors.Is(err, starter.ErrCallNotFound):
		return s.refuse(c, http.StatusNotFound, "unknown call")
	case err != nil:
		s.logger.Error("delivering the status callback failed", "call_sid", callSID, "error", err)
		return c.String(http.StatusServiceUnavailable, "could not deliver the status\n")
	}
	return c.NoContent(http.StatusNoContent)
}

func statusOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// connectTwiML connects the call's audio to the media stream. When the
// stream closes (goodbye, transfer, a broken socket, a hand-over), Twilio
// asks the action what comes next. The <Parameter>s are logged by Twilio:
// ids only, never personal data.
func (s *Server) connectTwiML(callSID, clinicID string, resume bool) (string, error) {
	params := []twiml.Element{
		&twiml.VoiceParameter{Name: "call_sid", Value: callSID},
		&twiml.VoiceParameter{Name: "clinic_id", Value: clinicID},
	}
	if resume {
		params = append(params, &twiml.VoiceParameter{Name: voice.ResumeParameter, Value: "1"})
	}
	return twiml.Voice([]twiml.Element{
		&twiml.VoiceConnect{Action: s.cfg.PublicURL + AfterStreamPath, InnerElements: []twiml.Element{
			&twiml.VoiceStream{Url: s.cfg.MediaStreamURL, InnerElements: params},
		}},
	})
}
