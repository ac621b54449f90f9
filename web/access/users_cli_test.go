package access_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/web/access"
)

// TestCreateUserAgainKeepsAnOwnerAndEnables: creating a user that exists (the server's way back in)
// resets them and enables them again, but never takes the owner role from the last active owner.
func TestCreateUserAgainKeepsAnOwnerAndEnables(t *testing.T) {
	t.Parallel()
	b := setupAdmin(t)
	ctx := context.Background()

	_, err := b.store.CreateUser(ctx, "OWNER@clinic.example", "a receptionist's password", access.Receptionist, 0)
	require.True(t, scheduling.IsCode(err, "last_owner"), "%v", err)
	p, err := b.store.Login(ctx, "owner@clinic.example", "the owner's password")
	require.NoError(t, err, "the refused change left the owner as they were")
	require.Equal(t, access.Owner, p.Role)

	other := b.addOwner(t, "second@clinic.example")
	_, err = b.store.DisableUser(ctx, b.owner, other.ID)
	require.NoError(t, err)
	_, err = b.store.Login(ctx, "second@clinic.example", "the owner's password")
	require.ErrorIs(t, err, access.ErrUnauthenticated)
	_, err = b.store.CreateUser(ctx, "second@clinic.example", "a new password here", access.Manager, 0)
	require.NoError(t, err)
	p, err = b.store.Login(ctx, "second@clinic.example", "a new password here")
	require.NoError(t, err, "created again, the user is enabled again")
	require.Equal(t, access.Manager, p.Role)

	// With another active owner, the first may be made something else.
	b.addOwner(t, "third@clinic.example")
	_, err = b.store.CreateUser(ctx, "owner@clinic.example", "a receptionist's password", access.Receptionist, 0)
	require.NoError(t, err)
}
