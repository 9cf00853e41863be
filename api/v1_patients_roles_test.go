package api

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// patientStoreSpy answers every lookup "not found" and counts the calls,
// so a test sees whether a request got past the permission check.
type patientStoreSpy struct{ calls int }

func (s *patientStoreSpy) FindPatientByPhone(context.Context, store.BlindIndexer, store.Claims, string, string) (store.PatientSummary, error) {
	s.calls++
	return store.PatientSummary{}, store.ErrNotFound
}

func (s *patientStoreSpy) ReadPatient(context.Context, *vault.Vault, store.Claims, uuid.UUID, string) (store.Patient, error) {
	s.calls++
	return store.Patient{}, store.ErrNotFound
}

func (s *patientStoreSpy) ExportPatient(context.Context, *vault.Vault, store.Claims, uuid.UUID, string) (store.PatientExport, error) {
	s.calls++
	return store.PatientExport{}, store.ErrNotFound
}

func (s *patientStoreSpy) ErasePatient(context.Context, *vault.Vault, store.Claims, uuid.UUID, store.Retention, string) (store.ErasureReport, error) {
	s.calls++
	return store.ErasureReport{}, store.ErrNotFound
}

// patientRoutes are the patient routes and the permission each needs.
var patientRoutes = []struct {
	name, method, path string
}{
	{"find", http.MethodGet, "/v1/patients?phone=" + url.QueryEscape("+447700900123")},
	{"read", http.MethodGet, "/v1/patients/" + uuid.NewString()},
	{"export", http.MethodGet, "/v1/patients/" + uuid.NewString() + "/export"},
	{"erase", http.MethodDelete, "/v1/patients/" + uuid.NewString()},
}

// patientAccess is which roles get past the check on each route (404 from
// the spy) and which are refused before any lookup (403).
func patientAccess(t *testing.T) map[string]map[string]bool {
	t.Helper()
	secret := []byte("patient-roles-test-secret-long-enough-0000")
	auth, err := NewAuthenticator(t.Context(), AuthConfig{HMACSecret: secret, Issuer: "frontdesk-test", Audience: "frontdesk-api-test"})
	require.NoError(t, err)
	v, err := vault.New(vault.NewMemoryKeyStore(), testenv.MasterKey())
	require.NoError(t, err)
	spy := &patientStoreSpy{}
	opt, err := WithPatients(PatientsConfig{Auth: auth, Store: spy, Vault: v})
	require.NoError(t, err)
	e := echo.New()
	e.HTTPErrorHandler = jsonErrors(slog.New(slog.NewTextHandler(io.Discard, nil)))
	opt(e, slog.New(slog.NewTextHandler(io.Discard, nil)))

	org := uuid.New()
	got := map[string]map[string]bool{}
	for _, role := range []string{"staff", "admin", "ops"} {
		now := time.Now()
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, &StaffClaims{OrgID: org.String(), Role: role, RegisteredClaims: jwt.RegisteredClaims{
			Subject: role + "-1", Issuer: "frontdesk-test", Audience: jwt.ClaimStrings{"frontdesk-api-test"},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
		}}).SignedString(secret)
		require.NoError(t, err)
		got[role] = map[string]bool{}
		for _, r := range patientRoutes {
			before := spy.calls
			req := httptest.NewRequest(r.method, r.path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusNotFound:
				require.Equal(t, before+1, spy.calls, "%s %s", role, r.name)
				got[role][r.name] = true
			case http.StatusForbidden:
				require.Equal(t, before, spy.calls, "%s %s: a refusal looks nothing up", role, r.name)
				got[role][r.name] = false
			default:
				t.Fatalf("%s %s: status %d: %s", role, r.name, rec.Code, rec.Body)
			}
		}
	}
	return got
}

// TestPatientRoutesUseTheRolePermissions: the patient routes keep their
// policy (find and read for staff and admin, export and erase for admin
// only, nothing for ops), and take it from roles.go's rolePermissions,
// the one access policy: withdrawing a permission there withdraws the
// route.
func TestPatientRoutesUseTheRolePermissions(t *testing.T) {
	want := map[string]map[string]bool{
		"staff": {"find": true, "read": true, "export": false, "erase": false},
		"admin": {"find": true, "read": true, "export": true, "erase": true},
		"ops":   {"find": false, "read": false, "export": false, "erase": false},
	}
	require.Equal(t, want, patientAccess(t))

	saved := rolePermissions
	t.Cleanup(func() { rolePermissions = saved })
	changed := maps.Clone(saved)
	changed["admin"] = map[Permission]bool{PermRead: true, PermBook: true, PermErase: true}
	changed["ops"] = map[Permission]bool{PermDecode: true, PermRead: true}
	rolePermissions = changed
	want["admin"]["export"] = false
	want["ops"]["find"], want["ops"]["read"] = true, true
	require.Equal(t, want, patientAccess(t), "the patient routes follow rolePermissions")
}
