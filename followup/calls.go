package followup

import (
	"context"
	"strconv"
)

// CallStatus asks Twilio for a call's status and duration: how a call
// whose final status callback was lost learns that it has ended. The same
// REST client (and fake) as the SMS.
func (s *TwilioSender) CallStatus(ctx context.Context, callSID string) (string, int, error) {
	rt := s.roundTripper(ctx)
	call, err := s.client(rt).Api.FetchCall(callSID, nil)
	if err != nil {
		return "", 0, rt.classify(err)
	}
	status, secs := "", 0
	if call.Status != nil {
		status = string(*call.Status)
	}
	if call.Duration != nil {
		secs, _ = strconv.Atoi(*call.Duration)
	}
	return status, secs, nil
}
