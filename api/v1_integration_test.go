package api_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

var jwtSecret = []byte("test-jwt-secret-that-is-long-enough-000")

const (
	testIssuer   = "frontdesk-test"
	testAudience = "frontdesk-api-test"
)

type staffAPI struct {
	t     *testing.T
	url   string
	store *store.Store
	admin *pgx.Conn
}

func startStaffAPI(t *testing.T, auth api.AuthConfig) *staffAPI {
	t.Helper()
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(ctx) })

	auth.Issuer, auth.Audience = testIssuer, testAudience
	a, err := api.NewAuthenticator(ctx, auth)
	require.NoError(t, err)
	tc := testenv.Client(t)
	e := api.New(api.Config{PublicURL: "http://x", TwilioAuthToken: "t"}, starter.Calls{Client: tc}, st,
		func(context.Context) error { return nil }, testenv.Logger(t), api.WithStaffAPI(a, st, starter.Calls{Client: tc}))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &staffAPI{t: t, url: srv.URL, store: st, admin: admin}
}

func (s *staffAPI) do(method, path, token, body string) (int, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	require.NoError(s.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func claims(org uuid.UUID, mutate func(*api.StaffClaims)) *api.StaffClaims {
	now := time.Now()
	c := &api.StaffClaims{OrgID: org.String(), Role: "staff", RegisteredClaims: jwt.RegisteredClaims{
		Subject: "nurse-1", Issuer: testIssuer, Audience: jwt.ClaimStrings{testAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}}
	if mutate != nil {
		mutate(c)
	}
	return c
}

func sign(t *testing.T, method jwt.SigningMethod, key any, c jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	require.NoError(t, err)
	return s
}

func hs(t *testing.T, c jwt.Claims) string { return sign(t, jwt.SigningMethodHS256, jwtSecret, c) }

// TestStaffTokensAttack throws forged, expired and misdirected tokens at
// every /v1 route; none may get through.
func TestStaffTokensAttack(t *testing.T) {
	s := startStaffAPI(t, api.AuthConfig{HMACSecret: jwtSecret})
	good := hs(t, claims(store.DemoOrgA, nil))
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims(store.DemoOrgA, nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tamperedPayload := strings.Replace(string(payload), store.DemoOrgA.String(), store.DemoOrgB.String(), 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(tamperedPayload)) + "." + parts[2]

	bad := map[string]string{
		"no token":          "",
		"garbage":           "not.a.jwt",
		"alg none":          none,
		"wrong key":         sign(t, jwt.SigningMethodHS256, []byte("another-secret-that-is-long-enough-000"), claims(store.DemoOrgA, nil)),
		"RS256 not allowed": sign(t, jwt.SigningMethodRS256, rsaKey, claims(store.DemoOrgA, nil)),
		"HS512 not allowed": sign(t, jwt.SigningMethodHS512, jwtSecret, claims(store.DemoOrgA, nil)),
		"expired":           hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-5 * time.Minute)) })),
		"no exp":            hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.ExpiresAt = nil })),
		"not yet valid":     hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.NotBefore = jwt.NewNumericDate(time.Now().Add(10 * time.Minute)) })),
		"issued in future":  hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.IssuedAt = jwt.NewNumericDate(time.Now().Add(10 * time.Minute)) })),
		"wrong issuer":      hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Issuer = "someone-else" })),
		"no issuer":         hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Issuer = "" })),
		"wrong audience":    hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Audience = jwt.ClaimStrings{"other-api"} })),
		"no org_id":         hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.OrgID = "" })),
		"nil org_id":        hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.OrgID = uuid.Nil.String() })),
		"org_id not a uuid": hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.OrgID = "' or 1=1 --" })),
		"no role":           hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Role = "" })),
		"unknown role":      hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Role = "service_role" })),
		"no subject":        hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Subject = "" })),
		"tampered payload":  tampered,
	}
	routes := []struct{ method, path, body string }{
		{"GET", "/v1/procedures", ""},
		{"GET", "/v1/slots?date=" + time.Now().Format(time.DateOnly), ""},
		{"POST", "/v1/slots/" + uuid.NewString() + "/block", `{"blocked":true}`},
		{"GET", "/v1/calls", ""},
		{"GET", "/v1/calls/CA" + strings.Repeat("a", 32), ""},
		{"GET", "/v1/bookings?date=" + time.Now().Format(time.DateOnly), ""},
		{"POST", "/v1/bookings", `{"slot_id":"` + uuid.NewString() + `","procedure_id":"` + uuid.NewString() + `"}`},
		{"POST", "/v1/bookings/" + uuid.NewString() + "/cancel", ""},
	}
	attempts := 0
	for name, tok := range bad {
		for _, r := range routes {
			code, body := s.do(r.method, r.path, tok, r.body)
			attempts++
			require.Equal(t, http.StatusUnauthorized, code, "%s on %s %s let through: %v", name, r.method, r.path, body)
		}
	}
	// The genuine token works: a positive control for the list above.
	code, body := s.do("GET", "/v1/procedures", good, "")
	require.Equal(t, http.StatusOK, code, body)
	t.Logf("token attack: %d attempts, 0 accepted", attempts)
}

