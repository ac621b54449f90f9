package scheduling

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// Branch is a clinic location with its own time zone, currency, tax rate and opening hours.
type Branch struct {
	ID                  ID            `json:"id"`
	Name                string        `json:"name"`
	Timezone            string        `json:"timezone"`
	Currency            string        `json:"currency"`
	TaxRateBP           int           `json:"tax_rate_bp"`
	SlotIntervalMinutes *int          `json:"slot_interval_minutes"`
	MinNoticeMinutes    int           `json:"min_notice_minutes"`
	HorizonDays         int           `json:"horizon_days"`
	Hours               []WeeklyHours `json:"hours"`

	hours availability.Weekly // Hours in the engine's form
	// catalogVersion is the catalog version this copy was read at, when it came through the setup
	// cache (0 otherwise): a calendar read at another version means the copy may be stale.
	catalogVersion int64
}

// BranchInput is what creating or replacing a branch takes; the optional settings are pointers so
// that a missing one can take its default.
type BranchInput struct {
	Name                string        `json:"name"`
	Timezone            string        `json:"timezone"`
	Currency            string        `json:"currency"`
	TaxRateBP           *int          `json:"tax_rate_bp"`
	SlotIntervalMinutes *int          `json:"slot_interval_minutes"`
	MinNoticeMinutes    *int          `json:"min_notice_minutes"`
	HorizonDays         *int          `json:"horizon_days"`
	Hours               []WeeklyHours `json:"hours"`
}

// LoadLocation resolves a canonical IANA zone name (Europe/Lisbon, America/New_York, UTC). Links
// (US/Eastern), names that depend on the server (Local, localtime) and the zoneinfo trees' special
// entries (posixrules, Factory, posix/..., right/...) are refused, so that every branch names its zone
// the one way the zone database does.
func LoadLocation(name string) (*time.Location, error) {
	if !IsCanonicalZone(name) {
		return nil, rule("invalid_timezone", "timezone %q is not a canonical IANA time zone name (e.g. Europe/Lisbon)", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, rule("invalid_timezone", "timezone %q is not a canonical IANA time zone name (e.g. Europe/Lisbon)", name)
	}
	return loc, nil
}

// Defaults of the optional branch settings, the same on create and on a full update.
const (
	DefaultMinNoticeMinutes = 60
	DefaultHorizonDays      = 90
)

// validate checks the input and fills in the defaults of missing optional settings.
func (in *BranchInput) validate() ([]weeklySpan, error) {
	var err error
	if in.Name, err = cleanText("name", in.Name, MaxNameLength); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, rule("missing_name", "name is required")
	}
	if _, err := LoadLocation(in.Timezone); err != nil {
		return nil, err
	}
	if !IsActiveCurrency(in.Currency) {
		return nil, rule("invalid_currency", "currency %q is not an active ISO 4217 currency code (e.g. EUR, USD)", in.Currency)
	}
	if in.TaxRateBP == nil {
		return nil, rule("missing_tax_rate", "tax_rate_bp is required (basis points, 0 for none)")
	}
	if err := between("tax_rate_bp", *in.TaxRateBP, 0, 100000); err != nil {
		return nil, err
	}
	if in.SlotIntervalMinutes != nil {
		if err := between("slot_interval_minutes", *in.SlotIntervalMinutes, 5, 1440); err != nil {
			return nil, err
		}
	}
	if in.MinNoticeMinutes == nil {
		in.MinNoticeMinutes = ptrTo(DefaultMinNoticeMinutes)
	}
	if err := between("min_notice_minutes", *in.MinNoticeMinutes, 0, 525600); err != nil {
		return nil, err
	}
	if in.HorizonDays == nil {
		in.HorizonDays = ptrTo(DefaultHorizonDays)
	}
	if err := between("horizon_days", *in.HorizonDays, 1, 730); err != nil {
		return nil, err
	}
	return parseWeekly(in.Hours, "hours")
}

func ptrTo[T any](v T) *T { return &v }

func between(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return rule("out_of_range", "%s must be between %d and %d, got %d", field, lo, hi, v)
	}
	return nil
}

