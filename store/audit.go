package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Audit actions. An audit row says who did what to which subject and why,
// with types and counts, never a personal value.
const (
	AuditRoute       = "route"        // a routing decision for one field or turn text
	AuditDecrypt     = "decrypt"      // stored personal data decrypted for someone
	AuditErase       = "erase"        // a patient erased
	AuditKeyRotate   = "key_rotate"   // master or org key rotation
	AuditCodecDecode = "codec_decode" // Temporal payloads decoded through /codec
	AuditCodecDenied = "codec_denied" // a verified token without the ops role tried /codec
)

// AuditEntry is one row to append. Detail must hold no personal value:
// field names, classes, entity types and counts, ids.
type AuditEntry struct {
	Actor   string
	Action  string
	Subject string
	Detail  map[string]any
	Reason  string
}

// AppendAudit appends entries to the org's chain inside tx (a tenant
// transaction of orgID), so the audit rows commit or roll back with the
// change they describe. The BEFORE INSERT trigger links each row.
func AppendAudit(ctx context.Context, tx pgx.Tx, orgID uuid.UUID, entries ...AuditEntry) error {
	for _, e := range entries {
		detail := e.Detail
		if detail == nil {
			detail = map[string]any{}
		}
		d, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		if _, err := tx.Exec(ctx, `insert into app.audit_log (org_id, actor, action, subject, detail, reason) values ($1, $2, $3, $4, $5, $6)`,
			orgID, e.Actor, e.Action, e.Subject, d, e.Reason); err != nil {
			return fmt.Errorf("append audit %s: %w", e.Action, err)
		}
	}
	return nil
}

// Audit appends entries in their own tenant transaction.
func (s *Store) Audit(ctx context.Context, c Claims, entries ...AuditEntry) error {
	return s.InTenant(ctx, c, func(tx pgx.Tx) error { return AppendAudit(ctx, tx, c.OrgID, entries...) })
}

// AuditRow is one stored row, as `frontdesk audit` prints it.
type AuditRow struct {
	OrgID   uuid.UUID      `json:"org_id"`
	Seq     int64          `json:"seq"`
	At      string         `json:"at"`
	Actor   string         `json:"actor"`
	Action  string         `json:"action"`
	Subject string         `json:"subject"`
	Detail  map[string]any `json:"detail"`
	Reason  string         `json:"reason"`
}

// ListAudit returns an org's audit rows in chain order (for tests and
// staff tools; it reads through row-level security).
func (s *Store) ListAudit(ctx context.Context, c Claims) ([]AuditRow, error) {
	var out []AuditRow
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select org_id, seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, subject, detail, reason
			from app.audit_log order by seq`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditRow, error) {
			var a AuditRow
			err := r.Scan(&a.OrgID, &a.Seq, &a.At, &a.Actor, &a.Action, &a.Subject, &a.Detail, &a.Reason)
			return a, err
		})
		return err
	})
	return out, err
}

// Querier is a connection, pool or transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// AuditBreak is the first broken link of one org's chain.
type AuditBreak struct {
	OrgID  uuid.UUID `json:"org_id"`
	Seq    int64     `json:"seq"`
	Reason string    `json:"reason"`
}

func (b AuditBreak) String() string {
	return fmt.Sprintf("org %s seq %d: %s", b.OrgID, b.Seq, b.Reason)
}

// AuditVerification is the result of checking chains.
type AuditVerification struct {
	Orgs   int          `json:"orgs"`
	Rows   int          `json:"rows"`
	Broken []AuditBreak `json:"broken,omitempty"`
}

var genesisHash = make([]byte, sha256.Size)

// VerifyAudit walks every chain q can see (all orgs through an admin
// connection, one org inside its tenant transaction; org narrows it) and
// reports the first broken link of each. A row is intact when its canonical
// text is what its columns render to now (recomputed in SQL by the same
// function the trigger used), its hash is sha256(prev_hash || canonical)
// (recomputed here), its prev_hash is the previous row's hash and its seq
// follows the previous one. So an edited column breaks its own row; a row
// edited together with its hash breaks the next one; a deleted row breaks
// the one after the gap. Deleting the newest rows leaves a shorter intact
// chain: compare the head (seq) with an exported copy to catch that.
func VerifyAudit(ctx context.Context, q Querier, org *uuid.UUID) (AuditVerification, error) {
	var res AuditVerification
	sql := `select org_id, seq, prev_hash, hash, canonical,
	               app.audit_canonical(org_id, seq, at, actor, action, subject, detail, reason)
	        from app.audit_log`
	var args []any
	if org != nil {
		sql += ` where org_id = $1`
		args = append(args, *org)
	}
	sql += ` order by org_id, seq`
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return res, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var (
		cur      uuid.UUID
		started  bool
		broken   bool
		lastSeq  int64
		lastHash []byte
	)
	for rows.Next() {
		var (
			o                     uuid.UUID
			seq                   int64
			prev, hash            []byte
			canonical, recomputed string
		)
		if err := rows.Scan(&o, &seq, &prev, &hash, &canonical, &recomputed); err != nil {
			return res, err
		}
		res.Rows++
		if !started || o != cur {
			cur, started, broken, lastSeq, lastHash = o, true, false, 0, genesisHash
			res.Orgs++
		}
		if broken {
			continue
		}
		reason := ""
		sum := sha256.Sum256(append(bytes.Clone(prev), canonical...))
		switch {
		case seq != lastSeq+1:
			reason = fmt.Sprintf("sequence gap: expected seq %d", lastSeq+1)
			if seq > lastSeq+1 {
				seq = lastSeq + 1 // name the first missing link
			}
		case !bytes.Equal(prev, lastHash):
			reason = "prev_hash does not match the previous row's hash"
		case canonical != recomputed:
			reason = "row edited: its columns no longer render to the hashed canonical text"
		case !bytes.Equal(hash[:], sum[:]):
			reason = "hash does not match sha256(prev_hash || canonical)"
		}
		if reason != "" {
			res.Broken = append(res.Broken, AuditBreak{OrgID: o, Seq: seq, Reason: reason})
			broken = true
			continue
		}
		lastSeq, lastHash = seq, hash
	}
	return res, rows.Err()
}

// VerifyAuditInTenant checks one org's chain through its tenant
// transaction, with no admin connection.
func (s *Store) VerifyAuditInTenant(ctx context.Context, c Claims) (AuditVerification, error) {
	var res AuditVerification
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var err error
		res, err = VerifyAudit(ctx, tx, &c.OrgID)
		return err
	})
	return res, err
}
