package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/privacy"
)

func TestStoreKeepsTheSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := privacy.NewStore(dbtest.NewPool(t), func() time.Time { return time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC) })
	got, err := store.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, privacy.Defaults, got, "a new clinic masks by default")

	want := privacy.Settings{PatientName: privacy.NameFirstInitial, DoctorName: privacy.DoctorHidden,
		Phone: privacy.PhoneLastDigits, DefaultLanguage: "ar"}
	saved, err := store.Put(ctx, want, "user:1")
	require.NoError(t, err)
	require.Equal(t, want, saved)
	got, err = store.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, want, got)

	want.DefaultLanguage = ""
	saved, err = store.Put(ctx, want, "user:1")
	require.NoError(t, err)
	require.Equal(t, "ar", saved.DefaultLanguage, "a missing default language keeps the stored one")

	_, err = store.Put(ctx, privacy.Settings{PatientName: "nick", DoctorName: "shown", Phone: "hidden"}, "user:1")
	require.True(t, scheduling.IsCode(err, "invalid_patient_name"), "%v", err)
	got, err = store.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, privacy.NameFirstInitial, got.PatientName, "a refused write changes nothing")
}
