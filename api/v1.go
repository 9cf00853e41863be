package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// StaffStore is what /v1 needs from the database. Every method takes the
// caller's claims: row-level security, not this code, keeps orgs apart.
type StaffStore interface {
	ListProcedures(ctx context.Context, c store.Claims) ([]store.ProcedureDetail, error)
	ListSlots(ctx context.Context, c store.Claims, from, to time.Time) ([]store.Slot, error)
	SetSlotBlocked(ctx context.Context, c store.Claims, slotID uuid.UUID, blocked bool) (store.Slot, error)
	ListCalls(ctx context.Context, c store.Claims, limit int) ([]store.CallRecord, error)
	GetCall(ctx context.Context, c store.Claims, callSID string) (store.CallRecord, error)
	ListBookings(ctx context.Context, c store.Claims, from, to time.Time) ([]store.StaffBooking, error)
	BookForStaff(ctx context.Context, c store.Claims, slotID, procedureID uuid.UUID) (store.Booking, error)
	CancelBooking(ctx context.Context, c store.Claims, bookingID uuid.UUID) error
}

// CallStates answers a running call's live state.
type CallStates interface {
	State(ctx context.Context, callSID string) (contract.CallState, error)
}

var dayPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

type v1 struct {
	store  StaffStore
	states CallStates
}

// routes mounts /v1; every route names the permission it needs
// (api/roles.go).
func (v v1) routes(g *echo.Group) {
	read, book := requirePermission(PermRead), requirePermission(PermBook)
	g.GET("/procedures", v.listProcedures, read)
	g.GET("/slots", v.listSlots, read)
	g.POST("/slots/:id/block", v.blockSlot, book)
	g.GET("/calls", v.listCalls, read)
	g.GET("/calls/:call_sid", v.getCall, read)
	g.GET("/bookings", v.listBookings, read)
	g.POST("/bookings", v.createBooking, book)
	g.POST("/bookings/:id/cancel", v.cancelBooking, book)
}

func (v v1) listProcedures(c echo.Context) error {
	out, err := v.store.ListProcedures(c.Request().Context(), claimsOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"procedures": nonNil(out)})
}

// dayParam reads ?date=YYYY-MM-DD as a UTC day.
func dayParam(c echo.Context) (time.Time, error) {
	day := c.QueryParam("date")
	if !dayPattern.MatchString(day) {
		return time.Time{}, echo.NewHTTPError(http.StatusBadRequest, "date must be YYYY-MM-DD")
	}
	from, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, echo.NewHTTPError(http.StatusBadRequest, "date is not a calendar day")
	}
	return from, nil
}

// listSlots answers the slots of one day (UTC) given as ?date=YYYY-MM-DD.
func (v v1) listSlots(c echo.Context) error {
	from, err := dayParam(c)
	if err != nil {
		return err
	}
	out, err := v.store.ListSlots(c.Request().Context(), claimsOf(c), from, from.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"slots": nonNil(out)})
}

func (v v1) blockSlot(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "slot id must be a uuid")
	}
	var body struct {
		Blocked *bool `json:"blocked"`
	}
	if err := c.Bind(&body); err != nil || body.Blocked == nil {
		return echo.NewHTTPError(http.StatusBadRequest, `body must be {"blocked": true|false}`)
	}
	sl, err := v.store.SetSlotBlocked(c.Request().Context(), claimsOf(c), id, *body.Blocked)
	if errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such slot")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sl)
}

func (v v1) listCalls(c echo.Context) error {
	limit := 50
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return echo.NewHTTPError(http.StatusBadRequest, "limit must be 1..500")
		}
		limit = n
	}
	out, err := v.store.ListCalls(c.Request().Context(), claimsOf(c), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"calls": nonNil(out)})
}

// getCall answers the call's row and, while the workflow exists, its live
// state. The row is read first under the caller's claims, so a call of
// another org is not found before Temporal is ever asked.
func (v v1) getCall(c echo.Context) error {
	sid := c.Param("call_sid")
	if !callSIDPattern.MatchString(sid) {
		return echo.NewHTTPError(http.StatusBadRequest, "malformed CallSid")
	}
	ctx := c.Request().Context()
	rec, err := v.store.GetCall(ctx, claimsOf(c), sid)
	if errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such call")
	}
	if err != nil {
		return err
	}
	resp := map[string]any{"call": rec}
	// The query is for the caller's org: its payloads are bound to it.
	if st, err := v.states.State(vault.ContextWithOrg(ctx, claimsOf(c).OrgID.String()), sid); err == nil {
		resp["live"] = st
	}
	return c.JSON(http.StatusOK, resp)
}

// listBookings answers the bookings starting on one day (UTC).
func (v v1) listBookings(c echo.Context) error {
	from, err := dayParam(c)
	if err != nil {
		return err
	}
	out, err := v.store.ListBookings(c.Request().Context(), claimsOf(c), from, from.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"bookings": nonNil(out)})
}

// createBooking books a slot through the same lock a caller's agent uses:
// 201 booked, 409 taken (with the status), 404 no such slot or procedure in
// the org, 422 a slot in the past.
func (v v1) createBooking(c echo.Context) error {
	var body struct {
		SlotID      string `json:"slot_id"`
		ProcedureID string `json:"procedure_id"`
	}
	if err := c.Bind(&body); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, `body must be {"slot_id": uuid, "procedure_id": uuid}`)
	}
	slot, err1 := uuid.Parse(body.SlotID)
	proc, err2 := uuid.Parse(body.ProcedureID)
	if err1 != nil || err2 != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "slot_id and procedure_id must be uuids")
	}
	b, err := v.store.BookForStaff(c.Request().Context(), claimsOf(c), slot, proc)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "22023" {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "the procedure does not fit this slot")
		}
		return err
	}
	switch b.Status {
	case store.BookingBooked:
		return c.JSON(http.StatusCreated, map[string]any{"status": b.Status, "booking_id": b.BookingID})
	case store.HoldConflict:
		return c.JSON(http.StatusConflict, map[string]any{"status": b.Status, "error": "the slot is taken"})
	case store.HoldExpired:
		return c.JSON(http.StatusUnprocessableEntity, map[string]any{"status": b.Status, "error": "the slot is in the past"})
	}
	return c.JSON(http.StatusNotFound, map[string]any{"status": b.Status, "error": "no such slot or procedure"})
}

func (v v1) cancelBooking(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "booking id must be a uuid")
	}
	err = v.store.CancelBooking(c.Request().Context(), claimsOf(c), id)
	if errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such active booking")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": id, "cancelled": true})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
