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

// MaxCancelReasons caps the list of cancellation reasons.
const MaxCancelReasons = 50

// SetCancelReasons replaces the list of cancellation reasons; an empty list empties it, and nil (the
// list left out) is refused, so a request that forgot it cannot wipe the list. Sessions keep the reason
// they were cancelled with, as text. Concurrent replacements run one after the other: the last wins.
func (s *Service) SetCancelReasons(ctx context.Context, reasons []string) ([]string, error) {
	if reasons == nil {
		return nil, rule("missing_reasons", "reasons is required: the whole list, in order (an empty list removes every reason)")
	}
	if err := checkListLength("reasons", len(reasons), MaxCancelReasons); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	clean := make([]string, 0, len(reasons))
	for i, r := range reasons {
		field := fmt.Sprintf("reasons[%d]", i)
		r, err := cleanText(field, r, MaxNameLength)
		switch {
		case err != nil:
			return nil, err
		case r == "":
			return nil, rule("missing_reason", "%s is empty", field)
		case seen[strings.ToLower(r)]:
			return nil, rule("duplicate_reason", "%q is listed twice", r)
		}
		seen[strings.ToLower(r)] = true
		clean = append(clean, r)
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// Without the lock, a second replacement's DELETE misses the rows the first one inserted and
		// its INSERT then collides with them. The mode lets readers through and queues writers.
		if _, err := tx.Exec(ctx, `LOCK TABLE cancel_reasons IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock cancel reasons: %w", err)
		}
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
