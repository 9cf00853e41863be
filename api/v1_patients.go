package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// The patient's rights through the staff API (GDPR Art. 15, 17 and 20):
//
//	GET    /v1/patients?phone=<E.164>   find a patient by number     PermRead (staff, admin)
//	GET    /v1/patients/{id}            read the record              PermRead (staff, admin)
//	GET    /v1/patients/{id}/export     everything held, as JSON     PermExport (admin)
//	DELETE /v1/patients/{id}            erase (as `frontdesk erase`) PermErase (admin)
//
// Which role holds which permission is api/roles.go's rolePermissions, the
// one access policy of /v1 and /codec. Row-level security keeps each org to its own patients: another org's
// patient is 404, exactly like one that does not exist. Every access is
// audited in the org's chain, in the transaction of its read. ops tokens
// decode Temporal payloads (/codec) and have no access here.

// PatientStore is what the patient routes need from store.Store.
type PatientStore interface {
	FindPatientByPhone(ctx context.Context, ix store.BlindIndexer, c store.Claims, phone, reason string) (store.PatientSummary, error)
	ReadPatient(ctx context.Context, v *vault.Vault, c store.Claims, id uuid.UUID, reason string) (store.Patient, error)
	ExportPatient(ctx context.Context, v *vault.Vault, c store.Claims, id uuid.UUID, reason string) (store.PatientExport, error)
	ErasePatient(ctx context.Context, v *vault.Vault, c store.Claims, id uuid.UUID, keep store.Retention, reason string) (store.ErasureReport, error)
}

// PatientsConfig is what WithPatients needs.
type PatientsConfig struct {
	Auth  *Authenticator
	Store PatientStore
	// Vault decrypts identifiers and turns, and computes the phone's blind
	// index for lookups.
	Vault *vault.Vault
	// Retention is what an erasure keeps (FRONTDESK_ERASURE_RETAIN), the
	// same as for `frontdesk erase`.
	Retention store.Retention
}

// WithPatients mounts the patient routes under /v1/patients.
func WithPatients(cfg PatientsConfig) (Option, error) {
	if cfg.Auth == nil || cfg.Store == nil || cfg.Vault == nil {
		return nil, errors.New("patients api: auth, store and vault are required")
	}
	p := patients{cfg: cfg}
	return func(e *echo.Echo, _ *slog.Logger) {
		g := e.Group("/v1/patients", cfg.Auth.middleware, middleware.BodyLimit("4K"), noStore)
		// Each route names the permission it needs (api/roles.go); the
		// check runs before anything is looked up, so a refusal says
		// nothing about the id.
		g.GET("", p.find, requirePermission(PermRead))
		g.GET("/:id", p.read, requirePermission(PermRead))
		g.GET("/:id/export", p.export, requirePermission(PermExport))
		g.DELETE("/:id", p.erase, requirePermission(PermErase))
	}, nil
}

// noStore keeps personal data out of every cache on the way.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

type patients struct {
	cfg PatientsConfig
}

func patientID(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, echo.NewHTTPError(http.StatusBadRequest, "patient id must be a uuid")
	}
	return id, nil
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such patient")
	}
	return err
}

// find answers the org's patient with an E.164 number (?phone=+44...).
func (p patients) find(c echo.Context) error {
	cl := claimsOf(c)
	phone := c.QueryParam("phone")
	if !e164Pattern.MatchString(phone) {
		return echo.NewHTTPError(http.StatusBadRequest, "phone must be an E.164 number, e.g. ?phone=%2B447700900123")
	}
	sum, err := p.cfg.Store.FindPatientByPhone(c.Request().Context(), p.cfg.Vault, cl, phone, "staff api: find by phone")
	if err != nil {
		return notFound(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"patient": sum})
}

// read answers the record with its identifiers decrypted.
func (p patients) read(c echo.Context) error {
	cl := claimsOf(c)
	id, err := patientID(c)
	if err != nil {
		return err
	}
	pt, err := p.cfg.Store.ReadPatient(c.Request().Context(), p.cfg.Vault, cl, id, "staff api: read")
	if err != nil {
		return notFound(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"patient": pt.Record()})
}

// export answers everything held about the patient (store.PatientExport).
func (p patients) export(c echo.Context) error {
	cl := claimsOf(c)
	id, err := patientID(c)
	if err != nil {
		return err
	}
	ex, err := p.cfg.Store.ExportPatient(c.Request().Context(), p.cfg.Vault, cl, id, "staff api: subject access / portability export")
	if err != nil {
		return notFound(err)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="patient-`+id.String()+`.json"`)
	return c.JSON(http.StatusOK, ex)
}

// maxReasonLen bounds the reason an erasure records in the audit log.
const maxReasonLen = 200

// erase erases the patient as `frontdesk erase` does. An optional body
// {"reason": "..."} says why, for the audit log: a ticket number, never
// personal data.
func (p patients) erase(c echo.Context) error {
	cl := claimsOf(c)
	id, err := patientID(c)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body too large")
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, `body must be empty or {"reason": "..."}`)
		}
	}
	reason := strings.TrimSpace(body.Reason)
	if len(reason) > maxReasonLen || strings.ContainsFunc(reason, unicode.IsControl) {
		return echo.NewHTTPError(http.StatusBadRequest, "reason must be one line of at most 200 bytes")
	}
	if reason == "" {
		reason = "erasure request (GDPR Art. 17) via the staff api"
	}
	rep, err := p.cfg.Store.ErasePatient(c.Request().Context(), p.cfg.Vault, cl, id, p.cfg.Retention, reason)
	if err != nil {
		return notFound(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"erasure": rep})
}
