package api

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"
	twclient "github.com/twilio/twilio-go/client"
)

// SignatureHeader is where Twilio puts a webhook's signature.
const SignatureHeader = "X-Twilio-Signature"

// TwilioSignature computes the X-Twilio-Signature Twilio sends for a form
// POST to fullURL: base64(HMAC-SHA1(token, URL + sorted key/value pairs)).
// frontdesk's own callers (`frontdesk call demo`, the tests) sign with it;
// the api verifies with twilio-go's validator, so the two are checked
// against each other.
func TwilioSignature(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msg := fullURL
	for _, k := range keys {
		msg += k + form.Get(k)
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// webhookForm reads a Twilio webhook's form body and checks its signature
// against the public URL of the path it was sent to. It answers the request
// itself (400, 403, 413 or 415) and returns ok=false when the webhook must
// be refused. Twilio always posts application/x-www-form-urlencoded; any
// other body is refused before it is read, whatever its signature.
func (s *Server) webhookForm(c echo.Context) (form url.Values, ok bool, err error) {
	req := c.Request()
	if mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationForm {
		return nil, false, s.refuse(c, http.StatusUnsupportedMediaType, "Content-Type must be application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(req.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, false, s.refuse(c, http.StatusRequestEntityTooLarge, "body too large")
	}
	if err != nil {
		return nil, false, s.refuse(c, http.StatusBadRequest, "unreadable body")
	}
	form, err = url.ParseQuery(string(body))
	if err != nil {
		return nil, false, s.refuse(c, http.StatusBadRequest, "malformed form body")
	}
	sig := req.Header.Get(SignatureHeader)
	if sig == "" {
		return nil, false, s.refuse(c, http.StatusForbidden, "missing Twilio signature")
	}
	fullURL := s.cfg.PublicURL + req.URL.Path
	if req.URL.RawQuery != "" {
		fullURL += "?" + req.URL.RawQuery
	}
	v := twclient.NewRequestValidator(s.cfg.TwilioAuthToken)
	if !v.Validate(fullURL, firstValues(form), sig) {
		return nil, false, s.refuse(c, http.StatusForbidden, "invalid Twilio signature")
	}
	return form, true, nil
}

func firstValues(form url.Values) map[string]string {
	m := make(map[string]string, len(form))
	for k := range form {
		m[k] = form.Get(k)
	}
	return m
}

// refuse answers a rejected request with a short reason and logs why,
// without any of the request's values.
func (s *Server) refuse(c echo.Context, code int, reason string) error {
	s.logger.Warn("webhook refused", "route", routeOf(c), "status", code, "reason", reason)
	return c.String(code, reason+"\n")
}