// TestStaffAPIStaysInsideTheOrg: a valid token of org A asking for org B's
// ids gets nothing, and sees all of its own.
func TestStaffAPIStaysInsideTheOrg(t *testing.T) {
	s := startStaffAPI(t, api.AuthConfig{HMACSecret: jwtSecret})
	ctx := context.Background()
	tokA := hs(t, claims(store.DemoOrgA, nil))

	// Two calls, one per org, written as the worker would.
	sidA, sidB := "CA"+strings.Repeat("a", 32), "CA"+strings.Repeat("b", 32)
	require.NoError(t, s.store.RecordCall(ctx, store.DemoOrgA, store.CallRecord{CallSID: sidA, ClinicID: store.DemoClinicA, Status: "completed", StartedAt: time.Now()}))
	require.NoError(t, s.store.RecordCall(ctx, store.DemoOrgB, store.CallRecord{CallSID: sidB, ClinicID: store.DemoClinicB, Status: "completed", StartedAt: time.Now()}))

	var bSlots, aSlots []uuid.UUID
	rows, err := s.admin.Query(ctx, `select id, org_id from app.slots`)
	require.NoError(t, err)
	for rows.Next() {
		var id, org uuid.UUID
		require.NoError(t, rows.Scan(&id, &org))
		if org == store.DemoOrgB {
			bSlots = append(bSlots, id)
		} else {
			aSlots = append(aSlots, id)
		}
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, bSlots)

	attempts, leaks := 0, 0
	for _, id := range bSlots {
		code, _ := s.do("POST", "/v1/slots/"+id.String()+"/block", tokA, `{"blocked":true}`)
		attempts++
		if code != http.StatusNotFound {
			leaks++
		}
	}
	var blocked int
	require.NoError(t, s.admin.QueryRow(ctx, `select count(*) from app.slots where blocked`).Scan(&blocked))
	require.Zero(t, blocked, "org A blocked org B's slots")

	code, _ := s.do("GET", "/v1/calls/"+sidB, tokA, "")
	attempts++
	if code != http.StatusNotFound {
		leaks++
	}
	code, body := s.do("GET", "/v1/calls", tokA, "")
	require.Equal(t, http.StatusOK, code)
	calls := body["calls"].([]any)
	require.Len(t, calls, 1, "org A sees exactly its own call")
	require.Equal(t, sidA, calls[0].(map[string]any)["call_sid"])

	// Positive control: every one of A's slots on the days they exist is listed.
	seen := 0
	days := map[string]bool{}
	require.NoError(t, pgx.BeginFunc(ctx, s.admin, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select distinct (lower(during) at time zone 'UTC')::date::text from app.slots where org_id = $1`, store.DemoOrgA)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				return err
			}
			days[d] = true
		}
		return rows.Err()
	}))
	for d := range days {
		code, body := s.do("GET", "/v1/slots?date="+d, tokA, "")
		require.Equal(t, http.StatusOK, code)
		for _, sl := range body["slots"].([]any) {
			attempts++
			if sl.(map[string]any)["clinic_id"] != store.DemoClinicA.String() {
				leaks++
			}
			seen++
		}
	}
	require.Equal(t, len(aSlots), seen, "org A must see all of its own slots")
	code, body = s.do("POST", "/v1/slots/"+aSlots[0].String()+"/block", tokA, `{"blocked":true}`)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, true, body["blocked"])

	t.Logf("cross-org over HTTP: %d attempts, %d leaks", attempts, leaks)
	require.Zero(t, leaks)
}

func TestBadRequestsAreRefusedWithAReason(t *testing.T) {
	s := startStaffAPI(t, api.AuthConfig{HMACSecret: jwtSecret})
	tok := hs(t, claims(store.DemoOrgA, nil))
	for _, tc := range []struct{ method, path, body, want string }{
		{"GET", "/v1/slots", "", "date must be YYYY-MM-DD"},
		{"GET", "/v1/slots?date=2026-13-45", "", "not a calendar day"},
		{"POST", "/v1/slots/nope/block", `{"blocked":true}`, "uuid"},
		{"POST", "/v1/slots/" + uuid.NewString() + "/block", `{}`, "blocked"},
		{"GET", "/v1/calls?limit=0", "", "limit"},
		{"GET", "/v1/calls/nope", "", "CallSid"},
	} {
		code, body := s.do(tc.method, tc.path, tok, tc.body)
		require.Equal(t, http.StatusBadRequest, code, tc.path)
		require.Contains(t, body["error"], tc.want)
	}
}

// Asymmetric keys: RS256 from a JWKS endpoint, ES256 from a PEM key; an
// HS256 token "signed" with the public key is refused (algorithm confusion).
func TestAsymmetricTokens(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(rsaKey.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(rsaKey.E)).Bytes()),
		}}})
	}))
	defer jwks.Close()
	s := startStaffAPI(t, api.AuthConfig{JWKSURL: jwks.URL})
	withKID := func(kid string, key any) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(store.DemoOrgA, nil))
		tok.Header["kid"] = kid
		out, err := tok.SignedString(key)
		require.NoError(t, err)
		return out
	}
	code, _ := s.do("GET", "/v1/procedures", withKID("k1", rsaKey), "")
	require.Equal(t, http.StatusOK, code)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	code, _ = s.do("GET", "/v1/procedures", withKID("k1", other), "")
	require.Equal(t, http.StatusUnauthorized, code, "signed by another key")
	code, _ = s.do("GET", "/v1/procedures", withKID("unknown", rsaKey), "")
	require.Equal(t, http.StatusUnauthorized, code, "unknown kid")
	code, _ = s.do("GET", "/v1/procedures", hs(t, claims(store.DemoOrgA, nil)), "")
	require.Equal(t, http.StatusUnauthorized, code, "HS256 is not accepted when only keys are configured")

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	require.NoError(t, err)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	s2 := startStaffAPI(t, api.AuthConfig{PublicKeyPEM: pemBytes})
	code, _ = s2.do("GET", "/v1/procedures", sign(t, jwt.SigningMethodES256, ecKey, claims(store.DemoOrgA, nil)), "")
	require.Equal(t, http.StatusOK, code)
	code, _ = s2.do("GET", "/v1/procedures", sign(t, jwt.SigningMethodHS256, pemBytes, claims(store.DemoOrgA, nil)), "")
	require.Equal(t, http.StatusUnauthorized, code, "HS256 keyed with the public key (algorithm confusion)")
}

var _ = activities.Activities{}

// Staff bookings go through the same lock as callers: one booking per slot,
// cancel frees it, and another org can neither see nor cancel it.
func TestStaffBookings(t *testing.T) {
	s := startStaffAPI(t, api.AuthConfig{HMACSecret: jwtSecret})
	ctx := context.Background()
	tokA, tokB := hs(t, claims(store.DemoOrgA, nil)), hs(t, claims(store.DemoOrgB, nil))
	var slot, proc, procB uuid.UUID
	var day string
	require.NoError(t, s.admin.QueryRow(ctx, `select id, (lower(during) at time zone 'UTC')::date::text from app.slots
		where org_id = $1 and lower(during) > now() order by lower(during) limit 1`, store.DemoOrgA).Scan(&slot, &day))
	require.NoError(t, s.admin.QueryRow(ctx, `select id from app.procedures where org_id = $1 and code = 'blood-test'`, store.DemoOrgA).Scan(&proc))
	require.NoError(t, s.admin.QueryRow(ctx, `select id from app.procedures where org_id = $1 limit 1`, store.DemoOrgB).Scan(&procB))
	body := func(slot, proc uuid.UUID) string {
		return `{"slot_id":"` + slot.String() + `","procedure_id":"` + proc.String() + `"}`
	}

	code, out := s.do("POST", "/v1/bookings", tokB, body(slot, procB))
	require.Equal(t, http.StatusNotFound, code, "org B cannot book org A's slot: %v", out)
	code, out = s.do("POST", "/v1/bookings", tokA, body(slot, proc))
	require.Equal(t, http.StatusCreated, code, out)
	booking := out["booking_id"].(string)
	code, out = s.do("POST", "/v1/bookings", tokA, body(slot, proc))
	require.Equal(t, http.StatusConflict, code, out)

	code, out = s.do("GET", "/v1/bookings?date="+day, tokA, "")
	require.Equal(t, http.StatusOK, code)
	require.Len(t, out["bookings"], 1)
	code, out = s.do("GET", "/v1/bookings?date="+day, tokB, "")
	require.Equal(t, http.StatusOK, code)
	require.Empty(t, out["bookings"], "org B sees none of A's bookings")

	code, _ = s.do("POST", "/v1/bookings/"+booking+"/cancel", tokB, "")
	require.Equal(t, http.StatusNotFound, code, "org B cannot cancel A's booking")
	code, _ = s.do("POST", "/v1/bookings/"+booking+"/cancel", tokA, "")
	require.Equal(t, http.StatusOK, code)
	code, _ = s.do("POST", "/v1/bookings/"+booking+"/cancel", tokA, "")
	require.Equal(t, http.StatusNotFound, code, "already cancelled")
	code, out = s.do("POST", "/v1/bookings", tokA, body(slot, proc))
	require.Equal(t, http.StatusCreated, code, "the cancelled slot is free again: %v", out)

	var holds int
	require.NoError(t, s.admin.QueryRow(ctx, `select count(*) from app.holds where released_at is null`).Scan(&holds))
	require.Zero(t, holds, "staff bookings leave no live hold behind")
	code, _ = s.do("POST", "/v1/bookings", tokA, `{"slot_id":"x"}`)
	require.Equal(t, http.StatusBadRequest, code)
}
