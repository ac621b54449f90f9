package scheduling_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// wantErr checks that err is the domain error code of the given kind and returns it.
func wantErr(t *testing.T, err error, kind scheduling.Kind, code string) *scheduling.Error {
	t.Helper()
	var de *scheduling.Error
	require.Truef(t, errors.As(err, &de), "want the domain error %s, got %v", code, err)
	require.Equal(t, code, de.Code, de.Message)
	require.Equal(t, kind, de.Kind, de.Message)
	return de
}

// newYork adds a New York branch open on weekdays, in dollars.
func newYork(t *testing.T, svc *scheduling.Service) *scheduling.Branch {
	t.Helper()
	tax := 888
	return schedtest.Must(svc.CreateBranch(context.Background(), scheduling.BranchInput{Name: "New York",
		Timezone: "America/New_York", Currency: "USD", TaxRateBP: &tax, Hours: schedtest.Hours()}))(t)
}

func examInput(branches []scheduling.ID, prices ...scheduling.PriceInput) scheduling.ExaminationInput {
	price, minutes, taxable := int64(6000), 30, false
	return scheduling.ExaminationInput{Code: "GP2", Name: "General consultation", Price: &price,
		DurationMinutes: &minutes, Taxable: &taxable, BranchIDs: branches, Prices: prices}
}

