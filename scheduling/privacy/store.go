package privacy

import (
	"context"
	"fmt"
	"slices"
	"time"

	"clinic/scheduling"
)

// Store keeps the clinic's privacy settings in PostgreSQL (table privacy_settings, one row).
type Store struct {
	db  scheduling.DB
	now func() time.Time
}

// NewStore builds a store on db with the given clock.
func NewStore(db scheduling.DB, now func() time.Time) *Store { return &Store{db: db, now: now} }

// Get returns the clinic's settings.
func (s *Store) Get(ctx context.Context) (Settings, error) {
	var st Settings
	err := s.db.QueryRow(ctx, `SELECT patient_name, doctor_name, phone, default_language FROM privacy_settings`).
		Scan(&st.PatientName, &st.DoctorName, &st.Phone, &st.DefaultLanguage)
	if err != nil {
		return st, fmt.Errorf("privacy settings: %w", err)
	}
	return st, nil
}

// Languages are the languages public pages can default to.
var Languages = []string{"en", "ar"}

// Validate refuses a setting that is missing or names no known rule; a missing default language
// keeps the stored one (the caller fills it in).
func (st Settings) Validate() error {
	for _, f := range []struct {
		field, value string
		allowed      []string
	}{
		{"patient_name", st.PatientName, []string{NameFull, NameFirstInitial, NameInitials, NameHidden}},
		{"doctor_name", st.DoctorName, []string{DoctorShown, DoctorHidden}},
		{"phone", st.Phone, []string{PhoneHidden, PhoneLastDigits}},
		{"default_language", st.DefaultLanguage, Languages},
	} {
		if f.value == "" {
			return scheduling.Rule("missing_"+f.field, "%s is required (one of %s)", f.field, list(f.allowed))
		}
		if !slices.Contains(f.allowed, f.value) {
			return scheduling.Rule("invalid_"+f.field, "%s must be one of %s", f.field, list(f.allowed))
		}
	}
	return nil
}

func list(values []string) string {
	out := ""
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			out += " or "
		default:
			out += ", "
		}
		out += v
	}
	return out
}

// Put replaces the settings and returns them as stored. A missing default_language keeps the
// current one.
func (s *Store) Put(ctx context.Context, st Settings, actor scheduling.Actor) (Settings, error) {
	if st.DefaultLanguage == "" {
		cur, err := s.Get(ctx)
		if err != nil {
			return st, err
		}
		st.DefaultLanguage = cur.DefaultLanguage
	}
	if err := st.Validate(); err != nil {
		return st, err
	}
	_, err := s.db.Exec(ctx, `UPDATE privacy_settings SET patient_name = $1, doctor_name = $2, phone = $3,
		default_language = $4, updated_at = $5, updated_by = $6`,
		st.PatientName, st.DoctorName, st.Phone, st.DefaultLanguage, s.now(), string(actor))
	if err != nil {
		return st, fmt.Errorf("save privacy settings: %w", err)
	}
	return st, nil
}
