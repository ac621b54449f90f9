package scheduling_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func TestRenameRoom(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)

	r, err := b.Svc.RenameRoom(ctx, c.Rooms[0], "  Imaging ")
	require.NoError(t, err)
	require.Equal(t, scheduling.Room{ID: c.Rooms[0], BranchID: c.Branch.ID, Name: "Imaging"}, *r)
	rooms := schedtest.Must(b.Svc.ListRooms(ctx, c.Branch.ID))(t)
	require.Equal(t, "Imaging", rooms[0].Name)

	_, err = b.Svc.RenameRoom(ctx, c.Rooms[1], "Imaging")
	require.True(t, scheduling.IsCode(err, "duplicate_room"), "names are unique within a branch: %v", err)
	_, err = b.Svc.RenameRoom(ctx, c.Rooms[1], " ")
	require.True(t, scheduling.IsCode(err, "missing_name"), err)
	_, err = b.Svc.RenameRoom(ctx, 99999, "Room 9")
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), err)
	require.Equal(t, "Room 2", schedtest.Must(b.Svc.ListRooms(ctx, c.Branch.ID))(t)[1].Name)

	// Another branch may have a room of the same name.
	zero := 0
	other := schedtest.Must(b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon",
		Currency: "EUR", TaxRateBP: &zero}))(t)
	room := schedtest.Must(b.Svc.CreateRoom(ctx, other.ID, "Room 1"))(t)
	_, err = b.Svc.RenameRoom(ctx, room.ID, "Imaging")
	require.NoError(t, err)
}

func TestRemoveRoom(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("a room nothing depends on is removed with its blocks", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		_, err := b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, RoomID: &c.Rooms[1],
			Start: c.At(5, 9, 0), End: c.At(5, 12, 0), Reason: "Painting"})
		require.NoError(t, err)
		require.NoError(t, b.Svc.RemoveRoom(ctx, c.Rooms[1]))
		rooms := schedtest.Must(b.Svc.ListRooms(ctx, c.Branch.ID))(t)
		require.Len(t, rooms, 1)
		require.Equal(t, c.Rooms[0], rooms[0].ID)
		day := scheduling.DateOf(c.At(5, 9, 0))
		require.Empty(t, schedtest.Must(b.Svc.ListBlocks(ctx, c.Branch.ID, day, day))(t))
		require.True(t, scheduling.IsCode(b.Svc.RemoveRoom(ctx, c.Rooms[1]), scheduling.CodeNotFound))
	})
	t.Run("a room with a session is kept", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		s := schedtest.Must(b.Svc.Book(ctx, "t", c.Booking(c.At(5, 9, 0), c.ECG.ID)))(t)
		require.NotNil(t, s.RoomID)
		err := b.Svc.RemoveRoom(ctx, *s.RoomID)
		require.True(t, scheduling.IsCode(err, "room_in_use"), err)
		require.Contains(t, err.Error(), "the room has a session, past or booked")
		require.Len(t, schedtest.Must(b.Svc.ListRooms(ctx, c.Branch.ID))(t), 2)
	})
	t.Run("a room an examination is limited to is kept", func(t *testing.T) {
		t.Parallel()
		b := schedtest.New(t)
		c := schedtest.NewClinic(t, b.Svc)
		price, minutes, no := int64(1000), 15, false
		schedtest.Must(b.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "XR", Name: "X-ray", Price: &price,
			DurationMinutes: &minutes, Taxable: &no, NeedsRoom: true, BranchIDs: []scheduling.ID{c.Branch.ID},
			DoctorIDs: []scheduling.ID{c.Doctor.ID}, RoomIDs: []scheduling.ID{c.Rooms[0]}}))(t)
		err := b.Svc.RemoveRoom(ctx, c.Rooms[0])
		require.True(t, scheduling.IsCode(err, "room_in_use"), err)
		require.Contains(t, err.Error(), "X-ray")
		require.Len(t, schedtest.Must(b.Svc.ListRooms(ctx, c.Branch.ID))(t), 2)
	})
}
