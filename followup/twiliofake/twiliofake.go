// Package twiliofake is a local stand-in for Twilio's Messages REST API,
// for tests and benchmarks: it speaks the real wire format (form posts to
// /2010-04-01/Accounts/{AccountSid}/Messages.json with basic auth, JSON
// answers shaped like Twilio's, error JSON {code, message, more_info,
// status}), so the code under test drives it through twilio-go unchanged.
// It can fail on demand and send signed status callbacks.
package twiliofake

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is one message the fake accepted.
type Message struct {
	SID            string
	AccountSID     string
	To, From, Body string
	MediaURLs      []string
	StatusCallback string
	Status         string
	Created        time.Time
	// Received is when the request arrived (for latency measurements).
	Received time.Time
	inbound  bool
}

// Failure is a programmed error answer.
type Failure struct {
	HTTPStatus int
	Code       int
	Message    string
	// RetryAfter, when set, is sent as the Retry-After header (seconds).
	RetryAfter int
}

// Server is the fake.
type Server struct {
	*httptest.Server
	AccountSID, AuthToken string

	mu       sync.Mutex
	messages []Message
	received []Message // inbound, from Inbound
	failures []Failure
	attempts int
	notify   []chan Message
	calls    map[string]Call
}

// Call is a voice call as the fake's Calls resource reports it.
type Call struct {
	Status       string
	DurationSecs int
}

var (
	messagesPath = regexp.MustCompile(`^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\.json$`)
	callPath     = regexp.MustCompile(`^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls/(CA[0-9a-fA-F]{32})\.json$`)
	messagePath  = regexp.MustCompile(`^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages/((?:SM|MM)[0-9a-fA-F]{32})\.json$`)
	e164         = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// New starts a fake for one account.
func New(accountSID, authToken string) *Server {
	s := &Server{AccountSID: accountSID, AuthToken: authToken}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// FailNext makes the next len(f) create requests fail with f, in order.
func (s *Server) FailNext(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f...)
}

// Messages returns the accepted messages, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Attempts counts create requests, failed ones included.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Subscribe returns a channel that receives every message accepted from
// now on (buffered; a slow reader misses none up to its capacity).
func (s *Server) Subscribe(capacity int) <-chan Message {
	ch := make(chan Message, capacity)
	s.mu.Lock()
	s.notify = append(s.notify, ch)
	s.mu.Unlock()
	return ch
}

// SetCall makes the Calls resource report a call (what a status callback
// would have said, had it arrived).
func (s *Server) SetCall(callSID string, c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]Call{}
	}
	s.calls[callSID] = c
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if c := callPath.FindStringSubmatch(r.URL.Path); c != nil && r.Method == http.MethodGet {
		s.fetchCall(w, r, c[1], c[2])
		return
	}
	if one := messagePath.FindStringSubmatch(r.URL.Path); one != nil && r.Method == http.MethodGet {
		s.fetch(w, r, one[1], one[2])
		return
	}
	m := messagesPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		writeError(w, Failure{HTTPStatus: 404, Code: 20404, Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.AccountSID || pass != s.AuthToken || m[1] != s.AccountSID {
		writeError(w, Failure{HTTPStatus: 401, Code: 20003, Message: "Authenticate"})
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.create(w, r)
	case http.MethodGet:
		s.list(w, r)
	default:
		writeError(w, Failure{HTTPStatus: 405, Code: 20004, Message: "Method not allowed"})
	}
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	received := time.Now()
	if err := r.ParseForm(); err != nil {
		writeError(w, Failure{HTTPStatus: 400, Code: 20001, Message: "malformed form"})
		return
	}
	s.mu.Lock()
	s.attempts++
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		s.mu.Unlock()
		writeError(w, f)
		return
	}
	s.mu.Unlock()
	to, from, body := r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body")
	switch {
	case !e164.MatchString(to):
		writeError(w, Failure{HTTPStatus: 400, Code: 21211, Message: fmt.Sprintf("The 'To' number %s is not a valid phone number.", to)})
		return
	case from == "":
		writeError(w, Failure{HTTPStatus: 400, Code: 21603, Message: "The 'From' phone number is required."})
		return
	case body == "" && len(r.PostForm["MediaUrl"]) == 0:
		writeError(w, Failure{HTTPStatus: 400, Code: 21602, Message: "Message body is required."})
		return
	}
	msg := Message{SID: newSID("SM"), AccountSID: s.AccountSID, To: to, From: from, Body: body,
		MediaURLs: r.PostForm["MediaUrl"], StatusCallback: r.PostForm.Get("StatusCallback"),
		Status: "queued", Created: time.Now().UTC().Truncate(time.Second), Received: received}
	if len(msg.MediaURLs) > 0 {
		msg.SID = newSID("MM")
	}
	s.mu.Lock()
	s.messages = append(s.messages, msg)
	subs := append([]chan Message(nil), s.notify...)
	s.mu.Unlock()
	for _, ch := range subs {
		select {
		case ch <- msg:
		default:
		}
	}
	writeJSON(w, http.StatusCreated, s.resource(msg))
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("PageSize"))
	if size <= 0 || size > 1000 {
		size = 50
	}
	s.mu.Lock()
	var out []map[string]any
	for i := len(s.messages) - 1; i >= 0 && len(out) < size; i-- {
		m := s.messages[i]
		if (q.Get("To") == "" || q.Get("To") == m.To) && (q.Get("From") == "" || q.Get("From") == m.From) {
			out = append(out, s.resource(m))
		}
	}
	s.mu.Unlock()
	uri := r.URL.RequestURI()
	writeJSON(w, http.StatusOK, map[string]any{
		"messages": out, "page": 0, "page_size": size, "start": 0, "end": max(len(out)-1, 0),
		"uri": uri, "first_page_uri": uri, "next_page_uri": nil, "previous_page_uri": nil,
	})
}

