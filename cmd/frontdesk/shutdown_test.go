package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/testenv"
)

var built struct {
	once sync.Once
	path string
	err  error
}

// binary builds bin/frontdesk once per test run.
func binary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "frontdesk-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "frontdesk")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, built.err)
	return built.path
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// process is a running frontdesk command.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs `frontdesk args...` on the tests' Temporal and a fresh demo
// database, with only the environment given (and PATH, HOME).
func start(t *testing.T, env map[string]string, args ...string) *process {
	t.Helper()
	db, _ := testenv.DemoStore(t)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + db.AppURL, "TEMPORAL_ADDRESS=" + testenv.Temporal(t),
		"FRONTDESK_MASTER_KEY=" + testenv.TestMasterKeyHex, "TWILIO_AUTH_TOKEN=" + testTwilioToken}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.stderr, p.stderr
	require.NoError(t, cmd.Start())
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	return p
}

// term sends SIGTERM and waits for the exit, within bound.
func (p *process) term(t *testing.T, within time.Duration) error {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-p.exited:
		return err
	case <-time.After(within):
		t.Fatalf("no exit %s after SIGTERM; output:\n%s", within, p.stderr.String())
		return nil
	}
}

// SIGTERM to `frontdesk api` while a webhook is half received: the
// listener closes and /readyz is gone at once, the request is still read
// to its end and answered, and the process exits 0.
func TestAPIDrainsOnSIGTERM(t *testing.T) {
	addr := freeAddr(t)
	p := start(t, map[string]string{"FRONTDESK_HTTP_ADDR": addr}, "api")
	waitHealthy(t, "http://"+addr)

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	body := "CallSid=CA00000000000000000000000000000000&CallStatus=completed&SequenceNumber=1"
	_, err = fmt.Fprintf(conn, "POST /twilio/status HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	require.NoError(t, err)
	time.Sleep(200 * time.Millisecond) // the server has the headers and waits for the body

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	require.Eventually(t, func() bool {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	}, 10*time.Second, 20*time.Millisecond, "the api stops accepting connections")

	_, err = conn.Write([]byte(body[10:]))
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the in-flight request is answered")
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "an unsigned callback, refused as such: the request ran to its end")
	require.True(t, resp.Close, "keep-alive is off while draining")

	select {
	case err := <-p.exited:
		require.NoError(t, err, p.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the api did not exit; output:\n%s", p.stderr.String())
	}
	require.Contains(t, p.stderr.String(), "http drained")
}

// A standalone worker serves its metrics on FRONTDESK_METRICS_ADDR and
// stops on SIGTERM within its stop timeout, exiting 0.
func TestWorkerServesMetricsAndStopsOnSIGTERM(t *testing.T) {
	metrics := freeAddr(t)
	p := start(t, map[string]string{"FRONTDESK_METRICS_ADDR": metrics}, "worker")
	var body string
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + metrics + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		body = b.String()
		return resp.StatusCode == http.StatusOK && strings.Contains(body, "temporal_worker_start_total")
	}, 30*time.Second, 100*time.Millisecond, "worker metrics on %s; output:\n%s", metrics, p.stderr.String())
	require.Contains(t, body, `task_queue="frontdesk"`)
	require.Contains(t, body, "frontdesk_slot_lock_conflicts_total 0")

	require.NoError(t, p.term(t, 40*time.Second), p.stderr.String())
	require.Contains(t, p.stderr.String(), "Stopped Worker")
}

// A worker that cannot work (its namespace does not exist) exits with an
// error instead of living on without polling.
func TestWorkerExitsOnAFatalError(t *testing.T) {
	p := start(t, map[string]string{"TEMPORAL_NAMESPACE": "no-such-namespace"}, "worker")
	select {
	case err := <-p.exited:
		require.Error(t, err)
		require.Contains(t, p.stderr.String(), "frontdesk worker:")
	case <-time.After(60 * time.Second):
		t.Fatalf("the worker did not exit; output:\n%s", p.stderr.String())
	}
}
