package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/store"
)

// runToken mints an HS256 staff token with FRONTDESK_JWT_SECRET (the
// development secret when unset), for trying /v1 by hand.
func runToken(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	org := fs.String("org", "A", "org: A or B (the demo orgs) or an org uuid")
	role := fs.String("role", "staff", "role: staff, admin or ops")
	sub := fs.String("sub", "demo-user", "subject")
	ttl := fs.Duration("ttl", time.Hour, "lifetime")
	if err := fs.Parse(args); err != nil {
		return err
	}
	devenv.SetDefault("FRONTDESK_JWT_SECRET", config.DevJWTSecret)
	cfg := config.FromEnv()
	orgID := *org
	switch strings.ToUpper(orgID) {
	case "A":
		orgID = store.DemoOrgA.String()
	case "B":
		orgID = store.DemoOrgB.String()
	}
	if *ttl <= 0 {
		return errors.New("--ttl must be positive")
	}
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, api.StaffClaims{
		OrgID: orgID, Role: *role,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject: *sub, Issuer: cfg.JWTIssuer, Audience: jwt.ClaimStrings{cfg.JWTAudience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(*ttl)),
		},
	})
	s, err := tok.SignedString([]byte(cfg.JWTSecret))
	if err != nil {
		return err
	}
	fmt.Println(s)
	return nil
}
