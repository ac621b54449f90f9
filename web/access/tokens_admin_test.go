package access_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/web/access"
)

func TestIssueTokenReturnsItsSecretOnceAndRecordsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	ana := newDoctor(t, b.pool, "Ana Ferreira")

	tok, secret, err := b.store.IssueToken(ctx, b.owner, "  lab export ", access.Doctor, ana)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(secret, "clk_"))
	require.Equal(t, access.Token{ID: tok.ID, Name: "lab export", Role: access.Doctor, DoctorID: ana}, withoutTimes(tok))
	require.True(t, b.now.Equal(tok.CreatedAt))
	p, err := b.store.Authenticate(ctx, secret)
	require.NoError(t, err)
	require.Equal(t, tok.ID, p.ID)
	require.Equal(t, ana, p.DoctorID)

	for _, tc := range []struct {
		name, token string
		role        access.Role
		doctor      scheduling.ID
		code        string
	}{
		{"no name", "  ", access.Manager, 0, "name_required"},
		{"two lines", "a\nb", access.Manager, 0, "invalid_text"},
		{"unknown role", "x", "admin", 0, "invalid_role"},
		{"doctor without doctor", "x", access.Doctor, 0, "doctor_required"},
		{"unknown doctor", "x", access.Doctor, 999, scheduling.CodeNotFound},
		{"receptionist with doctor", "x", access.Receptionist, ana, "doctor_not_allowed"},
	} {
		_, _, err := b.store.IssueToken(ctx, b.owner, tc.token, tc.role, tc.doctor)
		require.Truef(t, scheduling.IsCode(err, tc.code), "%s: %v", tc.name, err)
	}
	_, _, err = b.store.IssueToken(ctx, access.Principal{Kind: "user", ID: 7, Role: access.Manager}, "x", access.Manager, 0)
	require.True(t, scheduling.IsCode(err, scheduling.CodeForbidden), "%v", err)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM api_tokens`), "refused tokens leave no row")

	events := b.events(t)
	require.Len(t, events, 1)
	require.Equal(t, access.TokenCreated, events[0].Action)
	require.Equal(t, "lab export", events[0].Subject)
	require.Equal(t, tok.ID, events[0].SubjectID)
	require.Equal(t, "doctor for Ana Ferreira", events[0].Detail)
}

// TestRevokedTokenIsRefusedAtOnce: a token the owner revokes fails on this server at once, though it
// was remembered and the database's notice is switched off, and on another server when the notice
// arrives.
func TestRevokedTokenIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	other := access.NewStore(b.pool, nil)
	watch(t, b.store, b.pool)
	watch(t, other, b.pool)

	tok, secret, err := b.store.IssueToken(ctx, b.owner, "front desk tablet", access.Receptionist, 0)
	require.NoError(t, err)
	keep, _, err := b.store.IssueToken(ctx, b.owner, "lab export", access.Manager, 0)
	require.NoError(t, err)
	require.True(t, authenticates(t, b.store, secret))
	require.True(t, authenticates(t, other, secret))

	*b.now = b.now.Add(time.Hour)
	revoked, changed, err := b.store.RevokeTokenBy(ctx, b.owner, tok.ID)
	require.NoError(t, err)
	require.True(t, changed)
	require.True(t, b.now.Equal(*revoked.RevokedAt))
	require.False(t, authenticates(t, b.store, secret), "refused on this server at once")
	require.Eventually(t, func() bool { return !authenticates(t, other, secret) }, 10*time.Second, 10*time.Millisecond,
		"refused on another server when the notice arrives")

	_, changed, err = b.store.RevokeTokenBy(ctx, b.owner, tok.ID)
	require.NoError(t, err, "revoking twice is harmless")
	require.False(t, changed)
	_, _, err = b.store.RevokeTokenBy(ctx, b.owner, 4242)
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), "%v", err)
	_, _, err = b.store.RevokeTokenBy(ctx, access.Principal{Kind: "token", ID: 9, Role: access.Manager}, keep.ID)
	require.True(t, scheduling.IsCode(err, scheduling.CodeForbidden), "%v", err)

	tokens, err := b.store.ListTokens(ctx)
	require.NoError(t, err)
	require.NotNil(t, tokens[0].RevokedAt)
	require.Nil(t, tokens[1].RevokedAt, "the other token still works")

	events := b.events(t)
	require.Len(t, events, 3, "two created, one revoked; the second revoke records nothing")
	require.Equal(t, access.TokenRevoked, events[0].Action)
	require.Equal(t, "front desk tablet", events[0].Subject)
}

// TestRevokeIsImmediateEvenWithoutTheNotice: the store forgets remembered tokens itself, so a
// revocation through it holds on this server even when the database announces nothing.
func TestRevokeIsImmediateEvenWithoutTheNotice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	watch(t, b.store, b.pool)
	tok, secret, err := b.store.IssueToken(ctx, b.owner, "script", access.Owner, 0)
	require.NoError(t, err)
	require.True(t, authenticates(t, b.store, secret))
	_, err = b.pool.Exec(ctx, `ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_changed`)
	require.NoError(t, err)
	_, _, err = b.store.RevokeTokenBy(ctx, b.owner, tok.ID)
	require.NoError(t, err)
	require.False(t, authenticates(t, b.store, secret))
}
