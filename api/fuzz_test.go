package api_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/store"
)

// Fuzz targets (issue 12, item 9). They drive the real echo server with
// in-memory stand-ins for Temporal and Postgres, so a run is fast enough
// for `make test` (`go test -run=^$ -fuzz=<Name> -fuzztime=5s ./api`).
// Seed corpora are in testdata/fuzz/<Name>.

const fuzzToken = "fuzz-twilio-auth-token"

// fuzzCalls records what the webhooks asked of Temporal.
type fuzzCalls struct {
	mu      sync.Mutex
	starts  []contract.CallSessionInput
	signals []contract.CallStatusSignal
}

func (f *fuzzCalls) Start(_ context.Context, in contract.CallSessionInput, _ contract.CallStatusSignal) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, in)
	return "run", nil
}

func (f *fuzzCalls) Status(_ context.Context, _ string, s contract.CallStatusSignal) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.signals = append(f.signals, s)
	return nil
}

func (f *fuzzCalls) Ended(context.Context, string) (bool, error) { return false, nil }

func (f *fuzzCalls) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.starts) + len(f.signals)
}

// fuzzStore is the api's database as far as the webhooks and /d reach it.
type fuzzStore struct {
	mu      sync.Mutex
	writes  int
	pdfByID map[uuid.UUID]int
}

var fuzzClinic = store.ClinicRef{ClinicID: store.DemoClinicA, OrgID: store.DemoOrgA}

func (s *fuzzStore) ClinicForNumber(_ context.Context, called string) (store.ClinicRef, error) {
	if called == store.DemoNumberA {
		return fuzzClinic, nil
	}
	return store.ClinicRef{}, store.ErrNotFound
}

func (s *fuzzStore) write() {
	s.mu.Lock()
	s.writes++
	s.mu.Unlock()
}

func (s *fuzzStore) RecordCallContact(context.Context, store.ClinicRef, string, string) error {
	s.write()
	return nil
}

func (s *fuzzStore) UpdateOutboxByMessage(context.Context, uuid.UUID, string, string, int) (bool, error) {
	s.write()
	return true, nil
}

func (s *fuzzStore) ApplySMSKeyword(context.Context, uuid.UUID, store.SMSKeyword) (string, error) {
	s.write()
	return store.KeywordApplied, nil
}

func (s *fuzzStore) GuideForProcedure(context.Context, store.Claims, uuid.UUID) (store.Guide, error) {
	return store.Guide{}, store.ErrNotFound
}

func (s *fuzzStore) ProcedureDocument(_ context.Context, _ store.Claims, id uuid.UUID, version int) ([]byte, error) {
	if v, ok := s.pdfByID[id]; ok && v == version {
		return []byte("%PDF-1.3 fuzz"), nil
	}
	return nil, store.ErrNotFound
}

func (s *fuzzStore) SaveProcedureDocument(context.Context, store.Claims, uuid.UUID, int, []byte) error {
	return errors.New("the api never renders")
}

type fuzzServer struct {
	url    string
	calls  *fuzzCalls
	store  *fuzzStore
	signer *followup.Signer
}

var fuzzProcedure = uuid.MustParse("f0220000-0000-4000-8000-000000000001")

func startFuzzServer(t testing.TB) *fuzzServer {
	signer, err := followup.NewSigner([]byte("fuzz-link-secret-of-enough-length"), nil)
	if err != nil {
		t.Fatal(err)
	}
	fs := &fuzzServer{calls: &fuzzCalls{}, store: &fuzzStore{pdfByID: map[uuid.UUID]int{fuzzProcedure: 3}}, signer: signer}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	fs.url = srv.URL
	cfg := api.Config{PublicURL: srv.URL, TwilioAuthToken: fuzzToken, MediaStreamURL: "wss://x/twilio/media"}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	handler = api.New(cfg, fs.calls, fs.store, func(context.Context) error { return nil }, logger, api.WithFollowUp(cfg, fs.store, signer))
	return fs
}

