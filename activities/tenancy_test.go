package activities_test

import (
	"context"
	"errors"
	"testing"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

func TestCheckTenantRefusesAClinicOfAnotherOrg(t *testing.T) {
	ctx := context.Background()
	_, st := testenv.DemoStore(t)
	a := &activities.Activities{Store: st}
	sid := "CA" + "0123456789abcdef0123456789abcdef"

	require.NoError(t, a.CheckTenant(ctx, activities.TenantCheck{OrgID: store.DemoOrgA.String(), ClinicID: store.DemoClinicA.String(), CallSID: sid}))
	require.NoError(t, a.CheckTenant(ctx, activities.TenantCheck{OrgID: store.DemoOrgB.String(), ClinicID: store.DemoClinicB.String(), CallSID: sid}))

	for _, forged := range []activities.TenantCheck{
		{OrgID: store.DemoOrgA.String(), ClinicID: store.DemoClinicB.String(), CallSID: sid},
		{OrgID: store.DemoOrgB.String(), ClinicID: store.DemoClinicA.String(), CallSID: sid},
		{OrgID: "not-a-uuid", ClinicID: store.DemoClinicA.String(), CallSID: sid},
	} {
		err := a.CheckTenant(ctx, forged)
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr), "%+v: %v", forged, err)
		require.Equal(t, contract.ErrTypeTenantMismatch, appErr.Type())
		require.True(t, appErr.NonRetryable())
	}
}
