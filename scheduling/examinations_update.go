package scheduling

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// UpdateExamination replaces the whole examination, as PUT does: its code, name, duration, default
// price, per-branch prices, branches, service windows, rooms and doctors are all taken from in, with
// the same rules as on create. Everything is written in one transaction or nothing is. Every statement
// moves the catalog version on (migration 00009), so availability and booking see the change from the
// next request on. Sessions already booked keep their times and the prices snapshotted on their
// invoice lines.
func (s *Service) UpdateExamination(ctx context.Context, id ID, in ExaminationInput) (*Examination, error) {
	return s.UpdateExaminationPricedIn(ctx, id, in, "")
}

// UpdateExaminationPricedIn is UpdateExamination for a caller that says which currency its prices are
// written in: every branch in in.BranchIDs must keep its accounts in that currency, so a price typed
// in euros is never charged in dollars (DESIGN 3.4). An empty currency checks nothing.
func (s *Service) UpdateExaminationPricedIn(ctx context.Context, id ID, in ExaminationInput, currency string) (*Examination, error) {
	if currency != "" && !IsActiveCurrency(currency) {
		return nil, rule("invalid_currency", "currency %q is not an active ISO 4217 currency code (e.g. EUR, USD)", currency)
	}
	windows, err := in.validate()
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// The row lock taken here queues concurrent replacements of the same examination.
		tag, err := tx.Exec(ctx, `UPDATE examinations SET code = $2, name = $3, price = $4, duration_minutes = $5,
			taxable = $6, needs_room = $7 WHERE id = $1`,
			id, in.Code, in.Name, *in.Price, *in.DurationMinutes, *in.Taxable, in.NeedsRoom)
		if code, _ := pgCode(err); code == sqlstateUnique {
			return conflict("duplicate_code", "an examination with code %q exists", in.Code)
		} else if err != nil {
			return fmt.Errorf("update examination: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("examination", id)
		}
		// Removing its branches removes their prices too (examination_prices cascades).
		for _, table := range []string{"examination_branches", "examination_doctors", "examination_rooms", "examination_windows"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE examination_id = $1`, id); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		return writeParts(ctx, tx, id, in, windows, currency)
	})
	if err != nil {
		return nil, err
	}
	return s.GetExamination(ctx, id)
}

// checkBranchCurrency refuses a branch whose currency is not the one the prices were written in,
// naming the first such branch; an empty currency checks nothing.
func checkBranchCurrency(ctx context.Context, tx pgx.Tx, branchIDs []ID, currency string) error {
	if currency == "" {
		return nil
	}
	var name, other string
	err := tx.QueryRow(ctx, `SELECT name, currency FROM branches WHERE id = ANY($1) AND currency <> $2 ORDER BY id LIMIT 1`,
		branchIDs, currency).Scan(&name, &other)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("check currencies: %w", err)
	}
	return rule("currency_mismatch", "the prices are in %s, but branch %s charges in %s; leave currency out when the branches charge in different currencies", currency, name, other)
}
