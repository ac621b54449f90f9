package privacy_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/privacy"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

// TestWhereAmIAnswersTheCallersPlaceMasked: the bots' lookup by phone gives the caller's own session
// today, with its place behind the patient ahead, and names and phone masked as the clinic says.
func TestWhereAmIAnswersTheCallersPlaceMasked(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	*b.Clock = c.At(5, 8, 0).UTC()
	ahead := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0))))(t)
	caller := schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Fátima  Haddad", Phone: "+351912000777"}))(t)
	in := c.Booking(c.At(5, 9, 30))
	in.PatientID = caller.ID
	mine := schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
	schedtest.Must(b.Svc.CheckIn(ctx, "desk", ahead.ID))(t)
	*b.Clock = c.At(5, 8, 5).UTC()
	schedtest.Must(b.Svc.CheckIn(ctx, "desk", mine.ID))(t)

	q := queue.New(b.Pool, b.Svc)
	store := privacy.NewStore(b.Pool, b.Svc.Now)
	_, err := store.Put(ctx, privacy.Settings{PatientName: privacy.NameFirstInitial, DoctorName: privacy.DoctorHidden,
		Phone: privacy.PhoneLastDigits}, "user:1")
	require.NoError(t, err)

	views, err := store.WhereAmI(ctx, q, "+351 912 000 777")
	require.NoError(t, err)
	require.Len(t, views, 1)
	v := views[0]
	require.Equal(t, scheduling.StatusWaiting, v.Status)
	require.Equal(t, 2, v.Position)
	require.Equal(t, 1, v.Ahead)
	require.Equal(t, "Fátima H.", *v.PatientName)
	require.Nil(t, v.DoctorName, "the doctor is hidden")
	require.Equal(t, "•••• 0777", v.Phone)
	require.Equal(t, c.Branch.Name, v.Branch)
	require.Equal(t, "2027-01-05", v.Date)
	require.Equal(t, c.Loc, v.Start.Location())
	require.NotNil(t, v.ETA)
	require.False(t, v.ETA.From.Before(*b.Clock))

	// Another day, an unknown number: nothing; a malformed number is refused.
	*b.Clock = c.At(6, 8, 0).UTC()
	views, err = store.WhereAmI(ctx, q, "+351912000777")
	require.NoError(t, err)
	require.Empty(t, views)
	views, err = store.WhereAmI(ctx, q, "+351912999999")
	require.NoError(t, err)
	require.Empty(t, views)
	_, err = store.WhereAmI(ctx, q, "call me")
	require.Error(t, err)
}
