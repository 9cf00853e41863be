package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFromEnvDefaultsAndDerivedURLs(t *testing.T) {
	t.Setenv("FRONTDESK_PUBLIC_URL", "")
	t.Setenv("FRONTDESK_HTTP_ADDR", "")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("DATABASE_ADMIN_URL", "")
	c := FromEnv()
	require.Equal(t, "http://127.0.0.1:8080", c.PublicURL)
	require.Equal(t, "ws://127.0.0.1:8080/twilio/media", c.MediaStreamURL())
	require.Equal(t, c.DatabaseURL, c.DatabaseAdminURL, "migrations default to DATABASE_URL")

	t.Setenv("FRONTDESK_PUBLIC_URL", "https://frontdesk.example.org/base/")
	c = FromEnv()
	require.Equal(t, "https://frontdesk.example.org/base", c.PublicURL)
	require.Equal(t, "wss://frontdesk.example.org/base/twilio/media", c.MediaStreamURL())
}

func TestValidateAPI(t *testing.T) {
	c := Config{PublicURL: "http://127.0.0.1:8080"}
	require.ErrorContains(t, c.ValidateAPI(), "TWILIO_AUTH_TOKEN")
	c.TwilioAuthToken = "x"
	require.NoError(t, c.ValidateAPI())
	c.PublicURL = "127.0.0.1:8080"
	require.ErrorContains(t, c.ValidateAPI(), "FRONTDESK_PUBLIC_URL")
}

func TestFollowUpSettings(t *testing.T) {
	t.Setenv("FRONTDESK_LINK_SECRET", "a-link-secret-for-tests")
	t.Setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9999")
	c := FromEnv()
	require.Equal(t, "a-link-secret-for-tests", c.LinkSecret)
	require.Equal(t, "http://127.0.0.1:9999", c.TwilioBaseURL)
}
