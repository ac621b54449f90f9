package access_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/web/access"
)

// adminBundle is a store on its own database with its clock, and an owner to act as.
type adminBundle struct {
	pool  *pgxpool.Pool
	store *access.Store
	now   *time.Time
	owner access.Principal
}

func setupAdmin(t *testing.T) *adminBundle {
	t.Helper()
	pool := dbtest.NewPool(t)
	now := time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)
	b := &adminBundle{pool: pool, now: &now}
	b.store = access.NewStore(pool, clockAt(b.now))
	b.owner = b.addOwner(t, "owner@clinic.example")
	return b
}

// addOwner stores an owner and returns them as the principal of their sign-in.
func (b *adminBundle) addOwner(t *testing.T, email string) access.Principal {
	t.Helper()
	id, err := b.store.CreateUser(context.Background(), email, "the owner's password", access.Owner, 0)
	require.NoError(t, err)
	return access.Principal{Kind: "user", ID: id, Name: email, Role: access.Owner}
}

func (b *adminBundle) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

func (b *adminBundle) events(t *testing.T) []access.Event {
	t.Helper()
	events, err := b.store.ListEvents(context.Background(), 50)
	require.NoError(t, err)
	return events
}

func TestAddUserCreatesOnlyNewUsersAndRecordsWhoDidIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	ana := newDoctor(t, b.pool, "Ana Ferreira")

	u, err := b.store.AddUser(ctx, b.owner, access.NewUser{Email: " Desk@Clinic.Example ", Password: "front desk password",
		Role: access.Receptionist})
	require.NoError(t, err)
	require.Equal(t, "desk@clinic.example", u.Email)
	require.Equal(t, access.Receptionist, u.Role)
	require.True(t, b.now.Equal(u.CreatedAt), "created at the store's clock")
	require.Nil(t, u.DisabledAt)
	p, err := b.store.Login(ctx, "desk@clinic.example", "front desk password")
	require.NoError(t, err, "the new user signs in with the password given")
	require.Equal(t, u.ID, p.ID)

	doc, err := b.store.AddUser(ctx, b.owner, access.NewUser{Email: "ana@clinic.example", Password: "ana's password",
		Role: access.Doctor, DoctorID: ana})
	require.NoError(t, err)
	require.Equal(t, ana, doc.DoctorID)

	for _, tc := range []struct {
		name string
		in   access.NewUser
		code string
	}{
		{"email in use", access.NewUser{Email: "DESK@clinic.example", Password: "another password", Role: access.Manager}, "email_taken"},
		{"no email", access.NewUser{Password: "long enough pass", Role: access.Manager}, "email_required"},
		{"not an email", access.NewUser{Email: "desk clinic", Password: "long enough pass", Role: access.Manager}, "invalid_email"},
		{"two at signs", access.NewUser{Email: "a@b@c", Password: "long enough pass", Role: access.Manager}, "invalid_email"},
		{"short password", access.NewUser{Email: "x@clinic.example", Password: "nine char", Role: access.Manager}, "weak_password"},
		{"password past bcrypt's limit", access.NewUser{Email: "x@clinic.example", Password: strings.Repeat("p", 73), Role: access.Manager}, "password_too_long"},
		{"unknown role", access.NewUser{Email: "x@clinic.example", Password: "long enough pass", Role: "admin"}, "invalid_role"},
		{"doctor without doctor", access.NewUser{Email: "x@clinic.example", Password: "long enough pass", Role: access.Doctor}, "doctor_required"},
		{"manager with doctor", access.NewUser{Email: "x@clinic.example", Password: "long enough pass", Role: access.Manager, DoctorID: ana}, "doctor_not_allowed"},
		{"unknown doctor", access.NewUser{Email: "x@clinic.example", Password: "long enough pass", Role: access.Doctor, DoctorID: 999}, scheduling.CodeNotFound},
	} {
		_, err := b.store.AddUser(ctx, b.owner, tc.in)
		require.Truef(t, scheduling.IsCode(err, tc.code), "%s: %v", tc.name, err)
	}
	manager := access.Principal{Kind: "user", ID: 99, Name: "m@clinic.example", Role: access.Manager}
	_, err = b.store.AddUser(ctx, manager, access.NewUser{Email: "x@clinic.example", Password: "long enough pass", Role: access.Manager})
	require.True(t, scheduling.IsCode(err, scheduling.CodeForbidden), "only an owner adds users: %v", err)
	require.Equal(t, 3, b.count(t, `SELECT count(*) FROM users`), "refused users leave no row")

	events := b.events(t)
	require.Len(t, events, 2, "one event per user created, none for refusals")
	require.Equal(t, access.UserCreated, events[0].Action)
	require.Equal(t, "ana@clinic.example", events[0].Subject)
	require.Equal(t, "doctor for Ana Ferreira", events[0].Detail)
	require.Equal(t, "receptionist", events[1].Detail)
	require.Equal(t, "owner@clinic.example", events[1].ActorName())
	require.True(t, b.now.Equal(events[1].At))
}

