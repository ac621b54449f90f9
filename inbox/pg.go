package inbox

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"clinic/scheduling"
)

const (
	sqlstateForeignKey = "23503"
	sqlstateUnique     = "23505"
)

// pgCode returns the SQLSTATE and constraint of a PostgreSQL error, or "".
func pgCode(err error) (code, constraint string) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code, pgErr.ConstraintName
	}
	return "", ""
}

// asError is errors.As for the domain's error type.
func asError(err error, target **scheduling.Error) bool { return errors.As(err, target) }
