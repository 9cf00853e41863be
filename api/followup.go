package api

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/store"
)

// FollowUpStore is what the follow-up routes need from store.Store.
type FollowUpStore interface {
	followup.DocumentStore
	RecordCallContact(ctx context.Context, clinic store.ClinicRef, callSID, callerPhone string) error
	UpdateOutboxByMessage(ctx context.Context, orgID uuid.UUID, messageSID, status string, errorCode int) (bool, error)
	ApplySMSKeyword(ctx context.Context, orgID uuid.UUID, k store.SMSKeyword) (string, error)
	ClinicForNumber(ctx context.Context, called string) (store.ClinicRef, error)
}

// MessageTimes tells when Twilio received a message (*followup.TwilioSender):
// inbound STOP and START replies are ordered by it, not by when their
// webhooks arrive.
type MessageTimes interface {
	SentAt(ctx context.Context, messageSID string) (time.Time, error)
}

// contactRecorderKey is where WithFollowUp leaves the caller-number
// recorder for the voice webhook (Options reach the echo instance only).
const contactRecorderKey = "frontdesk.contact_recorder"

type contactRecorder func(ctx context.Context, clinic store.ClinicRef, callSID, callerPhone string) error

// WithFollowUp serves the follow-up's HTTP side: the caller's number is
// stored at the incoming-call webhook; GET /d/<token> serves the guide
// PDF; POST /twilio/sms-status applies message status callbacks to the
// outbox; POST /twilio/sms keeps the opt-out list from STOP/START replies.
// cfg is the api's Config (for webhook signatures, and MessageTimes).
func WithFollowUp(cfg Config, st FollowUpStore, signer *followup.Signer) Option {
	return func(e *echo.Echo, logger *slog.Logger) {
		f := &followUpRoutes{Server: &Server{cfg: cfg, logger: logger}, store: st, signer: signer, times: cfg.MessageTimes}
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Set(contactRecorderKey, contactRecorder(st.RecordCallContact))
				return next(c)
			}
		})
		e.GET("/d/:token", f.document)
		tw := e.Group("/twilio")
		tw.POST("/sms-status", f.smsStatus)
		tw.POST("/sms", f.inboundSMS)
	}
}

type followUpRoutes struct {
	*Server
	store  FollowUpStore
	signer *followup.Signer
	times  MessageTimes
}

// recordCaller stores the caller's number for a later follow-up. A failure
// costs only the follow-up, never the call, so it is logged (without the
// number) and the call goes on.
func (s *Server) recordCaller(c echo.Context, clinic store.ClinicRef, callSID, from string) {
	rec, ok := c.Get(contactRecorderKey).(contactRecorder)
	if !ok {
		return
	}
	if !e164Pattern.MatchString(from) {
		// Withheld or non-E.164 caller ids ("anonymous"): no follow-up possible.
		s.logger.Info("caller number unavailable: no follow-up possible", "call_sid", callSID)
		return
	}
	if err := rec(c.Request().Context(), clinic, callSID, from); err != nil {
		s.logger.Error("storing the caller's number failed", "call_sid", callSID, "error", err)
	}
}

// document serves a guide PDF to whoever holds a valid link.
func (f *followUpRoutes) document(c echo.Context) error {
	link, err := f.signer.Verify(c.Param("token"), followup.PurposeGuide)
	switch {
	case errors.Is(err, followup.ErrLinkExpired):
		return c.String(http.StatusGone, "this link has expired: please call the clinic for a new one\n")
	case err != nil:
		return c.String(http.StatusNotFound, "not found\n")
	}
	if link.Version < 1 || link.Version > math.MaxInt32 {
		// Signed, but no document version is numbered so (the column is a
		// 32-bit int): not found, not a database error.
		return c.String(http.StatusNotFound, "not found\n")
	}
	claims := store.Claims{OrgID: link.OrgID, Sub: "link:guide", Role: "service"}
	pdf, err := followup.Document(c.Request().Context(), f.store, claims, link.ProcedureID, link.Version)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, followup.ErrStaleVersion) {
		return c.String(http.StatusNotFound, "not found\n")
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	// A generic file name: the procedure's name is health data.
	h.Set("Content-Disposition", `inline; filename="preparation-guide.pdf"`)
	// The URL is a bearer token: keep it out of shared caches and referrers.
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}

