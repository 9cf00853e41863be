package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/sealed"

	"github.com/labstack/echo/v4"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// CodecAuditor records codec use in an org's audit log (*store.Store).
type CodecAuditor interface {
	Audit(ctx context.Context, c store.Claims, entries ...store.AuditEntry) error
}

// CodecConfig configures the /codec endpoint.
type CodecConfig struct {
	// Codec is the deployment's payload codec (vault.NewMasterPayloadCodec);
	// each request uses it scoped to the token's org (ForOrg).
	Codec *vault.PayloadCodec
	// Vault opens the call-sealed envelopes inside decoded payloads (turn
	// text), for the token's own org only. Nil leaves them sealed.
	Vault *vault.Vault
	Auth  *Authenticator
	Audit CodecAuditor
	// UIURL is the Temporal Web UI (TEMPORAL_UI_URL); its origin gets the
	// CORS grant.
	UIURL string
}

// RoleOps is the token role that may decode payloads.
const RoleOps = "ops"

// WithCodec mounts POST /codec/encode and /codec/decode, the codec server
// of the Temporal Web UI and CLI (`--codec-endpoint <api>/codec`). Only a
// verified token with role ops gets through (401 without a valid token, 403
// for other roles, audited at most once a minute per user); each decode is
// written to the org's audit log, and an audit failure fails the decode.
//
// Decoding has two layers, both scoped to the token's org. The payload
// codec opens only payloads bound to that org (vault.PayloadCodec.ForOrg:
// another org's payloads, and deployment-scope ones, are answered as they
// came, still encrypted). What a caller said is sealed a second time under
// the call's data key (contract.Sealed); the endpoint opens those envelopes
// only when they belong to the token's org, and once the patient is erased
// they cannot be opened by anyone.
func WithCodec(cfg CodecConfig) (Option, error) {
	if cfg.Codec == nil || cfg.Auth == nil || cfg.Audit == nil {
		return nil, errors.New("codec endpoint: codec, authenticator and audit log are required")
	}
	var origins []string
	if cfg.UIURL != "" {
		u, err := url.Parse(cfg.UIURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("TEMPORAL_UI_URL %q is not an absolute URL", cfg.UIURL)
		}
		origins = append(origins, u.Scheme+"://"+u.Host)
	}
	// Validate the options once; each request builds its own handler
	// around the caller's claims.
	if _, err := vault.NewCodecHandler(vault.CodecServerOptions{Codec: cfg.Codec, AllowedOrigins: origins,
		Authenticate: func(*http.Request) (string, error) { return "", vault.ErrNoCredentials }}); err != nil {
		return nil, err
	}
	return func(e *echo.Echo, logger *slog.Logger) {
		cs := &codecServer{cfg: cfg, origins: origins, logger: logger, refusals: newRefusalLimiter(time.Minute, 10_000)}
		e.Any("/codec/*", echo.WrapHandler(cs))
	}, nil
}

type codecServer struct {
	cfg      CodecConfig
	origins  []string
	logger   *slog.Logger
	refusals *refusalLimiter
}

func (cs *codecServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := &sealedCodec{outer: cs.cfg.Codec, vault: cs.cfg.Vault, audit: cs.cfg.Audit, namespace: r.Header.Get("X-Namespace"), ctx: r.Context()}
	h, err := vault.NewCodecHandler(vault.CodecServerOptions{
		Codec:          sc,
		AllowedOrigins: cs.origins,
		Authenticate: func(r *http.Request) (string, error) {
			c, err := cs.authenticate(r)
			sc.claims = c
			return c.Sub, err
		},
		Audit: func(principal, action string, count int) {
			if action == vault.AuditDenied {
				// Unauthenticated refusals are not in any org's audit log;
				// their log line is rate-limited like the audited ones.
				if n, ok := cs.refusals.allow("anonymous", time.Now()); ok {
					cs.logger.Warn("codec request refused", "route", "/codec/*", "suppressed", n)
				}
			}
		},
	})
	if err != nil {
		http.Error(w, "codec unavailable", http.StatusInternalServerError)
		return
	}
	h.ServeHTTP(w, r)
}

// authenticate accepts only a verified ops token. A verified token of
// another role is recorded in its org's audit log before the refusal.
func (cs *codecServer) authenticate(r *http.Request) (store.Claims, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		return store.Claims{}, vault.ErrNoCredentials
	}
	c, err := cs.cfg.Auth.Verify(strings.TrimSpace(raw))
	if err != nil {
		return store.Claims{}, fmt.Errorf("%w: invalid token", vault.ErrNoCredentials)
	}
	if !Can(c.Role, PermDecode) {
		// Audited in the token's org, at most once a window per user with
		// the number of refusals it stands for, and with bounded text: a
		// client looping on /codec must not be able to flood the log.
		if n, ok := cs.refusals.allow(c.OrgID.String()+"/"+c.Sub, time.Now()); ok {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
			defer cancel()
			if err := cs.cfg.Audit.Audit(ctx, c, store.AuditEntry{Actor: c.Sub, Action: store.AuditCodecDenied,
				Detail: map[string]any{"role": c.Role, "path": bounded(r.URL.Path, 64), "suppressed": n}, Reason: "role may not decode"}); err != nil {
				cs.logger.Error("audit of a refused codec request failed", "error", err)
			}
		}
		return store.Claims{}, vault.ErrInvalidCredentials
	}
	return c, nil
}

