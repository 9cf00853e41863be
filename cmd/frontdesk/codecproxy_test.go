package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCodecProxyAddsTheOpsTokenAndKeepsThePath(t *testing.T) {
	var gotAuth, gotPath, gotNS string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotPath, gotNS = r.Header.Get("Authorization"), r.URL.Path, r.Header.Get("X-Namespace")
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		_, _ = io.WriteString(w, `{"payloads":[]}`)
	}))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL + "/codec")
	proxy := httptest.NewServer(newCodecProxy(u, "ops-token"))
	defer proxy.Close()

	req, _ := http.NewRequest(http.MethodPost, proxy.URL+"/decode", strings.NewReader(`{"payloads":[]}`))
	req.Header.Set("Authorization", "Bearer someone-elses")
	req.Header.Set("X-Namespace", "default")
	req.Header.Set("Origin", "http://127.0.0.1:8233")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"payloads":[]}`, string(body))
	require.Equal(t, "Bearer ops-token", gotAuth)
	require.Equal(t, "/codec/decode", gotPath)
	require.Equal(t, "default", gotNS)
	require.Equal(t, "http://127.0.0.1:8233", resp.Header.Get("Access-Control-Allow-Origin"))
}
