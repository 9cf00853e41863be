package followup

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/google/uuid"
)

// DefaultLinkTTL is how long a guide link works.
const DefaultLinkTTL = 7 * 24 * time.Hour

// Link purposes: a token signed for one purpose is refused for another.
const (
	PurposeGuide byte = 1
)

// Link is what a /d/<token> URL grants: one purpose, one document version
// of one org, until Expires.
type Link struct {
	Purpose     byte
	OrgID       uuid.UUID
	ProcedureID uuid.UUID
	Version     int
	Expires     time.Time
}

var (
	// ErrBadLink: not a token this server signed (or signed for another
	// purpose). Answered 404, like a link that never existed.
	ErrBadLink = errors.New("bad link")
	// ErrLinkExpired: a genuine link past its expiry. Answered 410.
	ErrLinkExpired = errors.New("link expired")
)

// payload: version byte, purpose, org (16), procedure (16), doc version
// (4), expiry unix seconds (8). Binary rather than text keeps the token,
// and so the SMS, short.
const (
	tokenFormat = 1
	payloadLen  = 1 + 1 + 16 + 16 + 4 + 8
	// 128 bits of HMAC-SHA256 are plenty against forgery and save 22
	// characters in every SMS.
	macLen = 16
)

// Signer signs and verifies links with HMAC-SHA256 under one key
// (FRONTDESK_LINK_SECRET).
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner returns a Signer; now may be nil (time.Now).
func NewSigner(key []byte, now func() time.Time) (*Signer, error) {
	if len(key) < 16 {
		return nil, errors.New("link secret must be at least 16 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: key, now: now}, nil
}

// Sign returns the URL-safe token of l.
func (s *Signer) Sign(l Link) string {
	p := make([]byte, payloadLen, payloadLen+macLen)
	p[0], p[1] = tokenFormat, l.Purpose
	copy(p[2:18], l.OrgID[:])
	copy(p[18:34], l.ProcedureID[:])
	binary.BigEndian.PutUint32(p[34:38], uint32(l.Version))
	binary.BigEndian.PutUint64(p[38:46], uint64(l.Expires.Unix()))
	return base64.RawURLEncoding.EncodeToString(append(p, s.mac(p)...))
}

// Verify checks a token for purpose. A forged, truncated or wrong-purpose
// token is ErrBadLink; a genuine expired one is ErrLinkExpired (with the
// link, for logging ids).
func (s *Signer) Verify(token string, purpose byte) (Link, error) {
	// Strict: the unused low bits of the last character must be zero, so
	// each link has exactly one token (a lax decoder accepts four
	// spellings of every token, found by FuzzDocumentLink).
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != payloadLen+macLen {
		return Link{}, ErrBadLink
	}
	p, mac := raw[:payloadLen], raw[payloadLen:]
	if !hmac.Equal(mac, s.mac(p)) || p[0] != tokenFormat || p[1] != purpose {
		return Link{}, ErrBadLink
	}
	l := Link{Purpose: p[1], Version: int(binary.BigEndian.Uint32(p[34:38])),
		Expires: time.Unix(int64(binary.BigEndian.Uint64(p[38:46])), 0)}
	copy(l.OrgID[:], p[2:18])
	copy(l.ProcedureID[:], p[18:34])
	if !s.now().Before(l.Expires) {
		return l, ErrLinkExpired
	}
	return l, nil
}

func (s *Signer) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(payload)
	return m.Sum(nil)[:macLen]
}
