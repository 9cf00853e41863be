package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync/atomic"

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
// field names, classes, entity types and counts, ids. The database takes
// the org and the actor from the transaction's claims (app.audit_append):
// Actor, when set, must equal the claims' sub, or the append is refused.
type AuditEntry struct {
	Actor   string
	Action  string
	Subject string
	Detail  map[string]any
	Reason  string
}

// AuditSealer MACs a row's chain hash with a key the database never sees
// (*vault.AuditSealer).
type AuditSealer interface {
	Seal(hash []byte) (mac []byte, keyID string)
	Verify(hash, mac []byte, keyID string) error
}

// sealer is the process's audit key. It is process-wide, like the master
// key it is derived from, and set once at start (SetAuditSealer) rather
// than passed to every function that appends audit rows inside its own
// transaction.
var sealer atomic.Pointer[AuditSealer]

// SetAuditSealer makes AppendAudit seal every row it appends with s. The
// api and the worker set it from the master key before they serve; without
// it rows are appended unsealed, which `frontdesk audit verify` reports.
func SetAuditSealer(s AuditSealer) { sealer.Store(&s) }

func currentSealer() AuditSealer {
	if p := sealer.Load(); p != nil {
		return *p
	}
	return nil
}

// AppendAudit appends entries to the org's chain inside tx (a tenant
// transaction of orgID), so the audit rows commit or roll back with the
// change they describe. app.audit_append links each row (seq, SHA-256
// chain) and refuses actions this login or the claims' role may not record;
// each row's MAC is then set in the same transaction (app.audit_seal). One
// round trip for the appends and one for the seals, however many entries.
func AppendAudit(ctx context.Context, tx pgx.Tx, orgID uuid.UUID, entries ...AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, e := range entries {
		detail := e.Detail
		if detail == nil {
			detail = map[string]any{}
		}
		d, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		b.Queue(`select seq, hash from app.audit_append($1, $2, $3, $4, $5, $6)`, orgID, e.Action, e.Subject, d, e.Reason, e.Actor)
	}
	type link struct {
		seq  int64
		hash []byte
	}
	links := make([]link, len(entries))
	br := tx.SendBatch(ctx, &b)
	for i, e := range entries {
		if err := br.QueryRow().Scan(&links[i].seq, &links[i].hash); err != nil {
			br.Close()
			return fmt.Errorf("append audit %s: %w", e.Action, err)
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	s := currentSealer()
	if s == nil {
		return nil
	}
	var seals pgx.Batch
	for _, l := range links {
		mac, keyID := s.Seal(l.hash)
		seals.Queue(`select app.audit_seal($1, $2, $3)`, l.seq, mac, keyID)
	}
	if err := tx.SendBatch(ctx, &seals).Close(); err != nil {
		return fmt.Errorf("seal audit rows: %w", err)
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
	Orgs int `json:"orgs"`
	Rows int `json:"rows"`
	// Sealed counts rows whose MAC verified (only with a sealer).
	Sealed int `json:"sealed"`
	// Heads counts exported heads checked against the chains.
	Heads  int          `json:"heads"`
	Broken []AuditBreak `json:"broken,omitempty"`
}

// AuditHead is the newest link of one org's chain when it was exported.
type AuditHead struct {
	OrgID uuid.UUID `json:"org_id"`
	Seq   int64     `json:"seq"`
	Hash  string    `json:"hash"`
	MAC   string    `json:"mac,omitempty"`
	KeyID string    `json:"key_id,omitempty"`
}

// AuditHeads reads every org's chain head through app.audit_heads, which
// only the worker's login may call: the AuditAnchor workflow exports them
// to Temporal on a schedule.
func (s *Store) AuditHeads(ctx context.Context) ([]AuditHead, error) {
	var out []AuditHead
	err := s.AsService(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select org_id, seq, hash, mac, coalesce(mac_key_id, '') from app.audit_heads()`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditHead, error) {
			var h AuditHead
			var hash, mac []byte
			err := r.Scan(&h.OrgID, &h.Seq, &hash, &mac, &h.KeyID)
			h.Hash, h.MAC = hex.EncodeToString(hash), hex.EncodeToString(mac)
			return h, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit heads: %w", err)
	}
	return out, nil
}

// VerifyOptions add the checks a database administrator cannot defeat.
type VerifyOptions struct {
	// Sealer checks each row's MAC. Every row from an org's first sealed
	// row on must carry a MAC that verifies, and the newest row must be
	// sealed: rows appended without the audit key (a leaked database
	// credential calling app.audit_append directly) or with their MACs
	// stripped break the chain. Rows written before keyed chains precede
	// the first sealed row and are vouched for by it, since each hash
	// commits to every earlier row.
	Sealer AuditSealer
	// Heads exported earlier (AuditAnchor workflows): each must still be in
	// its chain with the same hash, which catches deleted newest rows and a
	// chain rewritten from an earlier point.
	Heads []AuditHead
}

var genesisHash = make([]byte, sha256.Size)

// VerifyAudit checks the chains' structure (VerifyAuditWith without a key
// or exported heads).
func VerifyAudit(ctx context.Context, q Querier, org *uuid.UUID) (AuditVerification, error) {
	return VerifyAuditWith(ctx, q, org, VerifyOptions{})
}

// VerifyAuditWith walks every chain q can see (all orgs through an admin
// connection, one org inside its tenant transaction; org narrows it) and
// reports the first broken link of each. A row is intact when its canonical
// text is what its columns render to now (recomputed in SQL by the same
// function the trigger used), its hash is sha256(prev_hash || canonical)
// (recomputed here), its prev_hash is the previous row's hash and its seq
// follows the previous one. So an edited column breaks its own row; a row
// edited together with its hash breaks the next one; a deleted row breaks
// the one after the gap. Without a sealer, whoever can write the table can
// recompute the whole chain; opts adds the MACs and exported heads that
// they cannot forge.
func VerifyAuditWith(ctx context.Context, q Querier, org *uuid.UUID, opts VerifyOptions) (AuditVerification, error) {
	var res AuditVerification
	sql := `select org_id, seq, prev_hash, hash, canonical,
	               app.audit_canonical(org_id, seq, at, actor, action, subject, detail, reason), mac, coalesce(mac_key_id, '')
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

	// The exported heads each chain must still hold, by org and seq.
	heads := map[uuid.UUID]map[int64]AuditHead{}
	for _, h := range opts.Heads {
		if org != nil && h.OrgID != *org {
			continue
		}
		if heads[h.OrgID] == nil {
			heads[h.OrgID] = map[int64]AuditHead{}
		}
		heads[h.OrgID][h.Seq] = h
	}
	type chain struct {
		org                 uuid.UUID
		broken, sealedSeen  bool
		lastSeq, lastSealed int64
		lastHash            []byte
		lastUnsealed        bool
	}
	var cur *chain
	breakAt := func(c *chain, seq int64, reason string) {
		res.Broken = append(res.Broken, AuditBreak{OrgID: c.org, Seq: seq, Reason: reason})
		c.broken = true
	}
	finish := func(c *chain) {
		if c == nil {
			return
		}
		if !c.broken && opts.Sealer != nil && c.lastUnsealed {
			reason := "rows written without the audit key (no MAC) from here on"
			if !c.sealedSeen {
				reason = "no row of this chain carries a MAC (written before keyed chains, or MACs stripped)"
			}
			breakAt(c, c.lastSealed+1, reason)
		}
		for seq := range heads[c.org] {
			res.Heads++
			if !c.broken && seq > c.lastSeq {
				breakAt(c, c.lastSeq+1, fmt.Sprintf("an exported head names seq %d but the chain ends at seq %d: rows deleted", seq, c.lastSeq))
			}
		}
		delete(heads, c.org)
	}
	for rows.Next() {
		var (
			o                     uuid.UUID
			seq                   int64
			prev, hash, mac       []byte
			canonical, recomputed string
			keyID                 string
		)
		if err := rows.Scan(&o, &seq, &prev, &hash, &canonical, &recomputed, &mac, &keyID); err != nil {
			return res, err
		}
		res.Rows++
		if cur == nil || o != cur.org {
			finish(cur)
			cur = &chain{org: o, lastHash: genesisHash}
			res.Orgs++
		}
		if cur.broken {
			continue
		}
		reason := ""
		sum := sha256.Sum256(append(bytes.Clone(prev), canonical...))
		switch {
		case seq != cur.lastSeq+1:
			reason = fmt.Sprintf("sequence gap: expected seq %d", cur.lastSeq+1)
			if seq > cur.lastSeq+1 {
				seq = cur.lastSeq + 1 // name the first missing link
			}
		case !bytes.Equal(prev, cur.lastHash):
			reason = "prev_hash does not match the previous row's hash"
		case canonical != recomputed:
			reason = "row edited: its columns no longer render to the hashed canonical text"
		case !bytes.Equal(hash[:], sum[:]):
			reason = "hash does not match sha256(prev_hash || canonical)"
		case opts.Sealer != nil && mac != nil && opts.Sealer.Verify(hash, mac, keyID) != nil:
			reason = "MAC does not verify: the chain was rewritten without the audit key"
		case opts.Sealer != nil && mac == nil && cur.sealedSeen:
			reason = "row written without the audit key (no MAC) after sealed rows"
		}
		if h, ok := heads[o][seq]; ok && reason == "" && h.Hash != hex.EncodeToString(hash) {
			reason = "differs from the exported chain head: the chain was rewritten"
		}
		if reason != "" {
			breakAt(cur, seq, reason)
			continue
		}
		if mac != nil && opts.Sealer != nil {
			res.Sealed++
			cur.sealedSeen, cur.lastSealed = true, seq
		}
		cur.lastUnsealed = mac == nil
		cur.lastSeq, cur.lastHash = seq, hash
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	finish(cur)
	// Heads of orgs whose chain is gone altogether.
	for o, hs := range heads {
		for seq := range hs {
			res.Heads++
			res.Broken = append(res.Broken, AuditBreak{OrgID: o, Seq: 1, Reason: fmt.Sprintf("an exported head names seq %d but the chain has no rows: deleted", seq)})
			break
		}
	}
	return res, nil
}

// VerifyAuditInTenant checks one org's chain through its tenant
// transaction, with no admin connection.
func (s *Store) VerifyAuditInTenant(ctx context.Context, c Claims) (AuditVerification, error) {
	return s.VerifyAuditInTenantWith(ctx, c, VerifyOptions{})
}

// VerifyAuditInTenantWith is VerifyAuditInTenant with MACs and exported
// heads checked too.
func (s *Store) VerifyAuditInTenantWith(ctx context.Context, c Claims, opts VerifyOptions) (AuditVerification, error) {
	var res AuditVerification
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var err error
		res, err = VerifyAuditWith(ctx, tx, &c.OrgID, opts)
		return err
	})
	return res, err
}
