package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Settings are the clinic's inbox settings, edited in the console.
type Settings struct {
	// RequestExpiry is how long a request nobody acted on stays open before it expires.
	RequestExpiry time.Duration
	// CancelCutoff is how long before the visit a patient may still cancel through a confirm link.
	CancelCutoff time.Duration
	// DirectBooking lets the bots book a free slot at once instead of recording a request.
	DirectBooking bool
	// DefaultLang is the language patients are addressed in until they choose one ("en" or "ar").
	DefaultLang string
}

// Langs are the languages the patient texts exist in.
var Langs = []string{"en", "ar"}

// Settings returns the clinic's inbox settings.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	return s.settings(ctx, nil)
}

func (s *Store) settings(ctx context.Context, tx pgx.Tx) (Settings, error) {
	var hours, minutes int
	var out Settings
	err := s.db(tx).QueryRow(ctx, `SELECT request_expiry_hours, cancel_cutoff_minutes, direct_booking, default_lang
		FROM inbox_settings`).Scan(&hours, &minutes, &out.DirectBooking, &out.DefaultLang)
	if err != nil {
		return Settings{}, fmt.Errorf("load inbox settings: %w", err)
	}
	out.RequestExpiry = time.Duration(hours) * time.Hour
	out.CancelCutoff = time.Duration(minutes) * time.Minute
	return out, nil
}

// SaveSettings replaces the clinic's inbox settings. The expiry is whole hours from 1 hour to a year,
// the cut-off whole minutes up to 30 days.
func (s *Store) SaveSettings(ctx context.Context, in Settings) (Settings, error) {
	switch {
	case in.RequestExpiry < time.Hour || in.RequestExpiry > 8760*time.Hour || in.RequestExpiry%time.Hour != 0:
		return Settings{}, rule("invalid_request_expiry", "the request expiry is a whole number of hours from 1 to 8760")
	case in.CancelCutoff < 0 || in.CancelCutoff > 30*24*time.Hour || in.CancelCutoff%time.Minute != 0:
		return Settings{}, rule("invalid_cancel_cutoff", "the cancel cut-off is a whole number of minutes from 0 to 43200 (30 days)")
	case !validLang(in.DefaultLang):
		return Settings{}, rule("invalid_language", "the default language is one of en, ar")
	}
	_, err := s.pool.Exec(ctx, `UPDATE inbox_settings SET request_expiry_hours = $1, cancel_cutoff_minutes = $2,
		direct_booking = $3, default_lang = $4`,
		int(in.RequestExpiry/time.Hour), int(in.CancelCutoff/time.Minute), in.DirectBooking, in.DefaultLang)
	if err != nil {
		return Settings{}, fmt.Errorf("save inbox settings: %w", err)
	}
	return s.Settings(ctx)
}

func validLang(lang string) bool {
	for _, l := range Langs {
		if l == lang {
			return true
		}
	}
	return false
}
