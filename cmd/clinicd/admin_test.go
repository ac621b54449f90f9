package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
)

// commandRunner runs clinicd on a fresh migrated database: stdout, and on failure an error carrying
// stderr.
func commandRunner(t *testing.T) (run func(stdin string, args ...string) (string, error), dbURL string) {
	dbURL = dbtest.NewURL(t)
	env := []string{"DATABASE_URL=" + dbURL, "REDIS_URL=" + dbtest.RedisURL()}
	return func(stdin string, args ...string) (string, error) {
		cmd := clinicd(env, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			err = fmt.Errorf("%w: %s", err, stderr.String())
		}
		return stdout.String(), err
	}, dbURL
}

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	run, dbURL := commandRunner(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var doctor int64
	require.NoError(t, conn.QueryRow(ctx, `INSERT INTO doctors (name, created_at) VALUES ('Ana', now()) RETURNING id`).Scan(&doctor))

	owner, err := run("", "token", "create", "--role", "owner", "--name", "ops script")
	require.NoError(t, err)
	owner = strings.TrimSuffix(owner, "\n")
	doc, err := run("", "token", "create", "--role", "doctor", "--name", "ana", "--doctor", fmt.Sprint(doctor))
	require.NoError(t, err)
	doc = strings.TrimSuffix(doc, "\n")
	require.Regexp(t, `^clk_[A-Za-z0-9_-]{43}$`, doc, "token create prints the token and nothing else")

	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--role", "doctor"}, "a doctor's token needs --doctor ID"},
		{[]string{"--role", "doctor", "--doctor", "987654"}, "doctor 987654 not found"},
		{[]string{"--role", "manager", "--doctor", fmt.Sprint(doctor)}, "--doctor goes only with --role doctor"},
		{[]string{"--role", "doctor", "--doctor", "-3"}, "not a doctor id"},
	} {
		_, err := run("", append([]string{"token", "create"}, c.args...)...)
		require.ErrorContains(t, err, c.says, c.args)
		require.ErrorContains(t, err, "exit status 1")
	}

	out, err := run("", "token", "list")
	require.NoError(t, err)
	require.NotContains(t, out, owner[4:], "the list never shows a secret")
	require.NotContains(t, out, doc[4:])
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, "a header and one line per token: %s", out)
	require.Regexp(t, `^1 +ops script +owner +- +\d{4}-\d\d-\d\dT\S+Z +active$`, lines[1])
	require.Regexp(t, fmt.Sprintf(`^2 +ana +doctor +%d +\S+ +active$`, doctor), lines[2])

	out, err = run(owner+"\n", "token", "check")
	require.NoError(t, err)
	require.Equal(t, "active: token:1 ops script (owner)\n", out)

	out, err = run("", "token", "revoke", "1")
	require.NoError(t, err)
	require.Regexp(t, `^token 1 ops script: revoked \S+\n$`, out)
	_, err = run(owner+"\n", "token", "check")
	require.ErrorContains(t, err, "the token is not valid", "a revoked token no longer authenticates")
	_, err = run(doc+"\n", "token", "check")
	require.NoError(t, err, "the other token still works")

	out, err = run("", "token", "list")
	require.NoError(t, err)
	require.Regexp(t, regexp.MustCompile(`(?m)^1 +ops script +owner .* revoked \S+$`), out)

	_, err = run("", "token", "revoke", "99")
	require.ErrorContains(t, err, "token 99 not found")
	_, err = run("", "token", "revoke", "first")
	require.ErrorContains(t, err, `"first" is not a token id`)
	_, err = run("", "token", "revoke")
	require.ErrorContains(t, err, "one token id")
	_, err = run("", "token", "burn")
	require.ErrorContains(t, err, `unknown command "token burn"`)
}

func TestDoctorUserCommand(t *testing.T) {
	t.Parallel()
	run, dbURL := commandRunner(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var doctor int64
	require.NoError(t, conn.QueryRow(ctx, `INSERT INTO doctors (name, created_at) VALUES ('Ana', now()) RETURNING id`).Scan(&doctor))

	out, err := run("a long enough password\n", "user", "create", "--email", "ana@demo.clinic", "--role", "doctor", "--doctor", fmt.Sprint(doctor))
	require.NoError(t, err)
	require.Equal(t, fmt.Sprintf("user 1 ana@demo.clinic (doctor, acts for doctor %d)\n", doctor), out)
	var stored int64
	require.NoError(t, conn.QueryRow(ctx, `SELECT doctor_id FROM users WHERE email = 'ana@demo.clinic'`).Scan(&stored))
	require.Equal(t, doctor, stored)

	_, err = run("a long enough password\n", "user", "create", "--email", "ben@demo.clinic", "--role", "doctor")
	require.ErrorContains(t, err, "a doctor's account needs --doctor ID")
	_, err = run("a long enough password\n", "user", "create", "--email", "ben@demo.clinic", "--role", "doctor", "--doctor", "987654")
	require.ErrorContains(t, err, "doctor 987654 not found")
	var users int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users))
	require.Equal(t, 1, users, "refused accounts leave no row")
}