func TestOwnersCannotDemoteOrDisableThemselvesNorTheLastOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	ana := newDoctor(t, b.pool, "Ana Ferreira")

	_, err := b.store.SetUserRole(ctx, b.owner, b.owner.ID, access.Manager, 0)
	require.True(t, scheduling.IsCode(err, "own_account"), "%v", err)
	_, err = b.store.DisableUser(ctx, b.owner, b.owner.ID)
	require.True(t, scheduling.IsCode(err, "own_account"), "%v", err)

	// Another owner, acting through a token, still may not remove the last owner.
	script := access.Principal{Kind: "token", ID: 1, Name: "script", Role: access.Owner}
	_, err = b.store.SetUserRole(ctx, script, b.owner.ID, access.Doctor, ana)
	require.True(t, scheduling.IsCode(err, "last_owner"), "%v", err)
	_, err = b.store.DisableUser(ctx, script, b.owner.ID)
	require.True(t, scheduling.IsCode(err, "last_owner"), "%v", err)

	// With a second owner, one may demote the other; a disabled owner does not count as one.
	second := b.addOwner(t, "second@clinic.example")
	u, err := b.store.SetUserRole(ctx, b.owner, second.ID, access.Doctor, ana)
	require.NoError(t, err)
	require.Equal(t, access.Doctor, u.Role)
	require.Equal(t, ana, u.DoctorID)
	_, err = b.store.SetUserRole(ctx, b.owner, second.ID, access.Owner, 0)
	require.NoError(t, err)
	_, err = b.store.DisableUser(ctx, b.owner, second.ID)
	require.NoError(t, err)
	_, err = b.store.SetUserRole(ctx, script, b.owner.ID, access.Manager, 0)
	require.True(t, scheduling.IsCode(err, "last_owner"), "a disabled owner is not an owner who remains: %v", err)

	_, err = b.store.SetUserRole(ctx, b.owner, second.ID, access.Doctor, 0)
	require.True(t, scheduling.IsCode(err, "doctor_required"), "%v", err)
	_, err = b.store.SetUserRole(ctx, b.owner, 12345, access.Manager, 0)
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), "%v", err)

	events := b.events(t)
	require.Len(t, events, 3)
	require.Equal(t, access.UserDisabled, events[0].Action)
	require.Equal(t, "doctor for Ana Ferreira → owner", events[1].Detail)
	require.Equal(t, "owner → doctor for Ana Ferreira", events[2].Detail)
}

// TestTwoOwnersDemotingEachOtherAtOnceLeaveOneOwner: each change sees the other's, so however the two
// race one of them is refused and one owner remains.
func TestTwoOwnersDemotingEachOtherAtOnceLeaveOneOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	other := b.addOwner(t, "other@clinic.example")
	for round := range 10 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		pairs := [2][2]access.Principal{{b.owner, other}, {other, b.owner}}
		for i, pair := range pairs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				by, target := pair[0], pair[1]
				if round%2 == 0 {
					_, errs[i] = b.store.SetUserRole(ctx, by, target.ID, access.Manager, 0)
				} else {
					_, errs[i] = b.store.DisableUser(ctx, by, target.ID)
				}
			}()
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			if err != nil {
				require.Truef(t, scheduling.IsCode(err, "last_owner"), "round %d: %v", round, err)
				refused++
			}
		}
		require.Equalf(t, 1, refused, "round %d: one change goes through, the other is refused", round)
		require.Equal(t, 1, b.count(t, `SELECT count(*) FROM users WHERE role = 'owner' AND disabled_at IS NULL`), "round %d", round)
		_, err := b.pool.Exec(ctx, `UPDATE users SET role = 'owner', disabled_at = NULL`)
		require.NoError(t, err)
	}
}

func TestDisabledUsersCannotSignInAndTheirSessionsEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAdmin(t)
	u, err := b.store.AddUser(ctx, b.owner, access.NewUser{Email: "desk@clinic.example", Password: "front desk password",
		Role: access.Receptionist})
	require.NoError(t, err)
	for i := range 2 {
		_, err := b.pool.Exec(ctx, `INSERT INTO console_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
			VALUES (sha256($1), $2, $3, $3, $3::timestamptz + interval '1 hour')`, []byte{byte(i)}, u.ID, *b.now)
		require.NoError(t, err)
	}
	users, err := b.store.ListUsers(ctx)
	require.NoError(t, err)
	require.Equal(t, "owner@clinic.example", users[0].Email, "owners first")
	require.Nil(t, users[0].LastSignIn, "never signed in")
	require.NotNil(t, users[1].LastSignIn)
	require.True(t, b.now.Equal(*users[1].LastSignIn), "the start of the latest session")

	*b.now = b.now.Add(time.Hour)
	disabled, err := b.store.DisableUser(ctx, b.owner, u.ID)
	require.NoError(t, err)
	require.NotNil(t, disabled.DisabledAt)
	require.True(t, b.now.Equal(*disabled.DisabledAt), "disabled at the store's clock")
	require.Zero(t, b.count(t, `SELECT count(*) FROM console_sessions WHERE user_id = $1`, u.ID), "their sessions ended")
	_, err = b.store.Login(ctx, "desk@clinic.example", "front desk password")
	require.ErrorIs(t, err, access.ErrUnauthenticated)

	first := *disabled.DisabledAt
	*b.now = b.now.Add(time.Hour)
	again, err := b.store.DisableUser(ctx, b.owner, u.ID)
	require.NoError(t, err, "disabling twice is harmless")
	require.True(t, first.Equal(*again.DisabledAt), "and keeps the first time")

	enabled, err := b.store.EnableUser(ctx, b.owner, u.ID)
	require.NoError(t, err)
	require.Nil(t, enabled.DisabledAt)
	_, err = b.store.Login(ctx, "desk@clinic.example", "front desk password")
	require.NoError(t, err, "enabled again, the user signs in")

	var actions []access.Action
	for _, e := range b.events(t) {
		actions = append(actions, e.Action)
	}
	require.Equal(t, []access.Action{access.UserEnabled, access.UserDisabled, access.UserCreated}, actions,
		"no event for a change that changed nothing")
}