var webhookPaths = []string{"/twilio/voice", "/twilio/status", "/twilio/sms", "/twilio/sms-status?org=" + store.DemoOrgA.String()}

// FuzzTwilioWebhook posts arbitrary bodies to every form webhook, signed
// over what they parse to or not signed: nothing may answer 500, an
// unsigned or wrongly typed body reaches neither Temporal nor Postgres,
// and whatever was started carries a well-formed CallSid and number.
func FuzzTwilioWebhook(f *testing.F) {
	f.Add(uint8(0), "CallSid=CA11111111111111111111111111111111&To=%2B441632960001&From=%2B447700900123&CallStatus=ringing", true, "application/x-www-form-urlencoded")
	f.Add(uint8(1), "CallSid=CA11111111111111111111111111111111&CallStatus=completed&SequenceNumber=9223372036854775807", true, "application/x-www-form-urlencoded")
	f.Add(uint8(1), "CallSid=CA11111111111111111111111111111111&CallStatus=in-progress&SequenceNumber=2&CallDuration=-1", true, "application/x-www-form-urlencoded")
	f.Add(uint8(2), "MessageSid=SM11111111111111111111111111111111&From=%2B447700900123&To=%2B441632960001&Body=STOP", true, "application/x-www-form-urlencoded; charset=utf-8")
	f.Add(uint8(3), "MessageSid=SM11111111111111111111111111111111&MessageStatus=delivered&ErrorCode=99999999999", true, "application/x-www-form-urlencoded")
	f.Add(uint8(0), "CallSid=CA1&To=%2B441632960001", false, "application/x-www-form-urlencoded")
	f.Add(uint8(0), `{"CallSid":"CA11111111111111111111111111111111"}`, true, "application/json")
	f.Add(uint8(2), "%zz=%%&&=&Body=%E2%80%8BSTOP", true, "application/x-www-form-urlencoded")
	fs := startFuzzServer(f)
	callSID := regexp.MustCompile(`^CA[0-9a-fA-F]{32}$`)
	f.Fuzz(func(t *testing.T, route uint8, body string, sign bool, contentType string) {
		path := webhookPaths[int(route)%len(webhookPaths)]
		u := fs.url + path
		req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		if sign {
			form, _ := url.ParseQuery(body)
			req.Header.Set(api.SignatureHeader, api.TwilioSignature(fuzzToken, u, form))
		}
		before, writes := fs.calls.count(), fs.storeWrites()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return // the client would not send it (an invalid header value)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s answered %d for %q", path, resp.StatusCode, body)
		}
		if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnsupportedMediaType || !sign {
			if fs.calls.count() != before || fs.storeWrites() != writes {
				t.Fatalf("a refused webhook (%d, signed %v) reached Temporal or Postgres: %q", resp.StatusCode, sign, body)
			}
		}
		fs.calls.mu.Lock()
		defer fs.calls.mu.Unlock()
		for _, in := range fs.calls.starts {
			if !callSID.MatchString(in.CallSID) || in.OrgID != store.DemoOrgA.String() {
				t.Fatalf("started a call with %+v", in)
			}
		}
		for _, s := range fs.calls.signals {
			if s.SequenceNumber < 0 || s.SequenceNumber > contract.MaxSequenceNumber || !contract.KnownStatus(s.CallStatus) || s.CallDuration < 0 {
				t.Fatalf("signalled an out-of-range status %+v", s)
			}
		}
	})
}

func (fs *fuzzServer) storeWrites() int {
	fs.store.mu.Lock()
	defer fs.store.mu.Unlock()
	return fs.store.writes
}

