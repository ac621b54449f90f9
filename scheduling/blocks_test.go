package scheduling_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func blockIDs(blocks []scheduling.Block) []scheduling.ID {
	out := make([]scheduling.ID, len(blocks))
	for i, b := range blocks {
		out[i] = b.ID
	}
	return out
}

func TestDoctorBlockIsTheDoctorsAtEveryBranch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ny := newYork(t, b.Svc)
	zero := 0
	porto := schedtest.Must(b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon",
		Currency: "EUR", TaxRateBP: &zero, Hours: schedtest.Hours()}))(t)
	atLisbon := schedtest.Must(b.Svc.Book(ctx, "t", c.Booking(c.At(5, 9, 0))))(t)
	inRoom := schedtest.Must(b.Svc.Book(ctx, "t", c.Booking(c.At(5, 10, 0), c.ECG.ID)))(t)

	// Filed under New York, where the doctor does not work, it still closes the morning in Lisbon.
	block := schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: ny.ID, DoctorID: &c.Doctor.ID,
		Start: c.At(5, 8, 0), End: c.At(5, 12, 0), Reason: "Conference"}))(t)
	require.Equal(t, []scheduling.ID{atLisbon.ID, inRoom.ID}, block.Colliding)
	day := scheduling.DateOf(c.At(5, 0, 0))
	atBranch := func(branch scheduling.ID) []scheduling.ID {
		return blockIDs(schedtest.Must(b.Svc.ListBlocks(ctx, branch, day, day))(t))
	}
	require.Equal(t, []scheduling.ID{block.ID}, atBranch(c.Branch.ID), "listed where the doctor attends")
	require.Equal(t, []scheduling.ID{block.ID}, atBranch(ny.ID), "listed where it was filed")
	require.Empty(t, atBranch(porto.ID), "not listed where the doctor neither attends nor has sessions")

	room := schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, RoomID: inRoom.RoomID,
		Start: c.At(5, 8, 0), End: c.At(5, 12, 0)}))(t)
	require.Equal(t, []scheduling.ID{inRoom.ID}, room.Colliding, "a room's block collides with that room's sessions only")
	closed := schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: ny.ID, Start: c.At(5, 8, 0), End: c.At(5, 12, 0)}))(t)
	require.Empty(t, closed.Colliding, "a branch closure collides with that branch's sessions only")
	require.Equal(t, []scheduling.ID{block.ID, closed.ID}, atBranch(ny.ID))
}

func TestBlockTimesAreWholeSeconds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	block := schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, DoctorID: &c.Doctor.ID,
		Start: c.At(5, 8, 0).Add(300 * time.Millisecond), End: c.At(5, 10, 0).Add(200 * time.Millisecond)}))(t)
	require.True(t, block.Start.Equal(c.At(5, 8, 0)), "start %v", block.Start)
	require.True(t, block.End.Equal(c.At(5, 10, 0)), "end %v", block.End)

	day := scheduling.DateOf(c.At(5, 0, 0))
	slots := schedtest.Must(b.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: c.Branch.ID,
		ExaminationIDs: []scheduling.ID{c.Consultation.ID}, From: day, To: day}))(t)
	require.NotEmpty(t, slots)
	require.True(t, slots[0].Start.Equal(c.At(5, 10, 0)), "the first slot is at 10:00, got %v", slots[0].Start)
	for _, sl := range slots {
		require.Zero(t, sl.Start.Nanosecond(), "slot at %v", sl.Start)
	}
}

func TestCancelReasonsReplacement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)

	_, err := b.Svc.SetCancelReasons(ctx, nil)
	wantErr(t, err, scheduling.KindRule, "missing_reasons")
	require.NotEmpty(t, schedtest.Must(b.Svc.CancelReasons(ctx))(t), "a forgotten list deletes nothing")
	require.Empty(t, schedtest.Must(b.Svc.SetCancelReasons(ctx, []string{}))(t))
	require.Empty(t, schedtest.Must(b.Svc.CancelReasons(ctx))(t), "an explicit empty list empties it")

	// Replacements that share labels and positions, on concurrent connections: each one succeeds and
	// the list is one of them whole.
	var lists [][]string
	for i := range 8 {
		lists = append(lists, []string{"Illness", fmt.Sprintf("Reason %d", i), "Feels better"})
	}
	for round := range 5 {
		var wg sync.WaitGroup
		errs := make([]error, len(lists))
		for i, l := range lists {
			wg.Go(func() { _, errs[i] = b.Svc.SetCancelReasons(ctx, l) })
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "round %d, replacement %d", round, i)
		}
		got := schedtest.Must(b.Svc.CancelReasons(ctx))(t)
		require.True(t, slices.ContainsFunc(lists, func(l []string) bool { return slices.Equal(l, got) }), "got %v", got)
	}
}