// bounded cuts s to at most n bytes (on a rune boundary).
func bounded(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// sealedCodec is the payload codec scoped to the token's org plus the
// second layer: envelopes sealed under a call's data key inside decoded
// JSON payloads.
type sealedCodec struct {
	outer     *vault.PayloadCodec
	vault     *vault.Vault
	audit     CodecAuditor
	claims    store.Claims
	namespace string
	ctx       context.Context
}

// Encode encodes for the token's org (the Web UI sends a signal's or a
// query's arguments here).
func (c *sealedCodec) Encode(p []*commonpb.Payload) ([]*commonpb.Payload, error) {
	scoped, err := c.outer.ForOrg(c.claims.OrgID.String())
	if err != nil {
		return nil, err
	}
	return scoped.Encode(p)
}

// openStats counts what a decode did with sealed envelopes.
type openStats struct {
	Opened, Erased, OtherOrg, Failed int
}

func (c *sealedCodec) Decode(p []*commonpb.Payload) ([]*commonpb.Payload, error) {
	org := c.claims.OrgID.String()
	scoped, err := c.outer.ForOrg(org)
	if err != nil {
		return nil, err
	}
	// Only the token's org's payloads are opened; the others (another org's,
	// deployment-scope, plain) are answered as they came, so the Web UI
	// shows them still encrypted.
	out := make([]*commonpb.Payload, len(p))
	decoded, refused := 0, 0
	for i, pl := range p {
		if pl == nil || vault.PayloadOrg(pl) != org {
			out[i] = pl
			if pl != nil {
				refused++
			}
			continue
		}
		d, err := scoped.Decode([]*commonpb.Payload{pl})
		if err != nil {
			return nil, err
		}
		out[i] = d[0]
		decoded++
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.ctx), 10*time.Second)
	defer cancel()
	var st openStats
	for i, pl := range out {
		if i < len(p) && out[i] == p[i] {
			continue // not decoded here
		}
		if pl == nil || string(pl.GetMetadata()[converter.MetadataEncoding]) != converter.MetadataEncodingJSON {
			continue
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(pl.GetData()))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			continue
		}
		changed := false
		v = c.openAll(ctx, v, &st, &changed)
		if !changed {
			continue
		}
		data, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{Metadata: pl.GetMetadata(), Data: data}
	}
	// No decode without its audit row.
	if err := c.audit.Audit(ctx, c.claims, store.AuditEntry{Actor: c.claims.Sub, Action: store.AuditCodecDecode,
		Detail: map[string]any{"payloads": len(p), "decoded": decoded, "refused": refused, "opened": st.Opened, "erased": st.Erased,
			"other_org": st.OtherOrg, "failed": st.Failed, "namespace": bounded(c.namespace, 64)},
		Reason: "Temporal payload decode (Web UI or CLI)"}); err != nil {
		return nil, fmt.Errorf("codec decode: audit: %w", err)
	}
	return out, nil
}

// openAll replaces every sealed envelope in v by what it holds, or by a
// marker saying why it stays closed.
func (c *sealedCodec) openAll(ctx context.Context, v any, st *openStats, changed *bool) any {
	switch x := v.(type) {
	case map[string]any:
		if s, ok := asSealed(x); ok {
			*changed = true
			return c.open(ctx, s, st)
		}
		for k, e := range x {
			x[k] = c.openAll(ctx, e, st, changed)
		}
	case []any:
		for i, e := range x {
			x[i] = c.openAll(ctx, e, st, changed)
		}
	}
	return v
}

func (c *sealedCodec) open(ctx context.Context, s contract.Sealed, st *openStats) any {
	marker := map[string]any{"sealed_for": s.Purpose, "call_sid": s.CallSID}
	switch {
	case c.vault == nil:
		marker["state"] = "sealed"
		st.Failed++
		return marker
	case s.OrgID != c.claims.OrgID.String():
		marker["state"] = "sealed: another org"
		st.OtherOrg++
		return marker
	}
	plain, err := sealed.Open(ctx, c.vault, s)
	switch {
	case errors.Is(err, vault.ErrKeyDestroyed):
		marker["state"] = "erased"
		st.Erased++
		return marker
	case err != nil:
		marker["state"] = "sealed: does not open"
		st.Failed++
		return marker
	}
	st.Opened++
	marker["state"] = "opened"
	var inner any
	if json.Unmarshal(plain, &inner) == nil {
		marker["value"] = inner
	} else {
		marker["value"] = string(plain)
	}
	clear(plain)
	return marker
}

// asSealed recognises an contract.Sealed envelope in decoded JSON.
func asSealed(m map[string]any) (contract.Sealed, bool) {
	if len(m) != 4 {
		return contract.Sealed{}, false
	}
	org, _ := m["org_id"].(string)
	sid, _ := m["call_sid"].(string)
	purpose, _ := m["purpose"].(string)
	ct, _ := m["ciphertext"].(string)
	if org == "" || sid == "" || !strings.HasPrefix(purpose, "turn.") || ct == "" {
		return contract.Sealed{}, false
	}
	raw, err := base64.StdEncoding.DecodeString(ct)
	if err != nil {
		return contract.Sealed{}, false
	}
	return contract.Sealed{OrgID: org, CallSID: sid, Purpose: purpose, Ciphertext: raw}, true
}
