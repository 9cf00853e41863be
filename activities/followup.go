package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/store"
)

// SMSSender is what the follow-up needs of Twilio (followup.TwilioSender).
type SMSSender interface {
	Send(ctx context.Context, m followup.Message) (followup.Sent, error)
	// Find looks for m among Twilio's recent messages created since then.
	Find(ctx context.Context, m followup.Message, since time.Time) (followup.Sent, bool, error)
}

// FollowUpDeps are the follow-up activities' dependencies beyond the store.
type FollowUpDeps struct {
	// Sender is nil when no Twilio account is configured: messages then end
	// in the outbox as `logged`, through the same code path.
	Sender SMSSender
	// From is TWILIO_FROM_NUMBER.
	From   string
	Signer *followup.Signer
	// PublicURL is where the api serves /d/<token> and receives status
	// callbacks.
	PublicURL string
	// LinkTTL is how long the guide link works (default 7 days).
	LinkTTL time.Duration
	Logger  *slog.Logger
	// AfterOutboxWrite runs between the outbox write and the call to
	// Twilio: the window a crash test aims at. Nil in production.
	AfterOutboxWrite func(ctx context.Context, callSID string)
}

// FollowUpRequest names the call and the procedure it was about: ids only.
type FollowUpRequest struct {
	OrgID       string `json:"org_id"`
	ClinicID    string `json:"clinic_id"`
	CallSID     string `json:"call_sid"`
	ProcedureID string `json:"procedure_id"`
}

// FollowUpPlan is PrepareFollowUp's answer: Skip says why not to send;
// else wait Delay, then SendFollowUp.
type FollowUpPlan struct {
	Skip         string `json:"skip,omitempty"`
	DelaySeconds int    `json:"delay_seconds"`
	Version      int    `json:"version"`
}

// FollowUpSendResult is what became of the message.
type FollowUpSendResult struct {
	// Status is the outbox status (Twilio's, or logged, failed, canceled),
	// or empty when skipped.
	Status     string `json:"status,omitempty"`
	Skip       string `json:"skip,omitempty"`
	MessageSID string `json:"message_sid,omitempty"`
	ErrorCode  int    `json:"error_code,omitempty"`
	OutboxID   string `json:"outbox_id,omitempty"`
}

func (r FollowUpRequest) parse() (org, clinic, proc uuid.UUID, err error) {
	if org, err = uuid.Parse(r.OrgID); err != nil {
		return
	}
	if clinic, err = uuid.Parse(r.ClinicID); err != nil {
		return
	}
	proc, err = uuid.Parse(r.ProcedureID)
	return
}

func badFollowUp(err error) error {
	return temporal.NewNonRetryableApplicationError("follow-up: malformed request", contract.ErrTypeInvalidRequest, err)
}

// PrepareFollowUp decides whether a follow-up may go and when, and renders
// the procedure's PDF (once per version) so the link works the moment the
// SMS arrives.
func (a *Activities) PrepareFollowUp(ctx context.Context, req FollowUpRequest) (FollowUpPlan, error) {
	org, clinic, proc, err := req.parse()
	if err != nil {
		return FollowUpPlan{}, badFollowUp(err)
	}
	c, err := a.Store.FollowUpClinic(ctx, org, req.CallSID, clinic, proc)
	if errors.Is(err, store.ErrNotFound) {
		return FollowUpPlan{Skip: contract.SkipUnknownProcedure}, nil
	}
	if err != nil {
		return FollowUpPlan{}, err
	}
	if c.ProcedureVer == 0 {
		return FollowUpPlan{Skip: contract.SkipUnknownProcedure}, nil
	}
	blocked, err := a.Store.FollowUpBlocker(ctx, org, req.CallSID, proc)
	if err != nil {
		return FollowUpPlan{}, err
	}
	if blocked != "" {
		return FollowUpPlan{Skip: blocked}, nil
	}
	if _, err := followup.Document(ctx, a.Store, store.CallClaims(org, req.CallSID), proc, c.ProcedureVer); err != nil {
		return FollowUpPlan{}, fmt.Errorf("preparation guide: %w", err)
	}
	return FollowUpPlan{DelaySeconds: int(c.Delay / time.Second), Version: c.ProcedureVer}, nil
}