// FuzzDocumentLink requests /d/<token> with arbitrary tokens and with
// tokens this server signed over arbitrary links: the answer is the PDF,
// 404 or 410, never a server error (the review found 500 for version
// 0xFFFFFFFF), and a PDF only for the one link that names it.
func FuzzDocumentLink(f *testing.F) {
	fs := startFuzzServer(f)
	// A fixed expiry: each fuzz worker process computes the seed again, and
	// all must agree on it.
	valid := fs.signer.Sign(followup.Link{Purpose: followup.PurposeGuide, OrgID: store.DemoOrgA, ProcedureID: fuzzProcedure, Version: 3,
		Expires: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	f.Add(valid, false, uint32(0), int64(0))
	f.Add("", true, uint32(0xFFFFFFFF), int64(4102444800))
	f.Add("", true, uint32(0x80000000), int64(4102444800))
	f.Add("", true, uint32(3), int64(1))
	f.Add("AAAA", false, uint32(0), int64(0))
	f.Add(strings.Repeat("A", 62)+"%2F..", false, uint32(0), int64(0))
	f.Fuzz(func(t *testing.T, token string, signed bool, version uint32, expires int64) {
		if signed {
			token = fs.signer.Sign(followup.Link{Purpose: followup.PurposeGuide, OrgID: store.DemoOrgA, ProcedureID: fuzzProcedure,
				Version: int(version), Expires: time.Unix(expires%(1<<40), 0)})
		}
		resp, err := http.Get(fs.url + "/d/" + url.PathEscape(token))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			// Served only for the one spelling this key signs for its link
			// (a forgery would need the MAC; a second spelling of a genuine
			// token is refused too).
			l, err := fs.signer.Verify(token, followup.PurposeGuide)
			if err != nil || fs.signer.Sign(l) != token {
				t.Fatalf("served a PDF for a token it did not sign: %q", token)
			}
			if !strings.HasPrefix(string(body), "%PDF") {
				t.Fatalf("200 without a PDF: %q", body)
			}
		case http.StatusNotFound, http.StatusGone:
		default:
			t.Fatalf("/d answered %d for %q (signed %v, version %d)", resp.StatusCode, token, signed, version)
		}
	})
}

// FuzzVerifyJWT hands the staff-token verifier arbitrary strings: it never
// panics, and whatever it accepts is an HS256 token signed with the key,
// unexpired, with a sub, an org and a known role.
func FuzzVerifyJWT(f *testing.F) {
	auth, err := api.NewAuthenticator(context.Background(), api.AuthConfig{HMACSecret: jwtSecret, Issuer: testIssuer, Audience: testAudience})
	if err != nil {
		f.Fatal(err)
	}
	good := func(mutate func(*api.StaffClaims)) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(store.DemoOrgA, mutate)).SignedString(jwtSecret)
		if err != nil {
			f.Fatal(err)
		}
		return s
	}
	f.Add(good(nil))
	f.Add(good(func(c *api.StaffClaims) { c.Role = "ops" }))
	f.Add(good(func(c *api.StaffClaims) { c.OrgID = "" }))
	f.Add(good(func(c *api.StaffClaims) { c.Subject = strings.Repeat("s", 300) }))
	f.Add("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwib3JnX2lkIjoiMGEwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDBhIiwicm9sZSI6Im9wcyJ9.")
	f.Add("a.b.c")
	f.Add("")
	strict := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithIssuer(testIssuer), jwt.WithAudience(testAudience))
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := auth.Verify(raw)
		if err != nil {
			return
		}
		var sc api.StaffClaims
		if _, err := strict.ParseWithClaims(raw, &sc, func(*jwt.Token) (any, error) { return jwtSecret, nil }); err != nil {
			t.Fatalf("accepted a token an independent strict parse refuses (%v): %q", err, raw)
		}
		if c.OrgID == uuid.Nil || c.Sub == "" || len(c.Sub) > 200 || (c.Role != "staff" && c.Role != "admin" && c.Role != "ops") {
			t.Fatalf("accepted claims %+v", c)
		}
	})
}
