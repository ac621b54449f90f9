package scheduling_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func names(ps []scheduling.Patient) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func search(t *testing.T, svc *scheduling.Service, q string) []string {
	t.Helper()
	page, err := svc.SearchPatients(context.Background(), scheduling.PatientSearch{Query: q})
	require.NoError(t, err, q)
	require.Empty(t, page.NextCursor, q)
	return names(page.Items)
}

func TestSearchPatientsByNameIgnoresCaseAndAccentsBestMatchFirst(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	for i, name := range []string{"Rosemarie Dias", "Joana Marí", "Ana Maria Pinto", "Mariana Costa", "José Álvares", "João  Gonçalves", "Maria"} {
		schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: name, Phone: fmt.Sprintf("+35193100000%d", i)}))(t)
	}
	require.Equal(t, c.Patient.Name, "Maria Silva")

	byRank := []string{"Maria", "Maria Silva", "Mariana Costa", "Ana Maria Pinto", "Joana Marí", "Rosemarie Dias"}
	require.Equal(t, byRank, search(t, b.Svc, "mari"),
		"names that start with it, then names with a word that starts with it, then the rest; each by name")
	require.Equal(t, byRank, search(t, b.Svc, "MARÍ"), "case and accents of the query do not matter")
	require.Equal(t, []string{"Maria", "Maria Silva", "Mariana Costa", "Ana Maria Pinto"}, search(t, b.Svc, "maria"),
		"the whole name first")
	require.Equal(t, []string{"José Álvares"}, search(t, b.Svc, "jose alv"))
	require.Equal(t, []string{"José Álvares"}, search(t, b.Svc, "ÁLVARES"))
	require.Equal(t, []string{"João  Gonçalves"}, search(t, b.Svc, " joao   GONCAL "), "spaces are collapsed on both sides")
	require.Empty(t, search(t, b.Svc, "%%"), "LIKE wildcards are matched literally")
	require.Empty(t, search(t, b.Svc, "a_a"))
	require.Empty(t, search(t, b.Svc, "Xavier"))
}

func TestSearchPatientsByPhoneFragmentInAnyFormat(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc) // Maria Silva, +351912345671
	ctx := context.Background()
	schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Sousa", Phone: "+351 934 567 890"}))(t)
	schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Amy Jones", Phone: "+44 7911 123456"}))(t)

	for _, q := range []string{"912 345", "+351 912", "912-345-671", "(912) 345 671", "00351 912 345 671", "+351912345671", "5671"} {
		require.Equal(t, []string{c.Patient.Name}, search(t, b.Svc, q), q)
	}
	require.Equal(t, []string{"Amy Jones", "Maria Silva"}, search(t, b.Svc, "123"), "by name among equal matches")
	require.Equal(t, []string{"Rui Sousa"}, search(t, b.Svc, "+351 (93) 4"))
	require.Empty(t, search(t, b.Svc, "07911 12"), "without a home region a leading 0 is a digit like any other")

	// With a home region, a national number (trunk prefix 0) finds its international form.
	uk := scheduling.NewService(b.Pool, slog.New(slog.DiscardHandler), func() time.Time { return schedtest.Now }, scheduling.Config{PhoneRegion: "GB"})
	require.Equal(t, []string{"Amy Jones"}, search(t, uk, "07911 12"))
	require.Equal(t, []string{"Amy Jones"}, search(t, uk, "07911 123456"))
}

func TestSearchPatientsRefusesShortQueriesAndBadPages(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	for _, q := range []string{"", "  ", "a", "12", "+1 2", "0012"} {
		_, err := b.Svc.SearchPatients(ctx, scheduling.PatientSearch{Query: q})
		de := requireCode(t, err, scheduling.KindRule, "query_too_short")
		require.Contains(t, de.Message, "at least", q)
	}
	_, err := b.Svc.SearchPatients(ctx, scheduling.PatientSearch{Query: "maria", Limit: scheduling.MaxPatientPage + 1})
	requireCode(t, err, scheduling.KindRule, "invalid_limit")
	_, err = b.Svc.SearchPatients(ctx, scheduling.PatientSearch{Query: strings.Repeat("é", scheduling.MaxNameLength+1)})
	requireCode(t, err, scheduling.KindRule, "too_long")
	_, err = b.Svc.SearchPatients(ctx, scheduling.PatientSearch{Query: "maria", Cursor: "not-a-cursor"})
	requireCode(t, err, scheduling.KindInvalid, "invalid_cursor")
}