// SendFollowUp sends the follow-up SMS exactly once per call.
//
// The outbox row (unique per call and purpose) is written before Twilio is
// called, so a retry finds it: with a message sid, the first answer is
// returned; pending without one (the worker died between the write and
// Twilio's answer, or Twilio failed), Twilio's recent messages to that
// number are searched for the stored body first, and only if it is not
// there is the message sent. Blockers (a booking, an opt-out) are checked
// again in the same transaction as the write.
func (a *Activities) SendFollowUp(ctx context.Context, req FollowUpRequest) (FollowUpSendResult, error) {
	org, clinic, proc, err := req.parse()
	if err != nil {
		return FollowUpSendResult{}, badFollowUp(err)
	}
	deps := a.FollowUp
	if deps == nil || deps.Signer == nil {
		return FollowUpSendResult{}, temporal.NewNonRetryableApplicationError("follow-up: no link signer configured", contract.ErrTypeFollowUpConfig, nil)
	}
	log := deps.logger().With("call_sid", req.CallSID, "org_id", req.OrgID)
	c, err := a.Store.FollowUpClinic(ctx, org, req.CallSID, clinic, proc)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.ProcedureVer == 0) {
		return FollowUpSendResult{Skip: contract.SkipUnknownProcedure}, nil
	}
	if err != nil {
		return FollowUpSendResult{}, err
	}
	ttl := deps.LinkTTL
	if ttl == 0 {
		ttl = followup.DefaultLinkTTL
	}
	guideURL := deps.PublicURL + "/d/" + deps.Signer.Sign(followup.Link{Purpose: followup.PurposeGuide, OrgID: org,
		ProcedureID: proc, Version: c.ProcedureVer, Expires: time.Now().Add(ttl).Truncate(time.Second)})
	entry := store.OutboxEntry{OrgID: org, ClinicID: clinic, CallSID: req.CallSID, Purpose: store.PurposeFollowUp,
		Body: followup.MessageBody(c.Name, guideURL, c.BookingURL, c.PhoneNumber)}
	if c.MMS {
		entry.MediaURL = guideURL
	}
	claim, err := a.Store.ClaimOutbox(ctx, entry, proc)
	if err != nil {
		return FollowUpSendResult{}, err
	}
	row := claim.Entry
	if !claim.Created && row.ID == uuid.Nil {
		log.Info("follow-up not sent", "reason", claim.Blocked)
		return FollowUpSendResult{Skip: claim.Blocked}, nil
	}
	result := func(e store.OutboxEntry) FollowUpSendResult {
		return FollowUpSendResult{Status: e.Status, MessageSID: e.MessageSID, ErrorCode: e.ErrorCode, OutboxID: e.ID.String()}
	}
	if !claim.Created && (row.Status != store.OutboxPending || row.MessageSID != "") {
		log.Info("follow-up already settled", "outbox_id", row.ID, "status", row.Status)
		return result(row), nil
	}
	msg := followup.Message{To: claim.To, From: deps.From, Body: row.Body, MediaURL: row.MediaURL,
		StatusCallback: deps.PublicURL + "/twilio/sms-status?" + url.Values{"org": {req.OrgID}}.Encode()}
	settle := func(status, sid string, code int) (FollowUpSendResult, error) {
		if err := a.Store.SettleOutbox(ctx, org, req.CallSID, row.ID, status, sid, code); err != nil {
			return FollowUpSendResult{}, err
		}
		row.Status, row.MessageSID, row.ErrorCode = status, sid, code
		return result(row), nil
	}
	if !claim.Created && deps.Sender != nil {
		// An earlier attempt wrote the row and may or may not have reached
		// Twilio: ask Twilio before sending again.
		found, ok, err := deps.Sender.Find(ctx, msg, row.CreatedAt)
		if err != nil {
			return FollowUpSendResult{}, twilioRetry(err)
		}
		if ok {
			log.Info("follow-up found at Twilio after a retry", "outbox_id", row.ID, "message_sid", found.SID)
			return settle(found.Status, found.SID, 0)
		}
	}
	if !claim.Created && claim.Blocked != "" {
		log.Info("follow-up withdrawn before it left", "outbox_id", row.ID, "reason", claim.Blocked)
		res, err := settle("canceled", "", 0)
		res.Skip = claim.Blocked
		return res, err
	}
	if deps.AfterOutboxWrite != nil {
		deps.AfterOutboxWrite(ctx, req.CallSID)
	}
	if deps.Sender == nil {
		// The number is deliberately not in this line.
		log.Info("follow-up SMS logged, not sent: no Twilio account configured", "outbox_id", row.ID, "clinic_id", req.ClinicID)
		return settle(store.OutboxLogged, "", 0)
	}
	sent, err := deps.Sender.Send(ctx, msg)
	if err == nil {
		log.Info("follow-up SMS accepted by Twilio", "outbox_id", row.ID, "message_sid", sent.SID, "attempt", activity.GetInfo(ctx).Attempt)
		return settle(sent.Status, sent.SID, 0)
	}
	var se *followup.SendError
	if errors.As(err, &se) && !se.Retryable() {
		log.Warn("follow-up SMS refused by Twilio", "outbox_id", row.ID, "http_status", se.HTTPStatus, "error_code", se.Code)
		if se.Code == followup.CodeUnsubscribed {
			// Twilio knows the number replied STOP; remember it here too.
			if err := a.Store.SetSMSOptOut(ctx, org, claim.To, true); err != nil {
				return FollowUpSendResult{}, err
			}
		}
		return settle(store.OutboxFailed, "", se.Code)
	}
	log.Warn("follow-up SMS: Twilio unavailable, will retry", "outbox_id", row.ID, "error", err)
	return FollowUpSendResult{}, twilioRetry(err)
}

// twilioRetry turns a retryable Twilio failure into an activity error that
// waits Twilio's Retry-After when it gave one (else the retry policy's
// backoff). A refusal found while searching is retried too: the search must
// succeed before anything is sent again.
func twilioRetry(err error) error {
	var se *followup.SendError
	opts := temporal.ApplicationErrorOptions{}
	if errors.As(err, &se) && se.RetryAfter > 0 {
		opts.NextRetryDelay = se.RetryAfter
	}
	return temporal.NewApplicationErrorWithOptions("follow-up SMS: "+err.Error(), contract.ErrTypeTwilioUnavailable, opts)
}

func (d *FollowUpDeps) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}
