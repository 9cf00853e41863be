package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
)

// TenantCheck is what a workflow claims about itself: this call belongs to
// this clinic of this org.
type TenantCheck struct {
	OrgID    string `json:"org_id"`
	ClinicID string `json:"clinic_id"`
	CallSID  string `json:"call_sid"`
}

// CheckTenant confirms, under the org's own claims, that the clinic is one
// of the org's. Every later activity runs under the same claims, so once
// this passes a forged clinic id cannot reach another org's slots,
// patients or numbers: row-level security hides them.
func (a *Activities) CheckTenant(ctx context.Context, in TenantCheck) error {
	org, err1 := uuid.Parse(in.OrgID)
	clinic, err2 := uuid.Parse(in.ClinicID)
	if err := errors.Join(err1, err2); err != nil {
		return temporal.NewNonRetryableApplicationError("tenant check: malformed ids", contract.ErrTypeTenantMismatch, err)
	}
	var ok bool
	err := a.Store.InTenant(ctx, store.CallClaims(org, in.CallSID), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select exists (select from app.clinics where id = $1)`, clinic).Scan(&ok)
	})
	if err != nil {
		return fmt.Errorf("tenant check: %w", err)
	}
	if !ok {
		return temporal.NewNonRetryableApplicationError("tenant check: the clinic is not in the call's org", contract.ErrTypeTenantMismatch, nil)
	}
	return nil
}
