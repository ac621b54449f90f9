package access_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/web/access"
)

func TestDoctorTokenNamesItsDoctor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	store := access.NewStore(pool, nil)
	ana, ben := newDoctor(t, pool, "Ana"), newDoctor(t, pool, "Ben")

	token, err := store.CreateToken(ctx, access.Doctor, "ben's tablet", ben)
	require.NoError(t, err)
	p, err := store.Authenticate(ctx, token)
	require.NoError(t, err)
	require.Equal(t, access.Doctor, p.Role)
	require.Equal(t, ben, p.DoctorID, "the principal carries the token's doctor")
	require.NotEqual(t, ana, p.DoctorID)

	_, err = store.CreateToken(ctx, access.Doctor, "nobody's", 0)
	require.True(t, scheduling.IsCode(err, "doctor_required"), "a doctor's token without a doctor: %v", err)
	_, err = store.CreateToken(ctx, access.Owner, "owner for ana", ana)
	require.True(t, scheduling.IsCode(err, "doctor_not_allowed"), "an owner token naming a doctor: %v", err)
	_, err = store.CreateToken(ctx, access.Doctor, "ghost", 987654)
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), "an unknown doctor: %v", err)
	require.ErrorContains(t, err, "doctor 987654 not found")

	var count int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens`).Scan(&count))
	require.Equal(t, 1, count, "refused tokens leave no row")

	// The database holds the rule too, for rows written by anything else.
	_, err = pool.Exec(ctx, `INSERT INTO api_tokens (role, token_hash, created_at) VALUES ('doctor', sha256('x'), now())`)
	require.ErrorContains(t, err, "api_tokens_doctor")
	_, err = pool.Exec(ctx, `INSERT INTO api_tokens (role, doctor_id, token_hash, created_at) VALUES ('manager', $1, sha256('y'), now())`, ana)
	require.ErrorContains(t, err, "api_tokens_doctor")
}

func TestDoctorAccountNamesItsDoctor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	store := access.NewStore(pool, nil)
	ana := newDoctor(t, pool, "Ana")

	_, err := store.CreateUser(ctx, "ana@clinic.example", "a long enough password", access.Doctor, ana)
	require.NoError(t, err)
	p, err := store.Login(ctx, "ana@clinic.example", "a long enough password")
	require.NoError(t, err)
	require.Equal(t, ana, p.DoctorID)

	_, err = store.CreateUser(ctx, "ben@clinic.example", "a long enough password", access.Doctor, 0)
	require.True(t, scheduling.IsCode(err, "doctor_required"), "%v", err)
	_, err = store.CreateUser(ctx, "desk@clinic.example", "a long enough password", access.Receptionist, ana)
	require.True(t, scheduling.IsCode(err, "doctor_not_allowed"), "%v", err)
	_, err = store.CreateUser(ctx, "cy@clinic.example", "a long enough password", access.Doctor, 987654)
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), "%v", err)

	// Making Ana's account a manager's drops her doctor, as the rule wants.
	_, err = store.CreateUser(ctx, "ana@clinic.example", "a long enough password", access.Manager, 0)
	require.NoError(t, err)
	p, err = store.Login(ctx, "ana@clinic.example", "a long enough password")
	require.NoError(t, err)
	require.Equal(t, access.Manager, p.Role)
	require.Zero(t, p.DoctorID)

	_, err = pool.Exec(ctx, `INSERT INTO users (email, password_hash, role, created_at) VALUES ('dr@x.example', 'h', 'doctor', now())`)
	require.ErrorContains(t, err, "users_doctor")
}
