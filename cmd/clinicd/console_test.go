package main

import (
	"bytes"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
)

func TestConsoleSettingsComeFromTheEnvironment(t *testing.T) {
	t.Setenv("CLINIC_NAME", "Harbour Clinic")
	t.Setenv("CLINIC_TRUST_PROXY", "true")
	cfg, err := loadConfig()
	require.NoError(t, err)
	require.Equal(t, "Harbour Clinic", cfg.ClinicName)
	require.True(t, cfg.TrustProxy)

	t.Setenv("CLINIC_TRUST_PROXY", "")
	cfg, err = loadConfig()
	require.NoError(t, err)
	require.False(t, cfg.TrustProxy, "off unless asked for")

	t.Setenv("CLINIC_TRUST_PROXY", "behind nginx")
	_, err = loadConfig()
	require.ErrorContains(t, err, `CLINIC_TRUST_PROXY="behind nginx": give true or false`)
}

func TestServeServesTheConsole(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	env := []string{"DATABASE_URL=" + dbtest.NewEmptyURL(t), "REDIS_URL=" + dbtest.RedisURL(), "CLINIC_ADDR=" + addr,
		"CLINIC_NAME=Harbour Clinic"}
	for _, args := range [][]string{{"migrate"}, {"user", "create", "--email", "desk@harbour.test", "--role", "receptionist",
		"--password", "a long enough password"}} {
		var stderr bytes.Buffer
		cmd := clinicd(env, args...)
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Run(), stderr.String())
	}
	srv := clinicd(env, "serve")
	require.NoError(t, srv.Start())
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	})
	base := "http://" + addr
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar}
	var page string
	require.Eventually(t, func() bool {
		resp, err := client.Get(base + "/console/")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		page = b.String()
		return resp.StatusCode == http.StatusOK
	}, 20*time.Second, 50*time.Millisecond)
	require.Contains(t, page, "Harbour Clinic", "a signed-out visit is shown the sign-in form")

	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, token, page)
	resp, err := client.PostForm(base+"/console/signin", url.Values{"csrf": {token[1]}, "email": {"desk@harbour.test"},
		"password": {"a long enough password"}, "next": {"/console/"}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "/console/", resp.Request.URL.Path)
	require.True(t, strings.Contains(b.String(), "Signed in as desk@harbour.test."), b.String())
}