func TestExaminationPricesPerBranch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ny := newYork(t, b.Svc)
	usd := int64(15000)

	e := schedtest.Must(b.Svc.CreateExamination(ctx, examInput([]scheduling.ID{c.Branch.ID, ny.ID},
		scheduling.PriceInput{BranchID: ny.ID, Price: &usd})))(t)
	require.Equal(t, []scheduling.BranchPrice{{BranchID: ny.ID, Price: 15000}}, e.Prices)
	require.Equal(t, int64(6000), e.PriceAt(c.Branch.ID), "the default price, in euros at Lisbon")
	require.Equal(t, int64(15000), e.PriceAt(ny.ID), "the New York price, in dollars")
	got := schedtest.Must(b.Svc.GetExamination(ctx, e.ID))(t)
	require.Equal(t, e.Prices, got.Prices, "GET answers the prices too")
	require.Equal(t, []scheduling.BranchPrice{}, schedtest.Must(b.Svc.GetExamination(ctx, c.ECG.ID))(t).Prices)

	negative := int64(-1)
	for name, tc := range map[string]struct {
		prices []scheduling.PriceInput
		code   string
	}{
		"a branch that does not offer it": {[]scheduling.PriceInput{{BranchID: ny.ID, Price: &usd}}, "price_branch_not_offered"},
		"a branch priced twice": {[]scheduling.PriceInput{{BranchID: c.Branch.ID, Price: &usd},
			{BranchID: c.Branch.ID, Price: &usd}}, "duplicate_price"},
		"a negative price": {[]scheduling.PriceInput{{BranchID: c.Branch.ID, Price: &negative}}, "negative_price"},
		"a missing price":  {[]scheduling.PriceInput{{BranchID: c.Branch.ID}}, "missing_price"},
	} {
		in := examInput([]scheduling.ID{c.Branch.ID}, tc.prices...)
		in.Code = "X-" + tc.code
		_, err := b.Svc.CreateExamination(ctx, in)
		wantErr(t, err, scheduling.KindRule, tc.code)
		require.NotContains(t, err.Error(), "\n", name)
	}
	var n int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM examinations WHERE code LIKE 'X-%'`).Scan(&n))
	require.Zero(t, n, "a refused examination writes nothing")
}

func TestTimezonesMustBeCanonical(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Europe/Lisbon", "America/New_York", "UTC", "Etc/UTC", "Etc/GMT+5", "Asia/Kolkata", "Europe/Kyiv"} {
		_, err := scheduling.LoadLocation(name)
		require.NoError(t, err, name)
	}
	for _, name := range []string{"", "Local", "localtime", "posixrules", "Factory", "right/Europe/Lisbon",
		"posix/Europe/Lisbon", "US/Eastern", "Asia/Calcutta", "Etc/Universal", "GMT", "europe/lisbon", "Mars/Olympus"} {
		_, err := scheduling.LoadLocation(name)
		wantErr(t, err, scheduling.KindRule, "invalid_timezone")
	}
}

func TestCurrenciesMustBeActiveISO4217(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"EUR", "USD", "JPY", "KWD", "CHF", "XOF", "SLE", "VES", "ZWG"} {
		require.True(t, scheduling.IsActiveCurrency(code), code)
	}
	for _, code := range []string{"", "eur", "XXX", "XTS", "XAU", "XAG", "XDR", "XBA", "XBD", "XSU", "HRK", "SLL",
		"ZWL", "DEM", "USN", "EURO", "ABC"} {
		require.False(t, scheduling.IsActiveCurrency(code), code)
	}
	digits, _ := scheduling.CurrencyDigits("JPY")
	require.Equal(t, 0, digits)
	digits, _ = scheduling.CurrencyDigits("KWD")
	require.Equal(t, 3, digits)

	b := schedtest.New(t)
	zero := 0
	_, err := b.Svc.CreateBranch(context.Background(), scheduling.BranchInput{Name: "Test", Timezone: "UTC", Currency: "XTS", TaxRateBP: &zero})
	wantErr(t, err, scheduling.KindRule, "invalid_currency")
}

func TestNamesAreLimitedInCharacters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	// 200 two-byte characters fit a 200-character limit although they take 400 bytes.
	fits, over := strings.Repeat("é", scheduling.MaxNameLength), strings.Repeat("é", scheduling.MaxNameLength+1)
	zero := 0
	branch := func(name string) error {
		_, err := b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: name, Timezone: "UTC", Currency: "EUR", TaxRateBP: &zero})
		return err
	}
	room := func(name string) error { _, err := b.Svc.CreateRoom(ctx, c.Branch.ID, name); return err }
	doctor := func(name string) error { _, err := b.Svc.CreateDoctor(ctx, name, ""); return err }
	specialty := func(name string) error { _, err := b.Svc.CreateDoctor(ctx, "Dr "+name[:2], name); return err }
	exam := func(name string) error {
		in := examInput([]scheduling.ID{c.Branch.ID})
		in.Code, in.Name = "N"+name[:4], name
		_, err := b.Svc.CreateExamination(ctx, in)
		return err
	}
	for what, create := range map[string]func(string) error{"branch": branch, "room": room, "doctor": doctor,
		"specialty": specialty, "examination": exam} {
		require.NoError(t, create(fits), what)
		wantErr(t, create(over), scheduling.KindRule, "too_long")
	}

	code := func(s string) error {
		in := examInput([]scheduling.ID{c.Branch.ID})
		in.Code = s
		_, err := b.Svc.CreateExamination(ctx, in)
		return err
	}
	require.NoError(t, code(strings.Repeat("ü", scheduling.MaxCodeLength)))
	wantErr(t, code(strings.Repeat("ü", scheduling.MaxCodeLength+1)), scheduling.KindRule, "too_long")
	wantErr(t, doctor("bad \xff name"), scheduling.KindInvalid, "invalid_text")

	block := func(reason string) error {
		_, err := b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, Start: c.At(6, 9, 0), End: c.At(6, 10, 0), Reason: reason})
		return err
	}
	require.NoError(t, block(strings.Repeat("ã", scheduling.MaxReasonLength)))
	wantErr(t, block(strings.Repeat("ã", scheduling.MaxReasonLength+1)), scheduling.KindRule, "too_long")

	_, err := b.Svc.SetCancelReasons(ctx, []string{fits})
	require.NoError(t, err)
	_, err = b.Svc.SetCancelReasons(ctx, []string{over})
	wantErr(t, err, scheduling.KindRule, "too_long")
}

func TestIDFiltersTakeSixtyFourBitIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	huge := scheduling.ID(math.MaxInt64)

	rooms, err := b.Svc.ListRooms(ctx, huge)
	require.NoError(t, err)
	require.Empty(t, rooms)
	exams, err := b.Svc.ListExaminations(ctx, huge)
	require.NoError(t, err)
	require.Empty(t, exams)

	require.Len(t, schedtest.Must(b.Svc.ListRooms(ctx, c.Branch.ID))(t), 2)
	require.Len(t, schedtest.Must(b.Svc.ListRooms(ctx, 0))(t), 2, "0 lists every branch's rooms")
	require.Len(t, schedtest.Must(b.Svc.ListExaminations(ctx, c.Branch.ID))(t), 2)
	require.Len(t, schedtest.Must(b.Svc.ListExaminations(ctx, 0))(t), 2)
}

func TestCatalogRowsTakeTheServiceClock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	*b.Clock = time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	c := schedtest.NewClinic(t, b.Svc)
	schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, Start: c.At(6, 9, 0), End: c.At(6, 10, 0)}))(t)
	for _, table := range []string{"branches", "rooms", "doctors", "examinations", "blocks"} {
		var at time.Time
		require.NoError(t, b.Pool.QueryRow(ctx, `SELECT max(created_at) FROM `+table).Scan(&at))
		require.True(t, at.Equal(*b.Clock), "%s.created_at is %v, want the service's clock", table, at)
	}
	_, err := b.Pool.Exec(ctx, `INSERT INTO doctors (name) VALUES ('No clock')`)
	require.Error(t, err, "created_at has no database default to fall back on")
}
