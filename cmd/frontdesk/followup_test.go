package main

import (
	"context"
	"strings"
	"testing"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/stretchr/testify/require"
)

// TestWorkerAsksTwilioAboutQuietCalls: with an account configured, the
// worker's FetchCallStatus reaches Twilio's Calls API (here the fake), so a
// call whose final callback was lost still ends; without one it has no
// fetcher and the call waits for its callback.
func TestWorkerAsksTwilioAboutQuietCalls(t *testing.T) {
	fetcher, err := twilioCallStatus(config.Config{}, nil)
	require.NoError(t, err)
	require.Nil(t, fetcher, "no account, no fetcher")

	account, token := "AC"+strings.Repeat("1", 32), "twiliotesttoken"
	fake := twiliofake.New(account, token)
	t.Cleanup(fake.Close)
	callSID := "CA" + strings.Repeat("2", 32)
	fake.SetCall(callSID, twiliofake.Call{Status: "completed", DurationSecs: 42})

	fetcher, err = twilioCallStatus(config.Config{TwilioAccountSID: account, TwilioAuthToken: token, TwilioBaseURL: fake.URL}, nil)
	require.NoError(t, err)
	require.NotNil(t, fetcher)
	status, secs, err := fetcher.CallStatus(context.Background(), callSID)
	require.NoError(t, err)
	require.Equal(t, "completed", status)
	require.Equal(t, 42, secs)
}