func TestSearchPatientsPagesWithoutDuplicatesOrGaps(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	var want []string
	for _, i := range []int{7, 31, 2, 44, 18, 25, 9, 40, 13, 36, 1, 22, 5, 28, 16, 33, 11, 42, 20, 3, 38, 27, 14, 30, 6, 45, 24, 10,
		35, 19, 41, 4, 29, 15, 37, 23, 8, 43, 17, 32, 12, 39, 21, 26, 34} {
		name := fmt.Sprintf("Teste Página %02d", i)
		schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: name, Phone: fmt.Sprintf("+3519120%05d", i)}))(t)
	}
	for i := 1; i <= 45; i++ {
		want = append(want, fmt.Sprintf("Teste Página %02d", i))
	}

	var got []string
	var cursors []string
	q := scheduling.PatientSearch{Query: "teste pagina", Limit: 20}
	for {
		page, err := b.Svc.SearchPatients(ctx, q)
		require.NoError(t, err)
		got = append(got, names(page.Items)...)
		if len(got) == 20 {
			// A patient who sorts before the page already given does not shift the next pages.
			schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Teste Página 00", Phone: "+351912099999"}))(t)
		}
		if page.NextCursor == "" {
			require.Len(t, page.Items, 5)
			break
		}
		require.Len(t, page.Items, 20)
		cursors = append(cursors, page.NextCursor)
		q.Cursor = page.NextCursor
	}
	require.Equal(t, want, got, "every patient once, in name order")
	require.Len(t, cursors, 2)

	tampered := []byte(cursors[0])
	tampered[len(tampered)/2] ^= 1
	_, err := b.Svc.SearchPatients(ctx, scheduling.PatientSearch{Query: "teste pagina", Cursor: string(tampered)})
	requireCode(t, err, scheduling.KindInvalid, "invalid_cursor")
	_, err = b.Svc.SearchPatients(ctx, scheduling.PatientSearch{Query: "teste", Cursor: cursors[0]})
	requireCode(t, err, scheduling.KindInvalid, "invalid_cursor")
}

func TestPatientSessionsNewestFirst(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	var booked []scheduling.ID
	for _, day := range []int{6, 5, 8, 7} {
		booked = append(booked, schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(day, 9, 0))))(t).ID)
	}
	other := schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Sousa", Phone: "+351934567890"}))(t)
	in := c.Booking(c.At(5, 10, 0))
	in.PatientID = other.ID
	schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)

	first, err := b.Svc.PatientSessions(ctx, c.Patient.ID, "", 3)
	require.NoError(t, err)
	rest, err := b.Svc.PatientSessions(ctx, c.Patient.ID, first.NextCursor, 3)
	require.NoError(t, err)
	require.Empty(t, rest.NextCursor)
	var got []scheduling.ID
	for _, s := range append(first.Items, rest.Items...) {
		got = append(got, s.ID)
	}
	require.Equal(t, []scheduling.ID{booked[2], booked[3], booked[0], booked[1]}, got, "the 8th, 7th, 6th, 5th")

	_, err = b.Svc.PatientSessions(ctx, 987654, "", 0)
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
	page, err := b.Svc.PatientSessions(ctx, schedtest.Must(b.Svc.CreatePatient(ctx,
		scheduling.PatientInput{Name: "New", Phone: "+351934567891"}))(t).ID, "", 0)
	require.NoError(t, err)
	require.NotNil(t, page.Items, "no visits is an empty list")
	require.Empty(t, page.Items)
}
