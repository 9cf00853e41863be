package lifecycle

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type served struct {
	addr   string
	cancel context.CancelFunc
	done   chan error
}

func serve(t *testing.T, h *HTTP) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{addr: ln.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- h.Serve(ctx, ln) }()
	t.Cleanup(cancel)
	return s
}

// SIGTERM while a request is in flight: the request finishes and is
// answered, new connections are refused, and Serve returns cleanly.
func TestDrainFinishesInFlightRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	drained := false
	h := &HTTP{
		Server: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release
			_, _ = io.WriteString(w, "finished")
		})},
		Grace:   10 * time.Second,
		OnDrain: func() { drained = true },
	}
	s := serve(t, h)
	type answer struct {
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get("http://" + s.addr + "/slow")
		if err != nil {
			got <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- answer{body: string(b)}
	}()
	<-entered
	s.cancel()
	require.Eventually(t, func() bool {
		c, err := net.DialTimeout("tcp", s.addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	}, 5*time.Second, 10*time.Millisecond, "the listener closes at once")
	select {
	case err := <-s.done:
		t.Fatalf("Serve returned before the in-flight request finished: %v", err)
	default:
	}
	close(release)
	a := <-got
	require.NoError(t, a.err)
	require.Equal(t, "finished", a.body)
	require.NoError(t, <-s.done)
	require.True(t, drained, "OnDrain ran")
}

// A request that outlives the grace period is cut, and Serve returns an
// error instead of hanging the deploy.
func TestDrainIsBounded(t *testing.T) {
	entered := make(chan struct{})
	h := &HTTP{
		Server: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-r.Context().Done()
		})},
		Grace: 200 * time.Millisecond,
	}
	s := serve(t, h)
	go func() {
		resp, err := http.Get("http://" + s.addr + "/forever")
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	s.cancel()
	select {
	case err := <-s.done:
		require.ErrorContains(t, err, "still busy")
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its grace period")
	}
}

// streamHandler hijacks the connection, as a WebSocket upgrade does, and
// registers with streams: it answers lines until told to drain, then says
// goodbye and ends; if obstinate it ignores draining and ends only when
// its context is cancelled.
func streamHandler(streams *Streams, obstinate bool, ended chan<- string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, draining, done, err := streams.Open(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		defer done()
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\n\r\n")
		_ = buf.Flush()
		if obstinate {
			draining = nil
		}
		select {
		case <-draining:
			_, _ = conn.Write([]byte("bye\n"))
			ended <- "drained"
		case <-ctx.Done():
			ended <- "cut"
		}
	})
}

func openStream(t *testing.T, addr string) *bufio.Reader {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = io.WriteString(conn, "GET /media HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	require.NoError(t, err)
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	require.Contains(t, line, "101")
	_, _ = r.ReadString('\n') // the blank line
	return r
}

func TestStreamsDrainWithTheServer(t *testing.T) {
	var streams Streams
	ended := make(chan string, 2)
	s := serve(t, &HTTP{Server: &http.Server{Handler: streamHandler(&streams, false, ended)}, Streams: &streams, Grace: 10 * time.Second})
	a, b := openStream(t, s.addr), openStream(t, s.addr)
	require.Eventually(t, func() bool { return streams.Len() == 2 }, 5*time.Second, 10*time.Millisecond)
	s.cancel()
	for _, r := range []*bufio.Reader{a, b} {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "bye\n", line)
	}
	require.Equal(t, "drained", <-ended)
	require.Equal(t, "drained", <-ended)
	require.NoError(t, <-s.done)
	require.Zero(t, streams.Len())
	_, _, _, err := streams.Open(context.Background())
	require.ErrorIs(t, err, ErrDraining, "no new streams once draining")
}

func TestStreamsThatDoNotEndAreCutAtTheGrace(t *testing.T) {
	var streams Streams
	ended := make(chan string, 1)
	s := serve(t, &HTTP{Server: &http.Server{Handler: streamHandler(&streams, true, ended)}, Streams: &streams, Grace: 300 * time.Millisecond})
	openStream(t, s.addr)
	require.Eventually(t, func() bool { return streams.Len() == 1 }, 5*time.Second, 10*time.Millisecond)
	s.cancel()
	require.Equal(t, "cut", <-ended)
	require.ErrorContains(t, <-s.done, "still busy")
}

func TestStreamsDoneIsIdempotent(t *testing.T) {
	var streams Streams
	_, _, done, err := streams.Open(context.Background())
	require.NoError(t, err)
	done()
	done()
	require.Zero(t, streams.Len())
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	require.NoError(t, streams.Drain(ctx))
}

func TestServeReportsAFailedServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln.Close()
	h := &HTTP{Server: &http.Server{}}
	err = h.Serve(context.Background(), ln)
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "serve on"), err.Error())
}
