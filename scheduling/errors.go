package scheduling

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Kind classifies a domain error; the HTTP layer maps each kind to one status.
type Kind int

const (
	// KindInvalid is malformed input (400).
	KindInvalid Kind = iota + 1
	// KindRule is well-formed input that breaks a rule (422).
	KindRule
	// KindNotFound is an unknown id (404).
	KindNotFound
	// KindConflict is a clash with the current state: a taken slot, a duplicate, a refused move (409).
	KindConflict
)

// Error is a domain error with a stable snake_case code that API clients may branch on.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Details carries structured context, e.g. the existing patient's id on a duplicate phone.
	Details map[string]any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Codes that callers compare against.
const (
	CodeSlotTaken         = "slot_taken"
	CodeNotAvailable      = "not_available"
	CodeInvalidTransition = "invalid_transition"
	CodeFinancialHistory  = "financial_history"
	CodeDuplicatePhone    = "duplicate_phone"
	CodeNotFound          = "not_found"
)

func invalid(code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: fmt.Sprintf(format, args...)}
}

func rule(code, format string, args ...any) *Error {
	return &Error{Kind: KindRule, Code: code, Message: fmt.Sprintf(format, args...)}
}

func conflict(code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

func notFound(what string, id ID) *Error {
	return &Error{Kind: KindNotFound, Code: CodeNotFound, Message: fmt.Sprintf("%s %d not found", what, id)}
}

// ErrFinancialHistory is what a DeleteGuard returns when money has moved for a session.
var ErrFinancialHistory = conflict(CodeFinancialHistory, "the session has an issued invoice or a payment; financial history is never deleted")

// IsCode reports whether err is a domain error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) (code, constraint string) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code, pgErr.ConstraintName
	}
	return "", ""
}

const (
	sqlstateForeignKey = "23503"
	sqlstateUnique     = "23505"
	sqlstateExclusion  = "23P01"
)

// noRows turns pgx.ErrNoRows into the domain's not-found error for what/id.
func noRows(err error, what string, id ID) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(what, id)
	}
	return err
}
