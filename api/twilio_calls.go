package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/twiml"

	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
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
	// Nothing is written for a call that is over: a replayed webhook of an
	// ended (or erased) call would otherwise store the caller's number
	// again before the start is refused.
	if ended, err := s.callEnded(ctx, clinic, callSID); err != nil {
		s.logger.Error("call lookup failed", "call_sid", callSID, "error", err)
		return c.String(http.StatusServiceUnavailable, "call lookup failed\n")
	} else if ended {
		return s.refuse(c, http.StatusConflict, "this call has ended")
	}
	// Stored before the workflow starts, so a follow-up always finds it.
	s.recordCaller(c, clinic, callSID, form.Get("From"))
	in := contract.CallSessionInput{CallSID: callSID, ClinicID: clinic.ClinicID.String(), OrgID: clinic.OrgID.String()}
	// The workflow's payloads are bound to the clinic's org.
	ctx = vault.ContextWithOrg(ctx, in.OrgID)
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
	if !contract.KnownStatus(status) {
		return s.refuse(c, http.StatusBadRequest, "missing or unknown CallStatus")
	}
	// Every number is bounded: a SequenceNumber beyond any real call's would
	// fence off every later callback (the workflow ignores those too).
	seq, ok := boundedInt(form.Get("SequenceNumber"), 0, contract.MaxSequenceNumber, false)
	if !ok {
		return s.refuse(c, http.StatusBadRequest, "missing or out-of-range SequenceNumber")
	}
	duration, ok := boundedInt(form.Get("CallDuration"), 0, maxCallDurationSecs, true)
	if !ok {
		return s.refuse(c, http.StatusBadRequest, "out-of-range CallDuration")
	}
	ts := form.Get("Timestamp")
	if len(ts) > 64 {
		return s.refuse(c, http.StatusBadRequest, "malformed Timestamp")
	}
	sig := contract.CallStatusSignal{CallStatus: status, SequenceNumber: seq, Timestamp: ts, CallDuration: duration}
	ctx := c.Request().Context()
	// The signal is bound to the call's org when the dialled number names
	// it (Twilio sends To with every callback).
	if to := form.Get("To"); e164Pattern.MatchString(to) {
		if clinic, err := s.clinics.ClinicForNumber(ctx, to); err == nil {
			ctx = vault.ContextWithOrg(ctx, clinic.OrgID.String())
		}
	}
	err = s.calls.Status(ctx, callSID, sig)
	if errors.Is(err, vault.ErrOtherOrg) {
		// The dialled number's org is not the one this process saw the
		// call start in; the worker checks the org anyway, so deliver the
		// callback bound to the call's known org rather than not at all.
		err = s.calls.Status(c.Request().Context(), callSID, sig)
	}
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

// maxCallDurationSecs bounds CallDuration: Twilio ends calls at four hours.
const maxCallDurationSecs = int(contract.MaxCallDuration/time.Second) + 3600

// boundedInt parses a decimal field within [min, max]; an empty field is
// 0 when optional.
func boundedInt(v string, min, max int, optional bool) (int, bool) {
	if v == "" {
		return 0, optional
	}
	if len(v) > 10 {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, false
	}
	return n, true
}

// callEnded: the workflow has closed, or Postgres has the call as ended
// (its workflow may be gone after the namespace's retention).
func (s *Server) callEnded(ctx context.Context, clinic store.ClinicRef, callSID string) (bool, error) {
	ended, err := s.calls.Ended(ctx, callSID)
	if err != nil || ended {
		return ended, err
	}
	if db, ok := s.clinics.(callLedger); ok {
		return db.CallEnded(ctx, clinic.OrgID, callSID)
	}
	return false, nil
}

// callLedger is the part of *store.Store that knows ended calls.
type callLedger interface {
	CallEnded(ctx context.Context, orgID uuid.UUID, callSID string) (bool, error)
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
