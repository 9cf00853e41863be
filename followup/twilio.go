package followup

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	twilio "github.com/twilio/twilio-go"
	twclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// Message is one SMS (or MMS, with MediaURL) to send.
type Message struct {
	To, From       string
	Body           string
	MediaURL       string
	StatusCallback string
}

// Sent is Twilio's acceptance of a message.
type Sent struct {
	SID    string
	Status string
}

// Twilio error codes that name the recipient as the problem.
const (
	CodeInvalidTo    = 21211
	CodeNotMobile    = 21614
	CodeUnsubscribed = 21610
)

// SendError is Twilio's refusal (or no answer). Retryable tells the
// activity whether another attempt can help.
type SendError struct {
	HTTPStatus int // 0 when Twilio never answered
	Code       int
	// Message is Twilio's text; it may quote the recipient's number, so it
	// is for tests and debugging, never for logs.
	Message string
	// RetryAfter is Twilio's Retry-After on a 429/503, else 0.
	RetryAfter time.Duration
	Err        error
}

// Error leaves out Twilio's message text on purpose: for a bad number it
// quotes the number, and this string reaches logs and workflow history.
func (e *SendError) Error() string {
	if e.HTTPStatus == 0 {
		return "twilio unreachable"
	}
	return fmt.Sprintf("twilio answered %d (error code %d)", e.HTTPStatus, e.Code)
}

func (e *SendError) Unwrap() error { return e.Err }

// Retryable: rate limits, Twilio's own failures and network errors are
// worth another try; any other 4xx (bad number, opted out, bad request)
// will fail the same way again.
func (e *SendError) Retryable() bool {
	return e.HTTPStatus == 0 || e.HTTPStatus == http.StatusTooManyRequests || e.HTTPStatus >= 500
}

// TwilioConfig configures the real sender.
type TwilioConfig struct {
	AccountSID, AuthToken string
	// BaseURL replaces https://api.twilio.com (a local fake in tests and
	// benchmarks); empty for Twilio itself.
	BaseURL string
	// Timeout bounds one request (default 10s).
	Timeout time.Duration
	// Transport carries the requests (default http.DefaultTransport); the
	// worker passes one that traces them.
	Transport http.RoundTripper
}

// TwilioSender sends through twilio-go's Api.CreateMessage.
type TwilioSender struct {
	cfg       TwilioConfig
	base      *url.URL
	transport http.RoundTripper
}

// NewTwilioSender builds a sender; connections are pooled across sends.
func NewTwilioSender(cfg TwilioConfig) (*TwilioSender, error) {
	if cfg.AccountSID == "" || cfg.AuthToken == "" {
		return nil, errors.New("twilio sender needs an account sid and auth token")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	s := &TwilioSender{cfg: cfg, transport: cfg.Transport}
	if s.transport == nil {
		s.transport = http.DefaultTransport
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("twilio base url %q: %w", cfg.BaseURL, err)
		}
		s.base = u
	}
	return s, nil
}

// Send creates the message.
func (s *TwilioSender) Send(ctx context.Context, m Message) (Sent, error) {
	rt := s.roundTripper(ctx)
	params := &openapi.CreateMessageParams{}
	params.SetTo(m.To).SetFrom(m.From).SetBody(m.Body)
	if m.MediaURL != "" {
		params.SetMediaUrl([]string{m.MediaURL})
	}
	if m.StatusCallback != "" {
		params.SetStatusCallback(m.StatusCallback)
	}
	msg, err := s.client(rt).Api.CreateMessage(params)
	if err != nil {
		return Sent{}, rt.classify(err)
	}
	out := Sent{}
	if msg.Sid != nil {
		out.SID = *msg.Sid
	}
	if msg.Status != nil {
		out.Status = *msg.Status
	}
	if out.SID == "" {
		return Sent{}, &SendError{HTTPStatus: rt.status, Message: "no message sid in Twilio's answer"}
	}
	return out, nil
}

// Find looks for m among the recent messages to m.To from m.From (one page,
// newest first, queued ones included), created at or after since. It is
// how a retry after a crash tells "Twilio has it" from "never sent".
func (s *TwilioSender) Find(ctx context.Context, m Message, since time.Time) (Sent, bool, error) {
	rt := s.roundTripper(ctx)
	params := &openapi.ListMessageParams{}
	params.SetTo(m.To).SetFrom(m.From).SetPageSize(50)
	page, err := s.client(rt).Api.PageMessage(params, "", "")
	if err != nil {
		return Sent{}, false, rt.classify(err)
	}
	for _, msg := range page.Messages {
		if msg.Body == nil || *msg.Body != m.Body || msg.Sid == nil {
			continue
		}
		if msg.DateCreated != nil {
			if t, err := time.Parse(time.RFC1123Z, *msg.DateCreated); err == nil && t.Before(since.Add(-time.Minute)) {
				continue
			}
		}
		st := ""
		if msg.Status != nil {
			st = *msg.Status
		}
		return Sent{SID: *msg.Sid, Status: st}, true, nil
	}
	return Sent{}, false, nil
}

// SentAt is Twilio's time for a message (its date_created): the api orders
// inbound STOP and START replies by it rather than by their arrival.
func (s *TwilioSender) SentAt(ctx context.Context, messageSID string) (time.Time, error) {
	rt := s.roundTripper(ctx)
	msg, err := s.client(rt).Api.FetchMessage(messageSID, &openapi.FetchMessageParams{})
	if err != nil {
		return time.Time{}, rt.classify(err)
	}
	if msg.DateCreated == nil {
		return time.Time{}, errors.New("twilio: message has no date_created")
	}
	t, err := time.Parse(time.RFC1123Z, *msg.DateCreated)
	if err != nil {
		return time.Time{}, fmt.Errorf("twilio: message date_created: %w", err)
	}
	return t, nil
}

func (s *TwilioSender) client(rt *captureTransport) *twilio.RestClient {
	c := &twclient.Client{
		Credentials: twclient.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken),
		HTTPClient: &http.Client{Transport: rt, Timeout: s.cfg.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	c.SetAccountSid(s.cfg.AccountSID)
	return twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
}

// roundTripper is per request: twilio-go takes no context and drops
// response headers on errors, so the transport carries the context in and
// Retry-After out.
func (s *TwilioSender) roundTripper(ctx context.Context) *captureTransport {
	return &captureTransport{ctx: ctx, base: s.transport, rewrite: s.base}
}

type captureTransport struct {
	ctx        context.Context
	base       http.RoundTripper
	rewrite    *url.URL
	status     int
	retryAfter time.Duration
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(t.ctx)
	if t.rewrite != nil {
		req.URL.Scheme, req.URL.Host, req.Host = t.rewrite.Scheme, t.rewrite.Host, t.rewrite.Host
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.status = resp.StatusCode
	t.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return resp, nil
}

func (t *captureTransport) classify(err error) error {
	var rest *twclient.TwilioRestError
	if errors.As(err, &rest) {
		status := rest.Status
		if status == 0 {
			status = t.status
		}
		return &SendError{HTTPStatus: status, Code: rest.Code, Message: rest.Message, RetryAfter: t.retryAfter, Err: err}
	}
	var netErr net.Error
	if t.status == 0 || errors.As(err, &netErr) {
		return &SendError{Message: "no answer", Err: err}
	}
	// An error status whose body was not Twilio's JSON (a proxy's 502 page).
	return &SendError{HTTPStatus: t.status, Message: "unreadable error answer", RetryAfter: t.retryAfter, Err: err}
}

// parseRetryAfter reads seconds or an HTTP date; 0 when absent or past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