// smsStatus is the StatusCallback of follow-up messages. The org is in the
// callback URL's query, which the signature covers, so the update runs in
// that tenant only.
func (f *followUpRoutes) smsStatus(c echo.Context) error {
	form, ok, err := f.webhookForm(c)
	if !ok {
		return err
	}
	org, err := uuid.Parse(c.QueryParam("org"))
	if err != nil {
		return f.refuse(c, http.StatusBadRequest, "missing or malformed org")
	}
	sid, status := form.Get("MessageSid"), form.Get("MessageStatus")
	if !messageSIDPattern.MatchString(sid) || status == "" {
		return f.refuse(c, http.StatusBadRequest, "missing MessageSid or MessageStatus")
	}
	if !messageStatuses[status] {
		// A status the outbox does not know (Twilio adds some): nothing to
		// record, and nothing for Twilio to retry.
		f.logger.Warn("sms status not recorded", "message_sid", sid, "status", bounded(status, 20))
		return c.NoContent(http.StatusNoContent)
	}
	code, ok := boundedInt(form.Get("ErrorCode"), 1, 99999, true)
	if !ok {
		return f.refuse(c, http.StatusBadRequest, "out-of-range ErrorCode")
	}
	found, err := f.store.UpdateOutboxByMessage(c.Request().Context(), org, sid, status, code)
	if err != nil {
		f.logger.Error("sms status update failed", "message_sid", sid, "error", err)
		return c.String(http.StatusServiceUnavailable, "could not record the status\n")
	}
	if !found {
		// Not ours (or another org's): nothing to retry.
		f.logger.Warn("sms status for an unknown message", "message_sid", sid, "org_id", org)
	} else {
		f.logger.Info("sms status", "message_sid", sid, "status", status, "error_code", code)
	}
	return c.NoContent(http.StatusNoContent)
}

// inboundSMS handles replies to the clinics' numbers: STOP-like keywords
// opt the sender out of the owning clinic's org, START-like ones opt back
// in. Twilio gets empty TwiML (its own opt-out handling answers the
// caller on long codes).
func (f *followUpRoutes) inboundSMS(c echo.Context) error {
	form, ok, err := f.webhookForm(c)
	if !ok {
		return err
	}
	from, to := form.Get("From"), form.Get("To")
	if !e164Pattern.MatchString(from) || !e164Pattern.MatchString(to) {
		return f.refuse(c, http.StatusBadRequest, "missing or malformed From or To")
	}
	sid := form.Get("MessageSid")
	if !messageSIDPattern.MatchString(sid) {
		return f.refuse(c, http.StatusBadRequest, "missing or malformed MessageSid")
	}
	kw := followup.ParseKeyword(form.Get("Body"))
	if kw != followup.KeywordNone {
		ctx := c.Request().Context()
		clinic, err := f.store.ClinicForNumber(ctx, to)
		if errors.Is(err, store.ErrNotFound) {
			return f.refuse(c, http.StatusNotFound, "no clinic answers this number")
		}
		if err != nil {
			f.logger.Error("clinic lookup failed", "message_sid", sid, "error", err)
			return c.String(http.StatusServiceUnavailable, "clinic lookup failed\n")
		}
		sentAt := time.Now()
		if f.times != nil {
			// Twilio's own time orders replies; if Twilio cannot say, the
			// reply waits for Twilio's retry rather than be misordered.
			if sentAt, err = f.times.SentAt(ctx, sid); err != nil {
				f.logger.Error("fetching the message time from Twilio failed", "message_sid", sid, "error", err)
				return c.String(http.StatusServiceUnavailable, "could not order the reply\n")
			}
		}
		outcome, err := f.store.ApplySMSKeyword(ctx, clinic.OrgID, store.SMSKeyword{MessageSID: sid, Phone: from, OptOut: kw == followup.KeywordStop, SentAt: sentAt})
		if err != nil {
			f.logger.Error("recording an sms opt-out failed", "message_sid", sid, "error", err)
			return c.String(http.StatusServiceUnavailable, "could not record the opt-out\n")
		}
		f.logger.Info("sms opt-out reply", "org_id", clinic.OrgID, "opted_out", kw == followup.KeywordStop, "message_sid", sid, "outcome", outcome)
	}
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(emptyTwiML))
}

const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

var messageSIDPattern = regexp.MustCompile(`^(SM|MM)[0-9a-fA-F]{32}$`)

// messageStatuses are the statuses app.sms_outbox records (00004).
var messageStatuses = map[string]bool{"accepted": true, "scheduled": true, "queued": true, "sending": true, "sent": true,
	"delivered": true, "undelivered": true, "failed": true, "receiving": true, "received": true, "read": true, "canceled": true}
