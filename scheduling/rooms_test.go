package scheduling_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func TestBookingRooms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// secondDoctor adds a doctor who performs the ECG with the same hours, to compete for rooms.
	secondDoctor := func(t *testing.T, b *schedtest.Bundle, c *schedtest.Clinic) scheduling.ID {
		d := schedtest.Must(b.Svc.CreateDoctor(ctx, "Bruno", ""))(t)
		schedtest.Must(b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: d.ID, BranchID: c.Branch.ID, Weekly: schedtest.Hours()}))(t)
		_, err := b.Pool.Exec(ctx, `INSERT INTO examination_doctors VALUES ($1, $2)`, c.ECG.ID, d.ID)
		require.NoError(t, err)
		return d.ID
	}

	t.Run("a room asked for without being needed is held", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		in := c.Booking(c.At(5, 9, 0))
		in.RoomID = &c.Rooms[0]
		s := schedtest.Must(b.Svc.Book(ctx, "t", in))(t)
		require.Equal(t, c.Rooms[0], *s.RoomID)
		other := c.Booking(c.At(5, 9, 0), c.ECG.ID)
		other.DoctorID, other.PatientID = secondDoctor(t, b, c), c.AddPatient(t, b.Svc, 1).ID
		s = schedtest.Must(b.Svc.Book(ctx, "t", other))(t)
		require.Equal(t, c.Rooms[1], *s.RoomID, "the ECG takes the other room")
	})
	t.Run("a room of another branch is refused", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		zero := 0
		porto := schedtest.Must(b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon", Currency: "EUR", TaxRateBP: &zero}))(t)
		foreign := schedtest.Must(b.Svc.CreateRoom(ctx, porto.ID, "P1"))(t)
		in := c.Booking(c.At(5, 9, 0), c.ECG.ID)
		in.RoomID = &foreign.ID
		_, err := b.Svc.Book(ctx, "t", in)
		requireCode(t, err, scheduling.KindRule, "room_unsuitable")
		in = c.Booking(c.At(5, 9, 0))
		in.RoomID = &foreign.ID
		_, err = b.Svc.Book(ctx, "t", in)
		requireCode(t, err, scheduling.KindRule, "room_not_in_branch")
	})
	t.Run("rooms taken by sessions make the slot taken", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		for i, room := range c.Rooms {
			in := c.Booking(c.At(5, 9, 10*i), c.ECG.ID)
			in.DoctorID, in.RoomID, in.PatientID = secondDoctor(t, b, c), &room, c.AddPatient(t, b.Svc, i).ID
			schedtest.Must(b.Svc.Book(ctx, "t", in))(t)
		}
		_, err := b.Svc.Book(ctx, "t", c.Booking(c.At(5, 9, 0), c.ECG.ID))
		requireCode(t, err, scheduling.KindConflict, scheduling.CodeSlotTaken)
	})
	t.Run("rooms closed by blocks make the time unavailable", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		for _, room := range c.Rooms {
			schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, RoomID: &room,
				Start: c.At(5, 8, 0), End: c.At(5, 12, 0), Reason: "maintenance"}))(t)
		}
		_, err := b.Svc.Book(ctx, "t", c.Booking(c.At(5, 9, 0), c.ECG.ID))
		de := requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)
		alts := de.Details["alternatives"].([]scheduling.Slot)
		require.NotEmpty(t, alts)
		require.False(t, alts[0].Start.Before(c.At(5, 12, 0)), "alternatives avoid the blocked rooms")
	})
}
