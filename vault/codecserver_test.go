package vault

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"
)

const (
	uiOrigin = "http://localhost:8233"
	opsToken = "ops-token-0123456789abcdef"
)

type auditEntry struct {
	principal, action string
	count             int
}

type codecServer struct {
	url   string
	codec *PayloadCodec
	mu    sync.Mutex
	audit []auditEntry
}

func (s *codecServer) audits() []auditEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]auditEntry(nil), s.audit...)
}

// startCodecServer mounts the handler on echo under /codec, as the api does.
func startCodecServer(t *testing.T) *codecServer {
	t.Helper()
	s := &codecServer{codec: testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec"))}
	auth, err := NewBearerTokenAuthenticator(map[string]string{"ops-alice": opsToken})
	require.NoError(t, err)
	h, err := NewCodecHandler(CodecServerOptions{
		Codec:          s.codec,
		Authenticate:   auth,
		AllowedOrigins: []string{uiOrigin},
		Audit: func(principal, action string, count int) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.audit = append(s.audit, auditEntry{principal, action, count})
		},
	})
	require.NoError(t, err)
	e := echo.New()
	e.Any("/codec/*", echo.WrapHandler(h))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func encryptedBody(t *testing.T, c *PayloadCodec, texts ...string) []byte {
	t.Helper()
	var ps []*commonpb.Payload
	for _, text := range texts {
		p, err := converter.GetDefaultDataConverter().ToPayload(text)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	enc, err := c.Encode(ps)
	require.NoError(t, err)
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: enc})
	require.NoError(t, err)
	return body
}

func do(t *testing.T, method, url string, body []byte, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestCodecServerDecode(t *testing.T) {
	s := startCodecServer(t)
	body := encryptedBody(t, s.codec, "Jane Roe, 1980-02-03", "second")
	assert.NotContains(t, string(body), "Jane")

	resp, out := do(t, http.MethodPost, s.url+"/codec/decode", body, map[string]string{
		"Content-Type":  "application/json",
		"Authorization": "Bearer " + opsToken,
		"X-Namespace":   "default",
		"Origin":        uiOrigin,
	})
	require.Equal(t, http.StatusOK, resp.StatusCode, out)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, uiOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))

	var decoded commonpb.Payloads
	require.NoError(t, protojson.Unmarshal([]byte(out), &decoded))
	require.Len(t, decoded.Payloads, 2)
	var text string
	require.NoError(t, converter.GetDefaultDataConverter().FromPayload(decoded.Payloads[0], &text))
	assert.Equal(t, "Jane Roe, 1980-02-03", text)
	assert.Equal(t, "json/plain", string(decoded.Payloads[0].Metadata["encoding"]))

	assert.Equal(t, []auditEntry{{"ops-alice", AuditDecode, 2}}, s.audits())
}

func TestCodecServerAccessControl(t *testing.T) {
	s := startCodecServer(t)
	body := encryptedBody(t, s.codec, "Jane Roe")
	cases := []struct {
		name       string
		method     string
		path       string
		headers    map[string]string
		wantStatus int
		wantAudit  []auditEntry
	}{
		{"no credentials", http.MethodPost, "/codec/decode", nil, http.StatusUnauthorized, []auditEntry{{"", AuditDenied, 0}}},
		{"not a bearer token", http.MethodPost, "/codec/decode", map[string]string{"Authorization": "Basic b3BzOnB3"}, http.StatusUnauthorized, []auditEntry{{"", AuditDenied, 0}}},
		{"wrong token", http.MethodPost, "/codec/decode", map[string]string{"Authorization": "Bearer wrong-token-0123456789"}, http.StatusForbidden, []auditEntry{{"", AuditDenied, 0}}},
		{"wrong token on encode", http.MethodPost, "/codec/encode", map[string]string{"Authorization": "Bearer wrong-token-0123456789"}, http.StatusForbidden, []auditEntry{{"", AuditDenied, 0}}},
		{"GET", http.MethodGet, "/codec/decode", map[string]string{"Authorization": "Bearer " + opsToken}, http.StatusMethodNotAllowed, nil},
		{"unknown path", http.MethodPost, "/codec/other", map[string]string{"Authorization": "Bearer " + opsToken}, http.StatusNotFound, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.audits())
			resp, out := do(t, tc.method, s.url+tc.path, body, tc.headers)
			assert.Equal(t, tc.wantStatus, resp.StatusCode, out)
			assert.NotContains(t, out, "Jane")
			if tc.wantStatus == http.StatusUnauthorized {
				assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
			}
			if tc.wantAudit == nil {
				assert.Empty(t, s.audits()[before:])
			} else {
				assert.Equal(t, tc.wantAudit, s.audits()[before:])
			}
		})
	}
}

