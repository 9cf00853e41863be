package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/workflows"
)

// StaffStore is what /v1 needs from the database. Every method takes the
// caller's claims: row-level security, not this code, keeps orgs apart.
type StaffStore interface {
	ListProcedures(ctx context.Context, c store.Claims) ([]store.ProcedureDetail, error)
	ListSlots(ctx context.Context, c store.Claims, from, to time.Time) ([]store.Slot, error)
	SetSlotBlocked(ctx context.Context, c store.Claims, slotID uuid.UUID, blocked bool) (store.Slot, error)
	ListCalls(ctx context.Context, c store.Claims, limit int) ([]store.CallRecord, error)
	GetCall(ctx context.Context, c store.Claims, callSID string) (store.CallRecord, error)
}

// CallStates answers a running call's live state.
type CallStates interface {
	State(ctx context.Context, callSID string) (workflows.CallState, error)
}

var dayPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

type v1 struct {
	store  StaffStore
	states CallStates
}

func (v v1) routes(g *echo.Group) {
	g.GET("/procedures", v.listProcedures)
	g.GET("/slots", v.listSlots)
	g.POST("/slots/:id/block", v.blockSlot)
	g.GET("/calls", v.listCalls)
	g.GET("/calls/:call_sid", v.getCall)
}

func (v v1) listProcedures(c echo.Context) error {
	out, err := v.store.ListProcedures(c.Request().Context(), claimsOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"procedures": nonNil(out)})
}

// listSlots answers the slots of one day (UTC) given as ?date=YYYY-MM-DD.
func (v v1) listSlots(c echo.Context) error {
	day := c.QueryParam("date")
	if !dayPattern.MatchString(day) {
		return echo.NewHTTPError(http.StatusBadRequest, "date must be YYYY-MM-DD")
	}
	from, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "date is not a calendar day")
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
	if st, err := v.states.State(ctx, sid); err == nil {
		resp["live"] = st
	}
	return c.JSON(http.StatusOK, resp)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
