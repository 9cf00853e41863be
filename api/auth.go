package api

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/frontdesk/frontdesk/store"
)

// AuthConfig says which staff tokens the api accepts. At least one key
// source must be set; the algorithms allowed follow from them, so a token
// can never pick its own (no `none`, no HS256 signed with a public key).
type AuthConfig struct {
	// HMACSecret enables HS256.
	HMACSecret []byte
	// JWKSURL enables RS256 and ES256 with keys from a JWKS endpoint.
	JWKSURL string
	// PublicKeyPEM enables RS256 or ES256 with one fixed public key.
	PublicKeyPEM []byte
	Issuer       string
	Audience     string
	// Leeway absorbs clock skew on exp, nbf and iat.
	Leeway time.Duration
}

// StaffClaims are what a staff token must carry.
type StaffClaims struct {
	OrgID string `json:"org_id"`
	Role  string `json:"role"`
	jwt.RegisteredClaims
}

// Staff roles /v1 accepts. "ops" is the deployment's operators, who may
// decode workflow payloads through /codec.
var staffRoles = map[string]bool{"staff": true, "admin": true, "ops": true}

// Authenticator verifies bearer tokens.
type Authenticator struct {
	parser *jwt.Parser
	keys   jwt.Keyfunc
}

// NewAuthenticator builds the verifier. ctx bounds the JWKS refresher.
func NewAuthenticator(ctx context.Context, cfg AuthConfig) (*Authenticator, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("jwt: issuer and audience must be configured")
	}
	var methods []string
	var hmacKey []byte
	var asymmetric jwt.Keyfunc
	if len(cfg.HMACSecret) > 0 {
		if len(cfg.HMACSecret) < 32 {
			return nil, errors.New("FRONTDESK_JWT_SECRET must be at least 32 bytes")
		}
		methods = append(methods, "HS256")
		hmacKey = cfg.HMACSecret
	}
	switch {
	case cfg.JWKSURL != "":
		k, err := keyfunc.NewDefaultCtx(ctx, []string{cfg.JWKSURL})
		if err != nil {
			return nil, fmt.Errorf("jwks %s: %w", cfg.JWKSURL, err)
		}
		methods = append(methods, "RS256", "ES256")
		asymmetric = k.Keyfunc
	case len(cfg.PublicKeyPEM) > 0:
		key, method, err := parsePublicKey(cfg.PublicKeyPEM)
		if err != nil {
			return nil, err
		}
		methods = append(methods, method)
		asymmetric = func(*jwt.Token) (any, error) { return key, nil }
	}
	if len(methods) == 0 {
		return nil, errors.New("no JWT key configured: set FRONTDESK_JWT_SECRET, FRONTDESK_JWKS_URL or FRONTDESK_JWT_PUBLIC_KEY")
	}
	leeway := cfg.Leeway
	if leeway == 0 {
		leeway = 30 * time.Second
	}
	a := &Authenticator{
		parser: jwt.NewParser(
			jwt.WithValidMethods(methods),
			jwt.WithExpirationRequired(),
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audience),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(leeway),
		),
	}
	a.keys = func(t *jwt.Token) (any, error) {
		// The parser has already refused algorithms outside methods; here
		// each algorithm family gets only its own kind of key.
		switch t.Method.(type) {
		case *jwt.SigningMethodHMAC:
			if hmacKey == nil {
				return nil, errors.New("HS256 not accepted")
			}
			return hmacKey, nil
		case *jwt.SigningMethodRSA, *jwt.SigningMethodECDSA:
			if asymmetric == nil {
				return nil, errors.New("asymmetric tokens not accepted")
			}
			return asymmetric(t)
		}
		return nil, fmt.Errorf("algorithm %s not accepted", t.Method.Alg())
	}
	return a, nil
}

func parsePublicKey(pemBytes []byte) (any, string, error) {
	if k, err := jwt.ParseRSAPublicKeyFromPEM(pemBytes); err == nil {
		return (*rsa.PublicKey)(k), "RS256", nil
	}
	if k, err := jwt.ParseECPublicKeyFromPEM(pemBytes); err == nil {
		return (*ecdsa.PublicKey)(k), "ES256", nil
	}
	return nil, "", errors.New("FRONTDESK_JWT_PUBLIC_KEY: not an RSA or EC public key in PEM")
}

// Verify checks a raw token and returns the store claims it grants.
func (a *Authenticator) Verify(raw string) (store.Claims, error) {
	var c StaffClaims
	if _, err := a.parser.ParseWithClaims(raw, &c, a.keys); err != nil {
		return store.Claims{}, err
	}
	if c.Subject == "" {
		return store.Claims{}, errors.New("token has no sub")
	}
	if !printableID(c.Subject, maxSubjectLen) {
		// The sub becomes the actor of audit rows and log lines.
		return store.Claims{}, errors.New("token sub is too long or not printable")
	}
	if !staffRoles[c.Role] {
		return store.Claims{}, errors.New("token has no accepted role")
	}
	org, err := uuid.Parse(c.OrgID)
	if err != nil || org == uuid.Nil {
		return store.Claims{}, errors.New("token has no valid org_id")
	}
	return store.Claims{OrgID: org, Sub: c.Subject, Role: c.Role}, nil
}

// maxSubjectLen bounds a token's sub (app.audit_log.actor holds 200).
const maxSubjectLen = 200

func printableID(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return false
		}
	}
	return true
}

const claimsKey = "frontdesk.claims"

// middleware authenticates /v1 requests; the reason for a refusal is short
// and never echoes the token.
func (a *Authenticator) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || raw == "" {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="frontdesk"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "missing bearer token")
		}
		claims, err := a.Verify(raw)
		if err != nil {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="frontdesk", error="invalid_token"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "invalid token")
		}
		c.Set(claimsKey, claims)
		return next(c)
	}
}

func claimsOf(c echo.Context) store.Claims {
	return c.Get(claimsKey).(store.Claims)
}