// CreateBranch adds a branch with its weekly opening hours.
func (s *Service) CreateBranch(ctx context.Context, in BranchInput) (*Branch, error) {
	spans, err := in.validate()
	if err != nil {
		return nil, err
	}
	var id ID
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO branches (name, timezone, currency, tax_rate_bp, slot_interval_minutes,
				min_notice_minutes, horizon_days, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			in.Name, in.Timezone, in.Currency, *in.TaxRateBP, in.SlotIntervalMinutes,
			*in.MinNoticeMinutes, *in.HorizonDays, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert branch: %w", err)
		}
		return insertWeekly(ctx, tx, "branch_hours", []string{"branch_id"}, []any{id}, spans)
	})
	if err != nil {
		return nil, err
	}
	return s.GetBranch(ctx, id)
}

// UpdateBranch replaces the whole branch, as PUT does: every setting is taken from in, and a missing
// optional one takes its default exactly as on create (no slot interval, 60 minutes' notice, a 90-day
// horizon, no opening hours). Existing sessions stay as booked; the new hours apply to what is offered
// from now on.
func (s *Service) UpdateBranch(ctx context.Context, id ID, in BranchInput) (*Branch, error) {
	spans, err := in.validate()
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE branches SET name = $2, timezone = $3, currency = $4, tax_rate_bp = $5, slot_interval_minutes = $6,
				min_notice_minutes = $7, horizon_days = $8
			WHERE id = $1`, id, in.Name, in.Timezone, in.Currency, *in.TaxRateBP, in.SlotIntervalMinutes,
			*in.MinNoticeMinutes, *in.HorizonDays)
		if err != nil {
			return fmt.Errorf("update branch: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("branch", id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM branch_hours WHERE branch_id = $1`, id); err != nil {
			return fmt.Errorf("clear hours: %w", err)
		}
		return insertWeekly(ctx, tx, "branch_hours", []string{"branch_id"}, []any{id}, spans)
	})
	if err != nil {
		return nil, err
	}
	return s.GetBranch(ctx, id)
}

// insertWeekly writes weekly spans into one of the weekly-hours tables; key names the owning columns
// (e.g. branch_id, or doctor_id and branch_id) and their values, in order.
func insertWeekly(ctx context.Context, tx pgx.Tx, table string, keyCols []string, keyVals []any, spans []weeklySpan) error {
	if len(spans) == 0 {
		return nil
	}
	cols := append(slices.Clone(keyCols), "weekday", "start_minute", "end_minute")
	rows := make([][]any, len(spans))
	for i, sp := range spans {
		rows[i] = append(slices.Clone(keyVals), sp.weekday, sp.span.Start, sp.span.End)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

const branchSelect = `
	SELECT b.id, b.name, b.timezone, b.currency, b.tax_rate_bp, b.slot_interval_minutes,
		b.min_notice_minutes, b.horizon_days,
		array(SELECT weekday FROM branch_hours WHERE branch_id = b.id ORDER BY weekday, start_minute),
		array(SELECT start_minute FROM branch_hours WHERE branch_id = b.id ORDER BY weekday, start_minute),
		array(SELECT end_minute FROM branch_hours WHERE branch_id = b.id ORDER BY weekday, start_minute)
	FROM branches b`

func scanBranch(row pgx.Row) (Branch, error) {
	var b Branch
	var wd, st, en []int
	err := row.Scan(&b.ID, &b.Name, &b.Timezone, &b.Currency, &b.TaxRateBP, &b.SlotIntervalMinutes,
		&b.MinNoticeMinutes, &b.HorizonDays, &wd, &st, &en)
	b.Hours, b.hours = weeklyColumns(wd, st, en)
	return b, err
}

// GetBranch returns one branch with its hours.
func (s *Service) GetBranch(ctx context.Context, id ID) (*Branch, error) {
	b, err := scanBranch(s.db.QueryRow(ctx, branchSelect+` WHERE b.id = $1`, id))
	if err != nil {
		return nil, noRows(err, "branch", id)
	}
	return &b, nil
}

// branchZone returns a branch and its time zone, in which its hours and dates are read.
func (s *Service) branchZone(ctx context.Context, id ID) (*Branch, *time.Location, error) {
	branch, err := s.GetBranch(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	loc, err := LoadLocation(branch.Timezone)
	if err != nil {
		return nil, nil, fmt.Errorf("branch %d: %w", id, err)
	}
	return branch, loc, nil
}

// ListBranches returns every branch.
func (s *Service) ListBranches(ctx context.Context) ([]Branch, error) {
	rows, err := s.db.Query(ctx, branchSelect+` ORDER BY b.id`)
	if err != nil {
		return nil, fmt.Errorf("list branches: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Branch, error) { return scanBranch(row) })
}
