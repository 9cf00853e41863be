package api

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	twclient "github.com/twilio/twilio-go/client"
)

// Twilio's own published test vector, checked against both our signer and
// twilio-go's validator.
func TestTwilioSignatureVector(t *testing.T) {
	u := "https://mycompany.com/myapp.php?foo=1&bar=2"
	form := url.Values{
		"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
		"Caller": {"+14158675309"}, "From": {"+14158675309"}, "ReasonConferenceEnded": {"test"}, "Reason": {"Participant"},
	}
	const want = "vOEb5UThFn24KEfnOFLQY2AE5FY="
	require.Equal(t, want, TwilioSignature("12345", u, form))
	v := twclient.NewRequestValidator("12345")
	require.True(t, v.Validate(u, firstValues(form), want))
	require.False(t, v.Validate(u, firstValues(form), TwilioSignature("54321", u, form)))
}
