package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/lifecycle"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/embedded"
	"github.com/frontdesk/frontdesk/voice/receptionist"
	"github.com/frontdesk/frontdesk/worker"
)

// The embedded default, with no account: a caller speaking (flite's slt
// voice, through 8 kHz μ-law) books a slot by voice with the rule-based
// receptionist, recognised offline by pocketsphinx with the clinic's own
// language model.
func TestEmbeddedVoiceBooksASlot(t *testing.T) {
	require.NoError(t, embedded.Available(), "make test installs these")
	_, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), testenv.MasterKey())
	require.NoError(t, err)
	tc := testenv.Client(t)
	w := worker.New(tc, &activities.Activities{Store: st, Vault: v, PII: pii.NewDetector(pii.Options{})})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	agentVoice, err := embedded.NewAgentVoice()
	require.NoError(t, err)
	callerVoice, err := embedded.NewCallerVoice()
	require.NoError(t, err)
	calls := starter.Calls{Client: tc}
	vcfg := voice.Config{
		Recognizers: embedded.Recognizers(embedded.RecognizerOptions{}), Synthesizer: agentVoice,
		Agents: receptionist.Factory(receptionist.Options{}),
		Calls:  calls, Turns: starter.Turns{Calls: calls, Vault: v},
		Directory: voice.StoreDirectory{Store: st, Vault: v}, Logger: testenv.Logger(t),
	}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	cfg := api.Config{PublicURL: srv.URL, TwilioAuthToken: testToken, MediaStreamURL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/twilio/media"}
	handler = api.New(cfg, calls, st, func(context.Context) error { return nil }, testenv.Logger(t),
		api.WithVoice(cfg, api.VoiceOptions{Voice: vcfg, States: calls, Transfers: st, Streams: &lifecycle.Streams{}}))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := demo.VoiceCall{
		Twilio: demo.Twilio{PublicURL: srv.URL, AuthToken: testToken, AccountSID: config.DevTwilioAccountSID},
		To:     store.DemoNumberA, From: "+447700900777", Caller: callerVoice,
		Lines: []string{"I would like to book a blood test please", "Friday please", "the second one please", "yes please"},
		Out:   testWriter{t},
	}.Run(ctx)
	require.NoError(t, err)
	require.True(t, res.EndedByAgent, "the receptionist said goodbye and ended the stream")
	require.Contains(t, res.AfterStream, "<Hangup")
	st2 := awaitCall(t, tc, res.CallSID)
	require.Equal(t, contract.OutcomeBooked, st2.Outcome, "booked by voice")
	require.NotEmpty(t, st2.BookingID)
	require.NotEmpty(t, res.Recording)
}
