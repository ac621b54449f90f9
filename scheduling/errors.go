package scheduling

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Kind classifies a domain error. Every domain package (scheduling, billing, inbox, channels) uses
// this one type, and the HTTP layer maps each kind to one status in one place.
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
	// KindForbidden is an action the actor may not take on this record, e.g. a doctor completing
	// another doctor's session (403).
	KindForbidden
)

// Error is a domain error with a stable snake_case code that API clients may branch on, and a
// message written for a person.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Details carries structured context, e.g. the existing patient's id on a duplicate phone.
	Details map[string]any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// WithDetails returns a copy of e carrying details.
func (e *Error) WithDetails(details map[string]any) *Error {
	out := *e
	out.Details = details
	return &out
}

// Codes that callers compare against.
const (
	CodeSlotTaken         = "slot_taken"
	CodeNotAvailable      = "not_available"
	CodeInvalidTransition = "invalid_transition"
	CodeFinancialHistory  = "financial_history"
	CodeDuplicatePhone    = "duplicate_phone"
	CodeNotFound          = "not_found"
	CodePatientBusy       = "patient_busy"
	CodeForbidden         = "forbidden"
)

// Invalid is malformed input: a value that cannot be read at all.
func Invalid(code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Rule is well-formed input that breaks a rule.
func Rule(code, format string, args ...any) *Error {
	return &Error{Kind: KindRule, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Conflict is a clash with the current state.
func Conflict(code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Forbidden is an action this actor may not take.
func Forbidden(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Code: CodeForbidden, Message: fmt.Sprintf(format, args...)}
}

// NotFound says that the record what with this id does not exist.
func NotFound(what string, id ID) *Error {
	return &Error{Kind: KindNotFound, Code: CodeNotFound, Message: fmt.Sprintf("%s %d not found", what, id)}
}

// Short names for use inside the package.
var (
	invalid  = Invalid
	rule     = Rule
	conflict = Conflict
	notFound = NotFound
)

// ErrFinancialHistory is what a listener returns to refuse deleting a session once money has moved.
var ErrFinancialHistory = Conflict(CodeFinancialHistory, "the session has an issued invoice or a payment; financial history is never deleted")

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
