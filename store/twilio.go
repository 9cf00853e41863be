package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// SMSKeyword is one inbound STOP- or START-like reply.
type SMSKeyword struct {
	MessageSID string
	Phone      string // E.164; hashed before it is stored
	OptOut     bool
	// SentAt is Twilio's time for the message (its date_created), or the
	// arrival time when no Twilio account is configured.
	SentAt time.Time
}

// Outcomes of ApplySMSKeyword.
const (
	KeywordApplied   = "applied"   // the opt-out now follows this reply
	KeywordDuplicate = "duplicate" // this MessageSid was seen before: a retry or a replay
	KeywordStale     = "stale"     // a newer reply from the number decides
)

// ApplySMSKeyword records a reply once per MessageSid and applies it to
// the org's opt-outs only if it is the newest reply from that number by
// Twilio's time: a replayed or late START cannot undo a later STOP.
func (s *Store) ApplySMSKeyword(ctx context.Context, orgID uuid.UUID, k SMSKeyword) (string, error) {
	hash := smsPhoneHash(orgID, k.Phone)
	idx, err := phoneIndex(ctx, s.index, orgID, k.Phone)
	if err != nil {
		return "", fmt.Errorf("sms keyword: %w", err)
	}
	outcome := KeywordApplied
	err = s.InTenant(ctx, Claims{OrgID: orgID, Sub: "twilio:sms", Role: "service"}, func(tx pgx.Tx) error {
		// Replies from one number to one org queue here, so the newest
		// always decides last.
		if _, err := tx.Exec(ctx, `select pg_advisory_xact_lock(7261004, hashtext($1))`, orgID.String()+hash); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `insert into app.sms_keywords (org_id, message_sid, phone_hash, opted_out, sent_at)
			values ($1, $2, $3, $4, $5) on conflict (org_id, message_sid) do nothing`, orgID, k.MessageSID, hash, k.OptOut, k.SentAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			outcome = KeywordDuplicate
			return nil
		}
		var newer bool
		if err := tx.QueryRow(ctx, `select exists (select from app.sms_keywords where phone_hash = $1
			and (sent_at, message_sid) > ($2, $3))`, hash, k.SentAt, k.MessageSID).Scan(&newer); err != nil {
			return err
		}
		if newer {
			outcome = KeywordStale
			return nil
		}
		return setSMSOptOut(ctx, tx, orgID, k.Phone, idx, k.OptOut)
	})
	if err != nil {
		return "", fmt.Errorf("sms keyword: %w", err)
	}
	return outcome, nil
}

// smsPhoneHash pseudonymises a number within an org for app.sms_keywords.
func smsPhoneHash(orgID uuid.UUID, phone string) string {
	sum := sha256.Sum256([]byte("frontdesk/sms-keyword/v1\x00" + orgID.String() + "\x00" + phone))
	return hex.EncodeToString(sum[:])
}

// CallEnded reports whether the org's app.calls row for callSID says the
// call is over; a call with no row has not ended.
func (s *Store) CallEnded(ctx context.Context, orgID uuid.UUID, callSID string) (bool, error) {
	var ended bool
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select ended_at is not null from app.calls where call_sid = $1`, callSID).Scan(&ended)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return ended, err
}
