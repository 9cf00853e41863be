package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Permission is what a route needs from the caller's role.
type Permission string

// The permissions of /v1 and /codec. Roles get distinct sets: staff run the
// diary, admins also exercise patients' rights, ops (the deployment's
// operators) only decode workflow payloads of their org for debugging and
// see nothing of the diary.
const (
	PermRead   Permission = "read"   // procedures, slots, bookings, calls
	PermBook   Permission = "book"   // create and cancel bookings, block slots
	PermDecode Permission = "decode" // Temporal payloads through /codec
	PermErase  Permission = "erase"  // erase a patient (issue 14's /v1/patients)
	PermExport Permission = "export" // export a patient's data
)

// rolePermissions is the whole access policy; README "Security" prints it.
var rolePermissions = map[string]map[Permission]bool{
	"staff": {PermRead: true, PermBook: true},
	"admin": {PermRead: true, PermBook: true, PermErase: true, PermExport: true},
	"ops":   {PermDecode: true},
}

// Can reports whether role holds p.
func Can(role string, p Permission) bool { return rolePermissions[role][p] }

// requirePermission refuses (403) a caller whose role lacks p. It runs
// after the authenticator, so the claims are there.
func requirePermission(p Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !Can(claimsOf(c).Role, p) {
				return echo.NewHTTPError(http.StatusForbidden, "your role may not "+string(p))
			}
			return next(c)
		}
	}
}
