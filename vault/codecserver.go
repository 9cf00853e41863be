package vault

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// Errors an Authenticate function returns to choose the status code:
// ErrNoCredentials gives 401 (ask for credentials), any other error 403.
var (
	ErrNoCredentials      = errors.New("vault: no credentials")
	ErrInvalidCredentials = errors.New("vault: invalid credentials")
)

// Audit actions passed to CodecServerOptions.Audit.
const (
	AuditEncode       = "encode"
	AuditDecode       = "decode"
	AuditDecodeFailed = "decode_failed"
	AuditDenied       = "denied"
)

// DefaultCodecMaxBodyBytes bounds a codec request. The Web UI decodes a
// history event's payloads at a time, and Temporal caps a payload at 2 MiB.
const DefaultCodecMaxBodyBytes = 8 << 20

// CodecServerOptions configures NewCodecHandler.
type CodecServerOptions struct {
	// Codec does the work; usually a *PayloadCodec. Required.
	Codec converter.PayloadCodec
	// Authenticate identifies the caller (an ops user or token). Required:
	// the decode endpoint turns every payload of every clinic back into
	// clear text, so it never runs open. Return an error wrapping
	// ErrNoCredentials for a request without credentials (401); any other
	// error is a 403.
	Authenticate func(r *http.Request) (principal string, err error)
	// AllowedOrigins are the exact origins of the Temporal Web UI, e.g.
	// "http://localhost:8233". Browsers from other origins get no CORS
	// grant; requests without an Origin header (CLI, curl) are unaffected.
	AllowedOrigins []string
	// Audit, if set, is called once per request after authentication with
	// the principal, the action (AuditEncode, AuditDecode, AuditDecodeFailed,
	// AuditDenied with an empty principal) and the number of payloads.
	Audit func(principal, action string, count int)
	// MaxBodyBytes bounds the request body; DefaultCodecMaxBodyBytes if 0.
	MaxBodyBytes int64
}

// NewCodecHandler returns the codec server endpoint for the Temporal Web UI
// and CLI (--codec-endpoint). It routes on the path suffix, /encode and
// /decode, so it works under any prefix, e.g. mounted on echo as
//
//	e.Any("/codec/*", echo.WrapHandler(h))
//
// and the Web UI configured with codec endpoint http://api/codec. The payload
// work is the SDK's converter.NewPayloadCodecHTTPHandler; this adds CORS,
// authentication, a body limit and the audit hook around it.
func NewCodecHandler(opts CodecServerOptions) (http.Handler, error) {
	if opts.Codec == nil {
		return nil, errors.New("vault: codec handler: Codec is required")
	}
	if opts.Authenticate == nil {
		return nil, errors.New("vault: codec handler: Authenticate is required")
	}
	for _, o := range opts.AllowedOrigins {
		if o == "*" || o == "" || strings.HasSuffix(o, "/") {
			// A wildcard cannot be combined with credentials, and a trailing
			// slash never matches the Origin header browsers send.
			return nil, fmt.Errorf("vault: codec handler: allowed origin %q must be an exact scheme://host[:port]", o)
		}
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultCodecMaxBodyBytes
	}
	return &codecHandler{opts: opts}, nil
}

type codecHandler struct {
	opts CodecServerOptions
}

func (h *codecHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	allowed := origin != "" && slices.Contains(h.opts.AllowedOrigins, origin)
	// Caches must not serve one origin's CORS answer to another.
	w.Header().Add("Vary", "Origin")
	if allowed {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}

	if !strings.HasSuffix(r.URL.Path, "/encode") && !strings.HasSuffix(r.URL.Path, "/decode") {
		http.NotFound(w, r)
		return
	}

	if r.Method == http.MethodOptions {
		// Preflight carries no credentials, so it is answered before
		// authentication; a disallowed origin just gets no grant.
		if !allowed {
			http.Error(w, "origin not allowed", http.StatusForbidden)
			return
		}
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}

	principal, err := h.opts.Authenticate(r)
	if err != nil || principal == "" {
		h.audit("", AuditDenied, 0)
		if err == nil || errors.Is(err, ErrNoCredentials) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="frontdesk-codec"`)
			http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
			return
		}
		// The authenticator's error is not echoed: it may say which part of
		// a token was wrong.
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return
	}

	// Read the bounded body here, so an oversized one is a 413 (the SDK's
	// handler would call it a malformed request).
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "unreadable request body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	// A handler per request is cheap (one small struct) and lets the codec
	// wrapper know who asked.
	audited := &auditingCodec{inner: h.opts.Codec, principal: principal, audit: h.audit}
	converter.NewPayloadCodecHTTPHandler(audited).ServeHTTP(w, r)
}

func (h *codecHandler) audit(principal, action string, count int) {
	if h.opts.Audit != nil {
		h.opts.Audit(principal, action, count)
	}
}

// auditingCodec reports each encode and decode with the number of payloads.
type auditingCodec struct {
	inner     converter.PayloadCodec
	principal string
	audit     func(principal, action string, count int)
}

func (c *auditingCodec) Encode(p []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out, err := c.inner.Encode(p)
	if err == nil {
		c.audit(c.principal, AuditEncode, len(p))
	}
	return out, err
}

func (c *auditingCodec) Decode(p []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out, err := c.inner.Decode(p)
	if err != nil {
		c.audit(c.principal, AuditDecodeFailed, len(p))
		return out, err
	}
	c.audit(c.principal, AuditDecode, len(p))
	return out, nil
}

// NewBearerTokenAuthenticator returns an Authenticate function for static
// ops tokens, given as principal → token. Tokens are compared as SHA-256
// digests in constant time against every entry, so neither timing nor early
// exit tells a caller how close a guess was.
func NewBearerTokenAuthenticator(tokens map[string]string) (func(*http.Request) (string, error), error) {
	type entry struct {
		principal string
		digest    [sha256.Size]byte
	}
	var entries []entry
	for principal, token := range tokens {
		if principal == "" || len(token) < 16 {
			return nil, fmt.Errorf("vault: bearer tokens: principal %q needs a non-empty name and a token of at least 16 characters", principal)
		}
		entries = append(entries, entry{principal, sha256.Sum256([]byte(token))})
	}
	if len(entries) == 0 {
		return nil, errors.New("vault: bearer tokens: no tokens configured")
	}
	return func(r *http.Request) (string, error) {
		auth := r.Header.Get("Authorization")
		if auth == "" {
			return "", ErrNoCredentials
		}
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return "", ErrNoCredentials
		}
		digest := sha256.Sum256([]byte(strings.TrimSpace(token)))
		found := ""
		for _, e := range entries {
			if subtle.ConstantTimeCompare(digest[:], e.digest[:]) == 1 {
				found = e.principal
			}
		}
		if found == "" {
			return "", ErrInvalidCredentials
		}
		return found, nil
	}, nil
}