// Inbound records a message a caller sent to one of the account's numbers
// at the given time, as Twilio would before calling the number's webhook;
// post the webhook with PostSigned. The message can then be fetched.
func (s *Server) Inbound(from, to, body string, at time.Time) Message {
	m := Message{SID: newSID("SM"), AccountSID: s.AccountSID, To: to, From: from, Body: body, Status: "received", Created: at, Received: time.Now(), inbound: true}
	s.mu.Lock()
	s.received = append(s.received, m)
	s.mu.Unlock()
	return m
}

// fetch answers GET .../Messages/{Sid}.json.
func (s *Server) fetch(w http.ResponseWriter, r *http.Request, account, sid string) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.AccountSID || pass != s.AuthToken || account != s.AccountSID {
		writeError(w, Failure{HTTPStatus: 401, Code: 20003, Message: "Authenticate"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range append(append([]Message(nil), s.messages...), s.received...) {
		if m.SID == sid {
			writeJSON(w, http.StatusOK, s.resource(m))
			return
		}
	}
	writeError(w, Failure{HTTPStatus: 404, Code: 20404, Message: "The requested resource " + r.URL.Path + " was not found"})
}

// fetchCall answers GET .../Calls/{CallSid}.json as Twilio does (the
// fields twilio-go reads; a call never set is Twilio's 404).
func (s *Server) fetchCall(w http.ResponseWriter, r *http.Request, account, sid string) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.AccountSID || pass != s.AuthToken || account != s.AccountSID {
		writeError(w, Failure{HTTPStatus: 401, Code: 20003, Message: "Authenticate"})
		return
	}
	s.mu.Lock()
	c, found := s.calls[sid]
	s.mu.Unlock()
	if !found {
		writeError(w, Failure{HTTPStatus: 404, Code: 20404, Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"sid": sid, "account_sid": account, "status": c.Status, "duration": strconv.Itoa(c.DurationSecs),
		"direction": "inbound", "api_version": "2010-04-01",
		"uri": "/2010-04-01/Accounts/" + account + "/Calls/" + sid + ".json",
	})
}

// resource renders a message as Twilio's API does.
func (s *Server) resource(m Message) map[string]any {
	return map[string]any{
		"sid": m.SID, "account_sid": m.AccountSID, "to": m.To, "from": m.From, "body": m.Body,
		"status": m.Status, "direction": direction(m), "num_segments": "1", "num_media": strconv.Itoa(len(m.MediaURLs)),
		"date_created": m.Created.Format(time.RFC1123Z), "date_updated": m.Created.Format(time.RFC1123Z), "date_sent": nil,
		"api_version": "2010-04-01", "price": nil, "price_unit": "USD", "error_code": nil, "error_message": nil,
		"messaging_service_sid": nil,
		"uri":                   "/2010-04-01/Accounts/" + m.AccountSID + "/Messages/" + m.SID + ".json",
		"subresource_uris":      map[string]string{"media": "/2010-04-01/Accounts/" + m.AccountSID + "/Messages/" + m.SID + "/Media.json"},
	}
}

// DeliverStatus posts a signed status callback for message sid, as Twilio
// does when a message changes status; it returns the HTTP status.
func (s *Server) DeliverStatus(sid, status string) (int, error) {
	s.mu.Lock()
	var msg *Message
	for i := range s.messages {
		if s.messages[i].SID == sid {
			s.messages[i].Status = status
			msg = &s.messages[i]
		}
	}
	var m Message
	if msg != nil {
		m = *msg
	}
	s.mu.Unlock()
	if msg == nil {
		return 0, fmt.Errorf("no message %s", sid)
	}
	if m.StatusCallback == "" {
		return 0, fmt.Errorf("message %s has no status callback", sid)
	}
	form := url.Values{"MessageSid": {m.SID}, "SmsSid": {m.SID}, "MessageStatus": {status}, "SmsStatus": {status},
		"AccountSid": {m.AccountSID}, "To": {m.To}, "From": {m.From}, "ApiVersion": {"2010-04-01"}}
	return s.PostSigned(m.StatusCallback, form)
}

// PostSigned posts form to fullURL with the X-Twilio-Signature Twilio
// would compute, as an inbound SMS or status webhook.
func (s *Server) PostSigned(fullURL string, form url.Values) (int, error) {
	req, err := http.NewRequest(http.MethodPost, fullURL, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", Signature(s.AuthToken, fullURL, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Signature is Twilio's webhook signature, computed independently of the
// api's validator so that each checks the other.
func Signature(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		for _, v := range form[k] {
			b.WriteString(k + v)
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func direction(m Message) string {
	if m.inbound {
		return "inbound"
	}
	return "outbound-api"
}

func writeError(w http.ResponseWriter, f Failure) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	msg := f.Message
	if msg == "" {
		msg = http.StatusText(f.HTTPStatus)
	}
	body := map[string]any{"code": f.Code, "message": msg, "status": f.HTTPStatus}
	if f.Code != 0 {
		body["more_info"] = fmt.Sprintf("https://www.twilio.com/docs/errors/%d", f.Code)
	}
	writeJSON(w, f.HTTPStatus, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newSID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
