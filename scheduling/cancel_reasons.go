package scheduling

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// CancelReasons returns the clinic's list of cancellation reasons, in the order staff see them.
func (s *Service) CancelReasons(ctx context.Context) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT label FROM cancel_reasons ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("cancel reasons: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// SetCancelReasons replaces the list of cancellation reasons. Sessions keep the reason they were
// cancelled with, as text.
func (s *Service) SetCancelReasons(ctx context.Context, reasons []string) ([]string, error) {
	if len(reasons) > 50 {
		return nil, rule("too_many_reasons", "at most 50 cancellation reasons")
	}
	seen := map[string]bool{}
	clean := make([]string, 0, len(reasons))
	for i, r := range reasons {
		r = strings.TrimSpace(r)
		switch {
		case r == "":
			return nil, rule("missing_reason", "reasons[%d] is empty", i)
		case len(r) > 200:
			return nil, rule("reason_too_long", "reasons[%d] has more than 200 characters", i)
		case seen[strings.ToLower(r)]:
			return nil, rule("duplicate_reason", "%q is listed twice", r)
		}
		seen[strings.ToLower(r)] = true
		clean = append(clean, r)
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM cancel_reasons`); err != nil {
			return fmt.Errorf("clear cancel reasons: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO cancel_reasons (position, label)
			SELECT ordinality - 1, label FROM unnest($1::text[]) WITH ORDINALITY AS r(label, ordinality)`, clean)
		if err != nil {
			return fmt.Errorf("store cancel reasons: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return clean, nil
}