func TestCodecServerPreflight(t *testing.T) {
	s := startCodecServer(t)
	preflight := func(origin string) *http.Response {
		resp, _ := do(t, http.MethodOptions, s.url+"/codec/decode", nil, map[string]string{
			"Origin":                         origin,
			"Access-Control-Request-Method":  "POST",
			"Access-Control-Request-Headers": "content-type,x-namespace,authorization",
		})
		return resp
	}

	resp := preflight(uiOrigin)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, uiOrigin, resp.Header.Get("Access-Control-Allow-Origin"), "exact origin, never *")
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "POST")
	allowHeaders := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"content-type", "x-namespace", "authorization"} {
		assert.Contains(t, allowHeaders, h)
	}
	assert.Contains(t, resp.Header.Values("Vary"), "Origin")

	for _, origin := range []string{"http://evil.example", "http://localhost:8234", "http://localhost:8233.evil.example"} {
		resp = preflight(origin)
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), origin)
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"), origin)
		assert.NotEqual(t, http.StatusNoContent, resp.StatusCode, origin)
	}

	// An authorised request from a foreign origin is served (a CLI sends
	// no Origin at all) but gets no CORS grant, so a browser page there
	// cannot read the answer.
	resp, _ = do(t, http.MethodPost, s.url+"/codec/decode", encryptedBody(t, s.codec, "x"), map[string]string{
		"Authorization": "Bearer " + opsToken, "Origin": "http://evil.example",
	})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, []auditEntry{{"ops-alice", AuditDecode, 1}}, s.audits(), "preflights are not audited")
}

func TestCodecServerEncodeAndRemoteCodec(t *testing.T) {
	s := startCodecServer(t)
	// The SDK's remote codec is what `temporal --codec-endpoint` and
	// workers without local keys use; it must interoperate.
	remote := converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{
		Endpoint: s.url + "/codec",
		ModifyRequest: func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+opsToken)
			return nil
		},
	})
	plain, err := converter.GetDefaultDataConverter().ToPayload(map[string]string{"note": "knee pain"})
	require.NoError(t, err)
	enc, err := remote.Encode([]*commonpb.Payload{plain})
	require.NoError(t, err)
	assert.Equal(t, MetadataEncodingEncrypted, string(enc[0].Metadata["encoding"]))
	assert.NotContains(t, string(enc[0].Data), "knee")

	dec, err := remote.Decode(enc)
	require.NoError(t, err)
	var got map[string]string
	require.NoError(t, converter.GetDefaultDataConverter().FromPayload(dec[0], &got))
	assert.Equal(t, "knee pain", got["note"])

	assert.Equal(t, []auditEntry{{"ops-alice", AuditEncode, 1}, {"ops-alice", AuditDecode, 1}}, s.audits())
}

func TestCodecServerDecodeFailureIsAuditedAndOpaque(t *testing.T) {
	s := startCodecServer(t)
	other := testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec"))
	resp, out := do(t, http.MethodPost, s.url+"/codec/decode", encryptedBody(t, other, "Jane Roe"), map[string]string{
		"Authorization": "Bearer " + opsToken,
	})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, out, "not in the key ring")
	assert.Equal(t, []auditEntry{{"ops-alice", AuditDecodeFailed, 1}}, s.audits())

	resp, _ = do(t, http.MethodPost, s.url+"/codec/decode", []byte("{not json"), map[string]string{
		"Authorization": "Bearer " + opsToken,
	})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestNewCodecHandlerValidatesOptions(t *testing.T) {
	codec := testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec"))
	auth := func(*http.Request) (string, error) { return "x", nil }
	cases := []struct {
		name string
		opts CodecServerOptions
	}{
		{"no codec", CodecServerOptions{Authenticate: auth}},
		{"no authenticator", CodecServerOptions{Codec: codec}},
		{"wildcard origin", CodecServerOptions{Codec: codec, Authenticate: auth, AllowedOrigins: []string{"*"}}},
		{"trailing slash origin", CodecServerOptions{Codec: codec, Authenticate: auth, AllowedOrigins: []string{uiOrigin + "/"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCodecHandler(tc.opts)
			require.Error(t, err)
		})
	}
	_, err := NewBearerTokenAuthenticator(map[string]string{"ops": "short"})
	require.Error(t, err)
	_, err = NewBearerTokenAuthenticator(nil)
	require.Error(t, err)
}

func TestCodecServerBodyLimit(t *testing.T) {
	codec := testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec"))
	h, err := NewCodecHandler(CodecServerOptions{
		Codec:        codec,
		Authenticate: func(*http.Request) (string, error) { return "ops", nil },
		MaxBodyBytes: 64,
	})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/decode", bytes.NewReader(encryptedBody(t, codec, strings.Repeat("x", 200))))
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)

	var m map[string]any
	assert.Error(t, json.Unmarshal(rec.Body.Bytes(), &m), "no payload JSON on an oversized request")
}
