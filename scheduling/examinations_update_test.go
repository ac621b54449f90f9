package scheduling_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// replacement is the ECG of the standard clinic, changed in every part: another code, name, price and
// duration, a price of its own at a second branch, a service window, one room and a second doctor.
func replacement(c *schedtest.Clinic, ny scheduling.ID, doctors ...scheduling.ID) scheduling.ExaminationInput {
	price, nyPrice, minutes, taxable := int64(7500), int64(12000), 45, true
	return scheduling.ExaminationInput{Code: "ECG-12", Name: "12-lead ECG", Price: &price, DurationMinutes: &minutes,
		Taxable: &taxable, NeedsRoom: true, BranchIDs: []scheduling.ID{c.Branch.ID, ny},
		Prices:    []scheduling.PriceInput{{BranchID: ny, Price: &nyPrice}},
		DoctorIDs: doctors, RoomIDs: []scheduling.ID{c.Rooms[1]},
		Windows: []scheduling.WeeklyHours{{Weekday: 2, Start: "09:00", End: "11:00"}}}
}

func TestUpdateExaminationReplacesEveryPart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ny := newYork(t, b.Svc)
	rui := c.AddDoctor(t, b.Svc, "Rui Costa")

	got := schedtest.Must(b.Svc.UpdateExamination(ctx, c.ECG.ID, replacement(c, ny.ID, rui.ID)))(t)
	require.Equal(t, c.ECG.ID, got.ID)
	require.Equal(t, "ECG-12", got.Code)
	require.Equal(t, "12-lead ECG", got.Name)
	require.Equal(t, int64(7500), got.Price)
	require.Equal(t, 45, got.DurationMinutes)
	require.True(t, got.Taxable)
	require.Equal(t, []scheduling.ID{c.Branch.ID, ny.ID}, got.BranchIDs)
	require.Equal(t, []scheduling.ID{rui.ID}, got.DoctorIDs, "the clinic's doctor no longer performs it")
	require.Equal(t, []scheduling.ID{c.Rooms[1]}, got.RoomIDs)
	require.Equal(t, []scheduling.WeeklyHours{{Weekday: 2, Start: "09:00", End: "11:00"}}, got.Windows)
	require.Equal(t, int64(7500), got.PriceAt(c.Branch.ID))
	require.Equal(t, int64(12000), got.PriceAt(ny.ID))
	require.Equal(t, got, schedtest.Must(b.Svc.GetExamination(ctx, c.ECG.ID))(t), "what is answered is what is stored")

	// Replaced again with less: the branch that is gone takes its price with it.
	in := replacement(c, ny.ID)
	in.BranchIDs, in.Prices, in.RoomIDs, in.Windows, in.NeedsRoom = []scheduling.ID{c.Branch.ID}, nil, nil, nil, false
	got = schedtest.Must(b.Svc.UpdateExamination(ctx, c.ECG.ID, in))(t)
	require.Equal(t, []scheduling.BranchPrice{}, got.Prices)
	require.Empty(t, got.DoctorIDs)
	require.Empty(t, got.RoomIDs)
	require.Empty(t, got.Windows)
	var prices int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM examination_prices WHERE examination_id = $1`, c.ECG.ID).Scan(&prices))
	require.Zero(t, prices)
}

// TestUpdateExaminationRefusesWithoutWriting: a refused replacement leaves the examination exactly as
// it was, whichever part of it was wrong and however late in the transaction that was found.
func TestUpdateExaminationRefusesWithoutWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ny := newYork(t, b.Svc)
	before := schedtest.Must(b.Svc.GetExamination(ctx, c.ECG.ID))(t)
	negative, zero, long := int64(-5), 0, make([]scheduling.ID, scheduling.MaxListLength+1)
	for i := range long {
		long[i] = c.Doctor.ID
	}
	otherRoom := schedtest.Must(b.Svc.CreateRoom(ctx, ny.ID, "NY room"))(t)

	for name, tc := range map[string]struct {
		change   func(in *scheduling.ExaminationInput)
		currency string
		kind     scheduling.Kind
		code     string
	}{
		"an unknown branch": {func(in *scheduling.ExaminationInput) {
			in.BranchIDs = append(in.BranchIDs, 9999)
		}, "", scheduling.KindNotFound, "not_found"},
		"an unknown doctor": {func(in *scheduling.ExaminationInput) { in.DoctorIDs = []scheduling.ID{9999} }, "", scheduling.KindNotFound, "not_found"},
		"an unknown room":   {func(in *scheduling.ExaminationInput) { in.RoomIDs = []scheduling.ID{9999} }, "", scheduling.KindNotFound, "not_found"},
		"a room of a branch that does not offer it": {func(in *scheduling.ExaminationInput) {
			in.RoomIDs = []scheduling.ID{otherRoom.ID}
			in.BranchIDs, in.Prices = []scheduling.ID{c.Branch.ID}, nil
		}, "", scheduling.KindRule, "room_outside_branches"},
		"a negative price":    {func(in *scheduling.ExaminationInput) { in.Price = &negative }, "", scheduling.KindRule, "negative_price"},
		"a zero duration":     {func(in *scheduling.ExaminationInput) { in.DurationMinutes = &zero }, "", scheduling.KindRule, "invalid_duration"},
		"too many doctors":    {func(in *scheduling.ExaminationInput) { in.DoctorIDs = long }, "", scheduling.KindRule, "list_too_long"},
		"a code already used": {func(in *scheduling.ExaminationInput) { in.Code = c.Consultation.Code }, "", scheduling.KindConflict, "duplicate_code"},
		"a price at a branch that does not offer it": {func(in *scheduling.ExaminationInput) {
			in.BranchIDs = []scheduling.ID{c.Branch.ID}
			in.RoomIDs = nil
		}, "", scheduling.KindRule, "price_branch_not_offered"},
		"overlapping windows": {func(in *scheduling.ExaminationInput) {
			in.Windows = append(in.Windows, scheduling.WeeklyHours{Weekday: 2, Start: "10:00", End: "12:00"})
		}, "", scheduling.KindRule, "overlapping_hours"},
		"a currency that does not exist":                {func(*scheduling.ExaminationInput) {}, "EUX", scheduling.KindRule, "invalid_currency"},
		"prices in euros for a branch that charges USD": {func(*scheduling.ExaminationInput) {}, "EUR", scheduling.KindRule, "currency_mismatch"},
	} {
		in := replacement(c, ny.ID, c.Doctor.ID)
		tc.change(&in)
		_, err := b.Svc.UpdateExaminationPricedIn(ctx, c.ECG.ID, in, tc.currency)
		wantErr(t, err, tc.kind, tc.code)
		require.Equal(t, before, schedtest.Must(b.Svc.GetExamination(ctx, c.ECG.ID))(t), name)
	}

	_, err := b.Svc.UpdateExamination(ctx, 9999, replacement(c, ny.ID))
	wantErr(t, err, scheduling.KindNotFound, "not_found")

	// A currency every branch charges in is accepted.
	in := replacement(c, ny.ID)
	in.BranchIDs, in.Prices, in.RoomIDs = []scheduling.ID{c.Branch.ID}, nil, nil
	schedtest.Must(b.Svc.UpdateExaminationPricedIn(ctx, c.ECG.ID, in, "EUR"))(t)
}

// TestUpdateExaminationIsSeenAtOnce: availability and booking keep the catalog in memory, and a
// replaced examination is never answered from what they remembered.
func TestUpdateExaminationIsSeenAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ny := newYork(t, b.Svc)
	exam := c.ECG.ID
	require.Len(t, firstStarts(t, b.Svc, c, 0, exam), 30, "read once, so that it is remembered")
	first := schedtest.Must(b.Svc.Book(ctx, "test", c.Booking(c.At(5, 8, 0), exam)))(t)
	require.Equal(t, 20*time.Minute, first.End.Sub(first.Start))

	var version int64
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT version FROM catalog_version`).Scan(&version))
	schedtest.Must(b.Svc.UpdateExamination(ctx, exam, replacement(c, ny.ID, c.Doctor.ID)))(t)
	var after int64
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT version FROM catalog_version`).Scan(&after))
	require.Greater(t, after, version, "the catalog version moves on")

	// Tuesday 09:00–11:00 only, 45 minutes, in Room 2.
	require.Equal(t, []string{"09:00", "09:45"}, firstStarts(t, b.Svc, c, 0, exam))
	_, err := b.Svc.Book(ctx, "test", c.Booking(c.At(5, 14, 0), exam))
	require.Error(t, err, "outside the new window")
	s := schedtest.Must(b.Svc.Book(ctx, "test", c.Booking(c.At(5, 9, 0), exam)))(t)
	require.Equal(t, 45*time.Minute, s.End.Sub(s.Start), "the new duration")
	require.NotNil(t, s.RoomID)
	require.Equal(t, c.Rooms[1], *s.RoomID, "the only room it may use now")
	got := schedtest.Must(b.Svc.GetSession(ctx, first.ID))(t)
	require.Equal(t, first.End, got.End, "a session booked before keeps its time")

	// A doctor taken off it can no longer be booked for it.
	in := replacement(c, ny.ID)
	schedtest.Must(b.Svc.UpdateExamination(ctx, exam, in))(t)
	_, err = b.Svc.Book(ctx, "test", c.Booking(c.At(12, 9, 0), exam))
	require.Error(t, err)
}

// TestUpdateExaminationConcurrentReplacementsDoNotMix: two replacements at once each write the whole
// examination; what is left is one of them, never parts of both.
func TestUpdateExaminationConcurrentReplacementsDoNotMix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ny := newYork(t, b.Svc)
	rui := c.AddDoctor(t, b.Svc, "Rui Costa")
	first := replacement(c, ny.ID, c.Doctor.ID)
	second := replacement(c, ny.ID, rui.ID)
	second.Name, second.BranchIDs, second.Prices, second.RoomIDs = "Second", []scheduling.ID{c.Branch.ID}, nil, nil
	second.Windows = []scheduling.WeeklyHours{{Weekday: 5, Start: "14:00", End: "16:00"}}
	for range 10 {
		errs := make(chan error, 2)
		for _, in := range []scheduling.ExaminationInput{first, second} {
			go func() {
				_, err := b.Svc.UpdateExamination(ctx, c.ECG.ID, in)
				errs <- err
			}()
		}
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		got := schedtest.Must(b.Svc.GetExamination(ctx, c.ECG.ID))(t)
		if got.Name == "Second" {
			require.Equal(t, []scheduling.ID{rui.ID}, got.DoctorIDs)
			require.Equal(t, []scheduling.ID{c.Branch.ID}, got.BranchIDs)
			require.Empty(t, got.Prices)
			require.Equal(t, second.Windows, got.Windows)
		} else {
			require.Equal(t, []scheduling.ID{c.Doctor.ID}, got.DoctorIDs)
			require.Equal(t, []scheduling.ID{c.Branch.ID, ny.ID}, got.BranchIDs)
			require.Len(t, got.Prices, 1)
			require.Equal(t, first.Windows, got.Windows)
		}
	}
}
