package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
)

// The test binary doubles as clinicd: with CLINICD_AS_MAIN set it runs main, so the commands are
// exercised as a real process with its environment, exit code, stdout and signals.
func TestMain(m *testing.M) {
	if os.Getenv("CLINICD_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func clinicd(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), append(env, "CLINICD_AS_MAIN=1")...)
	return cmd
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func TestCommandsEndToEnd(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	env := []string{"DATABASE_URL=" + dbtest.NewEmptyURL(t), "REDIS_URL=" + dbtest.RedisURL(), "CLINIC_ADDR=" + addr}
	run := func(stdin string, args ...string) (string, error) {
		cmd := clinicd(env, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			err = fmt.Errorf("%w: %s", err, stderr.String())
		}
		return stdout.String(), err
	}

	_, err := run("", "migrate")
	require.NoError(t, err)
	out, err := run("", "seed")
	require.NoError(t, err)
	require.Contains(t, out, "demo clinic loaded: 2 branches, 5 rooms, 4 doctors, 12 examinations")
	require.Contains(t, out, ", 3 booking requests", "the inbox has requests to triage on the first run")
	out, err = run("", "seed")
	require.NoError(t, err)
	require.Contains(t, out, "already has a clinic", "a second seed leaves the clinic as it is")

	out, err = run("", "token", "create", "--role", "owner", "--name", "e2e")
	require.NoError(t, err)
	token := strings.TrimSuffix(out, "\n")
	require.Regexp(t, `^clk_[A-Za-z0-9_-]{43}$`, token, "token create prints the token and nothing else")
	_, err = run("", "token", "create", "--role", "boss")
	require.Error(t, err)
	out, err = run("", "token", "create", "--role", "manager", "--name", "left")
	require.NoError(t, err)
	revoked := strings.TrimSuffix(out, "\n")
	_, err = run("", "token", "revoke", "2")
	require.NoError(t, err)
	out, err = run("a long enough password\n", "user", "create", "--email", "desk@demo.clinic", "--role", "receptionist")
	require.NoError(t, err)
	require.Contains(t, out, "desk@demo.clinic")
	_, err = run("", "fly")
	require.Error(t, err)

	// serve: health, an authenticated call with a request id in the logs, graceful stop on SIGTERM.
	srv := clinicd(env, "serve")
	stderr, err := srv.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	logs := make(chan string, 1000)
	read := make(chan struct{}) // closed once the log pipe is drained: Wait closes it, so only after
	go func() {
		defer close(read)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs <- sc.Text()
		}
		close(logs)
	}()
	base := "http://" + addr
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 20*time.Second, 50*time.Millisecond)

	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/branches", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Request-ID", "e2e-request-1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var branches struct{ Items []map[string]any }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&branches))
	resp.Body.Close()
	require.Len(t, branches.Items, 2)
	require.Equal(t, "e2e-request-1", resp.Header.Get("X-Request-ID"))
	req.Header.Set("Authorization", "Bearer "+revoked)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a revoked token no longer authenticates")

	req, _ = http.NewRequest(http.MethodGet, base+"/api/v1/inbox?status=new", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var leads struct {
		Items []struct{ Channel, Name string }
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&leads))
	resp.Body.Close()
	require.Len(t, leads.Items, 3, "the server runs the inbox with the demo's requests")

	require.NoError(t, srv.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() {
		<-read
		done <- srv.Wait()
	}()
	select {
	case err := <-done:
		require.NoError(t, err, "a stop signal ends the server cleanly")
	case <-time.After(20 * time.Second):
		srv.Process.Kill()
		t.Fatal("serve did not stop after SIGTERM")
	}
	var sawRequest, sawStopped bool
	for line := range logs {
		var entry map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &entry), "logs are JSON: %s", line)
		if entry["request_id"] == "e2e-request-1" && entry["route"] == "/api/v1/branches" && entry["status"] == 200.0 {
			sawRequest = true
			require.NotContains(t, line, token, "tokens stay out of the logs")
			require.Equal(t, "token:1 e2e", entry["actor"], "the line names who made the request")
			require.IsType(t, 0.0, entry["took_ms"], "and how many milliseconds it took")
		}
		sawStopped = sawStopped || entry["msg"] == "stopped"
	}
	require.True(t, sawRequest, "the request is logged with its id")
	require.True(t, sawStopped, "shutdown is logged")
}

func TestRedisMessagesGoToTheStructuredLog(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := redisLogger{slog.New(slog.NewJSONHandler(&buf, nil))}
	l.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v\n", 5, "connection refused")

	var entry map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &entry), "one JSON line: %s", buf.String())
	require.Equal(t, "WARN", entry["level"])
	require.Equal(t, "redis", entry["component"])
	require.Equal(t, "connection pool: failed to dial after 5 attempts: connection refused", entry["msg"])
}
