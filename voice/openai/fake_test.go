package openai

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/openaifake"
)

// serveFake starts the OpenAI fake and returns a Config pointed at it. The
// handler records each request's Authorization header.
func serveFake(t *testing.T, opts openaifake.Options) (*openaifake.Server, Config, *headerLog) {
	t.Helper()
	fake := openaifake.New(opts)
	log := &headerLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.Header.Get("Authorization"))
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { fake.Close(); srv.Close() })
	return fake, Config{BaseURL: srv.URL + "/v1"}, log
}

type headerLog struct {
	mu   sync.Mutex
	auth []string
}

func (h *headerLog) add(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.auth = append(h.auth, s)
}

func (h *headerLog) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.auth...)
}

// testCtx bounds a test's waiting; it is no timing assertion.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func serveBench(b *testing.B, fake *openaifake.Server) string {
	srv := httptest.NewServer(fake)
	b.Cleanup(func() { fake.Close(); srv.Close() })
	return srv.URL
}
