package scheduling_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func TestUpdateDoctorRenamesEverywhereAndRefusesBadNames(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0))))(t)

	d := schedtest.Must(b.Svc.UpdateDoctor(ctx, c.Doctor.ID, "  Dra. Inês Marques ", "Cardiologia"))(t)
	require.Equal(t, "Dra. Inês Marques", d.Name, "surrounding spaces are trimmed, as on creation")
	require.Equal(t, "Cardiologia", d.Specialty)
	require.Equal(t, *d, *schedtest.Must(b.Svc.GetDoctor(ctx, c.Doctor.ID))(t))
	require.Equal(t, "Dra. Inês Marques", schedtest.Must(b.Svc.GetSession(ctx, s.ID))(t).DoctorName)

	_, err := b.Svc.UpdateDoctor(ctx, c.Doctor.ID, " ", "")
	requireCode(t, err, scheduling.KindRule, "missing_name")
	_, err = b.Svc.UpdateDoctor(ctx, c.Doctor.ID, strings.Repeat("n", scheduling.MaxNameLength+1), "")
	require.Error(t, err)
	_, err = b.Svc.UpdateDoctor(ctx, c.Doctor.ID, "Ana\x00", "")
	require.Error(t, err)
	_, err = b.Svc.UpdateDoctor(ctx, 1<<62, "Ana", "")
	requireCode(t, err, scheduling.KindNotFound, "not_found")
	require.Equal(t, "Dra. Inês Marques", schedtest.Must(b.Svc.GetDoctor(ctx, c.Doctor.ID))(t).Name, "a refused change keeps the name")
}
