package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/frontdesk/frontdesk/api"
)

// Twilio posts webhooks the way Twilio does: form bodies signed with the
// account's auth token over the public URL the api is configured with.
type Twilio struct {
	// PublicURL is FRONTDESK_PUBLIC_URL: where Twilio reaches the api and
	// what the signature covers.
	PublicURL  string
	AuthToken  string
	AccountSID string
	// Client defaults to http.DefaultClient.
	Client *http.Client
}

// Post sends a signed webhook to path and returns the answer's body; an
// answer of 300 or more is an error carrying the status and body.
func (t Twilio) Post(ctx context.Context, path string, form url.Values) (string, error) {
	form.Set("AccountSid", t.AccountSID)
	form.Set("ApiVersion", "2010-04-01")
	u := t.PublicURL + path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(api.SignatureHeader, api.TwilioSignature(t.AuthToken, u, form))
	c := t.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("POST %s (is `make dev` running?): %w", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		return "", fmt.Errorf("POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return string(body), nil
}

// NewCallSID makes a CallSid of Twilio's shape: CA and 32 hex digits.
func NewCallSID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "CA" + hex.EncodeToString(b)
}

// CallerNumber picks a number from Ofcom's drama range (+44 7700 900000 to
// 900999), which rings nobody: a different caller each run, so an earlier
// demo's booking does not stop this one's follow-up.
func CallerNumber() string {
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	return fmt.Sprintf("+447700900%03d", (int(b[0])<<8|int(b[1]))%1000)
}
